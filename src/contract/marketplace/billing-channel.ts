// Which channel bills an organization (DESIGN §2: "An organization is billed by one channel"): one rule the Stripe
// usage export, the Marketplace metering, the landing page and the Stripe webhook read, so no two of them ever decide
// differently which of the two meters an organization's usage.
import { marketplaceLive } from './marketplace-link.js';
import type { TenantRecord } from '../tenants.js';

/** A channel that bills an organization. */
export type MeteringChannel = 'stripe' | 'marketplace';

// Stripe statuses that end what a subscription paid for (runtime/billing/subscription-state.ts): any other status is a
// subscription that still bills.
const STRIPE_ENDED: ReadonlySet<string> = new Set(['canceled', 'unpaid', 'incomplete_expired']);

/**
 * Whether a live Stripe subscription bills the organization (its webhook-linked subscription's status not ended).
 *
 * @example
 * ```ts
 * stripeSubscriptionLive({ billing: { stripeCustomerId: 'cus_1', subscription: { id: 'sub_1', status: 'active' } } }); // true
 * ```
 */
export const stripeSubscriptionLive = (record: Pick<TenantRecord, 'billing'>): boolean => {
  const sub = record.billing?.subscription;
  return sub !== undefined && !STRIPE_ENDED.has(sub.status);
};

/**
 * Whether the organization's usage is billed to a Stripe customer the operator gave it (`atakora tenant set …
 * --stripe-customer`, `PATCH api/tenants/{id}`) with no subscription ever linked: DESIGN's "usage to invoices", a
 * Stripe channel of its own.
 *
 * @example
 * ```ts
 * stripeUsageCustomer({ billing: { stripeCustomerId: 'cus_1' } }); // true
 * ```
 */
export const stripeUsageCustomer = (record: Pick<TenantRecord, 'billing'>): boolean =>
  record.billing !== undefined && record.billing.subscription === undefined;

/**
 * The one channel that meters the organization's usage, or undefined for none: a live Stripe subscription (no
 * Marketplace purchase can be linked beside it: 409 `billing-channel-taken`), else a live Azure Marketplace link (a
 * Stripe customer the operator gives a Marketplace-billed organization afterwards waits, unmetered, until the link
 * ends — the first channel holds), else a Stripe customer (usage billed to it, or to a subscription that ended).
 *
 * @example
 * ```ts
 * meteringChannelOf({ billing: { stripeCustomerId: 'cus_1' }, marketplace: { …, status: 'Subscribed' } }); // 'marketplace'
 * meteringChannelOf({ billing: { stripeCustomerId: 'cus_1' } }); // 'stripe'
 * ```
 */
export function meteringChannelOf(
  record: Pick<TenantRecord, 'billing' | 'marketplace'>,
): MeteringChannel | undefined {
  if (stripeSubscriptionLive(record)) return 'stripe';
  if (marketplaceLive(record.marketplace)) return 'marketplace';
  return record.billing !== undefined ? 'stripe' : undefined;
}
