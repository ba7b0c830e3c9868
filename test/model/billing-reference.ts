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
 *   the status shown, `unpaid`/`canceled` → `onCanceled`: 'default-plan' (the default plan), or 'suspend' (the plan
 *   kept, the organization suspended *by billing*). A completed checkout whose customer is not the organization's (a
 *   second customer Stripe made for an older session) changes nothing.
 * - A suspended organization answers its members 403 `tenant-suspended` on every route — except, when billing
 *   suspended it, the billing routes for those who may call them (an Owner pays again: checkout, portal; an Owner or
 *   an Admin reads `GET api/tenant/billing`). A subscription paid again (active, trialing, past_due) resumes an
 *   organization billing suspended; the operator's suspension (`PATCH api/tenants/{id}`, `atakora tenant suspend`),
 *   even of an organization billing had suspended, closes everything and only the operator lifts it.
 */

export const ROLES = ['Owner', 'Admin', 'Member'] as const;
export type Role = (typeof ROLES)[number];
/** The billing routes, and `tenant` (`GET api/tenant`): any member's route, to see a suspension close the rest. */
export type BillingRoute = 'checkout' | 'portal' | 'billing' | 'tenant';
export type OnCanceled = 'default-plan' | 'suspend';
/** Why an organization is suspended: an ended subscription (onCanceled 'suspend'), or the operator. */
export type Suspension = 'billing' | 'operator';
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
  readonly suspended?: Suspension;
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
  tenant: ['Owner', 'Admin', 'Member'],
};

/** The answer to `route` by a caller with `roles` in the organization (null: not a member of it). */
export function billingAnswer(
  route: BillingRoute,
  roles: readonly Role[] | null,
  s: BillingState,
  plan?: string,
): BillingAnswer {
  if (roles === null) return { status: 403, code: 'not-a-member' };
  const allowed = roles.some((r) => WHO[route].includes(r));
  if (s.suspended && !(s.suspended === 'billing' && route !== 'tenant' && allowed))
    return { status: 403, code: 'tenant-suspended' };
  if (!allowed) return { status: 403, code: 'access-denied' };
  if (route === 'tenant') return { status: 200 };
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
export function afterCheckoutPaid(
  s: BillingState,
  plan: string,
  customer: string,
  onCanceled: OnCanceled,
): BillingState {
  if (s.customer !== undefined && s.customer !== customer) return s;
  return afterSubscription({ ...s, customer }, { customer, status: 'active', plan }, onCanceled);
}

/** After the organization's subscription becomes `sub` (its status, or the plan of its new price). */
export function afterSubscription(
  s: BillingState,
  sub: ModelSubscription,
  onCanceled: OnCanceled,
): BillingState {
  const { suspended, ...rest } = s;
  if (ENDED.has(sub.status))
    return onCanceled === 'suspend'
      ? { ...rest, subscription: sub, suspended: suspended ?? 'billing' }
      : { ...s, plan: DEFAULT_PLAN, subscription: sub };
  // Paid again: billing's suspension lifted, the operator's kept.
  const still = suspended === 'operator' ? { suspended } : {};
  return { ...rest, plan: sub.plan, subscription: sub, ...still };
}

/** After the operator suspends (`true`) or resumes the organization: theirs whatever suspended it before. */
export function afterOperator(s: BillingState, suspend: boolean): BillingState {
  const { suspended: _was, ...rest } = s;
  return suspend ? { ...rest, suspended: 'operator' } : rest;
}

/** Whether the organization has a subscription Stripe can still change (not ended). */
export const changeable = live;
