/**
 * `npx tsx bench/membership.ts [rounds=30] [block=50] [warmup=1000]`: what tenants by membership cost a CRUD request
 * against a tenant of directories (budget: a membership tenant ≤ 1.05× a directory tenant).
 *
 * One local Cosmos DB server (bench/support/cosmos-server.mjs, its own process, 127.0.0.1, connections kept alive)
 * and the runtime's handlers registered twice in one process: "directory", the entity behind `allowedTenants:
 * 'registry'` (the caller's `tid` a registered, active directory); "membership", the same entity behind `tenants.by:
 * 'membership'` (the caller a member of an active organization, named in `X-Atakora-Tenant`) — each with its registry
 * in the same server, neither with a usage ledger (bench/limits.ts measures that), so what differs is the tenant's
 * admission alone: a registry read for the directory, a membership and a registry read for the organization, both
 * through their bounded caches. Blocks of `block` requests (a create, then a read of it) alternate between the two
 * `rounds` times, after `warmup` requests per side, so drift and V8's optimisation affect both alike.
 */
import { loadavg } from 'node:os';
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import type { RuntimeAuth, RuntimeEntity, RuntimeManifest } from '../src/model/runtime-manifest.js';
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
const DIRECTORY = 'tenant-bench';
const ORGANIZATION = 'org-bench';

const { tenancy: _shared, ...isolated } = BENCH_ENTITY;
const entity: RuntimeEntity = isolated;
const registry = {
  database: 'atakora',
  container: 'tenants',
  usage: '',
  plans: { pro: {} },
  defaultPlan: 'pro',
  signUp: 'invite' as const,
};
const base = {
  required: true,
  tenantClaim: 'tid',
  trustTenantHeader: false,
  homeTenant: 'home-bench',
};
const auths: Record<'directory' | 'membership', RuntimeAuth> = {
  directory: { ...base, allowedTenants: [], registry },
  membership: {
    ...base,
    registry: {
      ...registry,
      membership: { container: 'members', roles: ['Admin', 'Member'], createTenants: 'operator' },
    },
  },
};
const principal = Buffer.from(
  JSON.stringify({
    auth_typ: 'aad',
    claims: [
      { typ: 'tid', val: DIRECTORY },
      { typ: 'oid', val: 'oid-bench' },
    ],
  }),
).toString('base64');
const at = '2026-01-01T00:00:00.000Z';

const load = loadavg()[0] ?? 0;
const cosmos = await benchCosmos({ keepAlive: true });
try {
  const client = cosmos.container.database.client;
  const { database } = await client.databases.createIfNotExists({ id: 'atakora' });
  const container = async (id: string, path: string) =>
    (await database.containers.createIfNotExists({ id, partitionKey: { paths: [path] } }))
      .container;
  const tenants = await container('tenants', '/id');
  const members = await container('members', '/tenant');
  for (const id of [DIRECTORY, ORGANIZATION])
    await tenants.items.upsert({ id, plan: 'pro', status: 'active', createdOn: at, updatedOn: at });
  await members.items.upsert({
    id: `${ORGANIZATION}|oid-bench`,
    tenant: ORGANIZATION,
    userId: 'oid-bench',
    roles: ['Owner'],
    addedOn: at,
  });

  // Each mode registered in turn, its handlers kept: the bindings of the last registration are the process's, so
  // the two registries (one per mode, the same container) are bound by the second registration, both served.
  const handlersOf = (auth: RuntimeAuth) => {
    const manifest: RuntimeManifest = {
      version: 1,
      backendId: 'bench',
      entities: [entity],
      auth: callerPolicyOf({ version: 1, backendId: 'bench', entities: [entity], auth }),
    };
    const fns = new Map<string, HttpFunctionOptions>();
    registerCrudRoutes({ http: (name, o) => fns.set(name, o) }, manifest, {
      containerFor: () => cosmos.container,
      caller: manifest.auth ?? auth,
      logger: () => {},
    });
    const handler = (name: string) => {
      const f = fns.get(name);
      if (!f) throw new Error(`no function ${name}`);
      return f.handler as HttpHandler;
    };
    return { collection: handler('BenchApi-collection'), item: handler('BenchApi-item') };
  };
  const modes = {
    directory: handlersOf(auths.directory),
    membership: handlersOf(auths.membership),
  };
  type Mode = keyof typeof modes;
  const headers: Record<Mode, Record<string, string>> = {
    directory: { 'x-ms-client-principal': principal, 'content-type': 'application/json' },
    membership: {
      'x-ms-client-principal': principal,
      'content-type': 'application/json',
      'x-atakora-tenant': ORGANIZATION,
    },
  };
  const invocation = benchInvocation();
  let n = 0;
  const request = async (mode: Mode): Promise<number> => {
    const { collection, item } = modes[mode];
    const id = `m-${String(n++)}`;
    return (
      (await createThenRead(collection, item, invocation, headers[mode], id, n, `${mode}: `)) / 2
    );
  };
  const MODES = ['directory', 'membership'] as const;
  type Timed = { ms: Record<Mode, number[]>; cpu: Record<Mode, number> };
  const rounds = async (count: number): Promise<Timed> => {
    const t: Timed = {
      ms: { directory: [], membership: [] },
      cpu: { directory: 0, membership: 0 },
    };
    for (let r = 0; r < count; r++)
      for (const mode of r % 2 === 0 ? MODES : [...MODES].reverse()) {
        const before = process.cpuUsage();
        for (let i = 0; i < BLOCK; i++) t.ms[mode].push(await request(mode));
        const used = process.cpuUsage(before);
        t.cpu[mode] += used.user + used.system;
      }
    return t;
  };
  const warm = await rounds(Math.ceil(WARMUP / BLOCK));
  const { ms, cpu } = await rounds(ROUNDS);
  const p = (xs: number[], q: number) =>
    [...xs].sort((a, b) => a - b)[Math.ceil(q * xs.length) - 1] ?? 0;
  const fmt = (x: number) => `${x.toFixed(3)} ms`;
  const p50 = median(ms.membership) / median(ms.directory);
  const p95 = p(ms.membership, 0.95) / p(ms.directory, 0.95);
  const cpuPer = (mode: Mode) => cpu[mode] / ms[mode].length / 2;
  console.log(
    `Tenants by membership vs by directory, per CRUD request (a create and a read of it, halved): ${String(ROUNDS)} ` +
      `alternating rounds of ${String(BLOCK)}, local Cosmos DB server in another process, Node ${process.version}, ` +
      `load average ${load.toFixed(1)} → ${(loadavg()[0] ?? 0).toFixed(1)}, after ${String(warm.ms.membership.length)} ` +
      'warm-up requests per side',
  );
  console.log(
    `  directory (registry)   p50 ${fmt(median(ms.directory))}  p95 ${fmt(p(ms.directory, 0.95))}`,
  );
  console.log(
    `  membership (members)   p50 ${fmt(median(ms.membership))}  p95 ${fmt(p(ms.membership, 0.95))}`,
  );
  console.log(
    `  membership ÷ directory: p50 ×${p50.toFixed(3)} (budget ≤ 1.05×), p95 ×${p95.toFixed(3)}`,
  );
  console.log(
    `  runtime CPU per request: directory ${cpuPer('directory').toFixed(1)} µs, membership ` +
      `${cpuPer('membership').toFixed(1)} µs (×${(cpuPer('membership') / cpuPer('directory')).toFixed(3)})`,
  );
  recordRatio('membership', {
    label:
      'a CRUD request on a membership tenant ÷ one on a directory tenant (bench/membership.ts)',
    ratio: p50,
    budget: 1.05,
    detail: `warm: p50 ${fmt(median(ms.membership))} vs ${fmt(median(ms.directory))}, p95 ×${p95.toFixed(2)}, runtime CPU ×${(cpuPer('membership') / cpuPer('directory')).toFixed(2)}`,
  });
} finally {
  await cosmos.close();
}
