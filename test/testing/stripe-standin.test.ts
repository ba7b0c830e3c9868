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
