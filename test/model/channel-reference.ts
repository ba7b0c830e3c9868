/**
 * The reference of one organization's billing channel (DESIGN §2, "An organization is billed by one channel";
 * docs/billing.md, "One channel per organization"): what its Owner's Checkout, a paid Checkout's webhook (delivered
 * at once or later, after other steps), Marketplace landings with `?organization=`, the Stripe subscription's
 * cancellation, the purchase's unsubscription and the operator's Stripe customer do to it — pure functions over a
 * small state, read by channel.model.test.ts against the real runtime and both stand-ins.
 */

/** A channel's place on the organization's record: never linked, billing, or ended. */
export type Place = 'none' | 'live' | 'ended';

export interface ChannelState {
  /** The Stripe subscription the record holds. */
  readonly stripe: Place;
  /** The Marketplace link the record holds. */
  readonly market: Place;
  /** The record's Stripe customer: none, the operator's (usage, no subscription), or a subscription's. */
  readonly customer: 'none' | 'operator' | 'subscription';
  /** A Checkout the Owner opened and nobody paid yet (a newer one expires it). */
  readonly open: boolean;
  /** A Checkout paid whose webhook events have not reached the app yet (Stripe retries them later). */
  readonly held: boolean;
  readonly plan: 'free' | 'pro';
}

export const START: ChannelState = {
  stripe: 'none',
  market: 'none',
  customer: 'none',
  open: false,
  held: false,
  plan: 'free',
};

/** An answer the reference expects: a status and, for a problem, its type's last segment. */
export interface Expected {
  readonly status: number;
  readonly code?: string;
}

/** The Owner's `POST api/tenant/billing/checkout { plan: 'pro' }`. */
export function checkout(s: ChannelState): [Expected, ChannelState] {
  if (s.market === 'live') return [{ status: 409, code: 'billing-channel-taken' }, s];
  if (s.stripe === 'live') return [{ status: 409, code: 'subscription-exists' }, s];
  return [{ status: 200 }, { ...s, open: true }];
}

/**
 * The paid Checkout's `checkout.session.completed` reaching the app: linked when no Marketplace purchase bills the
 * organization (the plan of its price), else refused — its subscription canceled, the record unchanged.
 */
export function delivered(s: ChannelState): [Expected, ChannelState] {
  const done = { ...s, held: false };
  if (s.market === 'live') return [{ status: 200 }, done];
  return [{ status: 200 }, { ...done, stripe: 'live', customer: 'subscription', plan: 'pro' }];
}

/** The customer pays the open Checkout; its events delivered now, or held for later. */
export function paid(s: ChannelState, held: boolean): [Expected, ChannelState] {
  const closed = { ...s, open: false };
  return held ? [{ status: 200 }, { ...closed, held: true }] : delivered(closed);
}

/**
 * A new purchase landed with `?organization=` (the buyer its Owner): linked and activated when no other channel bills
 * the organization — a live Stripe subscription, an operator's usage customer, a live purchase — else 409.
 */
export function land(s: ChannelState): [Expected, ChannelState] {
  if (s.stripe === 'live' || s.market === 'live' || s.customer === 'operator')
    return [{ status: 409, code: 'billing-channel-taken' }, s];
  return [{ status: 302 }, { ...s, market: 'live', plan: 'pro' }];
}

/** The Stripe subscription canceled (in the portal, or Stripe's dunning): `onCanceled: 'default-plan'`. */
export const stripeCanceled = (s: ChannelState): ChannelState =>
  s.stripe === 'live' ? { ...s, stripe: 'ended', plan: s.market === 'live' ? s.plan : 'free' } : s;

/** Microsoft's Unsubscribe of the live purchase: `onCanceled: 'default-plan'`. */
export const unsubscribed = (s: ChannelState): ChannelState =>
  s.market === 'live' ? { ...s, market: 'ended', plan: s.stripe === 'live' ? s.plan : 'free' } : s;

/**
 * The operator's `PATCH api/tenants/{id}` giving a new Stripe customer: always written (200); the record's Stripe
 * subscription goes with the old customer.
 */
export const operatorCustomer = (s: ChannelState): ChannelState => ({
  ...s,
  customer: 'operator',
  stripe: 'none',
});

/**
 * Which channel meters the organization's usage (billing-channel.ts): a live Stripe subscription, else a
 * live purchase, else any Stripe customer.
 */
export function metered(s: ChannelState): 'stripe' | 'marketplace' | undefined {
  if (s.stripe === 'live') return 'stripe';
  if (s.market === 'live') return 'marketplace';
  return s.customer !== 'none' ? 'stripe' : undefined;
}
