/**
 * A Checkout paid whose webhook is late (Stripe retries an undelivered event "for up to three days", docs.stripe.com
 * /webhooks, "Automatic retries") is the organization's subscription all the same: the Owner, still seeing the free
 * plan, opens another Checkout — it must not open a second subscription (billed twice) nor a second trial. Against the
 * real runtime on the local Cosmos DB server and the Stripe stand-in through the official `stripe` SDK.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actingAs,
  type BillingApp,
  seedOrganization,
  startTeamSeatsApp,
} from '../model/billing-app.js';
import { invoke, type Reply } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const at = '2026-01-01T00:00:00.000Z';
let cosmos: LocalCosmos;
let app: BillingApp;

async function organization(org: string): Promise<void> {
  await seedOrganization(app, org, `${org}-owner`, at);
}

const checkout = (org: string, plan: string): Promise<Reply> =>
  invoke(app.handler('atakora-tenant-billing-checkout'), 'POST', 'tenant/billing/checkout', {
    headers: actingAs(`${org}-owner`, org),
    body: { plan },
  });
const lastSession = () => [...app.standIn.billing.sessions.values()].at(-1) ?? {};

/** The organization's subscriptions Stripe holds, live or not (each Checkout paid made one). */
const subscriptionsOf = (customers: readonly unknown[]) =>
  [...app.standIn.billing.subscriptions.values()].filter((s) => customers.includes(s['customer']));

interface Stored {
  plan: string;
  billing?: {
    stripeCustomerId?: string;
    subscription?: { id: string; status: string };
    trialUsed?: boolean;
  };
}
const recordOf = async (org: string) =>
  (await app.tenants.item(org, org).read()).resource as Stored;

/** Stripe's endpoint unreachable while `act` runs: its events wait for a retry (`resend`). */
async function undelivered(act: () => Promise<void>): Promise<string[]> {
  const hook = app.standIn.webhook;
  const before = app.standIn.stripeEvents.length;
  app.standIn.webhook = null;
  try {
    await act();
  } finally {
    app.standIn.webhook = hook;
  }
  return app.standIn.stripeEvents.slice(before).map((e) => e.id);
}

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await startTeamSeatsApp(cosmos);
});
afterAll(async () => {
  await app?.close();
  await cosmos?.stop();
});

describe('a Checkout paid whose webhook is late', () => {
  it('a second Checkout is refused (409 subscription-exists) and the paid one linked: one subscription, one trial', async () => {
    await organization('late');
    expect((await checkout('late', 'team')).status).toBe(200);
    const first = lastSession();
    expect(first['trial_period_days']).toBe('14');
    const held = await undelivered(() => app.standIn.completeCheckout(String(first['id'])));
    expect(held.length).toBeGreaterThan(0);
    // The Owner sees the free plan still and checks out again (before: 200, a second trial, two subscriptions).
    const again = await checkout('late', 'team');
    expect([again.status, again.body['type']]).toEqual([
      409,
      'urn:atakora:problem:subscription-exists',
    ]);
    const record = await recordOf('late');
    expect(record.plan).toBe('team');
    expect(record.billing?.subscription?.status).toBe('trialing');
    expect(record.billing?.trialUsed).toBe(true);
    // Stripe's retries arrive: they change nothing more.
    for (const id of held) expect((await app.standIn.resend(id)).status).toBe(200);
    const after = await recordOf('late');
    expect([after.plan, after.billing?.subscription?.id]).toEqual([
      'team',
      record.billing?.subscription?.id,
    ]);
    const live = subscriptionsOf([after.billing?.stripeCustomerId]).filter((s) =>
      ['active', 'trialing'].includes(String(s['status'])),
    );
    expect(live.length).toBe(1);
  });

  it('a paid Checkout whose subscription was canceled meanwhile does not hold the next one back', async () => {
    await organization('gone');
    expect((await checkout('gone', 'pro')).status).toBe(200);
    const first = lastSession();
    await undelivered(async () => {
      await app.standIn.completeCheckout(String(first['id']));
      await app.standIn.cancelSubscription(String(first['subscription']));
    });
    const again = await checkout('gone', 'pro');
    expect(again.status).toBe(200);
  });
  it('its events delivered in reverse, customer.subscription.deleted before checkout.session.completed: the trial used, nothing live', async () => {
    await organization('reverse');
    expect((await checkout('reverse', 'team')).status).toBe(200);
    const first = lastSession();
    const held = await undelivered(async () => {
      await app.standIn.completeCheckout(String(first['id']));
      await app.standIn.cancelSubscription(String(first['subscription']));
    });
    // Stripe does not guarantee delivery "in the order in which they're generated" (docs.stripe.com/webhooks,
    // "Event ordering"): the newest first.
    for (const id of [...held].reverse()) expect((await app.standIn.resend(id)).status).toBe(200);
    const record = await recordOf('reverse');
    expect([record.plan, record.billing?.subscription?.status, record.billing?.trialUsed]).toEqual([
      'free',
      'canceled',
      true,
    ]);
    // A new Checkout opens, without a second trial.
    expect((await checkout('reverse', 'team')).status).toBe(200);
    expect(lastSession()['trial_period_days']).toBeNull();
  });
});
