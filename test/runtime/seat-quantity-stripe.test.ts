/**
 * A per-seat subscription's quantity as one life with its organization's members, and one trial per organization,
 * against the real runtime on the local Cosmos DB server and the Stripe stand-in through the official `stripe` SDK:
 * members joining while a Checkout is open are billed once it is paid (the first link sets the
 * quantity); a subscription moved to a per-seat price in the portal is set to the members; two updates reaching
 * Stripe in the other order than they were sent still end at the members; a removal Stripe refused (500, 429) is set
 * by the billing timer's next run once Stripe recovers; a move to a flat price is billed at quantity 1; a second
 * Checkout of a trial plan opens without a trial.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMBERSHIP_FUNCTIONS } from '../../src/contract/members.js';
import {
  actingAs,
  type BillingApp,
  seedOrganization,
  startTeamSeatsApp,
} from '../model/billing-app.js';
import { principalHeader } from './support/built-app.js';
import { invoke } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const at = '2026-01-01T00:00:00.000Z';
let cosmos: LocalCosmos;
let app: BillingApp;

const person = (user: string) =>
  principalHeader([
    ['tid', `${user}-directory`],
    ['oid', user],
    ['verified_primary_email', `${user}@example.com`],
  ]);
const fn = (name: keyof typeof MEMBERSHIP_FUNCTIONS) => app.handler(MEMBERSHIP_FUNCTIONS[name]);
const tokenOf = (url: unknown) => new URL(String(url)).searchParams.get('invitation') ?? '';

/** `user` invited by `org`'s Owner and accepted: a member. */
async function join(org: string, user: string): Promise<void> {
  const made = await invoke(fn('invitations'), 'POST', 'tenant/invitations', {
    headers: actingAs(`${org}-owner`, org),
    body: { email: `${user}@example.com`, roles: ['Member'] },
  });
  expect(made.status).toBe(201);
  const accepted = await invoke(fn('accept'), 'POST', 'invitations/accept', {
    headers: person(user),
    body: { token: tokenOf(made.body.acceptUrl) },
  });
  expect(accepted.status).toBe(201);
}
const remove = async (org: string, user: string) =>
  (
    await invoke(fn('member'), 'DELETE', `tenant/members/${user}`, {
      headers: actingAs(`${org}-owner`, org),
      params: { userId: user },
    })
  ).status;

async function organization(org: string): Promise<void> {
  await seedOrganization(app, org, `${org}-owner`, at);
}

/** The Owner's checkout of `plan`: the session the stand-in holds. */
async function checkout(org: string, plan: string): Promise<Record<string, unknown>> {
  const opened = await invoke(
    app.handler('atakora-tenant-billing-checkout'),
    'POST',
    'tenant/billing/checkout',
    { headers: actingAs(`${org}-owner`, org), body: { plan } },
  );
  expect(opened.status).toBe(200);
  return [...app.standIn.billing.sessions.values()].at(-1) ?? {};
}

interface Sub {
  id: string;
  status: string;
  items: { data: { quantity?: number; price: { id: string } }[] };
}
const subscriptionOf = async (org: string): Promise<Sub> => {
  const record = (await app.tenants.item(org, org).read()).resource as {
    billing: { subscription: { id: string } };
  };
  return app.standIn.billing.subscriptions.get(record.billing.subscription.id) as unknown as Sub;
};
const quantity = async (org: string) => (await subscriptionOf(org)).items.data[0]?.quantity;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await startTeamSeatsApp(cosmos);
});
afterAll(async () => {
  await app?.close();
  await cosmos?.stop();
});

describe('the per-seat quantity is the members', () => {
  it('members who join while the Checkout is open are billed once it is paid (the first link sets it)', async () => {
    await organization('acme');
    await join('acme', 'a1');
    const session = await checkout('acme', 'team');
    expect(session['quantity']).toBe(2);
    await join('acme', 'a2');
    await join('acme', 'a3');
    await app.standIn.completeCheckout(String(session['id']));
    // Four members: four seats (before: the two the session opened with).
    expect(await quantity('acme')).toBe(4);
  });

  it('a subscription moved to a per-seat price in the portal is set to the members', async () => {
    await organization('delta');
    await join('delta', 'd1');
    await join('delta', 'd2');
    const session = await checkout('delta', 'pro');
    await app.standIn.completeCheckout(String(session['id']));
    const sub = await subscriptionOf('delta');
    await app.standIn.updateSubscription(sub.id, { price: 'price_team' });
    expect((await subscriptionOf('delta')).items.data[0]?.price.id).toBe('price_team');
    // Three members: three seats (before: the portal's 1).
    expect(await quantity('delta')).toBe(3);
  });

  it('an older count reaching Stripe after a newer one is corrected: the members, never the older count', async () => {
    await organization('beta');
    await join('beta', 'b1');
    await join('beta', 'b2');
    const session = await checkout('beta', 'team');
    await app.standIn.completeCheckout(String(session['id']));
    expect(await quantity('beta')).toBe(3);
    // The join's update (4) is held until a later update has reached Stripe: the removals' (2) lands first.
    app.standIn.faults.holdItemUpdates = 1;
    const joining = join('beta', 'b3');
    for (let i = 0; i < 600 && app.standIn.faults.holdItemUpdates > 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(app.standIn.faults.holdItemUpdates).toBe(0);
    expect(await remove('beta', 'b1')).toBe(204);
    expect(await remove('beta', 'b2')).toBe(204);
    await joining;
    await app.standIn.settled();
    // Two members (the Owner and b3): two seats — before, the held 4 stayed.
    const usage = await cosmos.container('usage', '/tenant');
    const seats = await usage.item('room|members', 'beta').read<{ count: number }>();
    expect(seats.resource?.count).toBe(2);
    expect(await quantity('beta')).toBe(2);
  });
});

describe('a quantity Stripe could not take converges on its own', () => {
  it('a removal while item updates fail (500, then 429) is billed until the billing timer runs after Stripe recovers', async () => {
    await organization('epsilon');
    await join('epsilon', 'e1');
    await join('epsilon', 'e2');
    const session = await checkout('epsilon', 'team');
    await app.standIn.completeCheckout(String(session['id']));
    expect(await quantity('epsilon')).toBe(3);
    // Stripe refuses every item update (the SDK's retries included): the removal stands, the quantity does not move.
    app.standIn.faults.failItemUpdates = { status: 500, count: 1000 };
    expect(await remove('epsilon', 'e1')).toBe(204);
    expect(await quantity('epsilon')).toBe(3);
    // A run while Stripe still answers 429: still owed, nothing else changed.
    app.standIn.faults.failItemUpdates = { status: 429, count: 1000 };
    await app.runTimer('atakora-billing');
    expect(await quantity('epsilon')).toBe(3);
    // Stripe recovers; nothing else happens to the organization but the next run — before: 3 seats, for good.
    app.standIn.faults.failItemUpdates = { status: 500, count: 0 };
    await app.runTimer('atakora-billing');
    await app.standIn.settled();
    expect(await quantity('epsilon')).toBe(2);
    // Settled: no longer owed, so the next run asks Stripe nothing for it.
    const usage = await cosmos.container('usage', '/tenant');
    const owed = await usage.item('room|seat-quantity', 'epsilon').read<{ count: number }>();
    expect(owed.resource?.count).toBe(0);
  });
});

describe('a move to a flat price is billed once', () => {
  it('a per-seat subscription moved in the portal to a flat price with its quantity kept is set back to 1', async () => {
    await organization('zeta');
    await join('zeta', 'z1');
    await join('zeta', 'z2');
    const session = await checkout('zeta', 'team');
    await app.standIn.completeCheckout(String(session['id']));
    const sub = await subscriptionOf('zeta');
    expect(await quantity('zeta')).toBe(3);
    // The portal's plan step offering the quantity too: the flat price keeps the item's 3.
    await app.standIn.updateSubscription(sub.id, { price: 'price_pro', quantity: 3 });
    await app.standIn.settled();
    expect((await subscriptionOf('zeta')).items.data[0]?.price.id).toBe('price_pro');
    // Before: 3 × the flat price.
    expect(await quantity('zeta')).toBe(1);
  });
});

describe('one trial per organization', () => {
  it('a second Checkout of a trial plan opens without a trial once the first had one', async () => {
    await organization('gamma');
    const first = await checkout('gamma', 'team');
    expect(first['trial_period_days']).toBe('14');
    await app.standIn.completeCheckout(String(first['id']));
    const sub = await subscriptionOf('gamma');
    expect(sub.status).toBe('trialing');
    await app.standIn.cancelSubscription(sub.id);
    const second = await checkout('gamma', 'team');
    // Before: '14' again — a trial every checkout, forever.
    expect(second['trial_period_days']).toBeNull();
    await app.standIn.completeCheckout(String(second['id']));
    expect((await subscriptionOf('gamma')).status).toBe('active');
  });
});
