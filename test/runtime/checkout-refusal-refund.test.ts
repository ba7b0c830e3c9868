/**
 * A Checkout opened before a Marketplace landing and paid after it is refused and its subscription canceled
 * (checkout-refusal.ts) — and what the customer paid comes back: the refused subscription's latest invoice's payment
 * refunded (`POST /v1/refunds { payment_intent }`, found through the invoice's payments at the pinned API version),
 * once whatever the redeliveries, audited; a refund Stripe refuses (refunded in the Dashboard first:
 * `charge_already_refunded`) is audited and answered 2xx. The real routes of support/channel-app.ts on the local Cosmos
 * DB server, the Stripe and Marketplace stand-ins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeSubscriptions } from '../../src/runtime/billing/stripe-subscriptions-sdk.js';
import { actingAs } from '../model/billing-app.js';
import { CHANNEL_KEY, type ChannelApp, startChannelApp } from './support/channel-app.js';
import { invoke } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { landedIn } from './support/marketplace-app.js';

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

/** `org` on free, `owner` its Owner, a Checkout of `pro` opened, then a Marketplace purchase landed on it. */
async function refusedLater(org: string, owner: string): Promise<string> {
  await both.app.tenants.items.upsert({
    id: org,
    plan: 'free',
    status: 'active',
    createdOn: at,
    updatedOn: at,
  });
  await both.app.members.items.upsert({
    id: `${org}|${owner}`,
    tenant: org,
    userId: owner,
    roles: ['Owner'],
    addedOn: at,
    via: 'created',
  });
  const opened = await invoke(
    both.app.handler('atakora-tenant-billing-checkout'),
    'POST',
    'tenant/billing/checkout',
    { headers: actingAs(owner, org), body: { plan: 'pro' } },
  );
  expect(opened.status).toBe(200);
  const session = [...both.stripe.billing.sessions.values()]
    .filter((s) => s['client_reference_id'] === org)
    .map((s) => String(s['id']))
    .at(-1);
  const { token } = both.app.standIn.purchase({ planId: 'pro-monthly' });
  expect(landedIn(await both.app.land(token, owner, { organization: org }))).toBe(org);
  return session ?? '';
}

/** The PaymentIntent that paid `session`'s subscription's latest invoice. */
function paymentOf(session: string): string {
  const sub = both.stripe.billing.subscriptions.get(
    String(both.stripe.billing.sessions.get(session)?.['subscription']),
  );
  const invoice = String(sub?.['latest_invoice']);
  const paid = both.stripe.billing.payments.invoicePayments.find((p) => p['invoice'] === invoice);
  return String((paid?.['payment'] as { payment_intent: string }).payment_intent);
}

const refundsOf = (pi: string) =>
  both.stripe.billing.payments.refunds.filter((r) => r['payment_intent'] === pi);

const refusalAudit = async (org: string) =>
  (
    await both.app.audit.items
      .query<{ changes: Record<string, unknown> }>({
        query: 'SELECT * FROM c WHERE c.tenant = @t',
        parameters: [{ name: '@t', value: org }],
      })
      .fetchAll()
  ).resources.find((e) => e.changes['refused'] !== undefined);

const completedEvent = (session: string) =>
  both.stripe.stripeEvents.find(
    (e) =>
      e.type === 'checkout.session.completed' && (e.data.object as { id?: string }).id === session,
  );

describe('a refused Checkout is refunded', () => {
  it('its paid invoice refunded whole, once, however often Stripe redelivers; audited', async () => {
    const session = await refusedLater('refund-1', 'ada');
    await both.stripe.completeCheckout(session);
    await both.stripe.settled();
    const pi = paymentOf(session);
    expect(refundsOf(pi)).toEqual([
      expect.objectContaining({ amount: 2900, status: 'succeeded', payment_intent: pi }),
    ]);
    const event = completedEvent(session);
    const again = await both.stripe.resend(event?.id ?? '');
    expect(again.status).toBe(200);
    expect(refundsOf(pi)).toHaveLength(1);
    expect((await refusalAudit('refund-1'))?.changes).toMatchObject({
      canceled: true,
      refunds: [{ paymentIntent: pi, refund: refundsOf(pi)[0]?.['id'], amount: 2900 }],
    });
  });

  it('refunded in the Dashboard first: Stripe refuses ours (charge_already_refunded), audited, 2xx', async () => {
    const session = await refusedLater('refund-2', 'bea');
    const hook = both.stripe.webhook;
    both.stripe.webhook = null;
    await both.stripe.completeCheckout(session);
    const pi = paymentOf(session);
    expect(both.stripe.billing.payments.refundAll(pi).status).toBe(200);
    both.stripe.webhook = hook;
    const delivered = await both.stripe.resend(completedEvent(session)?.id ?? '');
    expect(delivered.status).toBe(200);
    expect(refundsOf(pi)).toHaveLength(1);
    expect((await refusalAudit('refund-2'))?.changes).toMatchObject({
      refunds: [{ paymentIntent: pi, refused: { code: 'charge_already_refunded' } }],
    });
  });

  it('the same idempotency key twice (a crash between refund and record): one refund', async () => {
    const session = await refusedLater('refund-3', 'cy');
    const hook = both.stripe.webhook;
    both.stripe.webhook = null;
    await both.stripe.completeCheckout(session);
    both.stripe.webhook = hook;
    const sub = String(both.stripe.billing.sessions.get(session)?.['subscription']);
    const stripe = stripeSubscriptions({ key: CHANNEL_KEY, apiBase: both.stripe.base });
    const first = await stripe.refundLatestInvoice(sub, `atakora-refund:${sub}`);
    const second = await stripe.refundLatestInvoice(sub, `atakora-refund:${sub}`);
    expect(second).toEqual(first);
    expect(refundsOf(paymentOf(session))).toHaveLength(1);
  });
});
