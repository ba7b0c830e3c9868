import type { Container } from '@azure/cosmos';
import type { HttpHandler, HttpRequest } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeAuth, RuntimeEntity } from '../../src/model/runtime-manifest.js';
import {
  registerHostedFunctions,
  type HostedRegistrar,
} from '../../src/packaging/register-hosted.js';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { callerPolicyFromEnv } from '../../src/runtime/caller/handler-gate.js';
import { callerOf } from '../../src/runtime/caller/request-caller.js';
import { settings } from './support/entities.js';
import { apiFor, invoke } from './support/http.js';
import { allItems, type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const HOME = '11111111-1111-1111-1111-111111111111';
const CUSTOMER = '22222222-2222-2222-2222-222222222222';
const STRANGER = '33333333-3333-3333-3333-333333333333';
const LONG = {
  tid: 'http://schemas.microsoft.com/identity/claims/tenantid',
  oid: 'http://schemas.microsoft.com/identity/claims/objectidentifier',
  role: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
  name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
};

/**
 * `x-ms-client-principal` as App Service authentication writes it for an Entra ID v2 token: `auth_typ`, `name_typ`
 * and `role_typ` naming the claim types, claims under their long WS-Federation names (`long`) or short ones.
 */
function principal(
  user: { oid: string; tid: string; name?: string; roles?: string[] },
  long = false,
): Record<string, string> {
  const claims = long
    ? [
        { typ: LONG.oid, val: user.oid },
        { typ: LONG.tid, val: user.tid },
        ...(user.name ? [{ typ: LONG.name, val: user.name }] : []),
        ...(user.roles ?? []).map((r) => ({ typ: LONG.role, val: r })),
      ]
    : [
        { typ: 'oid', val: user.oid },
        { typ: 'tid', val: user.tid },
        ...(user.name ? [{ typ: 'name', val: user.name }] : []),
        ...(user.roles ?? []).map((r) => ({ typ: 'roles', val: r })),
      ];
  const value = {
    auth_typ: 'aad',
    name_typ: long ? LONG.name : 'name',
    role_typ: long ? LONG.role : 'roles',
    claims,
  };
  return { 'x-ms-client-principal': Buffer.from(JSON.stringify(value)).toString('base64') };
}

const multi: RuntimeAuth = {
  required: true,
  tenantClaim: 'tid',
  trustTenantHeader: false,
  allowedTenants: [HOME, CUSTOMER],
  homeTenant: HOME,
};

/** Register functions through the package entry's own code, with the policy the app settings give. */
function hosted(
  access: Parameters<typeof registerHostedFunctions>[1],
  env: Record<string, string>,
) {
  const handlers = new Map<string, HttpHandler>();
  const app: HostedRegistrar = {
    http: (name, o) => {
      handlers.set(name, o.handler);
    },
    storageQueue: () => undefined,
    timer: () => undefined,
  };
  registerHostedFunctions(app, access, env);
  return handlers;
}

describe("HTTP functions pass the CRUD routes' admission before user code runs", () => {
  let ran = 0;
  const whoAmI = (request: HttpRequest) => {
    ran += 1;
    return Promise.resolve({ body: JSON.stringify(callerOf(request)) });
  };
  const env = { ATAKORA_AUTH: JSON.stringify(multi) };
  const fns = hosted(
    [
      {
        name: 'Me-whoami',
        componentId: 'Me',
        trigger: 'http',
        route: 'whoami',
        methods: ['GET'],
        exported: whoAmI,
      },
      {
        name: 'Me-admin',
        componentId: 'Me',
        trigger: 'http',
        route: 'admin',
        methods: ['GET'],
        access: [{ allow: 'role', role: 'OrderAdmin' }],
        exported: whoAmI,
      },
      {
        name: 'Me-ping',
        componentId: 'Me',
        trigger: 'http',
        route: 'ping',
        methods: ['GET'],
        access: [{ allow: 'anonymous' }],
        exported: whoAmI,
      },
    ],
    env,
  );
  const call = (name: string, headers: Record<string, string> = {}) =>
    invoke(fns.get(name)!, 'GET', name.slice(3), { headers });

  it('a caller of a directory nobody allowed gets 403 tenant-not-allowed and no code runs', async () => {
    ran = 0;
    const r = await call('Me-whoami', principal({ oid: 'eve', tid: STRANGER }));
    expect(r.status).toBe(403);
    expect(r.body.type).toBe('urn:atakora:problem:tenant-not-allowed');
    expect((await call('Me-whoami')).status).toBe(401);
    expect(ran).toBe(0);
  });

  it('callerOf reads short and long claim names alike (App Service principal shapes)', async () => {
    for (const long of [false, true]) {
      const r = await call(
        'Me-whoami',
        principal({ oid: 'alice', tid: CUSTOMER, name: 'Alice', roles: ['Reader'] }, long),
      );
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        oid: 'alice',
        tid: CUSTOMER,
        name: 'Alice',
        roles: ['Reader'],
        tenant: CUSTOMER,
      });
    }
  });

  it('role rules: 403 access-denied naming the role without it, 200 with it', async () => {
    ran = 0;
    const denied = await call('Me-admin', principal({ oid: 'bob', tid: CUSTOMER }));
    expect(denied.status).toBe(403);
    expect(denied.body.type).toBe('urn:atakora:problem:access-denied');
    expect(denied.body.detail).toContain('OrderAdmin');
    expect(ran).toBe(0);
    expect(
      (
        await call(
          'Me-admin',
          principal({ oid: 'bob', tid: CUSTOMER, roles: ['OrderAdmin'] }, true),
        )
      ).status,
    ).toBe(200);
  });

  it('an anonymous function admits everyone; callerOf without a caller is a 401, not a 500', async () => {
    const r = await call('Me-ping');
    expect(r.status).toBe(401);
    expect(r.body.type).toBe('urn:atakora:problem:unauthenticated');
    expect((await call('Me-ping', principal({ oid: 'carol', tid: HOME }))).body.oid).toBe('carol');
    // A caller of a directory nobody allowed is anonymous there: no caller, whatever the header says.
    expect((await call('Me-ping', principal({ oid: 'eve', tid: STRANGER }))).status).toBe(401);
  });

  it('the policy comes from ATAKORA_AUTH, else signed in; malformed → the secure default', () => {
    expect(callerPolicyFromEnv({})).toEqual({
      required: true,
      tenantClaim: 'tid',
      trustTenantHeader: false,
    });
    expect(callerPolicyFromEnv({ ATAKORA_AUTH: '{' })).toMatchObject({ required: true });
    expect(
      callerPolicyFromEnv({
        ATAKORA_AUTH: JSON.stringify({
          required: true,
          tenantClaim: 'org',
          trustTenantHeader: false,
          allowedTenants: [HOME],
        }),
      }),
    ).toMatchObject({ tenantClaim: 'org', allowedTenants: [HOME] });
  });

  it('with authentication off a client-sent principal is not trusted', async () => {
    const open = hosted(
      [
        {
          name: 'Me-whoami',
          componentId: 'Me',
          trigger: 'http',
          route: 'whoami',
          methods: ['GET'],
          exported: whoAmI,
        },
      ],
      {
        ATAKORA_AUTH: JSON.stringify({
          required: false,
          tenantClaim: 'tid',
          trustTenantHeader: false,
        }),
      },
    );
    expect(
      (
        await invoke(open.get('Me-whoami')!, 'GET', 'whoami', {
          headers: principal({ oid: 'forged', tid: HOME }),
        })
      ).status,
    ).toBe(401);
  });
});

const catalogue: RuntimeEntity = {
  componentId: 'CatalogApi',
  entityName: 'Doctor',
  route: 'doctors',
  partitionKey: '/id',
  tenancy: 'shared',
  schema: { name: { type: 'string', required: true } },
  operations: ['create', 'read', 'update', 'delete', 'list'],
  unknownFields: 'reject',
  access: [
    { allow: 'authenticated', operations: ['read', 'list'] },
    { allow: 'role', role: 'CatalogAdmin' },
    { allow: 'role', role: 'Moderator', tenants: 'any' },
  ],
  settings: settings('CATALOG_API'),
};
const notes: RuntimeEntity = {
  componentId: 'NoteApi',
  entityName: 'Note',
  route: 'notes',
  partitionKey: '/id',
  schema: { title: { type: 'string', required: false } },
  operations: ['create', 'read', 'update', 'delete', 'list'],
  unknownFields: 'reject',
  access: [{ allow: 'owner' }, { allow: 'authenticated', operations: ['read', 'list'] }],
  settings: settings('NOTE_API'),
};
const privateNotes: RuntimeEntity = {
  ...notes,
  componentId: 'DiaryApi',
  route: 'diary',
  access: [{ allow: 'owner' }],
};

let cosmos: LocalCosmos;
let doctors: Container;
beforeAll(async () => {
  cosmos = await startLocalCosmos();
  doctors = await cosmos.container('saas-doctors', '/id');
});
afterAll(async () => cosmos?.stop());

describe('shared data is curated by its publisher', () => {
  const admin = (tid: string, role = 'CatalogAdmin') =>
    principal({ oid: `admin-${tid.slice(0, 4)}`, tid, roles: [role] });

  it("a role of another directory cannot change shared data; the home directory's can; tenants: 'any' opens it", async () => {
    const api = apiFor(catalogue, createCrudHandlers(catalogue, doctors, { caller: multi }));
    expect((await api.create({ id: 'd1', name: 'Dr Home' }, { headers: admin(HOME) })).status).toBe(
      201,
    );
    const foreign = await api.del('d1', { headers: admin(CUSTOMER) });
    expect(foreign.status).toBe(403);
    expect(foreign.body.detail).toContain("backend's own directory");
    expect((await api.put('d1', { name: 'Hijacked' }, { headers: admin(CUSTOMER) })).status).toBe(
      403,
    );
    expect(
      (await api.create({ id: 'd2', name: 'Planted' }, { headers: admin(CUSTOMER) })).status,
    ).toBe(403);
    expect(
      (await api.patch('d1', { name: 'Dr Moderated' }, { headers: admin(CUSTOMER, 'Moderator') }))
        .status,
    ).toBe(200);
    expect((await allItems(doctors)).map((d) => [d.id, d.name])).toEqual([['d1', 'Dr Moderated']]);
  });

  it('without a home directory configured such role rules hold for nobody (closed)', async () => {
    const { homeTenant: _home, ...noHome } = multi;
    const api = apiFor(catalogue, createCrudHandlers(catalogue, doctors, { caller: noHome }));
    expect((await api.patch('d1', { name: 'x' }, { headers: admin(HOME) })).status).toBe(403);
  });

  it("shared items show their owner to the owner only, never another tenant's user id", async () => {
    const open: RuntimeEntity = {
      ...catalogue,
      componentId: 'OpenApi',
      route: 'open',
      access: [{ allow: 'authenticated' }],
    };
    const c = await cosmos.container('saas-open', '/id');
    const api = apiFor(open, createCrudHandlers(open, c, { caller: multi }));
    const alice = principal({ oid: 'alice', tid: CUSTOMER });
    const bob = principal({ oid: 'bob', tid: HOME });
    expect((await api.create({ id: 'o1', name: 'x' }, { headers: alice })).body.ownerId).toBe(
      'alice',
    );
    expect((await api.get('o1', { headers: alice })).body.ownerId).toBe('alice');
    const seen = await api.get('o1', { headers: bob });
    expect(seen.status).toBe(200);
    expect(seen.body).not.toHaveProperty('ownerId');
    expect(
      (await api.list({ headers: bob })).body.items.every(
        (i: Record<string, unknown>) => !('ownerId' in i),
      ),
    ).toBe(true);
    expect((await allItems(c))[0]!.ownerId).toBe('alice');
  });

  it('a shared item records its creator’s directory, hidden: kept by PUT, PATCH and other writers, never set by a body', async () => {
    const open: RuntimeEntity = {
      ...catalogue,
      componentId: 'BoardApi',
      route: 'board',
      access: [{ allow: 'authenticated' }],
    };
    const c = await cosmos.container('saas-board', '/id');
    const api = apiFor(open, createCrudHandlers(open, c, { caller: multi }));
    const alice = principal({ oid: 'alice', tid: CUSTOMER });
    const bob = principal({ oid: 'bob', tid: HOME });
    const created = await api.create({ id: 'b1', name: 'x' }, { headers: alice });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('_atakoraTid');
    const stored = async () => (await allItems(c)).find((i) => i.id === 'b1')!;
    expect((await stored())._atakoraTid).toBe(CUSTOMER);
    expect((await api.put('b1', { name: 'y' }, { headers: bob })).status).toBe(200);
    expect((await api.patch('b1', { name: 'z' }, { headers: bob })).status).toBe(200);
    expect((await stored())._atakoraTid).toBe(CUSTOMER);
    expect((await api.get('b1', { headers: alice })).body).not.toHaveProperty('_atakoraTid');
    // A body naming the hidden field has it dropped (as every hidden field): the creator is the caller's directory.
    const planted = await api.create(
      { id: 'b2', name: 'x', _atakoraTid: CUSTOMER },
      { headers: bob },
    );
    expect(planted.status).toBe(201);
    expect((await allItems(c)).find((i) => i.id === 'b2')!._atakoraTid).toBe(HOME);
  });

  it('a list query cannot name the owner field of shared items (400), so it cannot tell who created one', async () => {
    const declared: RuntimeEntity = {
      ...catalogue,
      componentId: 'PublicApi',
      route: 'public',
      access: [{ allow: 'authenticated' }],
      schema: {
        name: { type: 'string', required: true },
        ownerId: { type: 'string', required: false },
      },
    };
    const c = await cosmos.container('saas-public', '/id');
    const api = apiFor(declared, createCrudHandlers(declared, c, { caller: multi }));
    const alice = principal({ oid: 'alice', tid: CUSTOMER });
    const bob = principal({ oid: 'bob', tid: HOME });
    expect((await api.create({ id: 'p1', name: 'x' }, { headers: alice })).status).toBe(201);
    const probes: Record<string, string>[] = [
      { $filter: "ownerId eq 'alice'" },
      { $orderby: 'ownerId' },
      { $select: 'ownerId' },
    ];
    for (const query of probes) {
      const probe = await api.list({ headers: bob, query });
      expect(probe.status).toBe(400);
      expect(probe.body.type).toBe('urn:atakora:problem:invalid-query');
    }
    expect(
      (await api.list({ headers: bob, query: { $filter: "name eq 'x'" } })).body.items,
    ).toHaveLength(1);
    // An isolated entity keeps its owner field queryable: it never leaves its tenant.
    const { tenancy: _shared, ...unshared } = declared;
    const isolated: RuntimeEntity = {
      ...unshared,
      componentId: 'OwnApi',
      route: 'own',
      partitionKey: '/tenantId',
      schema: { ...declared.schema, tenantId: { type: 'string', required: false } },
    };
    const own = apiFor(
      isolated,
      createCrudHandlers(isolated, await cosmos.container('saas-own', '/tenantId'), {
        caller: multi,
      }),
    );
    expect((await own.list({ headers: bob, query: { $filter: "ownerId eq 'bob'" } })).status).toBe(
      200,
    );
  });
});

describe('403 to a caller who may read, 404 only to one who may not see', () => {
  it('an owner-only write of a readable item is 403 naming the rule; of an unreadable one 404', async () => {
    const policy: RuntimeAuth = { required: true, tenantClaim: 'tid', trustTenantHeader: false };
    const c = await cosmos.container('saas-notes', '/id');
    const api = apiFor(notes, createCrudHandlers(notes, c, { caller: policy }));
    const diary = apiFor(privateNotes, createCrudHandlers(privateNotes, c, { caller: policy }));
    const alice = principal({ oid: 'alice', tid: HOME });
    const bob = principal({ oid: 'bob', tid: HOME });
    expect((await api.create({ id: 'n1', title: 'mine' }, { headers: alice })).status).toBe(201);
    expect((await api.get('n1', { headers: bob })).status).toBe(200);
    for (const r of [
      await api.patch('n1', { title: 'x' }, { headers: bob }),
      await api.put('n1', { title: 'x' }, { headers: bob }),
      await api.del('n1', { headers: bob }),
    ]) {
      expect(r.status).toBe(403);
      expect(r.body.type).toBe('urn:atakora:problem:access-denied');
      expect(r.body.rules).toEqual(["{ allow: 'owner' }"]);
    }
    expect((await diary.patch('n1', { title: 'x' }, { headers: bob })).status).toBe(404);
    expect((await allItems(c)).find((n) => n.id === 'n1')?.title).toBe('mine');
  });
});
