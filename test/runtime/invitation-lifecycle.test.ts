/**
 * Invitations die with their sender's right to send them, and a revoke and an acceptance serialize — over the real
 * `members` and `tenants` containers (the local Cosmos DB server): an Admin's open invitations revoked at their
 * removal or demotion (and refused at acceptance whatever the race), and many rounds of a revoke and an acceptance
 * of the same invitation sent at once, never both succeeding.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMBERSHIP_REGISTRY } from '../support/membership-registry.js';
import { cosmosMemberStore } from '../../src/runtime/members/member-store.js';
import { MembershipCache } from '../../src/runtime/members/membership-cache.js';
import type { Actor, MembersApi } from '../../src/runtime/members/members-api.js';
import {
  createInvitation,
  revokeInvitation,
} from '../../src/runtime/members/invitation-operations.js';
import { removeMember, updateMember } from '../../src/runtime/members/member-operations.js';
import {
  acceptInvitation,
  createOrganization,
} from '../../src/runtime/members/organization-operations.js';
import { cosmosRegistryAdmin } from '../../src/runtime/tenants/registry-admin-store.js';
import { decoded, jsonRequest } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const request = jsonRequest;
const reply = decoded;
let cosmos: LocalCosmos;
let api: MembersApi;

const registry = MEMBERSHIP_REGISTRY;

const OWNER: Actor = { userId: 'olga', roles: ['Owner'] };

async function organization(name: string): Promise<string> {
  const r = await reply(createOrganization(api, OWNER, request('POST', 'tenants', { name })));
  expect(r.status).toBe(201);
  return r.body.id as string;
}

async function invite(actor: Actor, org: string, email: string, roles: string[]) {
  const r = await reply(
    createInvitation(api, actor, org, request('POST', 'tenant/invitations', { email, roles })),
  );
  expect(r.status).toBe(201);
  return {
    id: r.body.id as string,
    token: new URL(r.body.acceptUrl).searchParams.get('invitation'),
  };
}

const accept = (userId: string, token: string | null) =>
  reply(
    acceptInvitation(
      api,
      { userId, email: `${userId}@example.com` },
      request('POST', 'invitations/accept', { token }),
    ),
  );

/** `who` made a member of `org` with `roles` the way the API does it (an Owner's invitation, accepted). */
async function member(org: string, who: string, roles: string[]): Promise<void> {
  const { token } = await invite(OWNER, org, `${who}@example.com`, roles);
  expect((await accept(who, token)).status).toBe(201);
}

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  const members = await cosmos.container('members', '/tenant');
  const store = cosmosMemberStore(members);
  api = {
    store,
    cache: new MembershipCache(store),
    registry,
    membership: registry.membership!,
    admin: cosmosRegistryAdmin(await cosmos.container('tenants', '/id')),
  };
});
afterAll(async () => cosmos?.stop());

describe('an invitation dies with its sender’s right to send it', () => {
  it('a removed Admin’s alt address cannot join: revoked at the removal, 410 at acceptance', async () => {
    const org = await organization('Rogue Removed');
    await member(org, 'rogue', ['Admin']);
    const alt = await invite({ userId: 'rogue', roles: ['Admin'] }, org, 'alt@example.com', [
      'Admin',
    ]);
    expect((await reply(removeMember(api, OWNER, org, 'rogue'))).status).toBe(204);
    expect(await api.store.readInvitation(org, alt.id)).toBeUndefined();
    const late = await accept('alt', alt.token);
    expect([late.status, late.code]).toEqual([410, 'invitation-expired']);
    expect(await api.store.read(org, 'alt')).toBeUndefined();
  });

  it('a demotion revokes what the new roles no longer grant, and keeps the rest', async () => {
    const org = await organization('Owner Demoted');
    await member(org, 'otto', ['Owner']);
    const otto: Actor = { userId: 'otto', roles: ['Owner'] };
    const asOwner = await invite(otto, org, 'o2@example.com', ['Owner']);
    const asMember = await invite(otto, org, 'm2@example.com', ['Member']);
    const demote = request('PATCH', `tenant/members/otto`, { roles: ['Admin'] });
    expect((await reply(updateMember(api, OWNER, org, 'otto', demote))).status).toBe(200);
    expect((await accept('o2', asOwner.token)).code).toBe('invitation-expired');
    expect((await accept('m2', asMember.token)).status).toBe(201);
  });

  it('an acceptance that raced the removal is refused once the removal stands, even if the sweep missed it', async () => {
    const org = await organization('Sweep Missed');
    await member(org, 'rex', ['Admin']);
    const alt = await invite({ userId: 'rex', roles: ['Admin'] }, org, 'rexalt@example.com', [
      'Member',
    ]);
    // The membership removed straight in the store (another instance's removal whose sweep has not run yet).
    const rex = await api.store.read(org, 'rex');
    expect(await api.store.remove(org, 'rex', rex!.etag)).toBe('removed');
    expect((await accept('rexalt', alt.token)).code).toBe('invitation-expired');
    expect(await api.store.readInvitation(org, alt.id)).toBeUndefined();
  });
});

describe('a revoke and an acceptance serialize', () => {
  it('sent at once, many rounds: never a 204 revoke beside a 201 join; the loser says so', async () => {
    const org = await organization('Racing');
    const outcomes = new Map<string, number>();
    for (let round = 0; round < 40; round++) {
      const who = `racer-${String(round)}`;
      const { id, token } = await invite(OWNER, org, `${who}@example.com`, ['Member']);
      // Staggered: the revoke starts 0–19 ms after the acceptance (which reads the invitation, the registry and
      // the organization's bars before it marks the invitation), so either may reach the invitation first.
      const revoke = async () => {
        await new Promise((r) => setTimeout(r, round % 20));
        return reply(revokeInvitation(api, OWNER, org, id));
      };
      const [accepted, revoked] = await Promise.all([accept(who, token), revoke()]);
      const joined = (await api.store.read(org, who)) !== undefined;
      const key = `accept ${String(accepted.status)} ${accepted.code} / revoke ${String(revoked.status)} ${revoked.code}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      expect(joined, key).toBe(accepted.status === 201);
      if (revoked.status === 204)
        expect([accepted.status, accepted.code], key).toEqual([410, 'invitation-expired']);
      else expect([409, 404], key).toContain(revoked.status);
      expect(
        [accepted.status, revoked.status].filter((s) => s === 201 || s === 204),
        key,
      ).toHaveLength(1);
    }
    if (process.env.ATAKORA_RACE_STATS) console.log([...outcomes]);
    // Both orders happened (else the test proved nothing about the race).
    const winners = [...outcomes.keys()].map((k) =>
      k.startsWith('accept 201') ? 'accept' : 'revoke',
    );
    expect(new Set(winners), JSON.stringify([...outcomes])).toEqual(new Set(['accept', 'revoke']));
  });
});
