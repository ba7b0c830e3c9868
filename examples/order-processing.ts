/**
 * Order processing: a CrudApi for orders and, beside it, a FunctionsApp with the team's own code — a queue
 * worker, a nightly timer and an HTTP status route, each a handler module under `examples/order-processing/`.
 * Both run on node 22, so they share one Function App and one package: apply bundles the CRUD runtime and the
 * three handlers together (see docs/functions.md). Handler paths are relative to the working directory (the
 * repository root here). `atakora dev examples/order-processing.ts` serves it locally.
 */
import { App } from 'cdktf';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { FunctionsApp } from '@atakora/component/functions';
import { ResourceGroupStack } from '@atakora/component/cdk';

export function buildOrderProcessing() {
  return defineBackend(
    {
      orderApi: CrudApi.define('OrderApi', {
        entityName: 'Order',
        schema: {
          id: 'string',
          userId: 'string',
          total: 'number',
          // Added after launch: orders stored before read as 'received' (docs/schema-evolution.md).
          status: { type: 'string', required: true, default: 'received' },
        },
        partitionKey: '/userId',
        // Version 1 stored amountCents; the migration turns it into total (bundled like the handlers).
        schemaVersion: 2,
        migrations: { 2: './examples/order-processing/migrations/order-v2.ts' },
        // Demo orders: atakora dev loads them into each tenant's empty view; atakora seed creates them (docs/seed.md).
        seed: './examples/order-processing/seed/orders.json',
      }),
      orderWorker: FunctionsApp.define('OrderWorker', {
        runtime: 'node',
        // Read as process.env.TRACKING_URL, the name written (in Azure and under atakora dev).
        environmentVariables: { TRACKING_URL: 'https://track.example.com/orders' },
        functions: {
          'process-order': {
            trigger: 'queue',
            queueName: 'orders',
            handler: './examples/order-processing/process-order.ts',
          },
          'nightly-report': {
            trigger: 'timer',
            schedule: '0 0 2 * * *',
            handler: './examples/order-processing/nightly-report.ts#nightlyReport',
          },
          'order-status': {
            trigger: 'http',
            route: 'order-status/{id}',
            methods: ['GET'],
            handler: './examples/order-processing/order-status.ts',
          },
        },
      }),
    },
    { backendId: 'orders', environment: 'dev', location: 'eastus' },
  );
}

export function synthOrderProcessing(outdir = 'cdktf.out') {
  const backend = buildOrderProcessing();
  const app = new App({ outdir });
  const stack = new ResourceGroupStack(app, 'orders-dev', {
    resourceGroupName: 'rg-orders-dev',
    location: 'eastus',
  });
  backend.apply(stack);
  app.synth();
  return { backend, app, stack };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { backend } = synthOrderProcessing();
  const shared = backend.plan().resources.find((r) => r.type === 'functions')!;
  console.log(
    `${shared.name} runs the CRUD runtime and ${String((shared.config['hostedFunctions'] as unknown[]).length)} handlers from one package.`,
  );
}
