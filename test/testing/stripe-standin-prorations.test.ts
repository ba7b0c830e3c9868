import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeStandIn, type StripeStandIn } from '../../src/entry/testing.js';

// The Stripe stand-in's prorations and required parameters, as Stripe answers them, through the official SDK:
// - a subscription item's quantity changed mid-period is prorated by default (docs.stripe.com/billing/subscriptions/
//   prorations; API reference, "Update a subscription item", proration_behavior: create_prorations) — a credit for the
//   unused time on the old quantity and a charge for the remaining time on the new one, pending for the next invoice,
//   so the upcoming invoice's preview lists them (marked `proration: true`) beside the next period; `none` makes none;
//   the renewal invoices them;
// - a required parameter left out is 400 `parameter_missing` naming it (docs.stripe.com/error-codes/parameter-missing):
//   "Create a portal session" customer, "Create a subscription" customer and items, "Create a Checkout Session"
//   line_items in subscription mode. The runtime sends every one of them (no call of ours was refused); before, the
//   stand-in answered those calls 400 `resource_missing` ("No such customer: ''") or took them.
const KEY = 'sk_test_prorations';
const DAY = 86_400;
const clock = { now: Date.parse('2026-03-01T00:00:00Z') };
let standIn: StripeStandIn;
const sdk = () =>
  new Stripe(KEY, {
    host: '127.0.0.1',
    port: Number(new URL(standIn.base).port),
    protocol: 'http',
    telemetry: false,
  });

beforeAll(async () => {
  standIn = await startStripeStandIn({
    key: KEY,
    prices: [{ id: 'price_team', unitAmount: 900 }],
    now: () => clock.now,
  });
});
afterAll(async () => {
  await standIn?.close();
});

/** A subscription of `quantity` seats paid through Checkout now. */
async function paid(quantity: number): Promise<Stripe.Subscription> {
  const session = await sdk().checkout.sessions.create({
    mode: 'subscription',
    line_items: [{ price: 'price_team', quantity }],
    success_url: 'https://app.example/ok',
  });
  await standIn.completeCheckout(session.id);
  return sdk().subscriptions.retrieve(
    String(standIn.billing.sessions.get(session.id)?.['subscription']),
  );
}
const preview = (sub: Stripe.Subscription) =>
  sdk().invoices.createPreview({ customer: String(sub.customer), subscription: sub.id });
const prorations = (inv: Stripe.Invoice) =>
  inv.lines.data.filter(
    (l) =>
      (l.parent as { subscription_item_details?: { proration?: boolean } } | null)
        ?.subscription_item_details?.proration === true,
  );

describe('prorations of a quantity change', () => {
  it('two lines for the time left — the old quantity credited, the new charged — in the next invoice', async () => {
    const sub = await paid(2);
    const item = sub.items.data[0]!;
    const [start, end] = [item.current_period_start, item.current_period_end];
    clock.now += 10 * DAY * 1000;
    const now = Math.floor(clock.now / 1000);
    await sdk().subscriptionItems.update(item.id, { quantity: 3 });
    const inv = await preview(sub);
    const left = (end - now) / (end - start);
    const lines = prorations(inv);
    expect(lines.map((l) => [l.amount, l.quantity])).toEqual([
      [-Math.round(900 * 2 * left), 2],
      [Math.round(900 * 3 * left), 3],
    ]);
    expect(lines.map((l) => l.description?.split(' × ')[0])).toEqual([
      'Unused time on 2',
      'Remaining time on 3',
    ]);
    expect(lines.every((l) => l.period.start === now && l.period.end === end)).toBe(true);
    // The next period at 3 seats, plus the prorations.
    expect(inv.total).toBe(900 * 3 + lines.reduce((n, l) => n + l.amount, 0));
    // The renewal invoices them: the next preview has none.
    await standIn.endPeriod(sub.id);
    expect(prorations(await preview(sub))).toEqual([]);
  });

  it('proration_behavior none makes none', async () => {
    const sub = await paid(2);
    await sdk().subscriptionItems.update(sub.items.data[0]!.id, {
      quantity: 5,
      proration_behavior: 'none',
    });
    expect(prorations(await preview(sub))).toEqual([]);
  });
});

describe('required parameters', () => {
  const refusal = async (call: () => Promise<unknown>) => {
    try {
      await call();
    } catch (e) {
      const err = e as { statusCode?: number; code?: string; param?: string; type?: string };
      return [err.statusCode, err.type, err.code, err.param];
    }
    return 'accepted';
  };

  it('a portal session without customer: 400 parameter_missing customer', async () => {
    expect(
      await refusal(() =>
        sdk().billingPortal.sessions.create({} as Stripe.BillingPortal.SessionCreateParams),
      ),
    ).toEqual([400, 'StripeInvalidRequestError', 'parameter_missing', 'customer']);
  });

  it('a subscription without customer or items: 400 parameter_missing naming each', async () => {
    const customer = await sdk().customers.create({ name: 'Acme' });
    expect(
      await refusal(() =>
        sdk().subscriptions.create({
          items: [{ price: 'price_team' }],
        } as Stripe.SubscriptionCreateParams),
      ),
    ).toEqual([400, 'StripeInvalidRequestError', 'parameter_missing', 'customer']);
    expect(
      await refusal(() =>
        sdk().subscriptions.create({ customer: customer.id } as Stripe.SubscriptionCreateParams),
      ),
    ).toEqual([400, 'StripeInvalidRequestError', 'parameter_missing', 'items']);
  });

  it('a subscription-mode Checkout without line_items: 400 parameter_missing line_items', async () => {
    expect(
      await refusal(() =>
        sdk().checkout.sessions.create({
          mode: 'subscription',
          success_url: 'https://app.example/ok',
        }),
      ),
    ).toEqual([400, 'StripeInvalidRequestError', 'parameter_missing', 'line_items']);
  });
});
