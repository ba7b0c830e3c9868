/**
 * The built package of a backend with onChange, loaded as the Functions worker loads `main`: outside
 * `atakora dev` it registers the Cosmos DB trigger with the planned connection, database, container and lease
 * container (the binding the host reads); with ATAKORA_CHANGE_DELIVERY=inline it registers none.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { appPackageFile } from '../../src/apply/package/app-package.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { unzip } from './support/unzip.js';

const work = mkdtempSync(join(tmpdir(), 'atakora-change-package-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the built package registers the change feed trigger', () => {
  const handler = join(work, 'on-booking.ts');
  writeFileSync(
    handler,
    'export default function onBooking(change: unknown): void { console.log(JSON.stringify(change)); }\n',
  );
  const app = defineBackend({
    bookings: CrudApi.define('BookingApi', {
      entityName: 'Booking',
      schema: { id: 'string' },
      onChange: handler,
    }),
  })
    .plan()
    .resources.find((r) => r.type === 'functions')!;
  const file = appPackageFile({
    appName: app.name,
    crudRuntime: true,
    functions: app.config['hostedFunctions'] as never,
  })!;
  const dir = join(work, 'pkg');
  for (const [name, data] of unzip(readFileSync(file))) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
  const load = (env: Record<string, string>) => {
    const script = `
      const core = require('@azure/functions-core');
      // An ES module package: loaded with import(), as the worker loads one.
      import(${JSON.stringify(pathToFileURL(join(dir, 'index.js')).href)}).then(() =>
        console.log(JSON.stringify(core.state.functions.map((f) => f.metadata))),
      );`;
    const out = execFileSync(process.execPath, ['-e', script], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_PATH: join(import.meta.dirname, '../runtime/support/functions-core-stub'),
        ...env,
      },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(out.trim().split('\n').pop()!) as {
      name: string;
      bindings: Record<string, Record<string, unknown>>;
    }[];
  };

  it('with the planned options, as a cosmosDBTrigger binding', () => {
    const fn = load({}).find((f) => f.name === 'BookingApi-onchange')!;
    const trigger = Object.values(fn.bindings).find((b) => b['direction'] === 'in')!;
    expect(trigger).toMatchObject({
      type: 'cosmosDBTrigger',
      connection: 'BOOKING_API_CHANGE_FEED',
      databaseName: 'booking-db',
      containerName: 'booking',
      leaseContainerName: 'booking-leases',
      createLeaseContainerIfNotExists: false,
    });
  });

  it('and under atakora dev (inline delivery) too, for the writes of others (dev polls its containers)', () => {
    expect(load({ ATAKORA_CHANGE_DELIVERY: 'inline' }).map((f) => f.name)).toContain(
      'BookingApi-onchange',
    );
  });
});
