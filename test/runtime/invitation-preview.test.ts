/**
 * `GET api/invitations/preview?invitation=<token>` over the real `members` and `tenants` containers (the local
 * Cosmos DB server): what a landing page shows (organization, inviter, roles, expiry, a masked email), 410 for a
 * used, revoked or expired invitation, 404 for a malformed token, one never issued or a wrong secret of a real
 * invitation (the same answer: nothing tells which invitations exist); invitations that would pass silently (the
 * same email still invited, or a member's) answered with a 409 each; the client address the per-address bound counts.
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
import { emailHint, previewInvitation } from '../../src/runtime/members/invitation-preview.js';
import {
  acceptInvitation,
  createOrganization,
} from '../../src/runtime/members/organization-operations.js';
import { clientAddress } from '../../src/runtime/limits/address-limit.js';
import { cosmosRegistryAdmin } from '../../src/runtime/tenants/registry-admin-store.js';
import { decoded, jsonRequest } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const request = jsonRequest;
const reply = decoded;
let cosmos: LocalCosmos;
let now = Date.parse('2026-03-01T00:00:00.000Z');
let api: MembersApi;

const preview = (token: string) =>
  reply(
    previewInvitation(
      api,
      request('GET', `invitations/preview?invitation=${encodeURIComponent(token)}`),
    ),
  );
const tokenOf = (r: { body: { acceptUrl: string } }) =>
  new URL(r.body.acceptUrl).searchParams.get('invitation') ?? '';
const owner = (userId: string): Actor => ({ userId, roles: ['Owner'], name: 'Olga Owner' });
const invite = (actor: Actor, tenant: string, email: string, roles: string[] = ['Member']) =>
  reply(
    createInvitation(api, actor, tenant, request('POST', 'tenant/invitations', { email, roles })),
  );

async function organization(name: string, userId: string) {
  const r = await reply(
    createOrganization(
      api,
      { userId, email: `${userId}@example.com` },
      request('POST', 'tenants', { name }),
    ),
  );
  return r.body.id as string;
}

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  const members = await cosmos.container('members', '/tenant');
  const tenants = await cosmos.container('tenants', '/id');
  const store = cosmosMemberStore(members);
  api = {
    store,
    cache: new MembershipCache(store, { now: () => now }),
    registry: MEMBERSHIP_REGISTRY,
    membership: MEMBERSHIP_REGISTRY.membership!,
    admin: cosmosRegistryAdmin(tenants),
    now: () => new Date(now),
    sites: { acceptUrl: 'https://teams.contoso.com' },
  };
});
afterAll(async () => cosmos?.stop());

describe('the invitation preview', () => {
  it('shows the organization, the inviter, the roles, the expiry and a masked email; never cached', async () => {
    const org = await organization('Acme & Sons', 'olga');
    const created = await invite(owner('olga'), org, 'carol@example.com', ['Admin']);
    expect(created.status).toBe(201);
    const seen = await preview(tokenOf(created));
    expect(seen.status).toBe(200);
    expect(seen.body).toEqual({
      organization: { id: org, name: 'Acme & Sons' },
      invitedBy: { name: 'Olga Owner' },
      roles: ['Admin'],
      expiresOn: created.body.expiresOn,
      emailHint: 'c…@example.com',
    });
    expect(seen.headers.get('cache-control')).toBe('no-store');
    expect(JSON.stringify(seen.body)).not.toContain('carol');
  });

  it('answers 404 alike for a malformed token, one never issued and a wrong secret of a real invitation', async () => {
    const org = await organization('Globex', 'gil');
    const created = await invite(owner('gil'), org, 'dan@example.com');
    const token = tokenOf(created);
    const forged =
      `${token.slice(0, -4)}AAAA` === token
        ? `${token.slice(0, -4)}BBBB`
        : `${token.slice(0, -4)}AAAA`;
    const never = `${org}.zzzzzzzzzzzz.${'A'.repeat(43)}`;
    const answers = await Promise.all(['', 'nonsense', never, forged].map(preview));
    for (const a of answers) {
      expect([a.status, a.code]).toEqual([404, 'not-found']);
      expect(a.body.detail).toBe(answers[0]?.body.detail);
    }
  });

  it('answers 410 once the invitation was accepted, revoked, or expired', async () => {
    const org = await organization('Initech', 'ivy');
    const accepted = await invite(owner('ivy'), org, 'ann@example.com');
    const joined = await reply(
      acceptInvitation(
        api,
        { userId: 'ann', email: 'ann@example.com' },
        request('POST', 'invitations/accept', { token: tokenOf(accepted) }),
      ),
    );
    expect(joined.status).toBe(201);
    const revoked = await invite(owner('ivy'), org, 'rev@example.com');
    expect((await reply(revokeInvitation(api, owner('ivy'), org, revoked.body.id))).status).toBe(
      204,
    );
    const late = await invite(owner('ivy'), org, 'late@example.com');
    now += 7 * 24 * 3600 * 1000;
    for (const gone of [accepted, revoked, late]) {
      const a = await preview(tokenOf(gone));
      expect([a.status, a.code]).toEqual([410, 'invitation-expired']);
    }
  });

  it('refuses a second open invitation to one email, and one to a member, with a 409 each', async () => {
    const org = await organization('Umbrella', 'uma');
    const first = await invite(owner('uma'), org, 'Bob@Example.com');
    expect(first.status).toBe(201);
    const again = await invite(owner('uma'), org, 'bob@example.com', ['Admin']);
    expect([again.status, again.code, again.body.invitation]).toEqual([
      409,
      'invitation-exists',
      first.body.id,
    ]);
    // The creator signed up with uma@example.com: inviting that address again is inviting a member.
    const member = await invite(owner('uma'), org, 'uma@example.com');
    expect([member.status, member.code]).toEqual([409, 'already-a-member']);
    // Revoked, the address may be invited again.
    await reply(revokeInvitation(api, owner('uma'), org, first.body.id));
    expect((await invite(owner('uma'), org, 'bob@example.com')).status).toBe(201);
  });
});

describe('the per-address bound and the hint', () => {
  it("counts the address App Service's front end appended, not one the client wrote", () => {
    const h = (v: string | null) => ({ get: () => v });
    expect(clientAddress(h('203.0.113.9, 198.51.100.7:51234'))).toBe('198.51.100.7');
    expect(clientAddress(h('[2001:db8::1]:443'))).toBe('2001:db8::1');
    expect(clientAddress(h(null))).toBe('local');
    expect(emailHint('x@y.example')).toBe('x…@y.example');
  });
});
