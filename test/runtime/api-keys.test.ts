/**
 * Organization API keys through the request pipeline against the local Cosmos DB server (DESIGN §2, "Integrations"):
 * Owners and Admins create, list and revoke keys (the key shown once, stored as its SHA-256 only); a request with
 * `Authorization: Bearer atk_…` acts in exactly its organization with its role — the entity's access rules (an owner
 * rule's owner the key's id), the audit log (`via: 'api-key'`), the usage ledger — never as an Owner and never on the
 * people routes (403), and is refused 401 once revoked, expired or its organization erased, 403 while suspended, 402
 * once its plan lacks `api-keys`.
 */
import { createHash } from 'node:crypto';
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/contract/audit.js';
import type { RuntimeAuth, RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { cosmosAuditStore } from '../../src/runtime/audit/audit-store.js';
import { noteEntity } from './support/entities.js';
import { invoke, type Reply } from './support/http.js';
import { registerNotesApp } from './support/notes-app.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { code, member, record, reseed, who } from './support/organization-calls.js';
import { type OrganizationsStore, organizationsStore } from './support/organizations-app.js';
import { membershipAuth } from './support/registry-auth.js';

const policy: RuntimeAuth = membershipAuth(
  'home-dir',
  {
    plans: { free: { features: ['audit'] }, pro: { features: ['audit', 'api-keys'] } },
    defaultPlan: 'free',
  },
  { createTenants: 'any-user', audit: 'audit', apiKeys: { perOrganization: 3, maxDays: 30 } },
);

/** Notes an Admin writes, a Member reads, and anyone may write their own (an owner rule). */
const notes: RuntimeEntity = {
  ...noteEntity,
  audit: true,
  access: [
    { allow: 'role', role: 'Admin' },
    { allow: 'role', role: 'Member', operations: ['read', 'list'] },
    { allow: 'owner', operations: ['create', 'read', 'update', 'delete'] },
  ],
};

let cosmos: LocalCosmos;
let c: OrganizationsStore;
let now = Date.parse('2026-03-02T10:00:00.000Z');
const fns = new Map<string, HttpFunctionOptions>();
/** A second instance of the same app over the same containers (its own caches). */
const other = new Map<string, HttpFunctionOptions>();

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  c = await organizationsStore(cosmos);
  const deps = { audit: { store: cosmosAuditStore(c.audit) }, tenantRegistry: { now: () => now } };
  for (const instance of [fns, other])
    registerNotesApp(instance, policy, c.notes, deps, { backendId: 'orgs', entities: [notes] });
});
afterAll(async () => cosmos?.stop());
beforeEach(async () => {
  now += 3_600_000;
  await reseed(
    c,
    [record('acme', 'pro'), record('globex', 'pro'), record('initech', 'free')],
    [
      member('acme', 'ada', ['Owner']),
      member('acme', 'al', ['Admin']),
      member('acme', 'bob', ['Member']),
      member('globex', 'gus', ['Owner']),
      member('initech', 'ivy', ['Owner']),
    ],
  );
});

const handler = (name: string) => {
  const f = fns.get(name);
  if (!f) throw new Error(`no function ${name}`);
  return f.handler as HttpHandler;
};
type Opts = { body?: unknown; params?: Record<string, string>; query?: Record<string, string> };
const as = (
  headers: Record<string, string>,
  name: string,
  method: string,
  path: string,
  o: Opts = {},
) => invoke(handler(name), method, path, { headers, ...o });
const person = (user: string, org: string) => ({ ...who(user), 'x-atakora-tenant': org });
const bearer = (key: string, extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${key}`,
  ...extra,
});
const createKey = (user: string, org: string, body: object) =>
  as(person(user, org), 'membership-api-keys', 'POST', 'tenant/api-keys', { body });
const newKey = async (role: string, org = 'acme', user = 'ada') => {
  const r = await createKey(user, org, { name: `${role} key`, role });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; key: string; role: string; expiresOn: string | null };
};
const notesAs = (headers: Record<string, string>, method: string, body?: object) =>
  as(headers, 'NoteApi-collection', method, 'notes', body ? { body } : {});
const noteAs = (headers: Record<string, string>, method: string, id: string, body?: object) =>
  as(headers, 'NoteApi-item', method, `notes/${id}`, { params: { id }, ...(body ? { body } : {}) });

describe('creating, listing and revoking keys', () => {
  it('an Owner creates a key shown once (atk_ and ≥ 32 random bytes), stored only as its SHA-256', async () => {
    const created = await createKey('ada', 'acme', { name: 'nightly export', role: 'Member' });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { id, name, role, key, expiresOn } = created.body;
    expect({ name, role }).toEqual({ name: 'nightly export', role: 'Member' });
    expect(key).toMatch(/^atk_[A-Za-z0-9_-]{43,}$/);
    expect(Buffer.from(String(key).slice(4), 'base64url').length).toBeGreaterThanOrEqual(32);
    // maxDays 30 is the default life.
    expect(Date.parse(expiresOn) - now).toBe(30 * 86_400_000);
    const stored = JSON.stringify((await c.members.items.readAll().fetchAll()).resources);
    expect(stored).not.toContain(String(key));
    expect(stored).toContain(createHash('sha256').update(String(key)).digest('hex'));
    const list = await as(person('al', 'acme'), 'membership-api-keys', 'GET', 'tenant/api-keys');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      {
        id,
        name: 'nightly export',
        role: 'Member',
        prefix: String(key).slice(0, 10),
        createdOn: new Date(now).toISOString(),
        createdBy: 'ada',
        expiresOn,
        lastUsedOn: null,
      },
    ]);
    expect(JSON.stringify(list.body)).not.toContain(String(key));
  });

  it('an Admin creates keys too; a Member may not; a key is never an Owner, nor past maxDays', async () => {
    expect((await createKey('al', 'acme', { name: 'a', role: 'Admin' })).status).toBe(201);
    const member = await createKey('bob', 'acme', { name: 'b', role: 'Member' });
    expect([member.status, code(member)]).toEqual([403, 'access-denied']);
    for (const body of [
      { name: 'o', role: 'Owner' },
      { name: 'x', role: 'Nobody' },
      { name: 'l', role: 'Member', expiresInDays: 31 },
      { name: 'z', role: 'Member', expiresInDays: 0 },
      { name: '', role: 'Member' },
      { name: 'u', role: 'Member', secret: 'x' },
    ]) {
      const r = await createKey('ada', 'acme', body);
      expect([r.status, code(r)], JSON.stringify(body)).toEqual([400, 'validation']);
    }
  });

  it('holds at most perOrganization keys (409 api-key-limit), per organization', async () => {
    for (const role of ['Member', 'Member', 'Admin']) await newKey(role);
    const fourth = await createKey('ada', 'acme', { name: 'four', role: 'Member' });
    expect([fourth.status, code(fourth)]).toEqual([409, 'api-key-limit']);
    await newKey('Member', 'globex', 'gus');
  });

  it('is gated by the plan feature api-keys (402 feature-not-in-plan)', async () => {
    const r = await createKey('ivy', 'initech', { name: 'k', role: 'Member' });
    expect([r.status, code(r)]).toEqual([402, 'feature-not-in-plan']);
  });

  it('revocation refuses the key at once (401) and is audited; another organization cannot revoke it', async () => {
    const k = await newKey('Member');
    expect((await notesAs(bearer(k.key), 'GET')).status).toBe(200);
    const theirs = await as(
      person('gus', 'globex'),
      'membership-api-key',
      'DELETE',
      `tenant/api-keys/${k.id}`,
      {
        params: { id: k.id },
      },
    );
    expect(theirs.status).toBe(404);
    const revoked = await as(
      person('al', 'acme'),
      'membership-api-key',
      'DELETE',
      `tenant/api-keys/${k.id}`,
      {
        params: { id: k.id },
      },
    );
    expect(revoked.status).toBe(204);
    const after = await notesAs(bearer(k.key), 'GET');
    expect([after.status, code(after)]).toEqual([401, 'api-key-invalid']);
    const log = await as(person('ada', 'acme'), 'tenant-audit', 'GET', 'tenant/audit');
    const actions = (log.body.items as AuditEntry[]).map(
      (e) => `${e.action} ${e.target} ${e.actor.id}`,
    );
    expect(actions).toEqual(
      expect.arrayContaining([`api-key.created ${k.id} ada`, `api-key.revoked ${k.id} al`]),
    );
  });
});

describe('revocation on a plan without api-keys', () => {
  // Issue #123's secure default: a downgrade must not leave the organization's keys beyond its reach, to come back to
  // life on the next upgrade. Revoking stays open on every plan (Owners and Admins, audited, its place given back);
  // listing and creating stay 402.
  it('an Owner revokes after a downgrade (204, audited); a Member still may not; the key is dead on the upgrade', async () => {
    const keys = [await newKey('Member'), await newKey('Admin'), await newKey('Member')];
    const [k] = keys;
    if (!k) throw new Error('no key');
    await c.tenants.items.upsert(record('acme', 'free'));
    now += 60_000;
    const revoke = (user: string) =>
      as(person(user, 'acme'), 'membership-api-key', 'DELETE', `tenant/api-keys/${k.id}`, {
        params: { id: k.id },
      });
    const bob = await revoke('bob');
    expect([bob.status, code(bob)]).toEqual([403, 'access-denied']);
    const listed = await as(person('ada', 'acme'), 'membership-api-keys', 'GET', 'tenant/api-keys');
    expect([listed.status, code(listed)]).toEqual([402, 'feature-not-in-plan']);
    const made = await createKey('ada', 'acme', { name: 'k', role: 'Member' });
    expect([made.status, code(made)]).toEqual([402, 'feature-not-in-plan']);
    expect((await revoke('ada')).status).toBe(204);
    expect((await revoke('al')).status).toBe(404);
    const log = await as(person('ada', 'acme'), 'tenant-audit', 'GET', 'tenant/audit');
    const actions = (log.body.items as AuditEntry[]).map(
      (e) => `${e.action} ${e.target} ${e.actor.id}`,
    );
    expect(actions).toContain(`api-key.revoked ${k.id} ada`);
    await c.tenants.items.upsert(record('acme', 'pro'));
    now += 60_000;
    const after = await notesAs(bearer(k.key), 'GET');
    expect([after.status, code(after)]).toEqual([401, 'api-key-invalid']);
    // Its place was given back: the organization holds two of its three.
    await newKey('Member');
    const over = await createKey('ada', 'acme', { name: 'four', role: 'Member' });
    expect([over.status, code(over)]).toEqual([409, 'api-key-limit']);
  });
});

describe('revocation across instances', () => {
  it('holds on every instance within 30 s (their caches’ bound), at once where it was revoked', async () => {
    const k = await newKey('Member');
    const elsewhere = () =>
      invoke(other.get('NoteApi-collection')?.handler as HttpHandler, 'GET', 'notes', {
        headers: bearer(k.key),
      });
    expect((await elsewhere()).status).toBe(200);
    await as(person('ada', 'acme'), 'membership-api-key', 'DELETE', `tenant/api-keys/${k.id}`, {
      params: { id: k.id },
    });
    expect((await notesAs(bearer(k.key), 'GET')).status).toBe(401);
    now += 29_000;
    expect((await elsewhere()).status).toBe(200);
    now += 1_000;
    expect(code(await elsewhere())).toBe('api-key-invalid');
  });
});

describe('a key as a caller', () => {
  it('acts with its role under the access rules, its own items by the owner rule, audited via api-key', async () => {
    const reader = await newKey('Member');
    const admin = await newKey('Admin');
    const made = await notesAs(bearer(admin.key), 'POST', { title: 'from the admin key' });
    expect(made.status).toBe(201);
    // A Member key reads, and writes only its own items (owner rule: its owner is the key's id).
    expect((await notesAs(bearer(reader.key), 'GET')).body.items).toHaveLength(1);
    const mine = await notesAs(bearer(reader.key), 'POST', { title: 'the reader key’s own' });
    expect(mine.status).toBe(201);
    const other = await noteAs(bearer(reader.key), 'PATCH', made.body.id, { title: 'x' });
    expect(other.status).toBe(403);
    expect((await noteAs(bearer(reader.key), 'PATCH', mine.body.id, { title: 'y' })).status).toBe(
      200,
    );
    const log = await as(person('ada', 'acme'), 'tenant-audit', 'GET', 'tenant/audit');
    const items = (log.body.items as AuditEntry[]).filter((e) => e.action.startsWith('item.'));
    expect(items.map((e) => [e.action, e.actor.id, e.actor.via])).toEqual(
      expect.arrayContaining([
        ['item.created', admin.id, 'api-key'],
        ['item.created', reader.id, 'api-key'],
        ['item.updated', reader.id, 'api-key'],
      ]),
    );
  });

  it('is confined to its organization: another one named in X-Atakora-Tenant is 403, its items unseen', async () => {
    const gus = await newKey('Admin', 'globex', 'gus');
    await notesAs(bearer(gus.key), 'POST', { title: 'globex secret' });
    const k = await newKey('Admin');
    const across = await notesAs(bearer(k.key, { 'x-atakora-tenant': 'globex' }), 'GET');
    expect([across.status, code(across)]).toEqual([403, 'api-key-not-allowed']);
    const own = await notesAs(bearer(k.key, { 'x-atakora-tenant': 'acme' }), 'GET');
    expect(own.status).toBe(200);
    expect(JSON.stringify(own.body)).not.toContain('globex secret');
  });

  it('never reaches the people routes (403), even as an Admin', async () => {
    const k = await newKey('Admin');
    const people: [string, string, string, Opts?][] = [
      ['membership-members', 'GET', 'tenant/members'],
      ['membership-member', 'DELETE', 'tenant/members/bob', { params: { userId: 'bob' } }],
      [
        'membership-invitations',
        'POST',
        'tenant/invitations',
        { body: { email: 'x@y.example', roles: ['Admin'] } },
      ],
      ['membership-api-keys', 'GET', 'tenant/api-keys'],
      ['membership-api-keys', 'POST', 'tenant/api-keys', { body: { name: 'n', role: 'Admin' } }],
      ['membership-api-key', 'DELETE', `tenant/api-keys/${k.id}`, { params: { id: k.id } }],
      ['membership-me-tenants', 'GET', 'me/tenants'],
      ['tenants-admin', 'POST', 'tenants', { body: { name: 'Evil' } }],
    ];
    for (const [name, method, path, o] of people) {
      const r = await as(bearer(k.key), name, method, path, o ?? {});
      expect([r.status, code(r)], `${method} ${path}`).toEqual([403, 'api-key-not-allowed']);
    }
    // Its own organization's plan it reads, as a member does.
    const self = await as(bearer(k.key), 'tenant-self', 'GET', 'tenant');
    expect([self.status, self.body.id]).toEqual([200, 'acme']);
  });

  it('is 401 when unknown, expired or its organization erased; 403 while it is suspended', async () => {
    const unknown = await notesAs(bearer('atk_' + 'A'.repeat(43)), 'GET');
    expect([unknown.status, code(unknown)]).toEqual([401, 'api-key-invalid']);
    expect(unknown.headers.get('www-authenticate')).toContain('Bearer');
    const short = await createKey('ada', 'acme', {
      name: 'short',
      role: 'Member',
      expiresInDays: 1,
    });
    expect((await notesAs(bearer(short.body.key), 'GET')).status).toBe(200);
    now += 86_400_000;
    expect(code(await notesAs(bearer(short.body.key), 'GET'))).toBe('api-key-invalid');
    const g = await newKey('Member', 'globex', 'gus');
    await c.tenants.items.upsert({ ...record('globex', 'pro'), status: 'suspended' });
    now += 60_000; // past the registry cache's bound
    const suspended = await notesAs(bearer(g.key), 'GET');
    expect([suspended.status, code(suspended)]).toEqual([403, 'tenant-suspended']);
    await c.tenants.item('globex', 'globex').delete();
    now += 60_000;
    expect(code(await notesAs(bearer(g.key), 'GET'))).toBe('api-key-invalid');
  });

  it('stops working once its organization’s plan lacks api-keys (402)', async () => {
    const k = await newKey('Member');
    await c.tenants.items.upsert(record('acme', 'free'));
    now += 60_000;
    const r = await notesAs(bearer(k.key), 'GET');
    expect([r.status, code(r)]).toEqual([402, 'feature-not-in-plan']);
  });

  it('is counted in the usage ledger under its organization and records its last use', async () => {
    const k = await newKey('Member');
    const before = (await as(person('ada', 'acme'), 'tenant-self', 'GET', 'tenant')).body.usage
      .today.requests;
    for (let i = 0; i < 3; i += 1) expect((await notesAs(bearer(k.key), 'GET')).status).toBe(200);
    const after = (await as(person('ada', 'acme'), 'tenant-self', 'GET', 'tenant')).body.usage.today
      .requests;
    // Three key requests, and the Owner's first read of GET api/tenant.
    expect(after - before).toBe(4);
    let listed: Reply | undefined;
    for (let i = 0; i < 20 && !listed?.body.items[0].lastUsedOn; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      listed = await as(person('ada', 'acme'), 'membership-api-keys', 'GET', 'tenant/api-keys');
    }
    expect(listed?.body.items[0].lastUsedOn).toBe(new Date(now).toISOString());
  });
});
