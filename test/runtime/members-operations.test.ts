/**
 * The membership operations over the real `members` and `tenants` containers (the local Cosmos DB server): an
 * organization and its Owner, the caller's organizations, invitations (token shown once and stored as its hash,
 * email checked against the verified one, single use, revocation, expiry on an injected clock), role changes and
 * removals with the last Owner kept, and the membership cache's bound and its forgetting.
 */
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMBERSHIP_REGISTRY } from '../support/membership-registry.js';
import { cosmosMemberStore } from '../../src/runtime/members/member-store.js';
import { MembershipCache } from '../../src/runtime/members/membership-cache.js';
import type { Actor, MembersApi } from '../../src/runtime/members/members-api.js';
import {
  createInvitation,
  listInvitations,
  revokeInvitation,
} from '../../src/runtime/members/invitation-operations.js';
import {
  listMembers,
  removeMember,
  updateMember,
} from '../../src/runtime/members/member-operations.js';
import {
  acceptInvitation,
  createOrganization,
  myTenants,
} from '../../src/runtime/members/organization-operations.js';
import { tokenHash } from '../../src/runtime/members/invitation-token.js';
import { cosmosRegistryAdmin } from '../../src/runtime/tenants/registry-admin-store.js';
import { decoded, jsonRequest } from './support/http.js';
import { allItems, type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const request = jsonRequest;
const reply = decoded;
let cosmos: LocalCosmos;
let members: Container;
let now = Date.parse('2026-03-01T00:00:00.000Z');
let api: MembersApi;
const removed: string[] = [];

const registry = MEMBERSHIP_REGISTRY;

const tokenOf = (acceptUrl: string) => new URL(acceptUrl).searchParams.get('invitation') ?? '';

async function organization(name: string, owner: { userId: string; email?: string }) {
  const r = await reply(createOrganization(api, owner, request('POST', 'tenants', { name })));
  expect(r.status).toBe(201);
  return r.body.id as string;
}

async function invite(actor: Actor, tenant: string, email: string, roles: string[]) {
  return reply(
    createInvitation(
      api,
      actor,
      tenant,
      request('POST', 'tenant/invitations', { email, roles }, { origin: 'https://teams.test' }),
    ),
  );
}

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  members = await cosmos.container('members', '/tenant');
  const tenants = await cosmos.container('tenants', '/id');
  const store = cosmosMemberStore(members);
  api = {
    store,
    cache: new MembershipCache(store, { now: () => now }),
    registry,
    membership: registry.membership!,
    admin: cosmosRegistryAdmin(tenants),
    now: () => new Date(now),
    onChanged: (tenant, userId) => removed.push(`${tenant}|${userId}`),
    sites: { origins: ['https://teams.test'] },
  };
});
afterAll(async () => cosmos?.stop());

describe('organizations and their Owner', () => {
  it('creates an organization with a generated id; its creator is its Owner; me/tenants lists it', async () => {
    const id = await organization('Acme & Sons', { userId: 'ada', email: 'ada@example.com' });
    expect(id).toMatch(/^acme-sons-[a-z0-9]{6}$/);
    const mine = await reply(myTenants(api, { userId: 'ada' }, request('GET', 'me/tenants')));
    expect(mine.body.items).toEqual([
      { id, name: 'Acme & Sons', plan: 'free', status: 'active', roles: ['Owner'] },
    ]);
    expect(await api.cache.membership(id, 'ada')).toMatchObject({ roles: ['Owner'] });
    // A given id is used as given; taken, it is 409 and nothing changes.
    const given = await reply(
      createOrganization(
        api,
        { userId: 'ada' },
        request('POST', 'tenants', { name: 'X', id: 'given-org' }),
      ),
    );
    expect([given.status, given.body.id, given.headers.get('location')]).toEqual([
      201,
      'given-org',
      '/api/tenants/given-org',
    ]);
    const again = await reply(
      createOrganization(
        api,
        { userId: 'bob' },
        request('POST', 'tenants', { name: 'Y', id: 'given-org' }),
      ),
    );
    expect([again.status, again.code]).toEqual([409, 'conflict']);
    expect(await api.store.read('given-org', 'bob')).toBeUndefined();
    const bad = await reply(
      createOrganization(
        api,
        { userId: 'ada' },
        request('POST', 'tenants', { name: '', id: 'Bad' }),
      ),
    );
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['id', 'name']);
  });
});

describe('invitations', () => {
  it('shows the token once (no-store), stores only its hash, and admits the invited verified email once', async () => {
    const org = await organization('Globex', { userId: 'olga', email: 'olga@example.com' });
    const owner: Actor = { userId: 'olga', roles: ['Owner'] };
    const created = await invite(owner, org, 'Bob@Example.com', ['Member']);
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(created.body).toMatchObject({
      email: 'bob@example.com',
      roles: ['Member'],
      invitedBy: 'olga',
    });
    expect(created.body.acceptUrl).toMatch(/^https:\/\/teams\.test\/\?invitation=/);
    const token = tokenOf(created.body.acceptUrl);
    // The container keeps the hash, never the token; the list never shows either.
    const stored = (await allItems(members)).filter((i) => i['kind'] === 'invitation');
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored.map((i) => i['tokenHash'])).toContain(tokenHash(token));
    const listed = await reply(
      listInvitations(api, owner, org, request('GET', 'tenant/invitations')),
    );
    expect(listed.body.items).toHaveLength(1);
    expect(JSON.stringify(listed.body.items)).not.toMatch(/token/i);

    const accept = (user: { userId: string; email?: string }, t = token) =>
      reply(acceptInvitation(api, user, request('POST', 'invitations/accept', { token: t })));
    // Another verified email, or none: 403, and the invitation stays open for Bob.
    expect((await accept({ userId: 'eve', email: 'eve@example.com' })).code).toBe(
      'invitation-email-mismatch',
    );
    expect((await accept({ userId: 'eve' })).code).toBe('invitation-email-mismatch');
    // A forged token of the same invitation (its secret changed) is no invitation.
    expect(
      (await accept({ userId: 'bob', email: 'bob@example.com' }, `${token.slice(0, -2)}xx`)).code,
    ).toBe('invitation-expired');
    const joined = await accept({ userId: 'bob', email: 'bob@example.com' });
    expect([joined.status, joined.body.tenant, joined.body.roles]).toEqual([201, org, ['Member']]);
    expect(joined.headers.get('location')).toBe('/api/tenant/members/bob');
    // Single use.
    expect((await accept({ userId: 'bob', email: 'bob@example.com' })).status).toBe(410);
    expect((await accept({ userId: 'bob2', email: 'bob@example.com' })).code).toBe(
      'invitation-expired',
    );
    expect(await api.cache.membership(org, 'bob')).toMatchObject({ roles: ['Member'] });
  });

  it('two accounts of the invited email accepting at once: exactly one joins', async () => {
    const org = await organization('Twin', { userId: 'tia' });
    const created = await invite({ userId: 'tia', roles: ['Owner'] }, org, 'twin@example.com', []);
    const token = tokenOf(created.body.acceptUrl);
    const accept = (userId: string) =>
      reply(
        acceptInvitation(
          api,
          { userId, email: 'twin@example.com' },
          request('POST', 'invitations/accept', { token }),
        ),
      );
    const answers = await Promise.all([accept('twin-a'), accept('twin-b')]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 410]);
    const joined = [await api.store.read(org, 'twin-a'), await api.store.read(org, 'twin-b')];
    expect(joined.filter(Boolean)).toHaveLength(1);
  });

  it('refuses Members and an Admin inviting an Owner; a revoked or expired token is 410', async () => {
    const org = await organization('Initech', { userId: 'ivy' });
    expect((await invite({ userId: 'm', roles: ['Member'] }, org, 'a@example.com', [])).code).toBe(
      'access-denied',
    );
    expect(
      (await invite({ userId: 'a', roles: ['Admin'] }, org, 'a@example.com', ['Owner'])).code,
    ).toBe('access-denied');
    expect(
      (await invite({ userId: 'a', roles: ['Admin'] }, org, 'a@example.com', ['Admin'])).status,
    ).toBe(201);
    expect(
      (await invite({ userId: 'ivy', roles: ['Owner'] }, org, 'nope', ['Boss'])).body.errors,
    ).toHaveLength(2);

    const revoked = await invite({ userId: 'ivy', roles: ['Owner'] }, org, 'rev@example.com', []);
    expect(
      (
        await reply(
          revokeInvitation(api, { userId: 'ivy', roles: ['Owner'] }, org, revoked.body.id),
        )
      ).status,
    ).toBe(204);
    const user = { userId: 'rev', email: 'rev@example.com' };
    const body = (t: string) => request('POST', 'invitations/accept', { token: t });
    expect(
      (await reply(acceptInvitation(api, user, body(tokenOf(revoked.body.acceptUrl))))).code,
    ).toBe('invitation-expired');

    const old = await invite({ userId: 'ivy', roles: ['Owner'] }, org, 'old@example.com', []);
    now += 7 * 24 * 3600 * 1000;
    const late = await reply(
      acceptInvitation(
        api,
        { userId: 'old', email: 'old@example.com' },
        body(tokenOf(old.body.acceptUrl)),
      ),
    );
    expect([late.status, late.code]).toEqual([410, 'invitation-expired']);
    expect(await api.store.read(org, 'old')).toBeUndefined();
  });
});

describe('roles and removals', () => {
  it('an Owner changes roles; a member cannot; the last Owner can neither leave nor be demoted', async () => {
    const org = await organization('Umbrella', { userId: 'uma' });
    await api.store.create({
      id: `${org}|max`,
      tenant: org,
      userId: 'max',
      roles: ['Member'],
      addedOn: '',
    });
    const uma: Actor = { userId: 'uma', roles: ['Owner'] };
    const max: Actor = { userId: 'max', roles: ['Member'] };
    const patch = (actor: Actor, userId: string, roles: unknown) =>
      reply(
        updateMember(
          api,
          actor,
          org,
          userId,
          request('PATCH', `tenant/members/${userId}`, { roles }),
        ),
      );
    expect((await patch(max, 'max', ['Admin'])).code).toBe('access-denied');
    expect((await patch(uma, 'uma', ['Admin'])).code).toBe('last-owner');
    expect((await reply(removeMember(api, uma, org, 'uma'))).code).toBe('last-owner');
    expect((await patch(uma, 'max', ['Boss'])).code).toBe('validation');
    expect((await patch(uma, 'nobody', ['Admin'])).status).toBe(404);
    // Warm the cache, then change: the change holds here at once (forgotten), not 30 s later.
    expect((await api.cache.membership(org, 'max'))?.roles).toEqual(['Member']);
    expect((await patch(uma, 'max', ['Owner'])).body.roles).toEqual(['Owner']);
    expect((await api.cache.membership(org, 'max'))?.roles).toEqual(['Owner']);
    // Two Owners: one may now step down.
    expect((await patch(uma, 'uma', ['Admin'])).body.roles).toEqual(['Admin']);
    const list = await reply(listMembers(api, org, request('GET', 'tenant/members')));
    expect(
      list.body.items.map((m: { userId: string; roles: string[] }) => [m.userId, m.roles]),
    ).toEqual([
      ['max', ['Owner']],
      ['uma', ['Admin']],
    ]);
    // A member leaves; an Owner removes; both hold at once and close the member's sockets.
    expect(
      (await reply(removeMember(api, { userId: 'uma', roles: ['Admin'] }, org, 'uma'))).status,
    ).toBe(204);
    expect(await api.cache.membership(org, 'uma')).toBeUndefined();
    expect(removed).toContain(`${org}|uma`);
  });

  it('two Owners demoting each other at once leave at least one Owner', async () => {
    const org = await organization('Race', { userId: 'r1' });
    await api.store.create({
      id: `${org}|r2`,
      tenant: org,
      userId: 'r2',
      roles: ['Owner'],
      addedOn: '',
    });
    const demote = (by: string, who: string) =>
      reply(
        updateMember(
          api,
          { userId: by, roles: ['Owner'] },
          org,
          who,
          request('PATCH', `tenant/members/${who}`, { roles: ['Member'] }),
        ),
      );
    await Promise.all([demote('r1', 'r2'), demote('r2', 'r1')]);
    expect((await api.store.owners(org)).length).toBeGreaterThan(0);
  });
});

describe('the membership cache', () => {
  it('keeps at most maxEntries answers and reads again after maxAgeMs', async () => {
    let reads = 0;
    let t = 0;
    const store = {
      ...api.store,
      read: async () => {
        reads++;
        return undefined;
      },
    };
    const cache = new MembershipCache(store, { maxEntries: 3, maxAgeMs: 1000, now: () => t });
    for (const u of ['a', 'b', 'c', 'd', 'e']) await cache.membership('org', u);
    expect(cache.size).toBe(3);
    await cache.membership('org', 'e');
    expect(reads).toBe(5);
    t += 1000;
    await cache.membership('org', 'e');
    expect(reads).toBe(6);
  });
});
