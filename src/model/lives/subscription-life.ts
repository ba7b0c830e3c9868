// A subscription's life (DESIGN §2, "One life per organization, person and subscription"; "Subscriptions drive
// plans"): where an organization's Stripe subscription is, what moves it, and what each place means for the plan.
// Pure data and small functions, read by the runtime's doors (the webhook, the billing routes, the Owner's delete and
// undelete) and by the reference models (src/access/model, test/model): one table, so no door decides on its own.

/**
 * Where an organization's subscription is: `none` (never bought, or none opened), `checkout-open` (Checkouts opened,
 * none paid), Stripe's `active`, `trialing`, `past-due` (a payment being retried: the plan kept), `scheduled` (set to
 * cancel at the period's end — Stripe's `cancel_at_period_end: true` on a live subscription: paid until then), or
 * `canceled` (ended: canceled, unpaid, expired, paused — the organization gets `onCanceled`).
 *
 * @example
 * ```ts
 * const life: SubscriptionLife = 'scheduled'; // an Owner deleted the organization: it ends with the period
 * ```
 */
export type SubscriptionLife =
  | 'none'
  | 'checkout-open'
  | 'active'
  | 'trialing'
  | 'past-due'
  | 'scheduled'
  | 'canceled';

/**
 * What happens to a subscription: an Owner opens a Checkout; the customer pays it; Stripe's status moves (paid, a
 * trial, a failed payment, ended); the cancel at the period's end is set (an Owner's delete, the portal) or lifted
 * (an undelete, the portal); the period ends.
 */
export type SubscriptionEvent =
  | 'checkout-opened'
  | 'checkout-paid'
  | 'paid'
  | 'trial'
  | 'payment-failed'
  | 'ended'
  | 'cancel-at-period-end'
  | 'resumed'
  | 'period-ended';

/** Why a subscription event is refused: a second subscription while one lives; a change of none that lives. */
export type SubscriptionRefusal = 'subscription-exists' | 'no-subscription';

const LIVE_MOVES = {
  paid: 'active',
  trial: 'trialing',
  'payment-failed': 'past-due',
  ended: 'canceled',
  'cancel-at-period-end': 'scheduled',
} as const;

/**
 * The table: from each place, where each event leads (an event absent from a row is refused, see
 * {@link subscriptionNext}). A Checkout paid gives a live subscription only where none lives; a cancel at the
 * period's end is lifted only before the period ended.
 *
 * @example
 * ```ts
 * SUBSCRIPTION_LIFE.scheduled.resumed; // 'active'
 * ```
 */
export const SUBSCRIPTION_LIFE: Readonly<
  Record<SubscriptionLife, Readonly<Partial<Record<SubscriptionEvent, SubscriptionLife>>>>
> = {
  none: { 'checkout-opened': 'checkout-open' },
  'checkout-open': { 'checkout-opened': 'checkout-open', 'checkout-paid': 'active' },
  active: { ...LIVE_MOVES },
  trialing: { ...LIVE_MOVES },
  'past-due': { ...LIVE_MOVES },
  scheduled: {
    ...LIVE_MOVES,
    'cancel-at-period-end': 'scheduled',
    resumed: 'active',
    'period-ended': 'canceled',
  },
  canceled: { 'checkout-opened': 'checkout-open', 'checkout-paid': 'active', ended: 'canceled' },
};

/** The places where a subscription pays for its plan: the organization is on the plan of its price. */
const PAYING: ReadonlySet<SubscriptionLife> = new Set([
  'active',
  'trialing',
  'past-due',
  'scheduled',
]);

/**
 * Whether the subscription lives — pays for its plan, so a second one would bill twice (a checkout is 409
 * `subscription-exists`) and an Owner's delete must schedule its end.
 *
 * @example
 * ```ts
 * subscriptionLives('past-due'); // true
 * subscriptionLives('canceled'); // false
 * ```
 */
export function subscriptionLives(life: SubscriptionLife): boolean {
  return PAYING.has(life);
}

/**
 * The next place after `event`, or the refusal: a Checkout opened while a subscription lives is
 * `subscription-exists` (the portal changes plans), any other event the row does not hold `no-subscription`.
 *
 * @example
 * ```ts
 * subscriptionNext('active', 'checkout-opened'); // { ok: false, refusal: 'subscription-exists' }
 * subscriptionNext('scheduled', 'resumed');      // { ok: true, life: 'active' }
 * ```
 */
export function subscriptionNext(
  life: SubscriptionLife,
  event: SubscriptionEvent,
):
  | { readonly ok: true; readonly life: SubscriptionLife }
  | { readonly ok: false; readonly refusal: SubscriptionRefusal } {
  const next = SUBSCRIPTION_LIFE[life][event];
  if (next !== undefined) return { ok: true, life: next };
  return {
    ok: false,
    refusal:
      subscriptionLives(life) && (event === 'checkout-opened' || event === 'checkout-paid')
        ? 'subscription-exists'
        : 'no-subscription',
  };
}

/** Stripe's statuses that end what a subscription paid for (API reference, "The Subscription object", `status`). */
const ENDED_STATUSES: ReadonlySet<string> = new Set([
  'canceled',
  'unpaid',
  'incomplete_expired',
  'paused',
]);

/**
 * The place of a subscription as Stripe holds it (`status`, `cancel_at_period_end`: stripe-node 23's
 * `Stripe.Subscription`): an ended status is `canceled`; a live one set to cancel at the period's end is
 * `scheduled`; `incomplete` (a first payment not made yet) is `checkout-open` — it pays for nothing.
 *
 * @example
 * ```ts
 * subscriptionLifeOf('active', true);  // 'scheduled'
 * subscriptionLifeOf('unpaid', false); // 'canceled'
 * ```
 */
export function subscriptionLifeOf(
  status: string,
  cancelAtPeriodEnd: boolean,
): Exclude<SubscriptionLife, 'none'> {
  if (ENDED_STATUSES.has(status)) return 'canceled';
  const live =
    status === 'active'
      ? 'active'
      : status === 'trialing'
        ? 'trialing'
        : status === 'past_due'
          ? 'past-due'
          : undefined;
  if (live === undefined) return 'checkout-open';
  return cancelAtPeriodEnd ? 'scheduled' : live;
}
