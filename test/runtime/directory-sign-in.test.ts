/**
 * Directory sign-in per organization through the request pipeline (DESIGN §2, "Organizations that enterprises can
 * buy"), against the local Cosmos DB server: an Owner links the Entra directory of their own sign-in, one organization
 * per directory (also when two link it at once), its users become members on their first request (once, also when
 * two first requests race), `requireDirectory` refuses members of other directories — an Owner still unlinks — and a
 * backend whose sign-in is not open to every directory answers 400 `directory-not-supported`.
 */
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/contract/audit.js';
import type { RuntimeAuth, RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { cosmosAuditStore } from '../../src/runtime/audit/audit-store.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import { DIRECTORY_CONSENT_ROLES } from '../../src/model/entra-claims.js';
import { principalHeader } from './support/built-app.js';
import { noteEntity } from './support/entities.js';
import { member, record, reseed } from './support/organization-calls.js';
import { invoke, type Reply } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { membershipAuth } from './support/registry-auth.js';

const ACME_DIR = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const GLOBEX_DIR = '9b2c1d4e-5f60-4718-8a9b-0c1d2e3f4a5b';
const OTHER_DIR = 'c0ffee00-0000-4000-8000-000000000001';

let cosmos: LocalCosmos;
let members: Container;
let tenants: Container;
let audit: Container;
const fns = new Map<string, HttpFunctionOptions>();
const single = new Map<string, HttpFunctionOptions>();
const registry = { plans: { free: {} }, defaultPlan: 'free' };
const policy = membershipAuth('home-dir', registry, { audit: 'audit', directorySignIn: true });

/** Global Administrator's role template id (Learn, "Microsoft Entra built-in roles"): may link its directory. */
const GLOBAL_ADMIN = DIRECTORY_CONSENT_ROLES['Global Administrator'];

const as = (oid: string, tid: string, wids: readonly string[] = []) =>
  principalHeader([['oid', oid], ['tid', tid], ...wids.map((w) => ['wids', w] as const)]);
const code = (r: Reply) => String(r.body?.type ?? '').replace('urn:atakora:problem:', '');
const call = (
  app: Map<string, HttpFunctionOptions>,
  name: string,
  method: string,
  path: string,
  who: { oid: string; tid: string; wids?: readonly string[] },
  org: string | undefined,
  body?: unknown,
) => {
  const f = app.get(name);
  if (!f) throw new Error(`no function ${name}`);
  return invoke(f.handler as HttpHandler, method, path, {
    headers: { ...as(who.oid, who.tid, who.wids), ...(org ? { 'x-atakora-tenant': org } : {}) },
    ...(body === undefined ? {} : { body }),
  });
};
const directory = (
  method: string,
  who: { oid: string; tid: string; wids?: readonly string[] },
  org: string,
  body?: unknown,
) => call(fns, 'tenant-directory', method, 'tenant/directory', who, org, body);
const members_ = (who: { oid: string; tid: string }, org?: string) =>
  call(fns, 'membership-members', 'GET', 'tenant/members', who, org);

const ada = { oid: 'ada', tid: ACME_DIR, wids: [GLOBAL_ADMIN] }; // acme's Owner, its directory's admin
const bob = { oid: 'bob', tid: ACME_DIR }; // acme's Member
const gus = { oid: 'gus', tid: GLOBEX_DIR, wids: [GLOBAL_ADMIN] }; // globex's Owner, its directory's admin
const oli = { oid: 'oli', tid: OTHER_DIR, wids: [GLOBAL_ADMIN] }; // an Owner of acme signed in from elsewhere
const newcomer = (n: number) => ({ oid: `new-${String(n)}`, tid: ACME_DIR });

async function register(into: Map<string, HttpFunctionOptions>, auth: RuntimeAuth): Promise<void> {
  const container = await cosmos.container(noteEntity.componentId, '/tenantId');
  const manifest: RuntimeManifest = { version: 1, backendId: 'orgs', entities: [noteEntity], auth };
  registerCrudRoutes({ http: (name, o) => into.set(name, o) }, manifest, {
    containerFor: () => container,
    caller: auth,
    audit: { store: cosmosAuditStore(audit) },
  });
}

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  members = await cosmos.container('members', '/tenant');
  tenants = await cosmos.container('tenants', '/id');
  audit = await cosmos.container('audit', '/tenant');
  await cosmos.container('usage', '/tenant');
});
afterAll(async () => {
  await cosmos?.stop();
});
beforeEach(async () => {
  // A fresh app each test: its registry and membership caches hold nothing of the test before.
  await register(fns, policy);
  // The same organizations on a backend whose sign-in is one directory's (no directorySignIn).
  await register(single, membershipAuth('home-dir', registry, { audit: 'audit' }));
  await reseed(
    { members, tenants, audit },
    [record('acme'), record('globex')],
    [
      member('acme', 'ada', ['Owner']),
      member('acme', 'oli', ['Owner']),
      member('acme', 'bob', ['Member']),
      member('globex', 'gus', ['Owner']),
    ],
  );
});

const entries = async (tenant: string): Promise<AuditEntry[]> =>
  (await cosmosAuditStore(audit).page(tenant, {}, 100, undefined)).items;

describe('linking a directory', () => {
  it('an Owner links the directory of their own sign-in; GET answers it, the audit log records it', async () => {
    const linked = await directory('PUT', ada, 'acme', { tid: ACME_DIR.toUpperCase() });
    expect(linked.status).toBe(200);
    expect(linked.body).toEqual({ tid: ACME_DIR, role: 'Member', requireDirectory: false });
    expect((await directory('GET', ada, 'acme')).body).toEqual(linked.body);
    expect((await tenants.item('acme', 'acme').read()).resource.directory).toEqual(linked.body);
    const log = await entries('acme');
    expect(log.map((e) => [e.action, e.target, e.actor.id])).toEqual([
      ['directory.linked', ACME_DIR, 'ada'],
    ]);
  });

  it('needs a directory role that can consent in the token’s wids: an ordinary user of the directory gets 403', async () => {
    // Shown failing before: Dan, an Owner of acme and a mere user of its directory, linked it (200) — his colleagues'
    // first requests would have landed in his organization, and their IT got 409 directory-taken.
    await members.items.create({
      id: 'acme|dan',
      tenant: 'acme',
      userId: 'dan',
      roles: ['Owner'],
      addedOn: '2026-01-01T00:00:00.000Z',
    });
    const dan = { oid: 'dan', tid: ACME_DIR };
    const refused = await directory('PUT', dan, 'acme', { tid: ACME_DIR });
    expect([refused.status, code(refused)]).toEqual([403, 'directory-admin-required']);
    // A directory role that cannot consent (Directory Readers) is no authority either.
    const reader = { ...dan, wids: ['88d8e3e3-8f55-4a1e-953a-9b9898b8876b'] };
    expect(code(await directory('PUT', reader, 'acme', { tid: ACME_DIR }))).toBe(
      'directory-admin-required',
    );
    expect((await directory('GET', ada, 'acme')).status).toBe(404);
    expect(await entries('acme')).toEqual([]);
    // Each consenting role links it (the template ids Learn lists), in either case.
    for (const role of Object.values(DIRECTORY_CONSENT_ROLES)) {
      const admin = { ...dan, wids: ['b79fbf4d-3ef9-4689-8143-76b194e85509', role.toUpperCase()] };
      expect((await directory('PUT', admin, 'acme', { tid: ACME_DIR })).status, role).toBe(200);
      expect((await directory('DELETE', admin, 'acme')).status).toBe(204);
    }
  });

  it('refuses a forged tid, a Member, an Owner role and a bad body; nothing is stored', async () => {
    expect(code(await directory('PUT', ada, 'acme', { tid: GLOBEX_DIR }))).toBe(
      'directory-not-yours',
    );
    expect(code(await directory('PUT', oli, 'acme', { tid: ACME_DIR }))).toBe(
      'directory-not-yours',
    );
    const member = await directory('PUT', bob, 'acme', { tid: ACME_DIR });
    expect([member.status, code(member)]).toEqual([403, 'access-denied']);
    const owner = await directory('PUT', ada, 'acme', { tid: ACME_DIR, role: 'Owner' });
    expect([owner.status, code(owner)]).toEqual([400, 'validation']);
    const bad = await directory('PUT', ada, 'acme', {
      tid: ACME_DIR,
      requireDirectory: 'yes',
      x: 1,
    });
    expect(bad.status).toBe(400);
    expect((await directory('GET', ada, 'acme')).status).toBe(404);
    expect(await entries('acme')).toEqual([]);
  });

  it('one organization per directory, one directory per organization — also when two link at once', async () => {
    // Gus's globex and an acme Owner of the same directory race for it.
    const gusOfAcmeDir = { oid: 'gus2', tid: ACME_DIR, wids: [GLOBAL_ADMIN] };
    await members.items.create({
      id: 'globex|gus2',
      tenant: 'globex',
      userId: 'gus2',
      roles: ['Owner'],
      addedOn: '2026-01-01T00:00:00.000Z',
    });
    const answers = await Promise.all([
      directory('PUT', ada, 'acme', { tid: ACME_DIR }),
      directory('PUT', gusOfAcmeDir, 'globex', { tid: ACME_DIR }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.map(code).filter((c) => c !== '')).toEqual(['directory-taken']);
    // globex (or acme) links another directory: refused while it links one.
    const winner = answers[0]!.status === 200 ? 'acme' : 'globex';
    const owner = winner === 'acme' ? oli : gus;
    if (winner === 'globex') {
      expect(code(await directory('PUT', gus, 'globex', { tid: GLOBEX_DIR }))).toBe(
        'directory-taken',
      );
    } else
      expect(code(await directory('PUT', owner, 'acme', { tid: OTHER_DIR }))).toBe(
        'directory-taken',
      );
  });

  it('an unlink frees the directory for another organization; DELETE twice is 204', async () => {
    expect((await directory('PUT', ada, 'acme', { tid: ACME_DIR })).status).toBe(200);
    expect((await directory('DELETE', bob, 'acme')).status).toBe(403);
    expect((await directory('DELETE', ada, 'acme')).status).toBe(204);
    expect((await directory('DELETE', ada, 'acme')).status).toBe(204);
    expect((await directory('GET', ada, 'acme')).status).toBe(404);
    await members.items.create({
      id: 'globex|gus2',
      tenant: 'globex',
      userId: 'gus2',
      roles: ['Owner'],
      addedOn: '2026-01-01T00:00:00.000Z',
    });
    expect(
      (
        await directory('PUT', { oid: 'gus2', tid: ACME_DIR, wids: [GLOBAL_ADMIN] }, 'globex', {
          tid: ACME_DIR,
        })
      ).status,
    ).toBe(200);
    expect((await entries('acme')).map((e) => e.action)).toEqual([
      'directory.unlinked',
      'directory.linked',
    ]);
  });
});

describe("a linked directory's users", () => {
  it('become members on their first request, as the role, once — also when two first requests race', async () => {
    expect(code(await members_(newcomer(1), 'acme'))).toBe('not-a-member');
    await directory('PUT', ada, 'acme', { tid: ACME_DIR, role: 'Admin' });
    const [first, second] = await Promise.all([
      members_(newcomer(1), 'acme'),
      members_(newcomer(1), 'acme'),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const { resource } = await members.item('acme|new-1', 'acme').read();
    expect(resource.roles).toEqual(['Admin']);
    // Naming no organization: the one their directory links (they belong to none).
    expect((await members_(newcomer(2))).status).toBe(200);
    expect((await members.item('acme|new-2', 'acme').read()).resource.roles).toEqual(['Admin']);
    const joined = (await entries('acme')).filter((e) => e.action === 'member.joined');
    expect(joined.map((e) => e.target).sort()).toEqual(['new-1', 'new-2']);
    // Another directory's user, and this directory's user naming another organization, join nothing.
    expect(code(await members_({ oid: 'stranger', tid: OTHER_DIR }, 'acme'))).toBe('not-a-member');
    expect(code(await members_(newcomer(3), 'globex'))).toBe('not-a-member');
  });

  it('join nothing of an organization whose record names the directory without holding its claim', async () => {
    // An imported copy, or a record edited by hand: only the claim's holder admits the directory's users.
    await directory('PUT', ada, 'acme', { tid: ACME_DIR });
    const { resource } = await tenants.item('globex', 'globex').read();
    await tenants.items.upsert({
      ...resource,
      directory: { tid: ACME_DIR, role: 'Member', requireDirectory: false },
    });
    expect(code(await members_(newcomer(5), 'globex'))).toBe('not-a-member');
    expect((await members_(newcomer(5), 'acme')).status).toBe(200);
  });

  it('join nothing of a suspended organization', async () => {
    await directory('PUT', ada, 'acme', { tid: ACME_DIR });
    const { resource } = await tenants.item('acme', 'acme').read();
    await tenants.items.upsert({ ...resource, status: 'suspended' });
    // The operator's suspension as another instance sees it (this one's registry cache read the record after the PUT).
    await register(fns, policy);
    expect(code(await members_(newcomer(4), 'acme'))).toBe('not-a-member');
    await expect(members.item('acme|new-4', 'acme').read()).resolves.toMatchObject({
      statusCode: 404,
    });
  });
});

describe('requireDirectory', () => {
  it('refuses members signed in from elsewhere, Owners included; an Owner still unlinks', async () => {
    await directory('PUT', ada, 'acme', { tid: ACME_DIR, requireDirectory: true });
    expect((await members_(bob, 'acme')).status).toBe(200);
    const refused = await members_(oli, 'acme');
    expect([refused.status, code(refused)]).toEqual([403, 'directory-required']);
    // Oli (an Owner, from another directory) reads and unlinks — the way out of a lockout — but links nothing else.
    expect((await directory('GET', oli, 'acme')).status).toBe(200);
    expect(code(await directory('PUT', oli, 'acme', { tid: OTHER_DIR }))).toBe('directory-taken');
    expect((await directory('DELETE', oli, 'acme')).status).toBe(204);
    expect((await members_(oli, 'acme')).status).toBe(200);
  });
});

describe('a backend signing in one directory only', () => {
  it('answers 400 directory-not-supported, and nobody joins', async () => {
    const r = await call(single, 'tenant-directory', 'PUT', 'tenant/directory', ada, 'acme', {
      tid: ACME_DIR,
    });
    expect([r.status, code(r)]).toEqual([400, 'directory-not-supported']);
  });
});
