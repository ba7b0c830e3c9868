import type { Container } from '@azure/cosmos';
import type { HttpHandler, HttpFunctionOptions } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeAuth, RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import { callerPolicyOf } from '../../src/runtime/caller/tenant-source.js';
import { claimOf, clientPrincipalOf } from '../../src/runtime/caller/client-principal.js';
import { noteEntity, userEntity } from './support/entities.js';
import { apiFor, invoke } from './support/http.js';
import { allItems, type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

/** What App Service authentication injects after validating a token: base64 JSON with `claims`. */
function principal(claims: Record<string, string>): Record<string, string> {
  const value = {
    auth_typ: 'aad',
    name_typ: 'name',
    role_typ: 'roles',
    claims: Object.entries(claims).map(([typ, val]) => ({ typ, val })),
  };
  return { 'x-ms-client-principal': Buffer.from(JSON.stringify(value)).toString('base64') };
}
const A = principal({ tid: 'tenant-a', oid: 'user-1' });
// App Service writes tid (and oid) under their long names: the default claim must still find them.
const B = principal({
  'http://schemas.microsoft.com/identity/claims/tenantid': 'tenant-b',
  'http://schemas.microsoft.com/identity/claims/objectidentifier': 'user-2',
});
const secure: RuntimeAuth = callerPolicyOf({ version: 1, backendId: 'x', entities: [] });

let cosmos: LocalCosmos;
let notes: Container;
let users: Container;
let api: ReturnType<typeof apiFor>;
let userApi: ReturnType<typeof apiFor>;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  notes = await cosmos.container('auth-notes', '/tenantId');
  users = await cosmos.container('auth-users', '/id');
  api = apiFor(noteEntity, createCrudHandlers(noteEntity, notes, { caller: secure }));
  userApi = apiFor(userEntity, createCrudHandlers(userEntity, users, { caller: secure }));
});
afterAll(async () => cosmos?.stop());

describe('client principal', () => {
  it('decodes claims and treats malformed headers as anonymous', () => {
    const p = clientPrincipalOf(A['x-ms-client-principal']);
    expect(p && claimOf(p, 'tid')).toBe('tenant-a');
    expect(clientPrincipalOf('not base64 json')).toBeUndefined();
    expect(clientPrincipalOf(Buffer.from('{"claims":"x"}').toString('base64'))).toBeUndefined();
    expect(clientPrincipalOf(undefined)).toBeUndefined();
  });

  it('the manifest without auth means authentication required, tenant from tid, header not trusted', () => {
    expect(secure).toEqual({ required: true, tenantClaim: 'tid', trustTenantHeader: false });
    expect(
      callerPolicyOf({
        version: 1,
        backendId: 'x',
        entities: [],
        auth: { required: false, tenantClaim: 'org', trustTenantHeader: true },
      }),
    ).toEqual({ required: false, tenantClaim: 'org', trustTenantHeader: true });
  });
});

describe('authentication on (the default)', () => {
  it('every CRUD operation without a principal is 401 and writes nothing', async () => {
    const before = (await allItems(users)).length;
    for (const r of [
      await userApi.create({ id: 'u1', name: 'x' }),
      await userApi.list(),
      await userApi.get('u1'),
      await userApi.put('u1', { name: 'y' }),
      await userApi.patch('u1', { name: 'y' }),
      await userApi.del('u1'),
      // A client-set tenant header is no credential.
      await api.create({ title: 't' }, { headers: { 'x-tenant-id': 'tenant-a' } }),
    ]) {
      expect(r.status).toBe(401);
      expect(r.body.type).toBe('urn:atakora:problem:unauthenticated');
      expect(r.headers.get('www-authenticate')).toBe('Bearer');
    }
    expect((await allItems(users)).length).toBe(before);
  });

  it('401 comes first: an anonymous caller learns nothing about methods or ids', async () => {
    const readOnly = apiFor(
      { ...userEntity, operations: ['read'] },
      createCrudHandlers({ ...userEntity, operations: ['read'] }, users, { caller: secure }),
    );
    const r = await readOnly.create({ id: 'x', name: 'x' });
    expect(r.status).toBe(401);
    expect(r.headers.get('allow')).toBeNull();
    expect((await userApi.get('bad id with spaces/')).status).toBe(401);
  });

  it('with a principal a non-tenant entity works as before', async () => {
    expect((await userApi.create({ id: 'u2', name: 'x' }, { headers: A })).status).toBe(201);
    expect((await userApi.get('u2', { headers: B })).status).toBe(200);
  });
});

describe('tenant from the token', () => {
  it('tenant A cannot read, list, change or delete tenant B items; a spoofed x-tenant-id changes nothing', async () => {
    const b = await api.create({ id: 'shared-id', title: 'b secret' }, { headers: B });
    expect(b.status).toBe(201);
    expect(b.body.tenantId).toBe('tenant-b');
    const spoof = { ...A, 'x-tenant-id': 'tenant-b' };
    expect((await api.get('shared-id', { headers: spoof })).status).toBe(404);
    const listed = await api.list({ headers: spoof });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain('b secret');
    expect((await api.put('shared-id', { title: 'pwned' }, { headers: spoof })).status).toBe(404);
    expect((await api.patch('shared-id', { title: 'pwned' }, { headers: spoof })).status).toBe(404);
    expect((await api.del('shared-id', { headers: spoof })).status).toBe(404);
    // A body naming tenant B is refused, and the same id in A's tenant is A's own item.
    expect(
      (await api.create({ id: 'x1', title: 'x', tenantId: 'tenant-b' }, { headers: spoof })).status,
    ).toBe(403);
    const own = await api.create({ id: 'shared-id', title: 'a' }, { headers: spoof });
    expect(own.status).toBe(201);
    expect(own.body.tenantId).toBe('tenant-a');
    expect((await notes.item('shared-id', 'tenant-b').read()).resource?.title).toBe('b secret');
    expect((await notes.item('x1', 'tenant-b').read()).resource).toBeUndefined();
  });

  it('a principal without the tenant claim is 403 tenant-required', async () => {
    const r = await api.list({ headers: principal({ oid: 'no-tenant' }) });
    expect(r.status).toBe(403);
    expect(r.body.type).toBe('urn:atakora:problem:tenant-required');
  });

  it("'shared' is no tenant id: traces record shared data under it, so a claim or header naming it is 403", async () => {
    const before = (await allItems(notes)).length;
    const byClaim = apiFor(
      noteEntity,
      createCrudHandlers(noteEntity, notes, {
        caller: { ...secure, tenantClaim: 'extension_org' },
      }),
    );
    const claimed = await byClaim.create(
      { title: 'x' },
      { headers: principal({ tid: 'tenant-a', oid: 'user-1', extension_org: 'shared' }) },
    );
    const gw = apiFor(
      noteEntity,
      createCrudHandlers(noteEntity, notes, { caller: { ...secure, trustTenantHeader: true } }),
    );
    const headed = await gw.list({ headers: { ...A, 'x-tenant-id': 'shared' } });
    for (const r of [claimed, headed]) {
      expect(r.status).toBe(403);
      expect(r.body.type).toBe('urn:atakora:problem:tenant-required');
      expect(String(r.body.detail)).toMatch(/names the tenant "shared", which is reserved/);
    }
    expect((await allItems(notes)).length).toBe(before);
  });

  it('a configured claim names the tenant', async () => {
    const custom = apiFor(
      noteEntity,
      createCrudHandlers(noteEntity, notes, {
        caller: { ...secure, tenantClaim: 'extension_org' },
      }),
    );
    const r = await custom.create(
      { title: 'org' },
      { headers: principal({ tid: 'tenant-a', oid: 'user-1', extension_org: 'org-7' }) },
    );
    expect(r.status).toBe(201);
    expect(r.body.tenantId).toBe('org-7');
  });

  it('x-tenant-id counts only when a gateway is trusted', async () => {
    const gw = apiFor(
      noteEntity,
      createCrudHandlers(noteEntity, notes, { caller: { ...secure, trustTenantHeader: true } }),
    );
    const r = await gw.create(
      { title: 'via gateway' },
      { headers: { ...A, 'x-tenant-id': 'tenant-gw' } },
    );
    expect(r.status).toBe(201);
    expect(r.body.tenantId).toBe('tenant-gw');
  });

  it("auth 'none' serves anonymous callers; the tenant still needs a claim or a trusted header", async () => {
    const open = apiFor(
      noteEntity,
      createCrudHandlers(noteEntity, notes, {
        caller: { required: false, tenantClaim: 'tid', trustTenantHeader: false },
      }),
    );
    expect((await open.list({ headers: { 'x-tenant-id': 'tenant-a' } })).status).toBe(403);
    const openUsers = apiFor(
      userEntity,
      createCrudHandlers(userEntity, users, {
        caller: { required: false, tenantClaim: 'tid', trustTenantHeader: false },
      }),
    );
    expect((await openUsers.get('u2')).status).toBe(200);
  });
});

describe('registered routes carry the policy', () => {
  it('registerCrudRoutes with the manifest policy: CRUD 401 without a principal, health anonymous', async () => {
    const fns = new Map<string, HttpFunctionOptions>();
    const manifest: RuntimeManifest = { version: 1, backendId: 'x', entities: [noteEntity] };
    registerCrudRoutes({ http: (name, o) => fns.set(name, o) }, manifest, {
      containerFor: () => notes,
      caller: callerPolicyOf(manifest),
    });
    const coll = fns.get(`${noteEntity.componentId}-collection`)!;
    expect(
      (
        await invoke(coll.handler as HttpHandler, 'GET', noteEntity.route, {
          headers: { 'x-tenant-id': 'tenant-a' },
        })
      ).status,
    ).toBe(401);
    expect(
      (await invoke(coll.handler as HttpHandler, 'GET', noteEntity.route, { headers: A })).status,
    ).toBe(200);
    expect(fns.get('health')?.authLevel).toBe('anonymous');
  });
});
