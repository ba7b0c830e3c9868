// Subscriptions drive plans (DESIGN §2): the routes an organization's Owners buy and manage a plan through, Stripe's
// webhook, and what `GET api/tenant/billing` answers — shared by the runtime, the OpenAPI document and the client.

/**
 * The billing routes under `api/`, by role: `billing` (`GET`: plan, subscription, invoice preview), `checkout`
 * (`POST { plan }` → `{ url }`), `portal` (`POST` → `{ url }`) and Stripe's `webhook` (`POST`, signed).
 *
 * @example
 * ```ts
 * `api/${TENANT_BILLING_ROUTES.checkout}`; // 'api/tenant/billing/checkout'
 * ```
 */
export const TENANT_BILLING_ROUTES = {
  billing: 'tenant/billing',
  checkout: 'tenant/billing/checkout',
  portal: 'tenant/billing/portal',
  webhook: 'billing/stripe',
} as const;

/**
 * The checkout route as every 402 names it to an Owner (`checkout`: `feature-not-in-plan`, `seat-limit`,
 * `item-limit`): the method and the path, one shape, so a page reads one field one way.
 *
 * @example
 * ```ts
 * CHECKOUT_ROUTE; // 'POST api/tenant/billing/checkout'
 * ```
 */
export const CHECKOUT_ROUTE = `POST api/${TENANT_BILLING_ROUTES.checkout}` as const;

/** The host function names of {@link TENANT_BILLING_ROUTES}. */
export const TENANT_BILLING_FUNCTIONS = {
  billing: 'atakora-tenant-billing',
  checkout: 'atakora-tenant-billing-checkout',
  portal: 'atakora-tenant-billing-portal',
  webhook: 'atakora-billing-stripe',
} as const;

/**
 * A subscription's state as the registry keeps it (from the subscription read back from Stripe): Stripe's
 * `status`, its price and period (ISO 8601).
 *
 * @example
 * ```ts
 * const s: SubscriptionState = {
 *   id: 'sub_1', status: 'past_due', price: 'price_pro',
 *   currentPeriodStart: '2026-11-01T00:00:00.000Z', currentPeriodEnd: '2026-12-01T00:00:00.000Z',
 * };
 * ```
 */
export interface SubscriptionState {
  readonly id: string;
  readonly status: string;
  readonly price?: string;
  readonly currentPeriodStart?: string;
  readonly currentPeriodEnd?: string;
  /**
   * Set to cancel when the period ends (Stripe's `cancel_at_period_end`): an Owner deleted the organization, or
   * canceled in the portal; paid for until `currentPeriodEnd`, never renewed. Absent otherwise.
   */
  readonly cancelAtPeriodEnd?: true;
  /** The trial's end (Stripe's `trial_end`), when the subscription has a trial. */
  readonly trialEnd?: string;
  /** The quantity of the plan's item: with a per-seat price, the seats billed. */
  readonly quantity?: number;
}

/** How an organization pays: a Stripe subscription, an Azure Marketplace subscription, or neither (null). */
export type BillingChannel = 'stripe' | 'marketplace';

/**
 * `GET api/tenant/billing`: the organization's plan, how it pays (`channel`: `'stripe'` with a live subscription,
 * `'marketplace'` with a live Azure Marketplace subscription — not `Unsubscribed` —, null for neither: a free
 * organization), its Stripe subscription (or null), `status` (the subscription's status — `past_due` shown while the
 * plan is kept — or null), the trial's end (or null), the quantity billed (a per-seat plan's seats, the Stripe
 * item's or the Marketplace subscription's; null without one) and this period's invoice as Stripe previews it
 * (Stripe's invoice object, or null without a subscription or when Stripe has none to preview).
 *
 * @example
 * ```ts
 * const b: TenantBillingView = {
 *   plan: 'free', channel: null, status: null, subscription: null, trialEnd: null, quantity: null, invoice: null,
 * }; // a free organization
 * ```
 */
export interface TenantBillingView {
  readonly plan: string;
  readonly channel: BillingChannel | null;
  readonly status: string | null;
  readonly subscription: SubscriptionState | null;
  readonly trialEnd: string | null;
  readonly quantity: number | null;
  readonly invoice: Readonly<Record<string, unknown>> | null;
}

/**
 * The subscription a stored value holds, else none (a record edited by hand).
 *
 * @example
 * ```ts
 * subscriptionOf({ id: 'sub_1', status: 'active' }); // { id: 'sub_1', status: 'active' }
 * ```
 */
export function subscriptionOf(value: unknown): SubscriptionState | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const o = value as Record<string, unknown>;
  if (typeof o['id'] !== 'string' || !/^sub_[A-Za-z0-9]{1,251}$/.test(o['id'])) return undefined;
  if (typeof o['status'] !== 'string') return undefined;
  const text = (k: string) => (typeof o[k] === 'string' ? { [k]: o[k] } : {});
  return {
    id: o['id'],
    status: o['status'],
    ...text('price'),
    ...text('currentPeriodStart'),
    ...text('currentPeriodEnd'),
    ...(o['cancelAtPeriodEnd'] === true ? { cancelAtPeriodEnd: true as const } : {}),
    ...text('trialEnd'),
    ...(Number.isSafeInteger(o['quantity']) ? { quantity: o['quantity'] as number } : {}),
  };
}
