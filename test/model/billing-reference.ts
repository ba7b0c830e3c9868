/**
 * The reference of subscriptions (DESIGN §2, "Subscriptions drive plans"): who may call an organization's billing
 * routes and what each answers, and the plan an organization is on after each change its Stripe subscription goes
 * through. Pure: the answer and the next state, from the contract alone (never the runtime's code).
 *
 * - `POST api/tenant/billing/checkout { plan }` and `POST api/tenant/billing/portal`: an Owner only;
 *   `GET api/tenant/billing`: an Owner or an Admin; anyone else of the organization 403 `access-denied`, someone
 *   outside it 403 `not-a-member`. The webhook is anonymous: its admission is the signature (the stand-in signs).
 * - A checkout names a plan sold through Stripe (else 400 `plan-not-for-sale`), not the one a live subscription
 *   already pays for; the portal needs the organization's customer (else 409 `billing-customer-missing`).
 * - The subscription drives the plan: `active`/`trialing` → the plan of its price, `past_due` → that plan kept and
 *   the status shown, `unpaid`/`canceled` → `onCanceled` ('default-plan' here). A completed checkout whose customer
 *   is not the organization's (a second customer Stripe made for an older session) changes nothing.
 */

export const ROLES = ['Owner', 'Admin', 'Member'] as const;
export type Role = (typeof ROLES)[number];
export type BillingRoute = 'checkout' | 'portal' | 'billing';
export type SubscriptionStatus = 'active' | 'trialing' | 'past_due' | 'unpaid' | 'canceled';

/** The prices sold, by plan (the backend's `plans.<name>.stripe.price`); `free` has none. */
export const PRICES = { pro: 'price_pro', team: 'price_team' } as const;
export const PLANS = ['free', 'pro', 'team', 'nope'] as const;
export const DEFAULT_PLAN = 'free';

/** A subscription as the organization's record holds it. */
export interface ModelSubscription {
  readonly customer: string;
  readonly status: SubscriptionStatus;
  readonly plan: string;
}

/** One organization's billing: its plan, its Stripe customer, its current subscription. */
export interface BillingState {
  readonly plan: string;
  readonly customer?: string;
  readonly subscription?: ModelSubscription;
}

/** The answer expected: a status, the problem's code on a refusal, the view on a served GET. */
export interface BillingAnswer {
  readonly status: number;
  readonly code?: string;
  readonly view?: { readonly plan: string; readonly status: string | null };
}

const ENDED: ReadonlySet<SubscriptionStatus> = new Set(['unpaid', 'canceled']);
const live = (s: BillingState) => s.subscription !== undefined && !ENDED.has(s.subscription.status);

const WHO: Record<BillingRoute, readonly Role[]> = {
  checkout: ['Owner'],
  portal: ['Owner'],
  billing: ['Owner', 'Admin'],
};

/** The answer to `route` by a caller with `roles` in the organization (null: not a member of it). */
export function billingAnswer(
  route: BillingRoute,
  roles: readonly Role[] | null,
  s: BillingState,
  plan?: string,
): BillingAnswer {
  if (roles === null) return { status: 403, code: 'not-a-member' };
  if (!roles.some((r) => WHO[route].includes(r))) return { status: 403, code: 'access-denied' };
  if (route === 'checkout') {
    const sold = plan !== undefined && plan in PRICES;
    if (!sold || (s.plan === plan && live(s))) return { status: 400, code: 'plan-not-for-sale' };
    return { status: 200 };
  }
  if (route === 'portal')
    return s.customer ? { status: 200 } : { status: 409, code: 'billing-customer-missing' };
  return { status: 200, view: { plan: s.plan, status: s.subscription?.status ?? null } };
}

/** After a checkout of `plan` paid by `customer` (the session's, or a new one Stripe made). */
export function afterCheckoutPaid(s: BillingState, plan: string, customer: string): BillingState {
  if (s.customer !== undefined && s.customer !== customer) return s;
  return afterSubscription({ ...s, customer }, { customer, status: 'active', plan });
}

/** After the organization's subscription becomes `sub` (its status, or the plan of its new price). */
export function afterSubscription(s: BillingState, sub: ModelSubscription): BillingState {
  const plan = ENDED.has(sub.status) ? DEFAULT_PLAN : sub.plan;
  return { ...s, plan, subscription: sub };
}

/** Whether the organization has a subscription Stripe can still change (not ended). */
export const changeable = live;
