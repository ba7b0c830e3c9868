/**
 * One billing channel per organization under races (DESIGN §2, "An organization is billed by one channel"): the real
 * routes of an app selling `pro` through both Stripe and Azure Marketplace (support/channel-app.ts) on the local
 * Cosmos DB server, the Stripe and Marketplace stand-ins of @atakora/component/testing. A Checkout opened before a
 * Marketplace landing and paid after it is refused and its subscription canceled (never linked); paid while the
 * landing runs, exactly one of the two wins; a Stripe customer the operator gives a Marketplace-billed organization is
 * not metered beside it (the first channel holds); and after 409 `billing-channel-taken` the relink its answer advises
 * — another organization, a new one, or the same once the other subscription is canceled — works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeSender } from '../../src/runtime/billing/atakora-billing.js';
import { cosmosBillingStore } from '../../src/runtime/billing/billing-store.js';
import { exportUsage } from '../../src/runtime/billing/export-usage.js';
import { hourItem, zeroHour } from '../../src/runtime/usage/usage-items.js';
import { actingAs, operator } from '../model/billing-app.js';
import {
  CHANNEL_KEY,
  type ChannelApp,
  REQUESTS_METER,
  startChannelApp,
} from './support/channel-app.js';
import { invoke, type Reply } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { landedIn, recordOf } from './support/marketplace-app.js';

const at = '2026-01-01T00:00:00.000Z';
let cosmos: LocalCosmos;
let both: ChannelApp;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  both = await startChannelApp(cosmos);
});
afterAll(async () => {
  await both?.close();
  await cosmos?.stop();
});

/** An organization `id` on the free plan, `owner` its Owner. */
async function organization(id: string, owner: string, extra: Record<string, unknown> = {}) {
  await both.app.tenants.items.upsert({
    id,
    plan: 'free',
    status: 'active',
    createdOn: at,
    updatedOn: at,
    ...extra,
  });
  await both.app.members.items.upsert({
    id: `${id}|${owner}`,
    tenant: id,
    userId: owner,
    roles: ['Owner'],
    addedOn: at,
    via: 'created',
  });
}

/** `owner` opens a Checkout of `pro` for `org`: the session's id. */
async function checkout(owner: string, org: string): Promise<string> {
  const opened = await invoke(
    both.app.handler('atakora-tenant-billing-checkout'),
    'POST',
    'tenant/billing/checkout',
    { headers: actingAs(owner, org), body: { plan: 'pro' } },
  );
  expect(opened.status).toBe(200);
  const ids = [...both.stripe.billing.sessions.values()]
    .filter((s) => s['client_reference_id'] === org)
    .map((s) => String(s['id']));
  return ids.at(-1) ?? '';
}

const typeOf = (r: Reply) =>
  String((r.body as { type?: string }).type ?? '')
    .split(':')
    .at(-1);
const stripeStatus = (session: string) => {
  const sub = String(both.stripe.billing.sessions.get(session)?.['subscription'] ?? '');
  return both.stripe.billing.subscriptions.get(sub)?.['status'];
};
const audited = async (org: string) =>
  (
    await both.app.audit.items
      .query<{ action: string; changes: Record<string, unknown> }>({
        query: 'SELECT * FROM c WHERE c.tenant = @t',
        parameters: [{ name: '@t', value: org }],
      })
      .fetchAll()
  ).resources;

describe('a Checkout opened before a Marketplace landing and paid after it', () => {
  it('is refused: its subscription canceled, nothing of it linked, the refusal audited', async () => {
    await organization('acme', 'ada');
    const session = await checkout('ada', 'acme');
    const { subscriptionId, token } = both.app.standIn.purchase({ planId: 'pro-monthly' });
    expect(landedIn(await both.app.land(token, 'ada', { organization: 'acme' }))).toBe('acme');
    await both.stripe.completeCheckout(session);
    await both.stripe.settled();
    const record = await recordOf(both.app, 'acme');
    expect(record?.marketplace).toMatchObject({ subscriptionId, status: 'Subscribed' });
    expect(record?.plan).toBe('pro');
    expect(record?.billing).toBeUndefined();
    expect(stripeStatus(session)).toBe('canceled');
    const refusal = (await audited('acme')).find((e) => e.changes['refused'] !== undefined);
    expect(refusal?.changes).toMatchObject({
      refused: { channel: 'stripe', session, reason: 'billing-channel-taken' },
      canceled: true,
    });
    // The organization's page says Marketplace bills it, and a second Checkout is refused as before.
    const view = await invoke(both.app.handler('atakora-tenant-billing'), 'GET', 'tenant/billing', {
      headers: actingAs('ada', 'acme'),
    });
    expect((view.body as { channel: string }).channel).toBe('marketplace');
  });

  it('paid while the landing runs: exactly one channel wins, the other is refused', async () => {
    for (const n of [1, 2, 3, 4]) {
      const org = `race-${String(n)}`;
      await organization(org, 'bea');
      const session = await checkout('bea', org);
      const { token } = both.app.standIn.purchase({ planId: 'pro-monthly' });
      const [landing] = await Promise.all([
        both.app.land(token, 'bea', { organization: org }),
        both.stripe.completeCheckout(session),
      ]);
      await both.stripe.settled();
      const record = await recordOf(both.app, org);
      const marketplace = record?.marketplace?.status === 'Subscribed';
      const stripeLive = ['active', 'trialing'].includes(
        String(record?.billing?.subscription?.status),
      );
      expect([marketplace, stripeLive].filter(Boolean)).toHaveLength(1);
      if (marketplace) {
        expect(landing.status).toBe(302);
        expect(stripeStatus(session)).toBe('canceled');
      } else {
        expect(typeOf(landing)).toBe('billing-channel-taken');
        expect(stripeStatus(session)).toBe('active');
      }
    }
  });
});

describe('a Stripe customer the operator gives a Marketplace-billed organization', () => {
  it('is not metered: the first channel (Marketplace) holds; reopened, the landing still lands there', async () => {
    const { subscriptionId, token } = both.app.standIn.purchase({ planId: 'pro-monthly' });
    const org = landedIn(await both.app.land(token, 'cy'));
    const patched = await invoke(
      both.app.handler('tenants-admin-item'),
      'PATCH',
      `tenants/${org}`,
      {
        headers: operator(),
        body: { billing: { stripeCustomerId: 'cus_Operator1' } },
        params: { id: org },
      },
    );
    expect(patched.status).toBe(200);
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000);
    await both.app.usage.items.upsert(
      hourItem(org, hour.toISOString().slice(0, 13), 'a', { ...zeroHour(), requests: 400 }),
    );
    const store = cosmosBillingStore(both.app.tenants, both.app.usage);
    expect((await store.customers()).map((c) => c.tenant)).not.toContain(org);
    await exportUsage({
      backendId: 'x',
      environment: 'prod',
      billing: { secret: 'STRIPE_KEY', meters: { requests: REQUESTS_METER } },
      store,
      sender: stripeSender({ key: CHANNEL_KEY, apiBase: both.stripe.base }),
    });
    expect(
      both.stripe.events.filter((e) => e.payload['stripe_customer_id'] === 'cus_Operator1'),
    ).toEqual([]);
    const again = await both.app.land(both.app.standIn.landingToken(subscriptionId), 'cy');
    expect(landedIn(again)).toBe(org);
  });

  it('given before the landing, holds the channel: the purchase is not linked there (409)', async () => {
    await organization('usage-org', 'dee', { billing: { stripeCustomerId: 'cus_Usage1' } });
    const { token } = both.app.standIn.purchase({ planId: 'pro-monthly' });
    const r = await both.app.land(token, 'dee', { organization: 'usage-org' });
    expect(typeOf(r)).toBe('billing-channel-taken');
    expect((await recordOf(both.app, 'usage-org'))?.marketplace).toBeUndefined();
  });
});

describe('after 409 billing-channel-taken, the relink its answer advises', () => {
  /** `stripe-N` billed by a paid Checkout, `other-N` free; `eve` the Owner of both. */
  async function billedByStripe(n: number) {
    await organization(`stripe-${String(n)}`, 'eve');
    await organization(`other-${String(n)}`, 'eve');
    const session = await checkout('eve', `stripe-${String(n)}`);
    await both.stripe.completeCheckout(session);
    await both.stripe.settled();
    const { subscriptionId, token } = both.app.standIn.purchase({ planId: 'pro-monthly' });
    const refused = await both.app.land(token, 'eve', { organization: `stripe-${String(n)}` });
    expect(typeOf(refused)).toBe('billing-channel-taken');
    expect((refused.body as { detail: string }).detail).toMatch(
      /without organization.*another organization you own.*cancel/,
    );
    return { session, subscriptionId };
  }

  it('links the purchase to another organization its buyer owns', async () => {
    const { subscriptionId } = await billedByStripe(1);
    const r = await both.app.land(both.app.standIn.landingToken(subscriptionId), 'eve', {
      organization: 'other-1',
    });
    expect(landedIn(r)).toBe('other-1');
    expect((await recordOf(both.app, 'other-1'))?.marketplace).toMatchObject({
      subscriptionId,
      status: 'Subscribed',
    });
    expect(both.app.standIn.activations).toContain(subscriptionId);
  });

  it('lands it on a new organization without ?organization=', async () => {
    const { subscriptionId } = await billedByStripe(2);
    const r = await both.app.land(both.app.standIn.landingToken(subscriptionId), 'eve');
    const org = landedIn(r);
    expect(org).not.toBe('');
    expect(org).not.toBe('stripe-2');
    expect((await recordOf(both.app, org))?.marketplace).toMatchObject({
      subscriptionId,
      status: 'Subscribed',
    });
  });

  it('links it to the same organization once the Stripe subscription is canceled', async () => {
    const { session, subscriptionId } = await billedByStripe(3);
    const sub = String(both.stripe.billing.sessions.get(session)?.['subscription']);
    await both.stripe.cancelSubscription(sub);
    await both.stripe.settled();
    const r = await both.app.land(both.app.standIn.landingToken(subscriptionId), 'eve', {
      organization: 'stripe-3',
    });
    expect(landedIn(r)).toBe('stripe-3');
    expect((await recordOf(both.app, 'stripe-3'))?.marketplace).toMatchObject({ subscriptionId });
  });

  it('never moves a purchase someone else claimed, nor one linked where it bills', async () => {
    const { subscriptionId } = await billedByStripe(4);
    // Another user cannot take eve's claim by asking for an organization of theirs.
    await organization('fay-org', 'fay');
    const other = await both.app.land(both.app.standIn.landingToken(subscriptionId), 'fay', {
      organization: 'fay-org',
    });
    expect(typeOf(other)).toBe('marketplace-purchase-claimed');
    expect((await recordOf(both.app, 'fay-org'))?.marketplace).toBeUndefined();
    // Linked to other-4, the purchase stays there: asking for stripe-4 or a new organization moves nothing.
    await both.app.land(both.app.standIn.landingToken(subscriptionId), 'eve', {
      organization: 'other-4',
    });
    const moved = await both.app.land(both.app.standIn.landingToken(subscriptionId), 'eve');
    expect(landedIn(moved)).toBe('other-4');
  });
});
