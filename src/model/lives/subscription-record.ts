// A subscription's life written in what an organization's record keeps of it (`billing.subscription`'s `status` and
// `cancelAtPeriodEnd`): the one writer of a place no read-back from Stripe gave — the webhook and the Owner's delete
// keep Stripe's copy as Stripe holds it (runtime/billing/subscription-state.ts `subscriptionStateOf`), the undelete
// of a subscription gone from Stripe writes the place its life reads here — so the place stored is always one
// subscription-life.ts's `subscriptionLifeOf` reads back (test/architecture/lives-writers.test.ts holds every door to
// it).
import {
  type SubscriptionLife,
  subscriptionLifeOf,
  subscriptionLives,
} from './subscription-life.js';

/** The fields of a stored subscription its life is written in (contract/tenant-billing.ts `SubscriptionState`). */
export interface SubscriptionFields {
  readonly status: string;
  readonly cancelAtPeriodEnd?: true;
}

/** A place a stored subscription can hold: `none` is no subscription kept. */
export type StoredSubscriptionLife = Exclude<SubscriptionLife, 'none'>;

/** Stripe's status for each place but `scheduled` (a live status, set to cancel at the period's end). */
const STATUS_OF: Readonly<Record<Exclude<StoredSubscriptionLife, 'scheduled'>, string>> = {
  'checkout-open': 'incomplete',
  active: 'active',
  trialing: 'trialing',
  'past-due': 'past_due',
  canceled: 'canceled',
};

/**
 * `sub` written in `life`, as Stripe would hold a subscription there: `scheduled` keeps a live status (else `active`)
 * with `cancelAtPeriodEnd: true`; every other place its status, no cancel at the period's end. `subscriptionLifeOf`
 * reads back the place written.
 *
 * @example
 * ```ts
 * subscriptionInLife({ id: 'sub_1', status: 'active', cancelAtPeriodEnd: true }, 'canceled'); // { id: 'sub_1', status: 'canceled' }
 * ```
 */
export function subscriptionInLife<R extends SubscriptionFields>(
  sub: R,
  life: StoredSubscriptionLife,
): R {
  const { cancelAtPeriodEnd: _scheduled, ...rest } = sub;
  if (life !== 'scheduled') return { ...rest, status: STATUS_OF[life] } as R;
  const live = subscriptionLives(subscriptionLifeOf(sub.status, false));
  return { ...rest, status: live ? sub.status : STATUS_OF.active, cancelAtPeriodEnd: true } as R;
}
