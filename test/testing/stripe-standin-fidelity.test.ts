import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRIPE_PERMISSIONS } from '../../src/runtime/billing/stripe-permissions.js';
import { startStripeStandIn, type StripeStandIn } from '../../src/entry/testing.js';

// What the Stripe stand-in answers as Stripe does for the calls the runtime makes: a subscription
// item is the Subscriptions row's (a restricted key without Subscriptions: Write is refused the per-seat quantity);
// expiring a Checkout Session needs Checkout Sessions: Write; every answer carries Request-Id and Stripe-Version; a
// trial's first period ends with the trial, `customer.subscription.trial_will_end` before it.
const KEY = 'sk_test_fidelity';
/** The restricted key docs/billing.md listed before round 13: every row but Subscriptions: Write. */
const ROUND_12 = 'rk_test_51FidelityRound12Key000001';
/** Every permission docs/billing.md lists now (the table is STRIPE_PERMISSIONS). */
const DOCUMENTED = 'rk_test_51FidelityDocumentedKey0002';
let standIn: StripeStandIn;
const sdk = (key: string) =>
  new Stripe(key, {
    host: '127.0.0.1',
    port: Number(new URL(standIn.base).port),
    protocol: 'http',
    telemetry: false,
  });

beforeAll(async () => {
  const documented = STRIPE_PERMISSIONS.map((p) => p.stripe);
  standIn = await startStripeStandIn({
    key: KEY,
    prices: [{ id: 'price_team', unitAmount: 900 }],
    restrictedKeys: {
      [ROUND_12]: documented.filter((p) => p !== 'rak_subscription_write'),
      [DOCUMENTED]: documented,
    },
  });
});
afterAll(async () => {
  await standIn?.close();
});

/** A subscription paid through Checkout with `quantity` seats (and a trial of `trialDays`). */
async function paid(quantity: number, trialDays?: number): Promise<Stripe.Subscription> {
  const session = await sdk(KEY).checkout.sessions.create({
    mode: 'subscription',
    line_items: [{ price: 'price_team', quantity }],
    success_url: 'https://app.example/ok',
    ...(trialDays ? { subscription_data: { trial_period_days: trialDays } } : {}),
  });
  await standIn.completeCheckout(session.id);
  const id = String(standIn.billing.sessions.get(session.id)?.['subscription']);
  return sdk(KEY).subscriptions.retrieve(id);
}

describe('permissions on every resource the runtime calls', () => {
  it('a subscription item is the Subscriptions row’s: the round-12 key is refused the per-seat quantity, 403 naming rak_subscription_write', async () => {
    const sub = await paid(3);
    const item = sub.items.data[0]?.id ?? '';
    const refused = (await sdk(ROUND_12)
      .subscriptionItems.update(item, { quantity: 5 })
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect([refused.type, refused.statusCode]).toEqual(['StripePermissionError', 403]);
    expect(refused.message).toContain("Having the 'rak_subscription_write' permission");
    // …and the Owner's delete (cancel at the period's end) with it.
    const cancel = (await sdk(ROUND_12)
      .subscriptions.update(sub.id, { cancel_at_period_end: true })
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(cancel.statusCode).toBe(403);
    expect(standIn.billing.quantityChanges).toEqual([]);
    // The key docs/billing.md lists now may.
    const updated = await sdk(DOCUMENTED).subscriptionItems.update(item, { quantity: 5 });
    expect(updated.quantity).toBe(5);
  });

  it('expiring a Checkout Session needs Checkout Sessions: Write', async () => {
    const session = await sdk(KEY).checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: 'price_team', quantity: 1 }],
      success_url: 'https://app.example/ok',
    });
    const rk = 'rk_test_51FidelityReadOnly000000003';
    const s = await startStripeStandIn({
      key: KEY,
      restrictedKeys: { [rk]: ['rak_checkout_session_read'] },
    });
    try {
      const port = Number(new URL(s.base).port);
      const read = new Stripe(rk, { host: '127.0.0.1', port, protocol: 'http', telemetry: false });
      const refused = (await read.checkout.sessions
        .expire('cs_any')
        .catch((e: unknown) => e)) as Stripe.errors.StripeError;
      expect(refused.statusCode).toBe(403);
      expect(refused.message).toContain("'rak_checkout_session_write'");
    } finally {
      await s.close();
    }
    expect((await sdk(DOCUMENTED).checkout.sessions.expire(session.id)).status).toBe('expired');
  });
});

describe('Checkout Session expiry', () => {
  // API reference, "The Checkout Session object", expires_at: "The timestamp at which the Checkout Session will
  // expire"; "Create a Checkout Session", expires_at: "It can be anywhere from 30 minutes to 24 hours after Checkout
  // Session creation. By default, this value is 24 hours from creation." Past it the session is `expired`
  // ("status: expired — The checkout session is expired. No further processing will occur") and
  // `checkout.session.expired` is sent.
  it('a session past its expires_at is expired: it cannot be paid, reads expired, checkout.session.expired sent', async () => {
    let clock = Date.parse('2026-11-01T00:00:00Z');
    const s = await startStripeStandIn({
      key: KEY,
      prices: [{ id: 'price_team', unitAmount: 900 }],
      now: () => clock,
    });
    try {
      const port = Number(new URL(s.base).port);
      const api = new Stripe(KEY, { host: '127.0.0.1', port, protocol: 'http', telemetry: false });
      const open = () =>
        api.checkout.sessions.create({
          mode: 'subscription',
          line_items: [{ price: 'price_team', quantity: 1 }],
          success_url: 'https://app.example/ok',
        });
      const lapsed = await open();
      expect(lapsed.expires_at).toBe(Math.floor(clock / 1000) + 86_400);
      clock += 86_400_000 + 1000;
      expect((await api.checkout.sessions.retrieve(lapsed.id)).status).toBe('expired');
      expect(s.stripeEvents.map((e) => e.type)).toContain('checkout.session.expired');
      await s.completeCheckout(lapsed.id);
      expect((await api.checkout.sessions.retrieve(lapsed.id)).subscription).toBeNull();
      expect(s.billing.subscriptions.size).toBe(0);
      // Its own expires_at, within 30 minutes and 24 hours: honoured; outside them refused.
      const short = await api.checkout.sessions.create({
        mode: 'subscription',
        line_items: [{ price: 'price_team', quantity: 1 }],
        success_url: 'https://app.example/ok',
        expires_at: Math.floor(clock / 1000) + 1800,
      });
      expect(short.expires_at).toBe(Math.floor(clock / 1000) + 1800);
      const tooSoon = (await api.checkout.sessions
        .create({
          mode: 'subscription',
          line_items: [{ price: 'price_team', quantity: 1 }],
          success_url: 'https://app.example/ok',
          expires_at: Math.floor(clock / 1000) + 60,
        })
        .catch((e: unknown) => e)) as Stripe.errors.StripeError;
      expect([tooSoon.statusCode, tooSoon.param]).toEqual([400, 'expires_at']);
      clock += 1801_000;
      expect(
        (await api.checkout.sessions.expire(short.id).catch((e: unknown) => e)) as {
          statusCode?: number;
        },
      ).toMatchObject({ statusCode: 400 });
    } finally {
      await s.close();
    }
  });
});

describe('subscription items', () => {
  // API reference, "Update a subscription item": every parameter is optional ("quantity — The quantity you'd like to
  // apply to the subscription item you're updating"); an update without one leaves the quantity as it is, never 0.
  it('an update naming no quantity keeps the quantity (and prorates nothing)', async () => {
    const sub = await paid(4);
    const item = sub.items.data[0]?.id ?? '';
    const before = standIn.billing.prorations.length;
    const updated = await sdk(KEY).subscriptionItems.update(item, { metadata: { note: 'x' } });
    expect(updated.quantity).toBe(4);
    expect((await sdk(KEY).subscriptions.retrieve(sub.id)).items.data[0]?.quantity).toBe(4);
    expect(standIn.billing.prorations.length).toBe(before);
  });
});

describe('the answers’ headers', () => {
  it('every answer carries Request-Id (an error’s requestId) and the Stripe-Version it ran at', async () => {
    const ok = await sdk(KEY).prices.retrieve('price_team');
    expect(ok.lastResponse.requestId).toMatch(/^req_/);
    expect(ok.lastResponse.headers['stripe-version']).toBe(Stripe.API_VERSION);
    const missing = (await sdk(KEY)
      .prices.retrieve('price_none')
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect([missing.statusCode, missing.requestId]).toEqual([404, expect.stringMatching(/^req_/)]);
    expect(missing.requestId).not.toBe(ok.lastResponse.requestId);
  });
});

describe('trials', () => {
  it('a trial is the first period: it ends with the trial, trial_will_end first, then active', async () => {
    const sub = await paid(2, 14);
    expect(sub.status).toBe('trialing');
    expect(sub.items.data[0]?.current_period_end).toBe(sub.trial_end);
    await standIn.trialWillEnd(sub.id);
    expect(standIn.stripeEvents.at(-1)?.type).toBe('customer.subscription.trial_will_end');
    await standIn.endPeriod(sub.id);
    const after = await sdk(KEY).subscriptions.retrieve(sub.id);
    expect(after.status).toBe('active');
    expect(after.items.data[0]?.current_period_start).toBe(sub.trial_end);
  });
});
