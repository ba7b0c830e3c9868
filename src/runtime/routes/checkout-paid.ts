import type { HttpResponseInit } from '@azure/functions';
import type { TenantRecord } from '../../contract/tenants.js';
import {
  subscriptionLifeOf,
  subscriptionLives,
  subscriptionNext,
} from '../../model/lives/subscription-life.js';
import type { SubscriptionsStripe } from '../billing/subscriptions-port.js';
import { problemResponse } from '../http/response.js';
import { linkSession } from './stripe-webhook.js';
import type { SubscriptionsApi } from './subscriptions-wiring.js';

/**
 * A live subscription on the record (subscription-life.ts): 409 `subscription-exists` — one subscription per
 * organization, the portal changes plans — else undefined.
 *
 * @example
 * ```ts
 * stillSubscribed(record)?.status; // 409 while record.billing.subscription is active
 * ```
 */
export function stillSubscribed(record: TenantRecord | undefined): HttpResponseInit | undefined {
  const sub = record?.billing?.subscription;
  const life = sub ? subscriptionLifeOf(sub.status, sub.cancelAtPeriodEnd === true) : 'none';
  const next = subscriptionNext(life, 'checkout-opened');
  if (next.ok) return undefined;
  return problemResponse(
    'subscription-exists',
    `${record?.id ?? 'The organization'} has a live subscription (${sub?.status ?? ''}): change or cancel its plan ` +
      'in the Customer Portal (POST api/tenant/billing/portal) — a second Checkout would bill twice.',
  );
}

/**
 * The organization's earlier Checkouts (`sessions`, kept on its record and expired just now) read back from Stripe:
 * one paid whose subscription lives is linked here, as its `checkout.session.completed` would link it (stripe-webhook.ts
 * `linkSession`), and the new Checkout answers 409 `subscription-exists`. Stripe retries an undelivered event "for up
 * to three days" (docs.stripe.com/webhooks, "Automatic retries"): meanwhile the Owner still sees the organization
 * unpaid and opens another Checkout, which the record alone let through — a second subscription billed beside the
 * first, and a second trial ("Expire a Checkout Session" expires only an open one: a paid one stays paid). Read after
 * the expiry, so one paid while the new Checkout opened is seen too. A paid one whose subscription ended is left to
 * its event. Undefined: none holds the new Checkout back.
 *
 * @example
 * ```ts
 * await paidCheckout(api, stripe, 'acme', ['cs_old']); // 409 subscription-exists once cs_old's subscription is linked
 * ```
 */
export async function paidCheckout(
  api: SubscriptionsApi,
  stripe: SubscriptionsStripe,
  tenant: string,
  sessions: readonly string[],
): Promise<HttpResponseInit | undefined> {
  for (const id of sessions) {
    const session = await stripe.session(id);
    if (session?.status !== 'complete' || session.clientReferenceId !== tenant) continue;
    const sub = session.subscription ? await stripe.subscription(session.subscription) : undefined;
    if (!sub || !subscriptionLives(subscriptionLifeOf(sub.status, sub.cancelAtPeriodEnd))) continue;
    await linkSession(api, stripe, session, `checkout:${session.id}`);
    const held = stillSubscribed((await api.admin.read(tenant))?.record);
    if (held) return held;
  }
  return undefined;
}
