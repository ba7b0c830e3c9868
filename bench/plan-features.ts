/**
 * `npx tsx bench/plan-features.ts [rounds=30] [block=50] [warmup=1000]`: what a plan's features and seats cost a CRUD
 * request (budget, issue #107: with ≤ 1.05× without).
 *
 * One local Cosmos DB server (bench/support/cosmos-server.mjs, its own process, 127.0.0.1, connections kept alive)
 * and the runtime's handlers registered twice in one process behind the same sign-in and tenant registry (no usage
 * ledger on either, so only the features differ): "without", plans that list no features (every plan has every
 * feature, model/plans/plan-features.ts `featuresOf`); "with", the same plan listing features and a seat bound (`members`) beside a plan that lists none
 * — so the features gate of the limits stage (pipeline/feature-gate.ts) and the access rules read the plan's
 * features. Both sides serve the same entity with the same rules, one of them gated on an application feature (`{
 * operations: ['create'], feature: 'reports' }`), which the "with" plan includes, so both answer 201/200. Blocks of
 * `block` requests (a create, then a read of it) alternate `rounds` times, each side first in turn, after `warmup`
 * requests per side in the same blocks (the budget is judged warm, as bench/limits.ts explains). Prints p50/p95 per
 * request and their ratio, and the runtime's own CPU per request.
 */
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import { loadavg } from 'node:os';
import type {
  RuntimeAuth,
  RuntimeEntity,
  RuntimeManifest,
  RuntimeTenantPlan,
} from '../src/model/runtime-manifest.js';
import { callerPolicyOf } from '../src/runtime/caller/tenant-source.js';
import { registerCrudRoutes } from '../src/runtime/register-routes.js';
import { BENCH_ENTITY } from './baseline/bare-crud-handler.js';
import { benchCosmos } from './support/cosmos-client.js';
import { benchInvocation, createThenRead } from './support/create-read.js';
import { median } from './support/stats.js';
import { recordRatio } from './support/summary.js';

const ROUNDS = Math.min(Math.max(Number(process.argv[2] ?? 30) || 30, 2), 500);
const BLOCK = Math.min(Math.max(Number(process.argv[3] ?? 50) || 50, 5), 500);
const WARMUP = Math.min(Math.max(Number(process.argv[4] ?? 1000), 0), 20_000);
const TENANT = 'tenant-features';

const { tenancy: _shared, ...isolated } = BENCH_ENTITY;
const entity: RuntimeEntity = {
  ...isolated,
  access: [
    { allow: 'authenticated', operations: ['read', 'list', 'update', 'delete'] },
    { allow: 'authenticated', operations: ['create'], feature: 'reports' },
  ],
};
const policyOf = (plans: Record<string, RuntimeTenantPlan>): RuntimeAuth =>
  callerPolicyOf({
    version: 1,
    backendId: 'bench',
    entities: [entity],
    auth: {
      required: true,
      tenantClaim: 'tid',
      trustTenantHeader: false,
      allowedTenants: [],
      homeTenant: 'home-bench',
      // No usage container: no ledger on either side, so the figure is the features' alone.
      registry: {
        database: 'atakora',
        container: 'tenants',
        usage: '',
        plans,
        defaultPlan: 'pro',
        signUp: 'invite',
      },
    },
  });
const sides = {
  without: policyOf({ pro: {}, free: {} }),
  with: policyOf({
    // Seats bound beside the features (issue #107's budget names both): a seat is counted where a person is
    // admitted, so a CRUD request on a plan with `members` must cost what one without does.
    pro: { features: ['reports', 'search', 'audit', 'domains', 'directory'], members: 25 },
    free: { features: [], members: 3 },
  }),
};
type Side = keyof typeof sides;
const SIDES: readonly Side[] = ['without', 'with'];
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
  await tenants.items.upsert({
    id: TENANT,
    plan: 'pro',
    status: 'active',
    createdOn: '2026-01-01T00:00:00.000Z',
    updatedOn: '2026-01-01T00:00:00.000Z',
  });
  const handlersOf = (auth: RuntimeAuth) => {
    const fns = new Map<string, HttpFunctionOptions>();
    const manifest: RuntimeManifest = { version: 1, backendId: 'bench', entities: [entity], auth };
    registerCrudRoutes({ http: (name, o) => fns.set(name, o) }, manifest, {
      containerFor: () => cosmos.container,
      caller: auth,
      logger: () => {},
    });
    return {
      collection: fns.get('BenchApi-collection')!.handler as HttpHandler,
      item: fns.get('BenchApi-item')!.handler as HttpHandler,
    };
  };
  const handlers = { without: handlersOf(sides.without), with: handlersOf(sides.with) };
  const invocation = benchInvocation();
  const headers = { 'x-ms-client-principal': principal, 'content-type': 'application/json' };
  let n = 0;
  const request = async (side: Side): Promise<number> => {
    const { collection, item } = handlers[side];
    const id = `f-${String(n++)}`;
    return (await createThenRead(collection, item, invocation, headers, id, n, `${side}: `)) / 2;
  };
  type Timed = { ms: Record<Side, number[]>; cpu: Record<Side, number> };
  // Each side first in turn: drift affects both alike. The runtime's own CPU per block (this process; the Cosmos DB
  // server is another) is less moved by the load of a shared machine than latency.
  const rounds = async (count: number): Promise<Timed> => {
    const t: Timed = { ms: { without: [], with: [] }, cpu: { without: 0, with: 0 } };
    for (let r = 0; r < count; r++)
      for (const side of r % 2 === 0 ? SIDES : [...SIDES].reverse()) {
        const before = process.cpuUsage();
        for (let i = 0; i < BLOCK; i++) t.ms[side].push(await request(side));
        const used = process.cpuUsage(before);
        t.cpu[side] += used.user + used.system;
      }
    return t;
  };
  const warm = await rounds(Math.ceil(WARMUP / BLOCK));
  const { ms, cpu } = await rounds(ROUNDS);
  const p = (xs: number[], q: number) =>
    [...xs].sort((a, b) => a - b)[Math.ceil(q * xs.length) - 1]!;
  const fmt = (x: number) => `${x.toFixed(3)} ms`;
  const p50 = median(ms.with) / median(ms.without);
  const p95 = p(ms.with, 0.95) / p(ms.without, 0.95);
  const cpuPer = (side: Side) => cpu[side] / ms[side].length / 2;
  console.log(
    `Plan features, per CRUD request (a create and a read of it, halved): ${String(ROUNDS)} alternating rounds of ` +
      `${String(BLOCK)}, local Cosmos DB server in another process, Node ${process.version}, load average ` +
      `${load.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}, after ${String(warm.ms.with.length)} warm-up requests per side`,
  );
  console.log(
    `  without (no plan lists features) p50 ${fmt(median(ms.without))}  p95 ${fmt(p(ms.without, 0.95))}`,
  );
  console.log(
    `  with (the plan's features and seats) p50 ${fmt(median(ms.with))}  p95 ${fmt(p(ms.with, 0.95))}`,
  );
  console.log(`  with ÷ without: p50 ×${p50.toFixed(3)} (budget ≤ 1.05×), p95 ×${p95.toFixed(3)}`);
  console.log(
    `  runtime CPU per request: without ${cpuPer('without').toFixed(1)} µs, with ${cpuPer('with').toFixed(1)} µs ` +
      `(×${(cpuPer('with') / cpuPer('without')).toFixed(3)})`,
  );
  recordRatio('plan-features', {
    label:
      "a CRUD request on a plan listing features and seats (the gate, a rule's feature) ÷ one without (bench/plan-features.ts)",
    ratio: p50,
    budget: 1.05,
    detail: `warm (${String(warm.ms.with.length)} requests first): p50 ${fmt(median(ms.with))} vs ${fmt(median(ms.without))}, p95 ×${p95.toFixed(2)}, runtime CPU ×${(cpuPer('with') / cpuPer('without')).toFixed(2)}`,
  });
} finally {
  await cosmos.close();
}
