/**
 * The TenantAdmin API (`GET|POST api/tenants`, `GET|PATCH api/tenants/{id}`) against the local Cosmos DB server:
 * who may call it (the home directory's TenantAdmin only), what a registration and a change may say, If-Match,
 * paging, and a suspension the registry stage enforces on this instance at once (the cache's clock frozen: the
 * 30 s bound is not what lets it through).
 */
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeAuth } from '../../src/model/runtime-manifest.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import { callerPolicyOf } from '../../src/runtime/caller/tenant-source.js';
import type { TenantRecord } from '../../src/contract/tenants.js';
import { principalHeader } from './support/built-app.js';
import { noteEntity } from './support/entities.js';
import { invoke, type Reply } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { registryAuth } from './support/registry-auth.js';
import { registerNotesApp } from './support/notes-app.js';

const HOME = 'home-dir';
const MAX_AGE = 30_000;
const as = (tid: string, roles: readonly string[] = [], oid = 'u1') =>
  principalHeader([['tid', tid], ['oid', oid], ...roles.map((r) => ['roles', r] as const)]);
const ADMIN = as(HOME, ['TenantAdmin'], 'admin-1');

let cosmos: LocalCosmos;
let registry: Container;
// The registry cache's clock never moves in this file: only the API's own forgetting lets a change through.
const now = 0;

function policy(): RuntimeAuth {
  return callerPolicyOf({
    version: 1,
    backendId: 'x',
    entities: [],
    auth: registryAuth(HOME, {
      container: 'tenants-admin',
      plans: { free: { requestsPerMinute: 60 }, pro: { requestsPerMinute: 6000 } },
    }),
  });
}

async function served() {
  const notes = await cosmos.container(noteEntity.componentId, '/tenantId');
  const fns = new Map<string, HttpFunctionOptions>();
  const caller = policy();
  registerNotesApp(fns, caller, notes, {
    tenantRegistry: { now: () => now, maxAgeMs: MAX_AGE },
  });
  const handler = (name: string) => fns.get(name)!.handler as HttpHandler;
  const collection = handler('tenants-admin');
  const item = handler('tenants-admin-item');
  return {
    fns,
    list: (headers = ADMIN, query: Record<string, string> = {}) =>
      invoke(collection, 'GET', 'tenants', { headers, query }),
    create: (body: unknown, headers = ADMIN) =>
      invoke(collection, 'POST', 'tenants', { headers, body }),
    get: (id: string, headers = ADMIN) =>
      invoke(item, 'GET', `tenants/${id}`, { headers, params: { id } }),
    patch: (id: string, body: unknown, headers: Record<string, string> = ADMIN) =>
      invoke(item, 'PATCH', `tenants/${id}`, { headers, body, params: { id } }),
    notes: (tid: string) =>
      invoke(handler(`${noteEntity.componentId}-collection`), 'GET', noteEntity.route, {
        headers: as(tid),
      }),
  };
}

const code = (reply: Reply) =>
  (reply.body?.type as string | undefined)?.replace('urn:atakora:problem:', '');
const stored = async (id: string) => (await registry.item(id, id).read<TenantRecord>()).resource;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  registry = await cosmos.container('tenants-admin', '/id');
});
afterAll(async () => cosmos?.stop());

describe('TenantAdmin API: who may call it', () => {
  it('registers the routes only where the backend has a registry', async () => {
    const api = await served();
    expect([...api.fns.keys()]).toEqual(
      expect.arrayContaining(['tenants-admin', 'tenants-admin-item']),
    );
    const fns = new Map<string, HttpFunctionOptions>();
    const { registry: _r, ...plain } = policy();
    registerCrudRoutes(
      { http: (name, o) => fns.set(name, o) },
      {
        version: 1,
        backendId: 'x',
        entities: [noteEntity],
        auth: plain,
      },
      { containerFor: () => registry, caller: plain },
    );
    expect([...fns.keys()].filter((k) => k.startsWith('tenants'))).toEqual([]);
  });

  it('refuses anonymous (401), a home caller without the role, an admin of another directory, a suspended one', async () => {
    await registry.items.upsert({
      id: 'customer-a',
      plan: 'free',
      status: 'active',
      createdOn: 'x',
      updatedOn: 'x',
    });
    await registry.items.upsert({
      id: 'paused-b',
      plan: 'free',
      status: 'suspended',
      createdOn: 'x',
      updatedOn: 'x',
    });
    const api = await served();
    const anonymous = await api.list({});
    expect(anonymous.status).toBe(401);
    const homeUser = await api.list(as(HOME, ['NoteAdmin']));
    expect([homeUser.status, code(homeUser)]).toEqual([403, 'tenant-admin-required']);
    // A customer's own administrator can assign themselves TenantAdmin in their directory: it proves nothing here.
    const foreignAdmin = await api.create({ id: 'sneaky' }, as('customer-a', ['TenantAdmin']));
    expect([foreignAdmin.status, code(foreignAdmin)]).toEqual([403, 'tenant-admin-required']);
    const foreignPatch = await api.patch(
      'customer-a',
      { plan: 'pro' },
      as('customer-a', ['TenantAdmin']),
    );
    expect([foreignPatch.status, code(foreignPatch)]).toEqual([403, 'tenant-admin-required']);
    const suspended = await api.get('paused-b', as('paused-b', ['TenantAdmin']));
    expect([suspended.status, code(suspended)]).toEqual([403, 'tenant-suspended']);
    const stranger = await api.list(as('never-registered', ['TenantAdmin']));
    expect([stranger.status, code(stranger)]).toEqual([403, 'tenant-not-registered']);
    // Nothing was written by any refused call.
    expect(await stored('sneaky')).toBeUndefined();
    expect((await stored('customer-a'))?.plan).toBe('free');
  });

  it('answers 405 with Allow for a method the route does not serve', async () => {
    const api = await served();
    const fn = api.fns.get('tenants-admin-item')!.handler as HttpHandler;
    const reply = await invoke(fn, 'DELETE', 'tenants/x', { headers: ADMIN, params: { id: 'x' } });
    expect([reply.status, reply.headers.get('allow')]).toEqual([405, 'GET, PATCH']);
  });
});

describe('TenantAdmin API: records', () => {
  it('POST registers (201, Location, ETag, default plan), GET reads it, a second POST is 409', async () => {
    const api = await served();
    const created = await api.create({ id: 'contoso', name: 'Contoso' });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/api/tenants/contoso');
    expect(created.headers.get('etag')).toMatch(/^".+"$/);
    expect(created.body).toMatchObject({
      id: 'contoso',
      plan: 'free',
      status: 'active',
      name: 'Contoso',
    });
    expect(await stored('contoso')).toMatchObject({
      id: 'contoso',
      plan: 'free',
      status: 'active',
    });
    const read = await api.get('contoso');
    expect([read.status, read.body.name, read.headers.get('etag')]).toEqual([
      200,
      'Contoso',
      created.headers.get('etag'),
    ]);
    const again = await api.create({ id: 'contoso', plan: 'pro' });
    expect([again.status, code(again)]).toEqual([409, 'conflict']);
    expect((await stored('contoso'))?.plan).toBe('free');
    const missing = await api.get('nobody');
    expect([missing.status, code(missing)]).toEqual([404, 'not-found']);
  });

  it('400s: an unknown plan naming the plans, an id no directory has, shared, an unknown field, a bad status', async () => {
    const api = await served();
    const plan = await api.create({ id: 'fabrikam', plan: 'gold' });
    expect([plan.status, code(plan)]).toEqual([400, 'validation']);
    expect(plan.body.errors).toEqual([
      { field: 'plan', code: 'enum', message: 'plan "gold" is not one of: free, pro.' },
    ]);
    for (const id of ['', 'has space', '../x', 42, 'shared', 'Shared'])
      expect(code(await api.create({ id })), JSON.stringify(id)).toBe('validation');
    const extra = await api.create({ id: 'fabrikam', tenantId: 'x' });
    expect(extra.body.errors).toEqual([
      expect.objectContaining({ field: 'tenantId', code: 'unknown' }),
    ]);
    // A name is printed in operators' terminals: no control character is stored (contract/tenants.ts).
    for (const name of ['Fabrikam\u001b[2J', 'bidi\u202e', 'C1\u009b'])
      expect((await api.create({ id: 'fabrikam', name })).body.errors, name).toEqual([
        expect.objectContaining({ field: 'name', code: 'pattern' }),
      ]);
    const status = await api.create({ id: 'fabrikam', status: 'deleted' });
    expect(status.body.errors).toEqual([
      expect.objectContaining({ field: 'status', code: 'enum' }),
    ]);
    expect(code(await api.create('not json'))).toBe('body-not-json');
    expect(await stored('fabrikam')).toBeUndefined();
    await api.create({ id: 'fabrikam' });
    const escaped = await api.patch('fabrikam', { name: 'x\u0007' });
    expect([escaped.status, escaped.body.errors[0]?.field]).toEqual([400, 'name']);
    const badPatch = await api.patch('fabrikam', { plan: 'gold', createdOn: 'whatever' });
    expect(badPatch.body.errors).toEqual([expect.objectContaining({ field: 'plan' })]);
    const otherId = await api.patch('fabrikam', { id: 'contoso' });
    expect([otherId.status, code(otherId)]).toEqual([400, 'id-immutable']);
  });

  it('PATCH merges plan and name (null removes it); a GET body sent back is accepted; If-Match: 412 on a stale tag', async () => {
    const api = await served();
    const created = await api.create({ id: 'litware', name: 'Litware' });
    const etag = created.headers.get('etag')!;
    const changed = await api.patch('litware', { plan: 'pro' }, { ...ADMIN, 'If-Match': etag });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      id: 'litware',
      plan: 'pro',
      name: 'Litware',
      status: 'active',
    });
    expect(changed.headers.get('etag')).not.toBe(etag);
    const stale = await api.patch('litware', { plan: 'free' }, { ...ADMIN, 'If-Match': etag });
    expect([stale.status, code(stale)]).toEqual([412, 'precondition-failed']);
    expect((await stored('litware'))?.plan).toBe('pro');
    const badTag = await api.patch(
      'litware',
      { plan: 'free' },
      { ...ADMIN, 'If-Match': 'garbage' },
    );
    expect([badTag.status, code(badTag)]).toEqual([400, 'invalid-if-match']);
    const roundTrip = await api.patch('litware', { ...changed.body, name: null });
    expect(roundTrip.status).toBe(200);
    expect(roundTrip.body).not.toHaveProperty('name');
    expect(await stored('litware')).not.toHaveProperty('name');
    const missing = await api.patch('nobody-here', { plan: 'pro' });
    expect([missing.status, code(missing)]).toEqual([404, 'not-found']);
  });

  it('billing.stripeCustomerId: set by POST and PATCH, kept by other changes, null removes it, malformed 400', async () => {
    const api = await served();
    const created = await api.create({ id: 'billedco', billing: { stripeCustomerId: 'cus_A1' } });
    expect([created.status, created.body.billing]).toEqual([201, { stripeCustomerId: 'cus_A1' }]);
    const plan = await api.patch('billedco', { plan: 'pro' });
    expect(plan.body.billing).toEqual({ stripeCustomerId: 'cus_A1' });
    const moved = await api.patch('billedco', { billing: { stripeCustomerId: 'cus_B2' } });
    expect([moved.status, (await stored('billedco'))?.billing]).toEqual([
      200,
      { stripeCustomerId: 'cus_B2' },
    ]);
    for (const billing of [
      { stripeCustomerId: 'acct_1' },
      { stripeCustomerId: 'cus_B2 ' },
      { stripeCustomerId: 42 },
      { customer: 'cus_1' },
      'cus_1',
    ]) {
      const bad = await api.patch('billedco', { billing });
      expect([bad.status, code(bad)], JSON.stringify(billing)).toEqual([400, 'validation']);
    }
    expect((await stored('billedco'))?.billing).toEqual({ stripeCustomerId: 'cus_B2' });
    // A GET body sent back as it is changes nothing; null removes the customer.
    const read = await api.get('billedco');
    expect((await api.patch('billedco', read.body)).status).toBe(200);
    const removed = await api.patch('billedco', { billing: null });
    expect([removed.status, removed.body]).toEqual([
      200,
      expect.not.objectContaining({ billing: expect.anything() }),
    ]);
    expect(await stored('billedco')).not.toHaveProperty('billing');
    // Only the operator: a tenant's own user is refused before anything is read.
    const user = await api.patch(
      'billedco',
      { billing: { stripeCustomerId: 'cus_C3' } },
      as('billedco'),
    );
    expect(user.status).toBe(403);
    // A record edited by hand with a malformed customer reads as having none (nothing is billed to it).
    await registry.items.upsert({
      ...(await stored('billedco')),
      billing: { stripeCustomerId: 'cus_x;y' },
    });
    expect((await api.get('billedco')).body).not.toHaveProperty('billing');
  });

  it('GET lists by id, paged with $first and the continuation token', async () => {
    const api = await served();
    for (const id of ['page-a', 'page-b', 'page-c']) await api.create({ id });
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const reply: Reply = await api.list(ADMIN, {
        $first: '2',
        ...(token ? { $after: token } : {}),
      });
      expect(reply.status).toBe(200);
      expect(reply.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...(reply.body.items as TenantRecord[]).map((r) => r.id));
      token = reply.body.continuationToken as string | null;
      pages += 1;
    } while (token !== null && pages < 50);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toEqual(expect.arrayContaining(['page-a', 'page-b', 'page-c']));
    expect(pages).toBeGreaterThan(1);
    expect(code(await api.list(ADMIN, { $first: '0' }))).toBe('invalid-limit');
    expect(code(await api.list(ADMIN, { $after: 'garbage' }))).toBe('invalid-continuation-token');
  });
});

describe('TenantAdmin API: a record naming a plan the config no longer declares', () => {
  it("carries a planWarning (defaultPlan's limits apply) in GET and the list; sent back, it is ignored", async () => {
    const api = await served();
    // A renamed plan, or a record an import brought: written as the operator's tools would not.
    await registry.items.upsert({
      id: 'renamed-co',
      plan: 'gold',
      status: 'active',
      createdOn: '2026-01-01T00:00:00.000Z',
      updatedOn: '2026-01-01T00:00:00.000Z',
    });
    const read = await api.get('renamed-co');
    expect(read.status).toBe(200);
    expect(read.body.planWarning).toMatchObject({ code: 'plan-undeclared', appliedPlan: 'free' });
    expect(read.body.planWarning.message).toContain('"gold"');
    const listed = (await api.list(ADMIN, { $first: '100' })).body.items as TenantRecord[];
    expect(listed.find((r) => r.id === 'renamed-co')?.planWarning?.appliedPlan).toBe('free');
    expect(listed.filter((r) => r.id !== 'renamed-co' && r.planWarning)).toEqual([]);
    // Never stored: the record in the registry is as written.
    expect(await stored('renamed-co')).not.toHaveProperty('planWarning');
    // The body read, sent back with a declared plan: its planWarning is read-only, ignored, never stored.
    const moved = await api.patch('renamed-co', { ...read.body, plan: 'pro' });
    expect(moved.status).toBe(200);
    expect(moved.body).not.toHaveProperty('planWarning');
    expect(await stored('renamed-co')).not.toHaveProperty('planWarning');
  });
});

describe('TenantAdmin API: a change holds on this instance at once', () => {
  it('a PATCH suspend is enforced by the registry stage on the next request; a resume serves again', async () => {
    const api = await served();
    await api.create({ id: 'woodgrove' });
    expect((await api.notes('woodgrove')).status).toBe(200);
    // The cache now holds woodgrove as active; its clock never moves.
    const suspended = await api.patch('woodgrove', { status: 'suspended' });
    expect(suspended.body.status).toBe('suspended');
    const refused = await api.notes('woodgrove');
    expect([refused.status, code(refused)]).toEqual([403, 'tenant-suspended']);
    await api.patch('woodgrove', { status: 'active' });
    expect((await api.notes('woodgrove')).status).toBe(200);
  });

  it('a POST registers a directory the cache had refused, at once', async () => {
    const api = await served();
    expect(code(await api.notes('northwind'))).toBe('tenant-not-registered');
    await api.create({ id: 'northwind' });
    expect((await api.notes('northwind')).status).toBe(200);
  });
});

/**
 * An application's app-only token as App Service authentication passes it on (client credentials, v2): `oid` and
 * `sub` are the service principal's object id, `roles` the app roles assigned to that service principal, `idtyp`
 * `app` (Learn: access-token-claims-reference, optional-claims-reference), no name and no `scp`. The claims under
 * App Service's long names, as it writes them.
 */
function appToken(tid: string, roles: readonly string[]): Record<string, string> {
  const value = {
    auth_typ: 'aad',
    name_typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
    role_typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
    claims: [
      ['aud', 'api-client-id'],
      ['azp', 'billing-webhook-client-id'],
      ['azpacr', '1'],
      ['idtyp', 'app'],
      ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'billing-sp-oid'],
      ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier', 'billing-sp-oid'],
      ['http://schemas.microsoft.com/identity/claims/tenantid', tid],
      ['ver', '2.0'],
      ...roles.map((r) => ['roles', r]),
    ].map(([typ, val]) => ({ typ, val })),
  };
  return { 'x-ms-client-principal': Buffer.from(JSON.stringify(value)).toString('base64') };
}

describe('TenantAdmin API: an application (a billing webhook) holding the role', () => {
  it("the home directory's app-only token with TenantAdmin registers, reads and suspends; without it, or from another directory, 403", async () => {
    const api = await served();
    const webhook = appToken(HOME, ['TenantAdmin']);
    const created = await api.create({ id: 'billing-fabrikam', plan: 'pro' }, webhook);
    expect(created.status).toBe(201);
    expect((await api.get('billing-fabrikam', webhook)).body).toMatchObject({
      id: 'billing-fabrikam',
      plan: 'pro',
    });
    const suspended = await api.patch('billing-fabrikam', { status: 'suspended' }, webhook);
    expect([suspended.status, suspended.body.status]).toEqual([200, 'suspended']);
    expect((await stored('billing-fabrikam'))?.status).toBe('suspended');
    expect((await api.list(webhook)).status).toBe(200);
    const roleless = await api.patch('billing-fabrikam', { status: 'active' }, appToken(HOME, []));
    expect([roleless.status, code(roleless)]).toEqual([403, 'tenant-admin-required']);
    await registry.items.upsert({
      id: 'contoso-x',
      plan: 'free',
      status: 'active',
      createdOn: 'x',
      updatedOn: 'x',
    });
    const foreignApp = await api.patch(
      'billing-fabrikam',
      { status: 'active' },
      appToken('contoso-x', ['TenantAdmin']),
    );
    expect([foreignApp.status, code(foreignApp)]).toEqual([403, 'tenant-admin-required']);
    expect((await stored('billing-fabrikam'))?.status).toBe('suspended');
  });
});
