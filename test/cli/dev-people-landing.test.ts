/**
 * The Marketplace landing's people side under `atakora dev`, from outside (#120, "a removed buyer stays out"): the
 * built-in stand-ins a developer runs (the Marketplace stand-in, dev's sign-in), every call over HTTP as a page or a
 * client makes it, every answer read as they read it (status, problem type, `Location`, `GET api/tenant`, `GET
 * api/me/tenants`, the members list). A removed buyer reopening the landing lands nowhere and is never re-admitted;
 * the landing counts `maxOrganizationsPerUser` (3 in the fixture), alone and with creations at once; concurrent
 * creations never pass the bound. test/runtime/marketplace-landing-races.test.ts holds the same through the
 * registered handlers in process.
 */
import { describe, expect, it } from 'vitest';
import { type Answer, peopleDoors } from './support/people-doors.js';

const doors = peopleDoors();
const MAX = 3;

const orgOf = (landed: Answer) =>
  new URL(landed.location || 'http://x/').searchParams.get('organization') ?? '';
const purchase = (name = 'Doors Buyer') =>
  doors().marketplace.purchase({ planId: 'pro-monthly', name });
const mine = async (who: string) =>
  (
    (await doors().call('GET', 'me/tenants', who)).body['items'] as
      | { id: string; roles: string[] }[]
      | undefined
  )?.map((t) => t.id) ?? [];
const membersOf = async (org: string, who: string) =>
  (
    ((await doors().call('GET', 'tenant/members', who, undefined, org)).body['items'] ?? []) as {
      userId: string;
      roles: string[];
      via?: string;
    }[]
  ).map((m) => m.userId);
const tokenOf = (invited: Answer) =>
  new URL(String(invited.body['acceptUrl'])).searchParams.get('invitation') ?? '';

/** `owner` invites `who` to `org` with `roles`, and `who` accepts: 201 both. */
async function joinAs(org: string, owner: string, who: string, roles: string[]) {
  const invited = await doors().call(
    'POST',
    'tenant/invitations',
    owner,
    { email: who, roles },
    org,
  );
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  const accepted = await doors().call('POST', 'invitations/accept', who, {
    token: tokenOf(invited),
  });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
}

describe('a buyer lands under dev', () => {
  it('is the Owner of a new organization on the purchased plan, sent to the site, activated once', async () => {
    const { subscriptionId, token } = purchase('Landed Co');
    const landed = await doors().land(token, 'ann@example.com');
    expect([landed.status, landed.type], JSON.stringify(landed.body)).toEqual([302, '']);
    const org = orgOf(landed);
    expect(org).toMatch(/^landed-co-/);
    expect(new URL(landed.location).searchParams.get('marketplace')).toBe('subscribed');
    const tenant = await doors().call('GET', 'tenant', 'ann@example.com', undefined, org);
    expect([tenant.status, tenant.body['plan'], tenant.body['status']]).toEqual([
      200,
      'pro',
      'active',
    ]);
    const members = await doors().call('GET', 'tenant/members', 'ann@example.com', undefined, org);
    expect(members.body['items']).toEqual([
      expect.objectContaining({ userId: 'ann@example.com', roles: ['Owner'], via: 'created' }),
    ]);
    // Reopened ("Manage account"): the same organization, nothing activated again.
    const again = await doors().land(
      doors().marketplace.landingToken(subscriptionId),
      'ann@example.com',
    );
    expect([again.status, orgOf(again)]).toEqual([302, org]);
    expect(doors().marketplace.activations.filter((s) => s === subscriptionId)).toHaveLength(1);
  });
});

describe('a removed buyer reopens the landing under dev', () => {
  it('lands nowhere, is never re-admitted, and sees no organization; an Owner’s new invitation re-admits', async () => {
    const { subscriptionId, token } = purchase('Removed Buyer');
    const landed = await doors().land(token, 'rex@example.com');
    expect(landed.status).toBe(302);
    const org = orgOf(landed);
    await joinAs(org, 'rex@example.com', 'oda@example.com', ['Owner']);
    const removed = await doors().call(
      'DELETE',
      `tenant/members/${encodeURIComponent('rex@example.com')}`,
      'oda@example.com',
      undefined,
      org,
    );
    expect(removed.status, JSON.stringify(removed.body)).toBe(204);
    for (let i = 0; i < 3; i++) {
      const reopened = await doors().land(
        doors().marketplace.landingToken(subscriptionId),
        'rex@example.com',
      );
      expect([reopened.status, reopened.type, reopened.location]).toEqual([
        403,
        'member-barred',
        '',
      ]);
    }
    // What a page of the buyer's sees: no organization, and a request in it refused.
    expect(await mine('rex@example.com')).not.toContain(org);
    const tenant = await doors().call('GET', 'tenant', 'rex@example.com', undefined, org);
    expect([tenant.status, tenant.type]).toEqual([403, 'not-a-member']);
    expect(await membersOf(org, 'oda@example.com')).toEqual(['oda@example.com']);
    // Three reopened at once, after the wait dev's membership cache bounds (1 s): still nobody.
    await new Promise((r) => setTimeout(r, 1_100));
    const together = await Promise.all(
      [1, 2, 3].map(() =>
        doors().land(doors().marketplace.landingToken(subscriptionId), 'rex@example.com'),
      ),
    );
    expect(together.map((r) => `${String(r.status)} ${r.type}`)).toEqual(
      Array(3).fill('403 member-barred'),
    );
    expect(await membersOf(org, 'oda@example.com')).toEqual(['oda@example.com']);
    // Only an Owner's invitation sent after the removal lets them in again (as a Member: the landing adds nothing).
    await joinAs(org, 'oda@example.com', 'rex@example.com', ['Member']);
    const back = await doors().land(
      doors().marketplace.landingToken(subscriptionId),
      'rex@example.com',
    );
    expect([back.status, back.type]).toEqual([409, 'marketplace-purchase-claimed']);
    const rex = (
      (await doors().call('GET', 'tenant/members', 'oda@example.com', undefined, org)).body[
        'items'
      ] as { userId: string; roles: string[] }[]
    ).find((m) => m.userId === 'rex@example.com');
    expect(rex?.roles).toEqual(['Member']);
  });

  it('a buyer who left reopens it: 409 marketplace-purchase-claimed, not an Owner again', async () => {
    const { subscriptionId, token } = purchase('Left Buyer');
    const org = orgOf(await doors().land(token, 'lea@example.com'));
    await joinAs(org, 'lea@example.com', 'lou@example.com', ['Owner']);
    const left = await doors().call(
      'DELETE',
      `tenant/members/${encodeURIComponent('lea@example.com')}`,
      'lea@example.com',
      undefined,
      org,
    );
    expect(left.status).toBe(204);
    const reopened = await doors().land(
      doors().marketplace.landingToken(subscriptionId),
      'lea@example.com',
    );
    expect([reopened.status, reopened.type]).toEqual([409, 'marketplace-purchase-claimed']);
    expect(await membersOf(org, 'lou@example.com')).toEqual(['lou@example.com']);
  });
});

describe('the landing counts maxOrganizationsPerUser under dev', () => {
  it('a buyer owning the bound claims nothing: 409 organization-limit, no activation; linking one they own lands', async () => {
    for (let i = 0; i < MAX; i++)
      expect(
        (await doors().call('POST', 'tenants', 'max@example.com', { name: `Max ${String(i)}` }))
          .status,
      ).toBe(201);
    const { subscriptionId, token } = purchase('One Too Many');
    const refused = await doors().land(token, 'max@example.com');
    expect([refused.status, refused.type]).toEqual([409, 'organization-limit']);
    expect(doors().marketplace.activations).not.toContain(subscriptionId);
    expect(await mine('max@example.com')).toHaveLength(MAX);
    // As its answer advises: the purchase linked to an organization they own.
    const owned = (await mine('max@example.com'))[0] ?? '';
    const linked = await doors().land(
      doors().marketplace.landingToken(subscriptionId),
      'max@example.com',
      owned,
    );
    expect([linked.status, orgOf(linked)], JSON.stringify(linked.body)).toEqual([302, owned]);
    expect(doors().marketplace.activations).toContain(subscriptionId);
    const tenant = await doors().call('GET', 'tenant', 'max@example.com', undefined, owned);
    expect(tenant.body['plan']).toBe('pro');
    expect(await mine('max@example.com')).toHaveLength(MAX);
  });

  it('six creations at once: three pass, three 409 organization-limit', async () => {
    const all = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        doors().call('POST', 'tenants', 'six@example.com', { name: `Six ${String(i)}` }),
      ),
    );
    expect(all.map((r) => r.status).sort()).toEqual([201, 201, 201, 409, 409, 409]);
    expect(all.filter((r) => r.status === 409).map((r) => r.type)).toEqual(
      Array(3).fill('organization-limit'),
    );
    expect(await mine('six@example.com')).toHaveLength(MAX);
  });

  it('landings and creations at once, owning one: never past the bound', async () => {
    expect(
      (await doors().call('POST', 'tenants', 'mix@example.com', { name: 'Mix 0' })).status,
    ).toBe(201);
    const bought = [purchase('Mix A'), purchase('Mix B')];
    const all = await Promise.all([
      ...bought.map((p) => doors().land(p.token, 'mix@example.com')),
      ...[1, 2, 3].map((i) =>
        doors().call('POST', 'tenants', 'mix@example.com', { name: `Mix ${String(i)}` }),
      ),
    ]);
    for (const r of all) expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
    const admitted = all.filter((r) => r.status === 201 || r.status === 302).length;
    const refused = all.filter((r) => r.type === 'organization-limit').length;
    expect([admitted, refused]).toEqual([MAX - 1, all.length - (MAX - 1)]);
    expect(await mine('mix@example.com')).toHaveLength(MAX);
    // A refused landing activated nothing: Marketplace bills only what a landing linked.
    const activated = bought.filter((p) =>
      doors().marketplace.activations.includes(p.subscriptionId),
    );
    const landed = all.slice(0, 2).filter((r) => r.status === 302).length;
    expect(activated).toHaveLength(landed);
  });
});

describe('no landing into a deleted organization, under dev', () => {
  it('a new purchase linked to the organization its Owner deleted: 403 tenant-suspended, nothing activated or linked', async () => {
    const made = await doors().call('POST', 'tenants', 'del@example.com', { name: 'Deleted Org' });
    expect(made.status).toBe(201);
    const org = String(made.body['id']);
    const deleted = await doors().call('DELETE', 'tenant', 'del@example.com', undefined, org);
    expect(deleted.status).toBe(202);
    const { subscriptionId, token } = purchase('Into Deleted');
    const landed = await doors().land(token, 'del@example.com', org);
    expect([landed.status, landed.type, landed.location], JSON.stringify(landed.body)).toEqual([
      403,
      'tenant-suspended',
      '',
    ]);
    expect(String(landed.body['detail'])).toMatch(/was deleted by its Owner/);
    expect(doors().marketplace.activations).not.toContain(subscriptionId);
    // Restored by its Owner, it shows no purchase: the refused landing linked nothing.
    expect(
      (await doors().call('POST', 'tenant/undelete', 'del@example.com', undefined, org)).status,
    ).toBe(200);
    const billing = await doors().call('GET', 'tenant', 'del@example.com', undefined, org);
    expect([billing.status, billing.body['plan']]).toEqual([200, 'free']);
  });
});

describe('after dev restarts its workers (caches gone, data kept)', () => {
  it('a removed buyer reopening the landing is still barred', async () => {
    const { subscriptionId, token } = purchase('Reload Buyer');
    const org = orgOf(await doors().land(token, 'rob@example.com'));
    await joinAs(org, 'rob@example.com', 'ria@example.com', ['Owner']);
    expect(
      (
        await doors().call(
          'DELETE',
          `tenant/members/${encodeURIComponent('rob@example.com')}`,
          'ria@example.com',
          undefined,
          org,
        )
      ).status,
    ).toBe(204);
    await doors().dev.reload();
    const reopened = await doors().land(
      doors().marketplace.landingToken(subscriptionId),
      'rob@example.com',
    );
    expect([reopened.status, reopened.type]).toEqual([403, 'member-barred']);
    expect(await membersOf(org, 'ria@example.com')).toEqual(['ria@example.com']);
  });
});
