/**
 * Subscriptions drive plans (DESIGN §2) against the real runtime on the local Cosmos DB server and the Stripe
 * stand-in of @atakora/component/testing, through the official `stripe` SDK: checkout and the portal by an Owner
 * only with the price the server chooses, the webhook (signed, each event once, state read back from Stripe), the
 * plan following the subscription, and each attack refused — a forged, replayed, stale or too old event, a client
 * naming a price, a session naming another organization's customer.
 */
import type { Container } from '@azure/cosmos';
import type { HttpHandler } from '@azure/functions';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeStandIn } from '../../src/testing/stripe-standin.js';
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
let tenants: Container;
let standIn: StripeStandIn;
let stripe: Stripe;
const handler = (name: string): HttpHandler => app.handler(name);
const record = async (id: string) =>
  (await tenants.item(id, id).read<Record<string, unknown>>()).resource as unknown as {
    plan: string;
    status: string;
    billing?: { stripeCustomerId: string; subscription?: { id: string; status: string } };
  };

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await startBillingApp(
    cosmos,
    { free: { requestsPerMinute: 100 }, pro: { requestsPerMinute: 1000 } },
    { price_pro: 'pro' },
    [
      { id: 'price_pro', unitAmount: 2900 },
      { id: 'price_cheap', unitAmount: 1 },
    ],
  );
  ({ tenants, standIn } = app);
  for (const [org, user, roles] of [
    ['acme', 'ada', ['Owner']],
    ['acme', 'bob', ['Admin']],
    ['acme', 'mel', ['Member']],
    ['globex', 'gus', ['Owner']],
  ] as const) {
    await tenants.items.upsert({
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
      roles,
      addedOn: at,
    });
  }
  stripe = new Stripe(KEY, {
    host: '127.0.0.1',
    port: Number(new URL(standIn.base).port),
    protocol: 'http',
    telemetry: false,
  });
});
afterAll(async () => {
  await app?.close();
  await cosmos?.stop();
});

const checkout = (user: string, org: string, body: unknown) =>
  invoke(handler('atakora-tenant-billing-checkout'), 'POST', 'tenant/billing/checkout', {
    headers: as(user, org),
    body,
  });
const lastSession = () => [...standIn.billing.sessions.values()].at(-1) ?? {};

describe('checkout, the webhook and the plan', () => {
  it('opens a checkout for an Owner only, on the price the server chooses, never the client', async () => {
    expect((await checkout('mel', 'acme', { plan: 'pro' })).body.type).toBe(
      'urn:atakora:problem:access-denied',
    );
    expect((await checkout('bob', 'acme', { plan: 'pro' })).status).toBe(403);
    const free = await checkout('ada', 'acme', { plan: 'free' });
    expect([free.status, free.body.type]).toEqual([400, 'urn:atakora:problem:plan-not-for-sale']);
    // The client names a cheaper price: the session is on the plan's.
    const ok = await checkout('ada', 'acme', { plan: 'pro', price: 'price_cheap' });
    expect(ok.status).toBe(200);
    expect(ok.body.url).toBe(lastSession()['url']);
    expect([
      lastSession()['price'],
      lastSession()['client_reference_id'],
      lastSession()['success_url'],
    ]).toEqual(['price_pro', 'acme', 'https://app.contoso.example/?billing=success']);
  });

  it('puts the organization on the plan when the checkout completes; Owners and Admins see it with the preview', async () => {
    await standIn.completeCheckout(String(lastSession()['id']));
    const r = await record('acme');
    expect([r.plan, r.status, r.billing?.subscription?.status]).toEqual([
      'pro',
      'active',
      'active',
    ]);
    expect(r.billing?.stripeCustomerId).toMatch(/^cus_/);
    const seen = await invoke(handler('atakora-tenant-billing'), 'GET', 'tenant/billing', {
      headers: as('bob', 'acme'),
    });
    expect([seen.status, seen.body.plan, seen.body.status, seen.body.invoice?.total]).toEqual([
      200,
      'pro',
      'active',
      2900,
    ]);
    expect(seen.body.subscription.currentPeriodEnd).toMatch(/^\d{4}-/);
    const tenant = await invoke(handler('tenant-self'), 'GET', 'tenant', {
      headers: as('ada', 'acme'),
    });
    expect(tenant.body.limits).toEqual({ requestsPerMinute: 1000 });
    expect(
      (
        await invoke(handler('atakora-tenant-billing'), 'GET', 'tenant/billing', {
          headers: as('mel', 'acme'),
        })
      ).status,
    ).toBe(403);
    // A second checkout reuses the organization's customer.
    await stripe.subscriptions.cancel(String(r.billing?.subscription?.id));
    await standIn.settled();
    expect((await record('acme')).plan).toBe('free');
    expect((await checkout('ada', 'acme', { plan: 'pro' })).status).toBe(200);
    expect(lastSession()['customer']).toBe(r.billing?.stripeCustomerId);
    await standIn.completeCheckout(String(lastSession()['id']));
    expect((await record('acme')).plan).toBe('pro');
  });

  it('refuses a forged or too old signature (400, nothing said), answers a replay 2xx and applies it once', async () => {
    const completed = standIn.stripeEvents
      .filter((e) => e.type === 'checkout.session.completed')
      .at(-1);
    const forged = await standIn.resend(String(completed?.id), { secret: 'whsec_forged' });
    expect(forged.status).toBe(400);
    const old = await standIn.resend(String(completed?.id), {
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });
    expect(old.status).toBe(400);
    const before = await record('acme');
    const replay = await standIn.resend(String(completed?.id));
    expect(replay.status).toBe(200);
    const after = await record('acme');
    expect(after.plan).toBe(before.plan);
    expect((after as { updatedOn?: string }).updatedOn).toBe(
      (before as { updatedOn?: string }).updatedOn,
    );
  });

  it('keeps the plan and shows past_due; never applies a stale event over a newer state; canceled → the default plan', async () => {
    const sub = String((await record('acme')).billing?.subscription?.id);
    await standIn.updateSubscription(sub, { status: 'past_due' });
    const r = await record('acme');
    expect([r.plan, r.billing?.subscription?.status]).toEqual(['pro', 'past_due']);
    const seen = await invoke(handler('atakora-tenant-billing'), 'GET', 'tenant/billing', {
      headers: as('ada', 'acme'),
    });
    expect(seen.body.status).toBe('past_due');
    // An "active" event held back (a delivery delayed), the cancel delivered first, then the stale one arrives.
    const hook = standIn.webhook;
    standIn.webhook = null;
    await standIn.updateSubscription(sub, { status: 'active' });
    const stale = standIn.stripeEvents.at(-1);
    standIn.webhook = hook;
    await standIn.cancelSubscription(sub);
    expect((await record('acme')).plan).toBe('free');
    expect((await standIn.resend(String(stale?.id))).status).toBe(200);
    const last = await record('acme');
    expect([last.plan, last.billing?.subscription?.status]).toEqual(['free', 'canceled']);
  });

  it("links nothing when a session names another organization's customer", async () => {
    const acme = String((await record('acme')).billing?.stripeCustomerId);
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: acme,
      client_reference_id: 'globex',
      line_items: [{ price: 'price_pro', quantity: 1 }],
      success_url: 'https://app.contoso.example/',
    });
    await standIn.completeCheckout(session.id);
    const globex = await record('globex');
    expect([globex.plan, globex.billing]).toEqual(['free', undefined]);
  });

  it('links nothing through a session its Owner never opened: the webhook trusts no metadata, only a kept session', async () => {
    // A session made straight on Stripe (anyone with the account's key, or a replay of one) naming globex.
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      client_reference_id: 'globex',
      line_items: [{ price: 'price_pro', quantity: 1 }],
      success_url: 'https://app.contoso.example/',
      subscription_data: { metadata: { atakora_tenant: 'globex' } },
    });
    await standIn.completeCheckout(session.id);
    const globex = await record('globex');
    expect([globex.plan, globex.billing]).toEqual(['free', undefined]);
    // Its subscription's later events name a customer no organization holds: its metadata links nothing either.
    const sub = String(standIn.billing.sessions.get(session.id)?.['subscription']);
    await standIn.updateSubscription(sub, { status: 'active' });
    await standIn.endPeriod(sub);
    expect([(await record('globex')).plan, (await record('globex')).billing]).toEqual([
      'free',
      undefined,
    ]);
    expect(standIn.deliveries.slice(-4).every((d) => d.status === 200)).toBe(true);
  });

  it('records every change the webhook makes in the audit log, as the webhook', async () => {
    const { resources } = await app.audit.items
      .query<{
        action: string;
        actor: { id: string; via: string };
        changes?: Record<string, unknown>;
      }>({
        query: "SELECT * FROM c WHERE c.tenant = 'acme' AND c.actor.via = 'webhook'",
      })
      .fetchAll();
    const actions = new Set(resources.map((e) => e.action));
    expect([...actions].sort()).toEqual([
      'organization.billing-changed',
      'organization.plan-changed',
    ]);
    expect(
      resources.every((e) => e.actor.id === 'stripe' && typeof e.changes?.['event'] === 'string'),
    ).toBe(true);
    expect(
      resources.find((e) => e.action === 'organization.plan-changed')?.changes?.['plan'],
    ).toEqual({ from: 'free', to: 'pro' });
  });

  it('opens the portal for an Owner with a customer; 409 without one', async () => {
    const portal = (user: string, org: string) =>
      invoke(handler('atakora-tenant-billing-portal'), 'POST', 'tenant/billing/portal', {
        headers: as(user, org),
      });
    const ok = await portal('ada', 'acme');
    expect(ok.body.url).toMatch(/\/p\/session\/bps_/);
    const none = await portal('gus', 'globex');
    expect([none.status, none.body.type]).toEqual([
      409,
      'urn:atakora:problem:billing-customer-missing',
    ]);
  });
});
