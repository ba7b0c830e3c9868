/**
 * What a request of an outsider — a signed-in user who is no member of the organization they name and whom no
 * linked directory or provisioned SCIM user admits — costs the store, counted at the local Cosmos DB server: the
 * first request tries both ways of joining (the directory's claim, the e-mail domain's claim and record, the SCIM
 * lookups), the repeats within the membership cache's bound cost nothing; a newly linked directory or provisioned
 * user is admitted at once on the instance that made the change and within the bound on the others; an outsider
 * naming ever new organizations is held to the per-user rate of the routes that act in no organization.
 */
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_DEV_USER, principalHeaderFor } from '../../src/cli/dev/sign-in/sign-in.js';
import { DIRECTORY_FUNCTION } from '../../src/contract/enterprise/directory.js';
import { DIRECTORY_CONSENT_ROLES } from '../../src/model/entra-claims.js';
import { TENANT_FUNCTION } from '../../src/contract/routes.js';
import { SCIM_FUNCTIONS } from '../../src/contract/scim/scim.js';
import type { RuntimeAuth, RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { cosmosAuditStore } from '../../src/runtime/audit/audit-store.js';
import { MEMBERSHIP_CACHE_DEFAULTS } from '../../src/runtime/members/membership-cache.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import { cosmosUsageStore } from '../../src/runtime/usage/usage-store.js';
import { principalHeader } from './support/built-app.js';
import { type CosmosRequests, countingRequests } from './support/cosmos-requests.js';
import { noteEntity } from './support/entities.js';
import { invoke, type Reply } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { member, record, reseed } from './support/organization-calls.js';
import { membershipAuth } from './support/registry-auth.js';

const ACME_DIR = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const OTHER_DIR = 'c0ffee00-0000-4000-8000-000000000001';
const DOMAIN = 'acme.example';
const T0 = Date.UTC(2026, 2, 1, 14, 5, 10);
const registry = { plans: { free: {} }, defaultPlan: 'free' };
const policy = membershipAuth('home-dir', registry, { audit: 'audit', directorySignIn: true });
const bounded: RuntimeAuth = {
  ...policy,
  registry: { ...policy.registry!, perUser: { requestsPerMinute: 3 } },
};

interface Person {
  readonly oid: string;
  readonly tid: string;
  readonly email?: string;
}
const ada: Person = { oid: 'ada', tid: ACME_DIR }; // acme's Owner
// Of another directory, with a verified e-mail on acme's verified domain: both ways of joining are looked up.
const eve: Person = { oid: 'eve', tid: OTHER_DIR, email: `eve@${DOMAIN}` };

let cosmos: LocalCosmos;
let members: Container;
let tenants: Container;
let audit: Container;
let usage: Container;
let notes: Container;
let now = T0;

/** One instance of the app: its own registry, membership and join caches, on the shared containers. */
async function instance(auth: RuntimeAuth, name: string): Promise<Map<string, HttpHandler>> {
  const fns = new Map<string, HttpFunctionOptions>();
  const manifest: RuntimeManifest = { version: 1, backendId: 'orgs', entities: [noteEntity], auth };
  registerCrudRoutes({ http: (n, o) => fns.set(n, o) }, manifest, {
    containerFor: () => notes,
    caller: auth,
    audit: { store: cosmosAuditStore(audit) },
    tenantRegistry: { now: () => now },
    usageLedger: {
      store: cosmosUsageStore(usage),
      instance: name,
      now: () => now,
      flushIntervalMs: 0,
    },
  });
  return new Map([...fns].map(([n, o]) => [n, o.handler as HttpHandler]));
}

const GLOBAL_ADMIN = DIRECTORY_CONSENT_ROLES['Global Administrator'];
const as = (p: Person) =>
  principalHeader([
    ['oid', p.oid],
    ['tid', p.tid],
    ...(p.email ? ([['verified_primary_email', p.email]] as const) : []),
  ]);
const code = (r: Reply) => String(r.body?.type ?? '').replace('urn:atakora:problem:', '');
const fn = (app: Map<string, HttpHandler>, name: string) => {
  const f = app.get(name);
  if (!f) throw new Error(`no function ${name}`);
  return f;
};
const tenantOf = (app: Map<string, HttpHandler>, p: Person, org: string) =>
  invoke(fn(app, TENANT_FUNCTION), 'GET', 'tenant', {
    headers: { ...as(p), 'x-atakora-tenant': org },
  });
const link = (app: Map<string, HttpHandler>) =>
  invoke(fn(app, DIRECTORY_FUNCTION), 'PUT', 'tenant/directory', {
    // Ada administers her directory (Global Administrator in `wids`): she may link it.
    headers: {
      ...principalHeader([
        ['oid', ada.oid],
        ['tid', ada.tid],
        ['wids', GLOBAL_ADMIN],
      ]),
      'x-atakora-tenant': 'acme',
    },
    body: { tid: ACME_DIR },
  });
async function provision(app: Map<string, HttpHandler>, userName: string): Promise<Reply> {
  const issued = await invoke(fn(app, SCIM_FUNCTIONS.tokens), 'POST', 'tenant/scim-tokens', {
    headers: { ...as(ada), 'x-atakora-tenant': 'acme' },
    body: {},
  });
  return invoke(fn(app, SCIM_FUNCTIONS.users), 'POST', 'scim/v2/Users', {
    headers: {
      authorization: `Bearer ${String(issued.body.token)}`,
      'content-type': 'application/scim+json',
    },
    body: { userName },
  });
}
const total = (r: CosmosRequests) =>
  [...Object.values(r.reads), ...Object.values(r.queries)].reduce((a, b) => a + b, 0);

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  members = await cosmos.container('members', '/tenant');
  tenants = await cosmos.container('tenants', '/id');
  audit = await cosmos.container('audit', '/tenant');
  usage = await cosmos.container('usage', '/tenant');
  notes = await cosmos.container(noteEntity.componentId, '/tenantId');
});
afterAll(async () => {
  await cosmos?.stop();
});
beforeEach(async () => {
  now += 3_600_000; // a fresh hour: no cache of an earlier test is young, no minute window shared
  await reseed({ members, tenants, audit }, [record('acme')], [member('acme', 'ada', ['Owner'])]);
  // acme's verified domain, as the domain routes leave it (the domain and its global claim).
  await members.items.create({
    id: `acme|domain|${DOMAIN}`,
    tenant: 'acme',
    kind: 'domain',
    domain: DOMAIN,
    status: 'verified',
    txt: { name: `_atakora.${DOMAIN}`, value: 'atakora-verify=x' },
    join: 'off',
    role: 'Member',
    createdOn: '2026-01-01T00:00:00.000Z',
    verifiedOn: '2026-01-01T00:00:00.000Z',
  });
  await members.items.create({
    id: `domain|${DOMAIN}`,
    tenant: '~domains',
    kind: 'domain-claim',
    domain: DOMAIN,
    owner: 'acme',
  });
});

describe('an outsider’s repeated requests', () => {
  it('cost the store once per bound: the first tries both ways of joining, the next 19 read nothing', async () => {
    const app = await instance(policy, 'i-a');
    const first = await countingRequests(cosmos.server, () => tenantOf(app, eve, 'acme'));
    expect([first.result.status, code(first.result)]).toEqual([403, 'not-a-member']);
    // The membership, the directory's claim, the domain's claim and record; the SCIM lookups.
    expect(total(first.requests)).toBeGreaterThanOrEqual(4);
    const repeats = await countingRequests(cosmos.server, async () => {
      for (let i = 0; i < 19; i++) {
        const r = await tenantOf(app, eve, 'acme');
        expect([r.status, code(r)]).toEqual([403, 'not-a-member']);
      }
    });
    expect(repeats.requests).toEqual({ reads: {}, queries: {} });
    // Past the bound, the question is asked again, once.
    now += MEMBERSHIP_CACHE_DEFAULTS.maxAgeMs;
    const later = await countingRequests(cosmos.server, () => tenantOf(app, eve, 'acme'));
    expect(later.requests).toEqual(first.requests);
  });

  it('a directory linked or a user provisioned on this instance admits them on their next request', async () => {
    const app = await instance(policy, 'i-a');
    const dan: Person = { oid: 'dan', tid: ACME_DIR };
    expect(code(await tenantOf(app, dan, 'acme'))).toBe('not-a-member');
    expect(code(await tenantOf(app, eve, 'acme'))).toBe('not-a-member');
    expect((await link(app)).status).toBe(200);
    const joined = await tenantOf(app, dan, 'acme');
    expect(joined.status).toBe(200);
    expect(code(await tenantOf(app, eve, 'acme'))).toBe('not-a-member');
    expect((await provision(app, `eve@${DOMAIN}`)).status).toBe(201);
    expect((await tenantOf(app, eve, 'acme')).status).toBe(200);
  });

  it('a change made on another instance admits them within the membership cache’s bound', async () => {
    const a = await instance(policy, 'i-a');
    const b = await instance(policy, 'i-b');
    const dan: Person = { oid: 'dan', tid: ACME_DIR };
    expect(code(await tenantOf(a, dan, 'acme'))).toBe('not-a-member');
    expect(code(await tenantOf(a, eve, 'acme'))).toBe('not-a-member');
    expect((await link(b)).status).toBe(200);
    expect((await provision(b, `eve@${DOMAIN}`)).status).toBe(201);
    // Instance a's refusal is at most the bound old; past it, both are admitted there.
    now += MEMBERSHIP_CACHE_DEFAULTS.maxAgeMs;
    expect((await tenantOf(a, dan, 'acme')).status).toBe(200);
    expect((await tenantOf(a, eve, 'acme')).status).toBe(200);
  });
});

describe('a dev sign-in with a directory and a verified e-mail (`;email=`)', () => {
  it('is both to the runtime: its directory links, its e-mail matches a provisioned user', async () => {
    const app = await instance(policy, 'i-a');
    // What `atakora dev`'s worker injects for the header, as App Service would for Entra's token.
    const dev = (header: string, org: string) => ({
      'x-ms-client-principal': principalHeaderFor(header, DEFAULT_DEV_USER, 'tid', true) ?? '',
      'x-atakora-tenant': org,
    });
    const linked = await invoke(fn(app, DIRECTORY_FUNCTION), 'PUT', 'tenant/directory', {
      headers: dev(`ada@${ACME_DIR};email=ada@${DOMAIN};wids=${GLOBAL_ADMIN}`, 'acme'),
      body: { tid: ACME_DIR },
    });
    expect(linked.status).toBe(200);
    // Without the directory role (`;wids=`), the same Owner may not: dev's header is what Entra's token would be.
    const unlinked = await invoke(fn(app, DIRECTORY_FUNCTION), 'DELETE', 'tenant/directory', {
      headers: dev(`ada@${ACME_DIR};email=ada@${DOMAIN}`, 'acme'),
    });
    expect(unlinked.status).toBe(204);
    const plain = await invoke(fn(app, DIRECTORY_FUNCTION), 'PUT', 'tenant/directory', {
      headers: dev(`ada@${ACME_DIR};email=ada@${DOMAIN}`, 'acme'),
      body: { tid: ACME_DIR },
    });
    expect([plain.status, code(plain)]).toEqual([403, 'directory-admin-required']);
    const again = await invoke(fn(app, DIRECTORY_FUNCTION), 'PUT', 'tenant/directory', {
      headers: dev(`ada@${ACME_DIR};email=ada@${DOMAIN};wids=${GLOBAL_ADMIN}`, 'acme'),
      body: { tid: ACME_DIR },
    });
    expect(again.status).toBe(200);
    expect((await provision(app, `kai@${DOMAIN}`)).status).toBe(201);
    const kai = await invoke(fn(app, TENANT_FUNCTION), 'GET', 'tenant', {
      headers: dev(`kai@${OTHER_DIR};email=kai@${DOMAIN}`, 'acme'),
    });
    expect(kai.status).toBe(200);
    // Without xms_edov the e-mail matches nobody.
    const lee = await invoke(fn(app, TENANT_FUNCTION), 'GET', 'tenant', {
      headers: dev(`lee@${OTHER_DIR};email=lee@${DOMAIN};email-verified=false`, 'acme'),
    });
    expect(code(lee)).toBe('not-a-member');
  });
});

describe('an outsider naming ever new organizations', () => {
  it('tries to join at the per-user rate of the no-tenant routes, then 429 with RateLimit headers', async () => {
    const app = await instance(bounded, 'i-a');
    for (const org of ['org-aaa', 'org-bbb', 'org-ccc']) {
      const r = await tenantOf(app, eve, org);
      expect([r.status, code(r)]).toEqual([403, 'not-a-member']);
    }
    const over = await countingRequests(cosmos.server, () => tenantOf(app, eve, 'org-ddd'));
    expect([over.result.status, code(over.result), over.result.body.policy]).toEqual([
      429,
      'rate-limited',
      'user',
    ]);
    expect(over.result.headers.get('ratelimit-policy')).toBe('"user";q=3;w=60');
    expect(Number(over.result.headers.get('retry-after'))).toBeGreaterThan(0);
    // Refused before any way of joining is looked up: the membership's point read at most.
    expect(total(over.requests)).toBeLessThanOrEqual(1);
    // An organization already refused is answered from the cache, not counted again.
    expect(code(await tenantOf(app, eve, 'org-aaa'))).toBe('not-a-member');
    // The next minute, the outsider may try again.
    now += 60_000;
    expect(code(await tenantOf(app, eve, 'org-ddd'))).toBe('not-a-member');
  });
});
