/**
 * The seeds' overview backend: three CRUD APIs sharing one Cosmos DB account, one Function App and one
 * Storage account. `npm run example` plans it, prints the summary and synthesizes `cdktf.out/`.
 */
import { App } from 'cdktf';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { ResourceGroupStack } from '@atakora/component/cdk';

export function buildBasicBackend() {
  return defineBackend(
    {
      userApi: CrudApi.define('UserApi', {
        entityName: 'User',
        schema: { id: 'string', name: 'string', email: 'string' },
      }),
      productApi: CrudApi.define('ProductApi', {
        entityName: 'Product',
        schema: { id: 'string', name: 'string', price: 'number' },
      }),
      orderApi: CrudApi.define('OrderApi', {
        entityName: 'Order',
        schema: { id: 'string', userId: 'string', total: 'number' },
      }),
    },
    { environment: 'prod', location: 'eastus' },
  );
}

export function synthBasic(outdir = 'cdktf.out') {
  const backend = buildBasicBackend();
  const app = new App({ outdir });
  const stack = new ResourceGroupStack(app, 'MyStack', {
    resourceGroupName: 'rg-myapp-prod',
    location: 'eastus',
  });
  const applied = backend.addToStack(stack);
  app.synth();
  return { backend, app, stack, applied };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = performance.now();
  const { applied } = synthBasic();
  // The applied plan: global names carry the stack's target token (backend.plan() shows the placeholder
  // "tgtxxx" until then — see docs/deploying.md#names).
  const plan = applied.plan;
  const { summary } = plan;
  console.log(
    `Planned ${summary.resources} shared resources instead of ${summary.unsharedResources} (${Math.round(summary.reduction * 100)}% fewer).`,
  );
  console.log(
    `Estimated monthly cost: $${summary.estimatedMonthlyUsd.shared} shared vs $${summary.estimatedMonthlyUsd.unshared} unshared.`,
  );
  for (const r of plan.resources)
    console.log(`  ${r.key.padEnd(18)} ${r.name.padEnd(32)} ← ${r.consumers.join(', ')}`);
  for (const i of plan.issues) console.log(`  ${i.severity}: ${i.code} ${i.message}`);
  console.log(
    `User API: ${String(plan.components.find((c) => c.id === 'UserApi')?.outputs['apiEndpoint'])}`,
  );
  console.log(
    `Wrote cdktf.out/stacks/MyStack/cdk.tf.json in ${Math.round(performance.now() - started)} ms.`,
  );
}
