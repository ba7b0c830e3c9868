import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeStandIn, type StripeStandIn } from '../../src/entry/testing.js';

// The Stripe stand-in users run (@atakora/component/testing), driven by the official SDK: checkout, portal,
// subscriptions, the invoice preview, and webhooks the SDK's own constructEvent verifies.
const KEY = 'sk_test_standin';
const SECRET = 'whsec_standin_secret';
let standIn: StripeStandIn;
let stripe: Stripe;
let receiver: Server;
const received: { type: string; status: string | undefined }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const event = stripe.webhooks.constructEvent(
          Buffer.concat(chunks),
          String(req.headers['stripe-signature']),
          SECRET,
        );
        const object = event.data.object as { status?: string };
        received.push({ type: event.type, status: object.status });
        res.writeHead(200).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const { port } = receiver.address() as AddressInfo;
  standIn = await startStripeStandIn({
    key: KEY,
    prices: [{ id: 'price_pro', unitAmount: 2900 }],
    webhook: { url: `http://127.0.0.1:${String(port)}/hook`, secret: SECRET },
  });
  stripe = new Stripe(KEY, {
    host: '127.0.0.1',
    port: Number(new URL(standIn.base).port),
    protocol: 'http',
    telemetry: false,
  });
});
afterAll(async () => {
  await standIn.close();
  await new Promise((r) => receiver.close(r));
});

describe('the Stripe stand-in through the official SDK', () => {
  it('checks out, previews, changes and cancels a subscription, each event delivered signed', async () => {
    const customer = await stripe.customers.create({ email: 'owner@contoso.example' });
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      client_reference_id: 'contoso',
      line_items: [{ price: 'price_pro', quantity: 1 }],
      success_url: 'http://localhost/ok',
    });
    expect(session.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/c\/pay\/cs_/);
    await standIn.completeCheckout(session.id);
    const done = await stripe.checkout.sessions.retrieve(session.id);
    expect(done.status).toBe('complete');
    const sub = await stripe.subscriptions.retrieve(String(done.subscription));
    expect(sub.status).toBe('active');
    expect(sub.items.data[0]?.price.id).toBe('price_pro');
    const preview = await stripe.invoices.createPreview({ customer: customer.id });
    expect(preview.total).toBe(2900);
    const portal = await stripe.billingPortal.sessions.create({
      customer: customer.id,
      return_url: 'http://localhost/back',
    });
    expect(portal.url).toMatch(/\/p\/session\/bps_/);
    await standIn.updateSubscription(sub.id, { status: 'past_due' });
    await stripe.subscriptions.cancel(sub.id);
    await standIn.settled();
    expect(received).toEqual([
      { type: 'customer.created', status: undefined },
      { type: 'customer.subscription.created', status: 'active' },
      { type: 'checkout.session.completed', status: 'complete' },
      { type: 'customer.subscription.updated', status: 'past_due' },
      { type: 'customer.subscription.deleted', status: 'canceled' },
    ]);
    expect(standIn.deliveries.every((d) => d.status === 200)).toBe(true);
    // Signed with another secret, the SDK refuses it.
    const forged = await standIn.resend(standIn.stripeEvents[1]?.id ?? '', {
      secret: 'whsec_other',
    });
    expect(forged.status).toBe(400);
  });

  it('answers an unknown price or customer as Stripe does', async () => {
    await expect(
      stripe.checkout.sessions.create({
        mode: 'subscription',
        line_items: [{ price: 'price_nope', quantity: 1 }],
        success_url: 'http://localhost/ok',
      }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'resource_missing' });
    await expect(stripe.customers.retrieve('cus_nope')).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('the stand-in prices metered usage and refuses unknown customers later, as Stripe does', () => {
  let metered: StripeStandIn;
  let sdk: Stripe;
  beforeAll(async () => {
    metered = await startStripeStandIn({
      key: KEY,
      meters: ['api_requests', 'request_units'],
      refuseCustomers: ['cus_Gone'],
      prices: [
        { id: 'price_pro', unitAmount: 2900, product: 'prod_pro' },
        { id: 'price_req', meter: 'api_requests', unitAmountDecimal: '0.5', product: 'prod_pro' },
        {
          id: 'price_ru',
          meter: 'request_units',
          product: 'prod_pro',
          tiersMode: 'graduated',
          tiers: [
            { upTo: 2, unitAmountDecimal: '0' },
            { upTo: null, unitAmountDecimal: '7' },
          ],
          transformQuantity: { divideBy: 10, round: 'up' },
        },
        { id: 'price_old', meter: 'api_requests', unitAmountDecimal: '9', active: false },
      ],
    });
    sdk = new Stripe(KEY, {
      host: '127.0.0.1',
      port: Number(new URL(metered.base).port),
      protocol: 'http',
      telemetry: false,
    });
  });
  afterAll(() => metered.close());

  it('lists its prices, metered ones on their meter', async () => {
    const meters = await sdk.billing.meters.list();
    const req = meters.data.find((m) => m.event_name === 'api_requests');
    const active = await sdk.prices.list({ active: true });
    expect(active.data.map((p) => p.id)).toEqual(['price_pro', 'price_req', 'price_ru']);
    const price = await sdk.prices.retrieve('price_req');
    expect([price.recurring?.usage_type, price.recurring?.meter]).toEqual(['metered', req?.id]);
  });

  it("previews each metered item as its meter's quantity × its price, beside the plan's fee", async () => {
    const customer = await sdk.customers.create({ name: 'Contoso' });
    const sub = await sdk.subscriptions.create({
      customer: customer.id,
      items: [{ price: 'price_pro' }, { price: 'price_req' }, { price: 'price_ru' }],
    });
    const at = Math.floor(Date.now() / 1000);
    const send = (event_name: string, value: number, identifier: string) =>
      sdk.billing.meterEvents.create({
        event_name,
        identifier,
        timestamp: at,
        payload: { stripe_customer_id: customer.id, value: String(value) },
      });
    await send('api_requests', 30, 'a:1');
    await send('api_requests', 3, 'a:2');
    await send('request_units', 41, 'r:1');
    const preview = await sdk.invoices.createPreview({
      customer: customer.id,
      subscription: sub.id,
    });
    const lines = preview.lines.data.map((l) => [
      l.pricing?.price_details?.price,
      l.quantity,
      l.amount,
    ]);
    // 33 requests × 0.5¢ = 16.5 → 17; 41 RU → 5 blocks of 10 begun: 2 free, 3 × 7¢ = 21.
    expect(lines).toEqual([
      ['price_pro', 1, 2900],
      ['price_req', 33, 17],
      ['price_ru', 41, 21],
    ]);
    expect(preview.total).toBe(2938);
  });

  it("takes an unknown customer's meter event, then reports it refused in v2 events", async () => {
    await sdk.billing.meterEvents.create({
      event_name: 'api_requests',
      identifier: 'gone:1',
      payload: { stripe_customer_id: 'cus_Gone', value: '5' },
    });
    expect(metered.creates.at(-1)).toEqual({ status: 200, identifier: 'gone:1' });
    const meters = await sdk.billing.meters.list();
    const id = meters.data.find((m) => m.event_name === 'api_requests')?.id ?? '';
    const reports = [];
    for await (const e of sdk.v2.core.events.list({
      object_id: id,
      types: ['v1.billing.meter.error_report_triggered'],
    }))
      reports.push(e);
    expect(reports).toHaveLength(1);
    const data = (reports[0] as { data: { reason: { error_types: unknown[] } } }).data;
    expect(data.reason.error_types).toEqual([
      expect.objectContaining({
        code: 'meter_event_customer_not_found',
        error_count: 1,
        sample_errors: [expect.objectContaining({ request: { identifier: 'gone:1' } })],
      }),
    ]);
    expect(metered.events.some((e) => e.identifier === 'gone:1')).toBe(false);
  });
});

describe('a restricted key and Stripe’s lag, as the stand-in answers them', () => {
  it('a restricted key is refused 403 outside its permissions, naming the permission; write implies read', async () => {
    const RK = 'rk_test_51HstandinRestricted0042';
    const s = await startStripeStandIn({
      key: KEY,
      meters: ['api_requests'],
      restrictedKeys: { [RK]: ['rak_billing_meter_read', 'rak_checkout_session_write'] },
    });
    try {
      const port = Number(new URL(s.base).port);
      const rk = new Stripe(RK, { host: '127.0.0.1', port, protocol: 'http', telemetry: false });
      // Allowed: the meters, and a checkout session read (write implies read: 404 about the session, not 403).
      expect((await rk.billing.meters.list()).data.map((m) => m.event_name)).toEqual([
        'api_requests',
      ]);
      const missing = await rk.checkout.sessions.retrieve('cs_none').catch((e: unknown) => e);
      expect(missing).toMatchObject({ statusCode: 404 });
      const refused = (await rk.billing.meterEvents
        .create({
          event_name: 'api_requests',
          payload: { stripe_customer_id: 'cus_A1', value: '1' },
        })
        .catch((e: unknown) => e)) as Stripe.errors.StripeError;
      expect(refused.type).toBe('StripePermissionError');
      expect(refused.statusCode).toBe(403);
      expect(refused.message).toMatch(
        /^The provided key 'rk_test_\*+ed0042' does not have the required permissions for this endpoint on account '.+'\. Having the 'rak_billing_meter_event_write' permission would allow this request to continue\.$/,
      );
      expect(refused.message).not.toContain(RK);
      // Nothing was taken.
      expect(s.events).toHaveLength(0);
      // An unknown key is still 401, never a permission error.
      const other = new Stripe('rk_test_unknown', {
        host: '127.0.0.1',
        port,
        protocol: 'http',
        telemetry: false,
      });
      expect(await other.prices.list().catch((e: unknown) => e)).toMatchObject({ statusCode: 401 });
    } finally {
      await s.close();
    }
  });

  it('summaryLagMs keeps a taken event out of the summaries until it has aged, as Stripe aggregates asynchronously', async () => {
    let clock = Date.UTC(2026, 10, 25, 10, 30);
    const s = await startStripeStandIn({
      key: KEY,
      meters: ['api_requests'],
      summaryLagMs: 60_000,
      now: () => clock,
    });
    try {
      const sdk = new Stripe(KEY, {
        host: '127.0.0.1',
        port: Number(new URL(s.base).port),
        protocol: 'http',
        telemetry: false,
      });
      await sdk.billing.meterEvents.create({
        event_name: 'api_requests',
        payload: { stripe_customer_id: 'cus_A1', value: '3' },
        timestamp: clock / 1000 - 60,
      });
      const meter = (await sdk.billing.meters.list()).data[0]?.id ?? '';
      const hour = Date.UTC(2026, 10, 25, 10) / 1000;
      const summed = async () =>
        (
          await sdk.billing.meters.listEventSummaries(meter, {
            customer: 'cus_A1',
            start_time: hour,
            end_time: hour + 3600,
            value_grouping_window: 'hour',
          })
        ).data.map((x) => x.aggregated_value);
      expect(await summed()).toEqual([]);
      clock += 60_000;
      expect(await summed()).toEqual([3]);
    } finally {
      await s.close();
    }
  });
});
