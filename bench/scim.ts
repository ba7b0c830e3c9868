/**
 * `npx tsx bench/scim.ts [users=100] [concurrency=4]`: SCIM provisioning at the Entra app gallery's bar (≥ 25
 * requests/s per tenant, p95 < 300 ms; Learn, "Tutorial: Develop and plan provisioning for a SCIM endpoint" /
 * the gallery listing's performance expectation), printed, not asserted (a shared machine is noisy).
 *
 * One local Cosmos DB server (bench/support/cosmos-server.mjs, its own process, 127.0.0.1) and the runtime's
 * handlers (src/, registerCrudRoutes) of an organizations backend with an audit log, one organization and one SCIM
 * token issued through `POST api/tenant/scim-tokens`. Then Entra's sequence per user, `concurrency` users at a time
 * (Entra's provisioning service calls in parallel): `GET Users?filter=userName eq "…"` (an empty ListResponse),
 * `POST Users`, `GET Users/{id}`, `PATCH` (a `Replace` of `name.familyName`), `PATCH` `active` "False", `DELETE` —
 * six SCIM requests a user, each through the whole pipeline (token lookup, ledger, rate limit, audit).
 */
import { loadavg } from 'node:os';
import type { HttpFunctionOptions, HttpHandler, HttpResponseInit } from '@azure/functions';
import azureFunctions from '@azure/functions';
import { SCIM_SCHEMAS } from '../src/contract/scim/scim.js';
import type { RuntimeAuth, RuntimeManifest } from '../src/model/runtime-manifest.js';
import { cosmosAuditStore } from '../src/runtime/audit/audit-store.js';
import { registerCrudRoutes } from '../src/runtime/register-routes.js';
import { BENCH_ENTITY } from './baseline/bare-crud-handler.js';
import { benchCosmos } from './support/cosmos-client.js';
import { benchInvocation } from './support/create-read.js';

const { HttpRequest } = azureFunctions;
const USERS = Math.min(Math.max(Number(process.argv[2] ?? 100) || 100, 5), 5000);
const CONCURRENCY = Math.min(Math.max(Number(process.argv[3] ?? 4) || 4, 1), 64);
const ORG = 'org-bench';
const at = '2026-01-01T00:00:00.000Z';

const auth: RuntimeAuth = {
  required: true,
  tenantClaim: 'tid',
  trustTenantHeader: false,
  homeTenant: 'home-bench',
  registry: {
    database: 'atakora',
    container: 'tenants',
    usage: '',
    plans: { pro: {} },
    defaultPlan: 'pro',
    signUp: 'invite',
    membership: {
      container: 'members',
      roles: ['Admin', 'Member'],
      createTenants: 'operator',
      audit: 'audit',
    },
  },
};
const owner = Buffer.from(
  JSON.stringify({
    auth_typ: 'aad',
    claims: [
      { typ: 'tid', val: 'home-bench' },
      { typ: 'oid', val: 'owner-bench' },
    ],
  }),
).toString('base64');

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
  const audit = await container('audit', '/tenant');
  await tenants.items.upsert({
    id: ORG,
    plan: 'pro',
    status: 'active',
    createdOn: at,
    updatedOn: at,
  });
  await members.items.upsert({
    id: `${ORG}|owner-bench`,
    tenant: ORG,
    userId: 'owner-bench',
    roles: ['Owner'],
    addedOn: at,
  });
  const manifest: RuntimeManifest = {
    version: 1,
    backendId: 'bench',
    entities: [BENCH_ENTITY],
    auth,
  };
  const fns = new Map<string, HttpFunctionOptions>();
  registerCrudRoutes({ http: (name, o) => fns.set(name, o) }, manifest, {
    containerFor: () => cosmos.container,
    caller: auth,
    audit: { store: cosmosAuditStore(audit) },
    logger: () => {},
  });
  const handler = (name: string) => fns.get(name)?.handler as HttpHandler;
  const invocation = benchInvocation();
  const send = async (
    name: string,
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
    params: Record<string, string> = {},
  ): Promise<{ status: number; body: Record<string, unknown>; ms: number }> => {
    const started = performance.now();
    const r = (await handler(name)(
      new HttpRequest({
        method,
        url: `https://bench.local/api/${path}`,
        headers: { 'content-type': 'application/scim+json', ...headers },
        params,
        ...(body === undefined ? {} : { body: { string: JSON.stringify(body) } }),
      }),
      invocation,
    )) as HttpResponseInit;
    const ms = performance.now() - started;
    const text = typeof r.body === 'string' ? r.body : '';
    return {
      status: r.status ?? 200,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      ms,
    };
  };
  const issued = await send(
    'membership-scim-tokens',
    'POST',
    'tenant/scim-tokens',
    {
      'x-ms-client-principal': owner,
      'x-atakora-tenant': ORG,
      'content-type': 'application/json',
    },
    {},
  );
  if (issued.status !== 201) throw new Error(`token: ${String(issued.status)}`);
  const bearer = { authorization: `Bearer ${String(issued.body['token'])}` };
  const times: number[] = [];
  const expect = (r: { status: number; ms: number }, status: number, what: string) => {
    if (r.status !== status) throw new Error(`${what}: ${String(r.status)}`);
    times.push(r.ms);
  };
  const patch = (...Operations: unknown[]) => ({ schemas: [SCIM_SCHEMAS.patchOp], Operations });
  const provision = async (i: number) => {
    const userName = `user${String(i)}-${String(Date.now())}@contoso.example`;
    const q = encodeURIComponent(`userName eq "${userName}"`);
    expect(await send('scim-users', 'GET', `scim/v2/Users?filter=${q}`, bearer), 200, 'filter');
    const made = await send('scim-users', 'POST', 'scim/v2/Users', bearer, {
      schemas: [SCIM_SCHEMAS.user],
      externalId: `ext-${String(i)}`,
      userName,
      active: true,
      emails: [{ primary: true, type: 'work', value: userName }],
      name: { givenName: 'Bench', familyName: String(i) },
    });
    expect(made, 201, 'create');
    const id = String(made.body['id']);
    const at = `scim/v2/Users/${id}`;
    expect(await send('scim-user', 'GET', at, bearer, undefined, { id }), 200, 'read');
    expect(
      await send(
        'scim-user',
        'PATCH',
        at,
        bearer,
        patch({ op: 'Replace', path: 'name.familyName', value: 'X' }),
        { id },
      ),
      200,
      'patch',
    );
    expect(
      await send(
        'scim-user',
        'PATCH',
        at,
        bearer,
        patch({ op: 'Replace', path: 'active', value: 'False' }),
        { id },
      ),
      200,
      'deactivate',
    );
    expect(await send('scim-user', 'DELETE', at, bearer, undefined, { id }), 204, 'delete');
  };
  // Warm-up: V8 and the caches, not measured.
  for (let i = 0; i < 5; i++) await provision(-1 - i);
  times.length = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < USERS) await provision(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const sorted = [...times].sort((a, b) => a - b);
  const pct = (q: number) => sorted[Math.ceil(q * sorted.length) - 1] ?? 0;
  console.log(
    `SCIM provisioning, one organization, ${String(USERS)} users × 6 requests (Entra's sequence), ` +
      `${String(CONCURRENCY)} at a time, local Cosmos DB server in another process, Node ${process.version}, ` +
      `load average ${load.toFixed(1)} → ${(loadavg()[0] ?? 0).toFixed(1)}`,
  );
  console.log(
    `  ${(times.length / seconds).toFixed(1)} requests/s per tenant (bar ≥ 25), ` +
      `p50 ${pct(0.5).toFixed(1)} ms, p95 ${pct(0.95).toFixed(1)} ms (bar < 300 ms), max ${pct(1).toFixed(1)} ms`,
  );
} finally {
  await cosmos.close();
}
