/**
 * `npx tsx bench/limits.ts [rounds=30] [block=50] [warmup=1000]`: what a tenant's plan limits and the usage ledger
 * cost a CRUD request (budget: with ≤ 1.1× without).
 *
 * One local Cosmos DB server (bench/support/cosmos-server.mjs, its own process, 127.0.0.1, connections kept alive)
 * and the runtime's handlers registered twice in one process, as the deployed app registers them: "without", a
 * backend without a tenant registry (no ledger, no limits); "with", the same entity behind `allowedTenants:
 * 'registry'` with a plan that sets every bound (requests per minute per tenant and per user, RU per day, storage)
 * high enough never to refuse, and the usage ledger in the same server's `atakora/usage`, flushed by the meter's own
 * timer (once a second). Blocks of `block` requests (a create, then a read of it) alternate between the two
 * `rounds` times, so drift affects both alike. Before them, `warmup` requests per side in the same alternating
 * blocks: V8 optimises the functions only the "with" side runs after a few hundred calls (`node --trace-opt`), and a
 * Function App instance serves far more than that, so the budget is judged warm; the warm-up's own p50 ratio is
 * printed too (what an instance's first requests pay). Prints p50/p95 per request and their ratio, and the ledger's
 * own Cosmos DB calls (batched writes, reads of the other instances' counts) per request served.
 */
import { benchInvocation, createThenRead } from './support/create-read.js';
import { loadavg } from 'node:os';
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import type { RuntimeAuth, RuntimeEntity, RuntimeManifest } from '../src/model/runtime-manifest.js';
import { callerPolicyOf } from '../src/runtime/caller/tenant-source.js';
import { registerCrudRoutes } from '../src/runtime/register-routes.js';
import { boundUsageMeter } from '../src/runtime/usage/usage-binding.js';
import { cosmosUsageStore, type UsageStore } from '../src/runtime/usage/usage-store.js';
import { BENCH_ENTITY } from './baseline/bare-crud-handler.js';
import { benchCosmos } from './support/cosmos-client.js';
import { median } from './support/stats.js';
import { recordRatio } from './support/summary.js';

const ROUNDS = Math.min(Math.max(Number(process.argv[2] ?? 30) || 30, 2), 500);
const BLOCK = Math.min(Math.max(Number(process.argv[3] ?? 50) || 50, 5), 500);
const WARMUP = Math.min(Math.max(Number(process.argv[4] ?? 1000), 0), 20_000);
const TENANT = 'tenant-bench';

const { tenancy: _shared, ...isolated } = BENCH_ENTITY;
const entity: RuntimeEntity = isolated;
const plain: RuntimeManifest = { version: 1, backendId: 'bench', entities: [entity] };
const limitedAuth: RuntimeAuth = callerPolicyOf({
  ...plain,
  auth: {
    required: true,
    tenantClaim: 'tid',
    trustTenantHeader: false,
    allowedTenants: [],
    homeTenant: 'home-bench',
    registry: {
      database: 'atakora',
      container: 'tenants',
      usage: 'usage',
      plans: {
        pro: {
          requestsPerMinute: 1_000_000_000,
          requestUnitsPerDay: 1_000_000_000_000,
          storageMb: 1_000_000,
        },
      },
      defaultPlan: 'pro',
      signUp: 'invite',
      perUser: { requestsPerMinute: 1_000_000_000 },
    },
  },
});
const limited: RuntimeManifest = { ...plain, auth: limitedAuth };
// The same sign-in and registry without a ledger (no usage container named): no meter, so no limit and no count.
const registryAuth: RuntimeAuth = {
  ...limitedAuth,
  registry: { ...limitedAuth.registry!, usage: '' },
};
const registryOnly: RuntimeManifest = { ...plain, auth: registryAuth };
const principal = Buffer.from(
  JSON.stringify({
    auth_typ: 'aad',
    claims: [
      { typ: 'tid', val: TENANT },
      { typ: 'oid', val: 'oid-bench' },
    ],
  }),
).toString('base64');

const load = loadavg()[0]!;
const cosmos = await benchCosmos({ keepAlive: true });
try {
  const client = cosmos.container.database.client;
  const { database } = await client.databases.createIfNotExists({ id: 'atakora' });
  const { container: tenants } = await database.containers.createIfNotExists({
    id: 'tenants',
    partitionKey: { paths: ['/id'] },
  });
  const { container: usage } = await database.containers.createIfNotExists({
    id: 'usage',
    partitionKey: { paths: ['/tenant'] },
  });
  await tenants.items.upsert({
    id: TENANT,
    plan: 'pro',
    status: 'active',
    createdOn: '2026-01-01T00:00:00.000Z',
    updatedOn: '2026-01-01T00:00:00.000Z',
  });
  // The ledger's own calls, counted.
  const calls = { writes: 0, reads: 0 };
  const real = cosmosUsageStore(usage);
  const store: UsageStore = {
    write: (t, items) => (calls.writes++, real.write(t, items)),
    read: (t, id) => (calls.reads++, real.read(t, id)),
    minutes: (t, m) => (calls.reads++, real.minutes(t, m)),
    hours: (t, h) => (calls.reads++, real.hours(t, h)),
    stored: (t) => (calls.reads++, real.stored(t)),
    connections: (t) => (calls.reads++, real.connections(t)),
    snapshot: (t, want) => (calls.reads++, real.snapshot!(t, want)),
  };

  const handlersOf = (manifest: RuntimeManifest, withLedger: boolean) => {
    const fns = new Map<string, HttpFunctionOptions>();
    registerCrudRoutes({ http: (name, o) => fns.set(name, o) }, manifest, {
      containerFor: () => cosmos.container,
      caller: manifest.auth ?? callerPolicyOf(manifest),
      logger: () => {},
      ...(withLedger ? { usageLedger: { store } } : {}),
    });
    return {
      collection: fns.get('BenchApi-collection')!.handler as HttpHandler,
      item: fns.get('BenchApi-item')!.handler as HttpHandler,
    };
  };
  const modes = {
    without: handlersOf(plain, false),
    registry: handlersOf(registryOnly, false),
    with: handlersOf(limited, true),
  };
  type Mode = keyof typeof modes;
  const invocation = benchInvocation();
  const headers = { 'x-ms-client-principal': principal, 'content-type': 'application/json' };
  let n = 0;
  let served = 0;
  const request = async (mode: Mode): Promise<number> => {
    const { collection, item } = modes[mode];
    const id = `l-${String(n++)}`;
    const ms = await createThenRead(collection, item, invocation, headers, id, n, `${mode}: `);
    if (mode === 'with') served += 2;
    return ms / 2;
  };

  const MODES = ['without', 'registry', 'with'] as const;
  type Timed = { ms: Record<Mode, number[]>; cpu: Record<Mode, number> };
  // Blocks of each mode, each first, second and third in turn, forwards and backwards: drift affects the three
  // alike. The runtime's own CPU per block (this process; the Cosmos DB server is another): less moved by the load
  // of a shared machine than latency, which also waits for the server and the scheduler.
  const rounds = async (count: number): Promise<Timed> => {
    const t: Timed = {
      ms: { without: [], registry: [], with: [] },
      cpu: { without: 0, registry: 0, with: 0 },
    };
    for (let r = 0; r < count; r++) {
      const turned = [...MODES.slice(r % 3), ...MODES.slice(0, r % 3)];
      const order: Mode[] = Math.floor(r / 3) % 2 === 0 ? turned : turned.reverse();
      for (const mode of order) {
        const before = process.cpuUsage();
        for (let i = 0; i < BLOCK; i++) t.ms[mode].push(await request(mode));
        const used = process.cpuUsage(before);
        t.cpu[mode] += used.user + used.system;
      }
    }
    return t;
  };
  const warm = await rounds(Math.ceil(WARMUP / BLOCK));
  const before = { ...calls, served };
  const started = performance.now();
  const { ms, cpu } = await rounds(ROUNDS);
  const seconds = (performance.now() - started) / 1000;
  await boundUsageMeter(limitedAuth.registry!)!.flush();
  boundUsageMeter(limitedAuth.registry!)!.close();
  const writes = calls.writes - before.writes;
  const reads = calls.reads - before.reads;
  const requests = served - before.served;
  const p = (xs: number[], q: number) =>
    [...xs].sort((a, b) => a - b)[Math.ceil(q * xs.length) - 1]!;
  const fmt = (x: number) => `${x.toFixed(3)} ms`;
  const p50 = median(ms.with) / median(ms.without);
  const p95 = p(ms.with, 0.95) / p(ms.without, 0.95);
  console.log(
    `Plan limits + usage ledger, per CRUD request (a create and a read of it, halved): ${String(ROUNDS)} alternating ` +
      `rounds of ${String(BLOCK)}, local Cosmos DB server in another process, Node ${process.version}, load average ` +
      `${load.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}, after ${String(warm.ms.with.length)} warm-up requests per side`,
  );
  console.log(
    `  without (no registry)        p50 ${fmt(median(ms.without))}  p95 ${fmt(p(ms.without, 0.95))}`,
  );
  console.log(
    `  registry (sign-in, registry) p50 ${fmt(median(ms.registry))}  p95 ${fmt(p(ms.registry, 0.95))}`,
  );
  console.log(
    `  with (every bound, ledger)   p50 ${fmt(median(ms.with))}  p95 ${fmt(p(ms.with, 0.95))}`,
  );
  console.log(`  with ÷ without: p50 ×${p50.toFixed(3)} (budget ≤ 1.1×), p95 ×${p95.toFixed(3)}`);
  if (warm.ms.with.length > 0)
    console.log(
      `  the warm-up itself (an instance's first ${String(warm.ms.with.length)} requests): with ÷ without p50 ` +
        `×${(median(warm.ms.with) / median(warm.ms.without)).toFixed(3)}`,
    );
  // The limits and the ledger alone: the same sign-in and registry stage on both sides.
  const own = median(ms.with) / median(ms.registry);
  console.log(
    `  with ÷ registry (the limits and the ledger alone): p50 ×${own.toFixed(3)}, p95 ` +
      `×${(p(ms.with, 0.95) / p(ms.registry, 0.95)).toFixed(3)}`,
  );
  const cpuPer = (mode: Mode) => cpu[mode] / ms[mode].length / 2;
  console.log(
    `  runtime CPU per request: without ${cpuPer('without').toFixed(1)} µs, registry ` +
      `${cpuPer('registry').toFixed(1)} µs, with ${cpuPer('with').toFixed(1)} µs (with ÷ without ` +
      `×${(cpuPer('with') / cpuPer('without')).toFixed(3)}, with ÷ registry ×${(cpuPer('with') / cpuPer('registry')).toFixed(3)})`,
  );
  console.log(
    `  the ledger's own Cosmos DB calls: ${String(writes)} batched writes and ${String(reads)} reads for ` +
      `${String(requests)} requests over ${seconds.toFixed(1)} s (${(writes / seconds).toFixed(2)} writes/s for one ` +
      `tenant on one instance; ${((writes + reads) / requests).toFixed(4)} calls per request)`,
  );
  recordRatio('limits-ledger', {
    label: 'a CRUD request under plan limits and the usage ledger ÷ one without (bench/limits.ts)',
    ratio: p50,
    budget: 1.1,
    detail: `warm (${String(warm.ms.with.length)} requests first): p50 ${fmt(median(ms.with))} vs ${fmt(median(ms.without))}, p95 ×${p95.toFixed(2)}, with ÷ registry ×${own.toFixed(2)}, runtime CPU ×${(cpuPer('with') / cpuPer('without')).toFixed(2)}; ${String(writes)} ledger writes, ${String(reads)} reads for ${String(requests)} requests in ${seconds.toFixed(1)} s`,
  });
} finally {
  await cosmos.close();
}
