import type { SubscriptionState } from '../../contract/tenant-billing.js';
import type { TenantRecord } from '../../contract/tenants.js';
import type { RuntimeSubscriptions } from '../../model/runtime-manifest.js';
import type { StripeSubscription } from './subscriptions-port.js';

/** How many applied event ids a record keeps: Stripe retries an event for up to three days, far fewer than this. */
export const KEPT_EVENT_IDS = 50;

// Statuses that end what the subscription paid for (API reference, "The Subscription object", status): the
// organization then gets tenants.billing.onCanceled.
const ENDED = new Set(['canceled', 'unpaid', 'incomplete_expired', 'paused']);
// Statuses that keep the plan of the price: paid, in trial, or a payment being retried (past_due, shown).
const PAID = new Set(['active', 'trialing', 'past_due']);

const iso = (seconds: number | undefined) =>
  seconds === undefined ? undefined : new Date(seconds * 1000).toISOString();

/**
 * `record` after the subscription as read back from Stripe (never the event's copy: a stale or out-of-order event
 * then applies today's state), with `eventId` kept as applied. Active or trialing: the plan whose price it is;
 * `past_due`: that plan kept, the status shown; unpaid, canceled (or expired, paused): `onCanceled` — the default
 * plan, or suspended *by billing* (`suspendedBy: 'billing'`: its Owners may still pay; a paid subscription resumes
 * it — never a suspension of the operator's or an Owner's deletion, which have no such reason). An ended subscription that is not the organization's current one changes nothing (an old
 * subscription's cancel never downgrades its newer one); a record of another customer is not touched (undefined).
 *
 * @example
 * ```ts
 * subscriptionApplied(record, sub, { webhookSecret: 'S', prices: { price_pro: 'pro' }, onCanceled: 'default-plan' }, 'free', 'evt_1', now);
 * ```
 */
export function subscriptionApplied(
  record: TenantRecord,
  sub: StripeSubscription,
  subs: RuntimeSubscriptions,
  defaultPlan: string,
  eventId: string,
  now: string,
): TenantRecord | undefined {
  const billing = record.billing;
  if (billing && billing.stripeCustomerId !== sub.customer) return undefined;
  const events = [...(billing?.events ?? []), eventId].slice(-KEPT_EVENT_IDS);
  const current = billing?.subscription;
  const ended = ENDED.has(sub.status);
  if (current && current.id !== sub.id && ended && !ENDED.has(current.status))
    return {
      ...record,
      billing: { ...(billing ?? { stripeCustomerId: sub.customer }), events },
      updatedOn: now,
    };
  const start = iso(sub.periodStart);
  const end = iso(sub.periodEnd);
  const state: SubscriptionState = {
    id: sub.id,
    status: sub.status,
    ...(sub.price !== undefined ? { price: sub.price } : {}),
    ...(start !== undefined ? { currentPeriodStart: start } : {}),
    ...(end !== undefined ? { currentPeriodEnd: end } : {}),
  };
  const { suspendedBy, ...kept } = record;
  let { plan, status } = record;
  let reason = suspendedBy;
  if (PAID.has(sub.status)) {
    plan = (sub.price !== undefined ? subs.prices[sub.price] : undefined) ?? plan;
    // Suspended by billing (an earlier cancel under onCanceled 'suspend'): a paid subscription serves it again.
    if (status === 'suspended' && suspendedBy === 'billing') {
      status = 'active';
      reason = undefined;
    }
  } else if (ended) {
    if (subs.onCanceled !== 'suspend') plan = defaultPlan;
    else if (status === 'active') {
      // Only an active organization is suspended *by billing*: an operator's suspension stays theirs.
      status = 'suspended';
      reason = 'billing';
    }
  }
  return {
    ...kept,
    plan,
    status,
    ...(reason !== undefined && status === 'suspended' ? { suspendedBy: reason } : {}),
    billing: { stripeCustomerId: sub.customer, subscription: state, events },
    updatedOn: now,
  };
}
