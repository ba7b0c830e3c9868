// Billing composed with deletion (DESIGN §2, "One life per organization, person and subscription"): what a
// subscription's move does to its organization's place and plan (the webhook), what an Owner's delete does to the
// subscription, and what an undelete does to both — the two lives of organization-life.ts and subscription-life.ts
// read together, so that no door leaves an organization active on a paid plan without a paying subscription.
import { type OrganizationLife, organizationNext } from './organization-life.js';
import { type SubscriptionLife, subscriptionLives } from './subscription-life.js';

/** What an ended subscription does to its organization (`tenants.billing.onCanceled`). */
export type OnCanceled = 'default-plan' | 'suspend';

/** An organization as billing sees it: its place and its plan. */
export interface BilledOrganization {
  readonly life: OrganizationLife;
  readonly plan: string;
}

/**
 * The organization after its current subscription moved to `sub` (the webhook, reading the subscription back from
 * Stripe): a paying subscription puts it on `paidPlan` (the plan of its price; undefined: kept) and lifts billing's
 * suspension; an ended one applies `onCanceled` — the default plan, or suspended by billing (an active organization
 * only: a deleted one stays deleted, its undelete applies it; the operator's stays theirs). An erased organization
 * does not move: nothing of it is left to change.
 *
 * @example
 * ```ts
 * afterSubscription({ life: 'active', plan: 'pro' }, 'canceled', undefined, 'suspend', 'free');
 * // { life: 'suspended-by-billing', plan: 'pro' }
 * ```
 */
export function afterSubscription(
  org: BilledOrganization,
  sub: SubscriptionLife,
  paidPlan: string | undefined,
  onCanceled: OnCanceled,
  defaultPlan: string,
): BilledOrganization {
  if (org.life === 'erased') return org;
  const move = (event: 'billing-pays' | 'billing-ends') => {
    const next = organizationNext(org, event, 0);
    return next.ok ? next.life : org.life;
  };
  if (subscriptionLives(sub)) return { life: move('billing-pays'), plan: paidPlan ?? org.plan };
  if (sub !== 'canceled') return org;
  return onCanceled === 'default-plan'
    ? { life: org.life, plan: defaultPlan }
    : { life: move('billing-ends'), plan: org.plan };
}

/**
 * What an Owner's delete asks of the organization's subscription: a live one not yet scheduled is set to cancel at
 * the period's end (Stripe's `cancel_at_period_end: true`) — paid for until then, never renewed; anything else is
 * left as it is.
 *
 * @example
 * ```ts
 * subscriptionOnDelete('active');    // 'cancel-at-period-end'
 * subscriptionOnDelete('scheduled'); // undefined
 * ```
 */
export function subscriptionOnDelete(sub: SubscriptionLife): 'cancel-at-period-end' | undefined {
  return subscriptionLives(sub) && sub !== 'scheduled' ? 'cancel-at-period-end' : undefined;
}

/**
 * What an undelete does, from the subscription as Stripe holds it now: one still scheduled to cancel is resumed
 * (`cancel_at_period_end: false`) and the organization active on its plan; one live otherwise (resumed in the
 * portal) leaves it active; one that ended meanwhile gets `onCanceled` as the webhook would have given it — active on
 * the default plan, or suspended by billing (its Owners pay to come back) — never active on a paid plan without a
 * paying subscription; none at all, active.
 *
 * @example
 * ```ts
 * undeleteOutcome('canceled', 'suspend'); // { life: 'suspended-by-billing', plan: 'kept', subscription: 'kept' }
 * undeleteOutcome('scheduled', 'suspend'); // { life: 'active', plan: 'kept', subscription: 'resumed' }
 * ```
 */
export function undeleteOutcome(
  sub: SubscriptionLife,
  onCanceled: OnCanceled,
): {
  readonly life: 'active' | 'suspended-by-billing';
  readonly plan: 'kept' | 'default';
  readonly subscription: 'resumed' | 'kept';
} {
  if (sub === 'scheduled') return { life: 'active', plan: 'kept', subscription: 'resumed' };
  if (sub !== 'canceled') return { life: 'active', plan: 'kept', subscription: 'kept' };
  return onCanceled === 'default-plan'
    ? { life: 'active', plan: 'default', subscription: 'kept' }
    : { life: 'suspended-by-billing', plan: 'kept', subscription: 'kept' };
}
