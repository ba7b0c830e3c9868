import type { SubscriptionState } from '../../contract/tenant-billing.js';
import type { TenantRecord } from '../../contract/tenants.js';
import type { RuntimeSubscriptions } from '../../model/runtime-manifest.js';
import { afterSubscription } from '../../model/lives/organization-billing.js';
import { type OrganizationLife, organizationLifeOf } from '../../model/lives/organization-life.js';
import { recordInLife } from '../../model/lives/organization-record.js';
import { subscriptionLifeOf, subscriptionLives } from '../../model/lives/subscription-life.js';
import type { StripeSubscription } from './subscriptions-port.js';

/** How many applied event ids a record keeps: Stripe retries an event for up to three days, far fewer than this. */
export const KEPT_EVENT_IDS = 50;

const iso = (seconds: number | undefined) =>
  seconds === undefined ? undefined : new Date(seconds * 1000).toISOString();

/**
 * The subscription as the record keeps it: its id, Stripe's status, its price, period and a cancel at the period's
 * end.
 *
 * @example
 * ```ts
 * subscriptionStateOf(sub); // { id: 'sub_1', status: 'active', price: 'price_pro', currentPeriodEnd: '…' }
 * ```
 */
export function subscriptionStateOf(sub: StripeSubscription): SubscriptionState {
  const start = iso(sub.periodStart);
  const end = iso(sub.periodEnd);
  const trialEnd = iso(sub.trialEnd);
  return {
    id: sub.id,
    status: sub.status,
    ...(sub.price !== undefined ? { price: sub.price } : {}),
    ...(start !== undefined ? { currentPeriodStart: start } : {}),
    ...(end !== undefined ? { currentPeriodEnd: end } : {}),
    ...(sub.cancelAtPeriodEnd ? { cancelAtPeriodEnd: true as const } : {}),
    ...(trialEnd !== undefined ? { trialEnd } : {}),
    ...(sub.quantity !== undefined ? { quantity: sub.quantity } : {}),
  };
}

/**
 * `record` in `life` (organization-life.ts): active — `suspendedBy` gone; suspended by billing — `suspendedBy:
 * 'billing'`; any other place is the operator's or the Owner's, whose fields billing never writes.
 *
 * @example
 * ```ts
 * inLife(record, 'suspended-by-billing').suspendedBy; // 'billing'
 * ```
 */
export function inLife(record: TenantRecord, life: OrganizationLife): TenantRecord {
  return life === 'active' || life === 'suspended-by-billing' ? recordInLife(record, life) : record;
}

/**
 * `record` after the subscription as read back from Stripe (never the event's copy: a stale or out-of-order event
 * then applies today's state), with `eventId` kept as applied — the organization's place and plan as
 * organization-billing.ts `afterSubscription` decides them (paying: the plan of its price, billing's suspension
 * lifted; ended: `onCanceled`; a deleted organization stays deleted). Which subscription may move the record: without
 * `linking`, only the one it holds (a subscription of its customer it never linked is not its own); with `linking` (a
 * `checkout.session.completed` of a session the record kept), the session's — unless another still lives (one
 * subscription per organization). A record of another customer is never touched. Undefined when nothing applies.
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
  linking?: string,
): TenantRecord | undefined {
  const billing = record.billing;
  if (billing && billing.stripeCustomerId !== sub.customer) return undefined;
  const current = billing?.subscription;
  if (linking === undefined && current?.id !== sub.id) return undefined;
  if (
    linking !== undefined &&
    current &&
    current.id !== sub.id &&
    subscriptionLives(subscriptionLifeOf(current.status, current.cancelAtPeriodEnd === true))
  )
    return undefined;
  const events = [...(billing?.events ?? []), eventId].slice(-KEPT_EVENT_IDS);
  const org = afterSubscription(
    { life: organizationLifeOf(record), plan: record.plan },
    subscriptionLifeOf(sub.status, sub.cancelAtPeriodEnd),
    sub.price !== undefined ? subs.prices[sub.price] : undefined,
    subs.onCanceled,
    defaultPlan,
  );
  const sessions = (record.checkoutSessions ?? []).filter((s) => s !== linking);
  const { checkoutSessions: _kept, ...rest } = inLife(record, org.life);
  return {
    ...rest,
    plan: org.plan,
    ...(sessions.length > 0 ? { checkoutSessions: sessions } : {}),
    billing: {
      stripeCustomerId: sub.customer,
      subscription: subscriptionStateOf(sub),
      events,
      // One trial per organization: kept once any subscription of it had one (a later Checkout opens without).
      ...(billing?.trialUsed || sub.trialStart !== undefined || sub.status === 'trialing'
        ? { trialUsed: true as const }
        : {}),
    },
    updatedOn: now,
  };
}
