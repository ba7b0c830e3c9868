import type { TenantRecord } from '../../contract/tenants.js';
import type { RuntimeSubscriptions } from '../../model/runtime-manifest.js';
import { subscriptionOnDelete, undeleteOutcome } from '../../model/lives/organization-billing.js';
import { subscriptionLifeOf, subscriptionLives } from '../../model/lives/subscription-life.js';
import { subscriptionInLife } from '../../model/lives/subscription-record.js';
import { inLife, subscriptionStateOf } from './subscription-state.js';
import type { StripeSubscription, SubscriptionsStripe } from './subscriptions-port.js';

/**
 * What an Owner's delete and undelete and the erase ask of billing (DESIGN §2, "One life per organization, person
 * and subscription": billing composes with deletion): the subscriptions' configuration and Stripe (undefined when
 * the key is unset or unresolved).
 */
export interface OrganizationSubscriptions {
  readonly subscriptions: RuntimeSubscriptions;
  stripe(): Promise<SubscriptionsStripe | undefined>;
}

/** Stripe was needed and is not there (no key): the caller answers 503 `billing-unavailable`, nothing changed. */
export const BILLING_UNAVAILABLE = 'unavailable' as const;

const lifeOfRead = (sub: StripeSubscription | undefined) =>
  sub ? subscriptionLifeOf(sub.status, sub.cancelAtPeriodEnd) : 'canceled';

const withoutSessions = (record: TenantRecord): TenantRecord => {
  const { checkoutSessions: _open, ...rest } = record;
  return rest;
};

/**
 * The record's billing once an Owner deleted the organization: its open Checkouts expired (none can be paid any
 * more), and a live subscription set to cancel at the period's end (organization-billing.ts `subscriptionOnDelete`:
 * paid for until then, never renewed — Stripe's `cancel_at_period_end`), as Stripe then holds it. Stripe needed
 * and unreachable: {@link BILLING_UNAVAILABLE}, nothing changed.
 *
 * @example
 * ```ts
 * const next = await billingOnDelete(api.billing, record); // record.billing.subscription.cancelAtPeriodEnd: true
 * ```
 */
export async function billingOnDelete(
  port: OrganizationSubscriptions | undefined,
  record: TenantRecord,
): Promise<TenantRecord | typeof BILLING_UNAVAILABLE> {
  const sub = record.billing?.subscription;
  const sessions = record.checkoutSessions ?? [];
  if (!sub && sessions.length === 0) return record;
  const stripe = await port?.stripe();
  if (!stripe) return BILLING_UNAVAILABLE;
  for (const id of sessions) await stripe.expire(id);
  if (!sub || !record.billing) return withoutSessions(record);
  let read = await stripe.subscription(sub.id);
  if (read && subscriptionOnDelete(lifeOfRead(read)) === 'cancel-at-period-end')
    read = (await stripe.cancelAtPeriodEnd(sub.id, true)) ?? read;
  return {
    ...withoutSessions(record),
    billing: { ...record.billing, ...(read ? { subscription: subscriptionStateOf(read) } : {}) },
  };
}

/**
 * The record an undelete makes of a deleted one (`deleteOn` already taken off), from its subscription as Stripe
 * holds it now (organization-billing.ts `undeleteOutcome`): still scheduled to cancel → resumed (`cancel_at_period_end:
 * false`) and active; live otherwise → active; ended (or gone) → `onCanceled` as the webhook would have applied it —
 * active on `defaultPlan`, or suspended by billing; none → active. Stripe needed and unreachable:
 * {@link BILLING_UNAVAILABLE}.
 *
 * @example
 * ```ts
 * const next = await billingOnUndelete(api.billing, record, 'free'); // { …, status: 'suspended', suspendedBy: 'billing' }
 * ```
 */
export async function billingOnUndelete(
  port: OrganizationSubscriptions | undefined,
  record: TenantRecord,
  defaultPlan: string,
): Promise<TenantRecord | typeof BILLING_UNAVAILABLE> {
  const sub = record.billing?.subscription;
  if (!sub || !record.billing || !port) return inLife(record, 'active');
  const stripe = await port.stripe();
  if (!stripe) return BILLING_UNAVAILABLE;
  let read = await stripe.subscription(sub.id);
  const outcome = undeleteOutcome(lifeOfRead(read), port.subscriptions.onCanceled);
  if (read && outcome.subscription === 'resumed')
    read = (await stripe.cancelAtPeriodEnd(sub.id, false)) ?? read;
  // Gone from Stripe: ended as far as anyone can pay for it (lifeOfRead), written in that place by its one writer.
  const subscription = read ? subscriptionStateOf(read) : subscriptionInLife(sub, lifeOfRead(read));
  return inLife(
    {
      ...record,
      plan: outcome.plan === 'default' ? defaultPlan : record.plan,
      billing: { ...record.billing, subscription },
    },
    outcome.life,
  );
}

/**
 * At the erase: a subscription that still lives (an Owner resumed it in the portal while deleted, or its period ends
 * after the erase) is canceled at once — the organization it paid for is gone; Stripe unreachable leaves it to end
 * as scheduled (`'left'`).
 *
 * @example
 * ```ts
 * await cancelOnErase(api.billing, record); // 'canceled'
 * ```
 */
export async function cancelOnErase(
  port: OrganizationSubscriptions | undefined,
  record: TenantRecord,
): Promise<'canceled' | 'none' | 'left'> {
  const sub = record.billing?.subscription;
  if (!sub) return 'none';
  const stripe = await port?.stripe().catch(() => undefined);
  if (!stripe) return 'left';
  try {
    const read = await stripe.subscription(sub.id);
    if (!subscriptionLives(lifeOfRead(read))) return 'none';
    await stripe.cancel(sub.id);
    return 'canceled';
  } catch {
    return 'left';
  }
}
