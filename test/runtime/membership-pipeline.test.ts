/**
 * Tenants by membership through the request pipeline, against the local Cosmos DB server (DESIGN §2): the request's
 * organization from `X-Atakora-Tenant` or the caller's only one (400 `tenant-required` otherwise), 403 `not-a-member`
 * for a stranger or a forged header on every route kind, 403 `tenant-suspended` for a member of a suspended
 * organization, role rules on the membership's roles (never the token's), a removal or role change holding at once
 * here and — made elsewhere — once the cache's answer ages (its clock injected: no sleeping), items confined to the
 * organization, and the routes that act in none (me/tenants, accept, POST api/tenants, the document).
 */
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { gateHandler } from '../../src/runtime/pipeline/function-gate.js';
import { callerOf } from '../../src/runtime/caller/request-caller.js';
import { principalHeader } from './support/built-app.js';
import { noteEntity } from './support/entities.js';
import { invoke, type Reply } from './support/http.js';
import { membershipAuth } from './support/registry-auth.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { registerNotesApp } from './support/notes-app.js';

const MAX_AGE = 30_000;
let now = 0;
let cosmos: LocalCosmos;
let members: Container;
let tenants: Container;
const fns = new Map<string, HttpFunctionOptions>();

const policy = membershipAuth(
  'home-dir',
  { plans: { free: {}, pro: {} }, defaultPlan: 'free' },
  { createTenants: 'any-user' },
);
/** Members read; Admins write (role rules on the membership's roles). */
const docs: RuntimeEntity = {
  ...noteEntity,
  access: [
    { allow: 'authenticated', operations: ['read', 'list'] },
    { allow: 'role', role: 'Admin' },
  ],
};

/** A caller: `oid`, a directory, and optionally token app roles (which count for nothing here). */
const who = (oid: string, roles: string[] = [], tid = 'home-dir') =>
  principalHeader([['oid', oid], ['tid', tid], ...roles.map((r) => ['roles', r] as const)]);
const code = (r: Reply) => String(r.body?.type ?? '').replace('urn:atakora:problem:', '');
const handler = (name: string) => {
  const f = fns.get(name);
  if (!f) throw new Error(`no function ${name}`);
  return f.handler as HttpHandler;
};
const call = (
  name: string,
  method: string,
  path: string,
  user: Record<string, string>,
  org?: string,
  body?: unknown,
  params: Record<string, string> = {},
) =>
  invoke(handler(name), method, path, {
    headers: { ...user, ...(org ? { 'x-atakora-tenant': org } : {}) },
    ...(body === undefined ? {} : { body }),
    params,
  });
const notes = {
  list: (user: Record<string, string>, org?: string) =>
    call('NoteApi-collection', 'GET', 'notes', user, org),
  create: (user: Record<string, string>, org?: string) =>
    call('NoteApi-collection', 'POST', 'notes', user, org, { title: 't' }),
};
const member = (tenant: string, userId: string, roles: string[]) => ({
  id: `${tenant}|${userId}`,
  tenant,
  userId,
  roles,
  addedOn: '2026-01-01T00:00:00.000Z',
});
const record = (id: string, status = 'active') => ({
  id,
  plan: 'free',
  status,
  createdOn: '2026-01-01T00:00:00.000Z',
  updatedOn: '2026-01-01T00:00:00.000Z',
});
const fn = gateHandler(
  async () => ({ status: 200, body: JSON.stringify(callerOf) }),
  policy,
  undefined,
  'Me-fn',
);

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  members = await cosmos.container('members', '/tenant');
  tenants = await cosmos.container('tenants', '/id');
  await cosmos.container('usage', '/tenant');
  const container = await cosmos.container(noteEntity.componentId, '/tenantId');
  registerNotesApp(
    fns,
    policy,
    container,
    {
      tenantRegistry: { now: () => now, maxAgeMs: MAX_AGE },
    },
    { backendId: 'orgs', entities: [docs] },
  );
});
afterAll(async () => cosmos?.stop());
beforeEach(async () => {
  for (const c of [members, tenants]) {
    const { resources } = await c.items.query<Record<string, string>>('SELECT * FROM c').fetchAll();
    for (const r of resources)
      await c.item(r['id'] ?? '', c === members ? r['tenant'] : r['id']).delete();
  }
  for (const t of ['acme', 'globex', 'paused'])
    await tenants.items.create(record(t, t === 'paused' ? 'suspended' : 'active'));
  for (const m of [
    member('acme', 'ada', ['Owner']),
    member('acme', 'bob', ['Member']),
    member('globex', 'gus', ['Owner', 'Admin']),
    member('globex', 'ada', ['Member']),
    member('paused', 'pam', ['Owner']),
  ])
    await members.items.create(m);
  // Every test starts with a cold cache: the clock moves past every answer kept.
  now += 10 * MAX_AGE;
});

describe('the request’s organization', () => {
  it('is the header’s; or the only one; else 400 tenant-required', async () => {
    expect((await notes.create(who('ada', [], 'home-dir'), 'acme')).status).toBe(403);
    expect((await notes.list(who('ada'), 'acme')).status).toBe(200);
    // Bob belongs to acme alone: no header needed.
    expect((await notes.list(who('bob'))).status).toBe(200);
    // Ada belongs to two: the header is needed.
    const two = await notes.list(who('ada'));
    expect([two.status, code(two)]).toEqual([400, 'tenant-required']);
    expect(two.body.detail).toMatch(/2 organizations/);
    const none = await notes.list(who('zed'));
    expect([none.status, code(none)]).toEqual([400, 'tenant-required']);
  });

  it('refuses a stranger and a forged header with 403 not-a-member on every route kind; nothing written', async () => {
    const eve = who('eve');
    for (const r of [
      await notes.list(eve, 'acme'),
      await notes.create(eve, 'acme'),
      await call('membership-members', 'GET', 'tenant/members', eve, 'acme'),
      await call('membership-invitations', 'POST', 'tenant/invitations', eve, 'acme', {
        email: 'e@example.com',
        roles: [],
      }),
      await call('tenant-self', 'GET', 'tenant', eve, 'acme'),
      await invoke(fn, 'GET', 'fn', { headers: { ...eve, 'x-atakora-tenant': 'acme' } }),
      // Bob, of acme, names globex: a forged header.
      await notes.list(who('bob'), 'globex'),
      await notes.list(who('bob'), 'NOT AN ID'),
    ])
      expect([r.status, code(r)]).toEqual([403, 'not-a-member']);
    expect((await notes.list(who('ada'), 'acme')).body.items).toEqual([]);
  });

  it('the tid no longer names the tenant: a token whose tid is an organization’s id, or an x-tenant-id, gets nothing', async () => {
    const forged = await notes.list(who('eve', [], 'acme'));
    expect([forged.status, code(forged)]).toEqual([400, 'tenant-required']);
    const named = await notes.list(who('eve', ['Owner', 'Admin'], 'acme'), 'acme');
    expect([named.status, code(named)]).toEqual([403, 'not-a-member']);
    const gateway = await call('NoteApi-collection', 'GET', 'notes', {
      ...who('eve'),
      'x-tenant-id': 'acme',
    });
    expect(code(gateway)).toBe('tenant-required');
  });

  it('a member of a suspended organization: 403 tenant-suspended; a stranger still not-a-member', async () => {
    const pam = await notes.list(who('pam'), 'paused');
    expect([pam.status, code(pam)]).toEqual([403, 'tenant-suspended']);
    expect(code(await notes.list(who('eve'), 'paused'))).toBe('not-a-member');
  });

  it('confines items to the organization: the same user sees each organization’s own', async () => {
    const gus = who('gus');
    expect(
      (await call('NoteApi-collection', 'POST', 'notes', gus, 'globex', { title: 'of globex' }))
        .status,
    ).toBe(201);
    await members.item('acme|ada', 'acme').replace(member('acme', 'ada', ['Owner', 'Admin']));
    now += MAX_AGE;
    expect(
      (await call('NoteApi-collection', 'POST', 'notes', who('ada'), 'acme', { title: 'of acme' }))
        .status,
    ).toBe(201);
    const inAcme = await notes.list(who('ada'), 'acme');
    const inGlobex = await notes.list(who('ada'), 'globex');
    expect(inAcme.body.items.map((n: { title: string }) => n.title)).toEqual(['of acme']);
    expect(inGlobex.body.items.map((n: { title: string }) => n.title)).toEqual(['of globex']);
    expect(inAcme.body.items[0].tenantId).toBe('acme');
  });
});

describe('roles are the membership’s, and changes hold', () => {
  it('a token’s app role grants nothing; the membership’s does, at once after PATCH; then removal at once', async () => {
    const bob = who('bob', ['Admin']);
    expect(code(await notes.create(bob, 'acme'))).toBe('access-denied');
    const promoted = await call(
      'membership-member',
      'PATCH',
      'tenant/members/bob',
      who('ada'),
      'acme',
      { roles: ['Admin'] },
      { userId: 'bob' },
    );
    expect(promoted.status).toBe(200);
    // No clock moves: this instance holds the change at once.
    expect((await notes.create(who('bob'), 'acme')).status).toBe(201);
    const removed = await call(
      'membership-member',
      'DELETE',
      'tenant/members/bob',
      who('ada'),
      'acme',
      undefined,
      {
        userId: 'bob',
      },
    );
    expect(removed.status).toBe(204);
    expect(code(await notes.list(who('bob'), 'acme'))).toBe('not-a-member');
    expect(code(await notes.list(who('bob')))).toBe('tenant-required');
  });

  it('a removal made elsewhere (straight in the store) holds once the cached answer ages past its bound', async () => {
    expect((await notes.list(who('bob'), 'acme')).status).toBe(200);
    await members.item('acme|bob', 'acme').delete();
    now += MAX_AGE - 1;
    expect((await notes.list(who('bob'), 'acme')).status).toBe(200);
    now += 2;
    expect(code(await notes.list(who('bob'), 'acme'))).toBe('not-a-member');
  });

  it('callerOf in a function names the organization and the membership’s roles', async () => {
    const r = await invoke(
      gateHandler(
        async (request) => ({ status: 200, body: JSON.stringify(callerOf(request)) }),
        policy,
        [{ allow: 'role', role: 'Owner' }],
        'Me-who',
      ),
      'GET',
      'who',
      { headers: { ...who('ada', ['Member']), 'x-atakora-tenant': 'acme' } },
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ oid: 'ada', tenant: 'acme', roles: ['Owner'] });
  });
});

describe('routes that act in no organization', () => {
  it('me/tenants, POST api/tenants, the document — without a header, for a user of none', async () => {
    const zed = who('zed');
    const created = await call('tenants-admin', 'POST', 'tenants', zed, undefined, {
      name: 'Zed Co',
    });
    expect(created.status).toBe(201);
    const mine = await call('membership-me-tenants', 'GET', 'me/tenants', zed);
    expect(mine.body.items).toEqual([
      { id: created.body.id, name: 'Zed Co', plan: 'free', status: 'active', roles: ['Owner'] },
    ]);
    // Now Zed's only organization: no header needed.
    expect((await notes.list(zed)).status).toBe(200);
    expect((await call('openapi', 'GET', 'openapi.json', who('nobody'))).status).toBe(200);
    // The registry's list stays the operator's.
    expect(code(await call('tenants-admin', 'GET', 'tenants', zed))).toBe('tenant-admin-required');
  });
});
