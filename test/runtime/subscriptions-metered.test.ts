/**
 * Checkout subscribes to the metered prices too (docs/billing.md, "Subscriptions"), against the real runtime on the
 * local Cosmos DB server and the Stripe stand-in through the official `stripe` SDK: the session carries the plan's
 * price and the one active metered price of each meter the usage export sends (no quantity: the stand-in refuses one,
 * as Stripe does), so the subscription has a metered item and Stripe's preview in `GET api/tenant/billing` shows the
 * usage; the webhook still finds the plan by the subscription's flat item, whatever the items' order; a meter with
 * two active prices refuses checkout (409 `billing-meter-price-ambiguous`, naming both) until the operator archives one.
 */
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actingAs as as,
  BILLING_KEY as KEY,
  type BillingApp,
  startBillingApp,
} from '../model/billing-app.js';
import { invoke } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const at = '2026-01-01T00:00:00.000Z';
let cosmos: LocalCosmos;
let app: BillingApp;
let stripe: Stripe;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await startBillingApp(
    cosmos,
    { free: {}, pro: {} },
    { price_pro: 'pro' },
    [
      { id: 'price_pro', unitAmount: 2900 },
      { id: 'price_req', meter: 'api_requests', unitAmountDecimal: '0.5' },
      // A second active price on the same meter: the operator's mistake, archived in the test.
      { id: 'price_req_old', meter: 'api_requests', unitAmountDecimal: '1' },
    ],
    {
      // realtimeMessages has a meter in Stripe but no price: sent, not invoiced, not in the checkout.
      meters: { requests: 'api_requests', realtimeMessages: 'rt_messages' },
    },
  );
  for (const [org, user] of [
    ['acme', 'ada'],
    ['globex', 'gus'],
  ] as const) {
    await app.tenants.items.upsert({
      id: org,
      plan: 'free',
      status: 'active',
      createdOn: at,
      updatedOn: at,
    });
    await app.members.items.upsert({
      id: `${org}|${user}`,
      tenant: org,
      userId: user,
      roles: ['Owner'],
      addedOn: at,
    });
  }
  stripe = new Stripe(KEY, {
    host: '127.0.0.1',
    port: Number(new URL(app.standIn.base).port),
    protocol: 'http',
    telemetry: false,
  });
});
afterAll(async () => {
  await app?.close();
  await cosmos?.stop();
});

const checkout = (user: string, org: string) =>
  invoke(app.handler('atakora-tenant-billing-checkout'), 'POST', 'tenant/billing/checkout', {
    headers: as(user, org),
    body: { plan: 'pro' },
  });
const billing = (user: string, org: string) =>
  invoke(app.handler('atakora-tenant-billing'), 'GET', 'tenant/billing', {
    headers: as(user, org),
  });
const record = async (id: string) =>
  (await app.tenants.item(id, id).read<Record<string, unknown>>()).resource as unknown as {
    plan: string;
    billing?: { stripeCustomerId: string; subscription?: { id: string; price?: string } };
  };

describe('checkout with metered prices', () => {
  it('refuses checkout while a meter has two active prices, naming both and the fix; goes through once one is archived', async () => {
    const refused = await checkout('gus', 'globex');
    expect(refused.status).toBe(409);
    expect(refused.body?.type).toBe('urn:atakora:problem:billing-meter-price-ambiguous');
    expect(String(refused.body?.detail)).toMatch(/api_requests \(price_req, price_req_old\)/);
    expect(String(refused.body?.detail)).toMatch(/archives all but one/);
    expect(app.standIn.billing.sessions.size).toBe(0);
    // The operator archives the old price: the next checkout reads the prices again (an ambiguity is not kept).
    app.standIn.billing.prices.get('price_req_old')!['active'] = false;
    expect((await checkout('gus', 'globex')).status).toBe(200);
  });

  it('subscribes to the plan and to each exported meter’s price; the preview shows the usage', async () => {
    const opened = await checkout('ada', 'acme');
    expect(opened.status).toBe(200);
    const id = /\/c\/pay\/(cs_[A-Za-z0-9]+)$/.exec(String(opened.body?.url))?.[1] ?? '';
    expect(app.standIn.billing.sessions.get(id)?.['prices']).toEqual(['price_pro', 'price_req']);
    await app.standIn.completeCheckout(id);
    const rec = await record('acme');
    expect(rec.plan).toBe('pro');
    const sub = app.standIn.billing.subscriptions.get(rec.billing!.subscription!.id)!;
    const items = (sub['items'] as { data: { price: { id: string }; quantity?: number }[] }).data;
    expect(items.map((i) => [i.price.id, i.quantity])).toEqual([
      ['price_pro', 1],
      ['price_req', undefined],
    ]);
    await stripe.billing.meterEvents.create({
      event_name: 'api_requests',
      payload: { stripe_customer_id: rec.billing!.stripeCustomerId, value: '40' },
      identifier: 'acme-hour-1',
      timestamp: Math.floor(Date.now() / 1000),
    });
    const seen = await billing('ada', 'acme');
    expect(seen.status).toBe(200);
    const lines = (seen.body?.invoice as { lines: { data: Record<string, unknown>[] } }).lines.data;
    const usage = lines.find(
      (l) =>
        (l['pricing'] as { price_details: { price: string } }).price_details.price === 'price_req',
    );
    expect({ quantity: usage?.['quantity'], amount: usage?.['amount'] }).toEqual({
      quantity: 40,
      amount: 20,
    });
  });

  it('finds the plan by the flat item whatever the order of the subscription’s items', async () => {
    const rec = await record('acme');
    const sub = app.standIn.billing.subscriptions.get(rec.billing!.subscription!.id)!;
    const items = sub['items'] as { data: unknown[] };
    items.data.reverse(); // the metered item first, as Stripe does not promise an order
    await app.standIn.updateSubscription(String(sub['id']), { status: 'past_due' });
    const after = await record('acme');
    expect({ plan: after.plan, price: after.billing?.subscription?.price }).toEqual({
      plan: 'pro',
      price: 'price_pro',
    });
  });
});
