/**
 * The reference of subscriptions composed with the organization's life (DESIGN §2, "Subscriptions drive plans", "One
 * life per organization, person and subscription"): who may call an organization's billing and Owner routes and what
 * each answers, and where the organization and its subscription are after each change. Pure: the answer and the next
 * state, from the contract and the lives (src/model/lives) alone — never the runtime's code.
 *
 * - `POST api/tenant/billing/checkout { plan }` and `POST api/tenant/billing/portal`: an Owner only;
 *   `GET api/tenant/billing`: an Owner or an Admin; anyone else of the organization 403 `access-denied`, someone
 *   outside it 403 `not-a-member`. The webhook is anonymous: its admission is the signature (the stand-in signs).
 * - A checkout names a plan sold through Stripe (else 400 `plan-not-for-sale`) and is 409 `subscription-exists` while
 *   a subscription lives (the portal changes plans); a new Checkout expires the ones opened before (one subscription
 *   per organization). The portal needs the organization's customer (else 409 `billing-customer-missing`). Return
 *   URLs are the configured page's, whatever `Origin` the request says.
 * - The subscription drives the plan (organization-billing.ts `afterSubscription`): paying → the plan of its price,
 *   `past_due` kept and shown, ended → `onCanceled` (the default plan, or suspended *by billing*); only the
 *   subscription a Checkout of the organization linked is followed.
 * - A suspended or deleted organization answers its members 403 `tenant-suspended` except on the billing doors its
 *   place opens (organization-life.ts `BILLING_DOORS`): billing suspended → the Owners pay, Owners and Admins read;
 *   deleted → its Owners read and reach the portal. The operator's suspension closes everything.
 * - `DELETE api/tenant` by an Owner schedules a live subscription's end (cancel at the period's end) and expires the
 *   open Checkouts; `POST api/tenant/undelete` resumes it when it still lives, else applies `onCanceled`
 *   (`undeleteOutcome`); the erase, at `deleteOn`, leaves a tombstone — every member `not-a-member`, the id 409 to
 *   anyone creating it, a live subscription canceled, every later event of it 2xx and nothing changed.
 */
import {
  billingDoorOpen,
  type OrganizationLife,
  organizationNext,
} from '../../src/model/lives/organization-life.js';
import {
  afterSubscription as organizationAfter,
  undeleteOutcome,
} from '../../src/model/lives/organization-billing.js';
import {
  type SubscriptionLife,
  subscriptionLifeOf,
  subscriptionLives,
} from '../../src/model/lives/subscription-life.js';

export const ROLES = ['Owner', 'Admin', 'Member'] as const;
export type Role = (typeof ROLES)[number];
/** The billing routes, and `tenant` (`GET api/tenant`): any member's route, to see a suspension close the rest. */
export type BillingRoute = 'checkout' | 'portal' | 'billing' | 'tenant';
export type OnCanceled = 'default-plan' | 'suspend';
export type SubscriptionStatus = 'active' | 'trialing' | 'past_due' | 'unpaid' | 'canceled';

/** The prices sold, by plan (the backend's `plans.<name>.stripe.price`); `free` has none. */
export const PRICES = { pro: 'price_pro', team: 'price_team' } as const;
export const PLANS = ['free', 'pro', 'team', 'nope'] as const;
export const DEFAULT_PLAN = 'free';
/** `tenants.deleteAfterDays` of the runs. */
export const DELETE_AFTER_DAYS = 2;
export const DAY_MS = 86_400_000;

/** A subscription as the organization's record holds it (`scheduled`: set to cancel at the period's end). */
export interface ModelSubscription {
  readonly customer: string;
  readonly status: SubscriptionStatus;
  readonly plan: string;
  readonly scheduled: boolean;
}

/** One organization: its place, its plan, its Stripe customer, its current subscription, its deletion day. */
export interface BillingState {
  readonly life: OrganizationLife;
  readonly plan: string;
  readonly customer?: string;
  readonly subscription?: ModelSubscription;
  readonly deleteOn?: number;
}

/** The answer expected: a status, the problem's code on a refusal, the view on a served GET. */
export interface BillingAnswer {
  readonly status: number;
  readonly code?: string;
  readonly view?: {
    readonly plan: string;
    readonly status: string | null;
    readonly scheduled: boolean;
  };
}

/** Where the subscription is, as the lives name it. */
export const subscriptionLife = (s: BillingState): SubscriptionLife =>
  s.subscription ? subscriptionLifeOf(s.subscription.status, s.subscription.scheduled) : 'none';

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
  // An erased organization's memberships went with it.
  if (roles === null || s.life === 'erased') return { status: 403, code: 'not-a-member' };
  const door = route === 'tenant' ? undefined : route;
  if (!billingDoorOpen(s.life, door, roles)) return { status: 403, code: 'tenant-suspended' };
  if (!roles.some((r) => WHO[route].includes(r))) return { status: 403, code: 'access-denied' };
  if (route === 'tenant') return { status: 200 };
  if (route === 'checkout') {
    if (plan === undefined || !(plan in PRICES)) return { status: 400, code: 'plan-not-for-sale' };
    if (subscriptionLives(subscriptionLife(s))) return { status: 409, code: 'subscription-exists' };
    return { status: 200 };
  }
  if (route === 'portal')
    return s.customer ? { status: 200 } : { status: 409, code: 'billing-customer-missing' };
  return {
    status: 200,
    view: {
      plan: s.plan,
      status: s.subscription?.status ?? null,
      scheduled: s.subscription?.scheduled ?? false,
    },
  };
}

/** After the organization's current subscription becomes `sub` (read back by the webhook). */
export function afterSubscription(
  s: BillingState,
  sub: ModelSubscription,
  onCanceled: OnCanceled,
): BillingState {
  if (s.life === 'erased') return s;
  const life = subscriptionLifeOf(sub.status, sub.scheduled);
  const org = organizationAfter(s, life, sub.plan, onCanceled, DEFAULT_PLAN);
  return { ...s, ...org, subscription: sub };
}

/** After the latest Checkout of `plan` is paid by `customer` (the organization's, or the new one Stripe made). */
export function afterCheckoutPaid(
  s: BillingState,
  plan: string,
  customer: string,
  onCanceled: OnCanceled,
): BillingState {
  if (s.life === 'erased' || (s.customer !== undefined && s.customer !== customer)) return s;
  return afterSubscription(
    { ...s, customer },
    { customer, status: 'active', plan, scheduled: false },
    onCanceled,
  );
}

/** A Checkout of the organization paid while Stripe's events could not reach the webhook (Stripe retries them). */
export interface LatePayment {
  readonly plan: string;
  readonly customer: string;
  /** The events Stripe holds for a retry, in order. */
  readonly events: readonly string[];
}

/**
 * A checkout's answer when a Checkout of the organization was paid but its events are late (Stripe retries for up to
 * three days): where a checkout would open (`billingAnswer` 200), the new Checkout reads the paid one back and links
 * it as its event would — 409 `subscription-exists` and the organization on the plan paid — never a second
 * subscription billed beside the first, nor a second trial. Any other answer is `billingAnswer`'s, nothing linked.
 */
export function checkoutWithLatePayment(
  roles: readonly Role[] | null,
  s: BillingState,
  plan: string,
  late: LatePayment,
  onCanceled: OnCanceled,
): { readonly answer: BillingAnswer; readonly state: BillingState; readonly linked: boolean } {
  const answer = billingAnswer('checkout', roles, s, plan);
  if (answer.status !== 200) return { answer, state: s, linked: false };
  return {
    answer: { status: 409, code: 'subscription-exists' },
    state: afterCheckoutPaid(s, late.plan, late.customer, onCanceled),
    linked: true,
  };
}

/** After the operator suspends (`true`) or resumes the organization (`PATCH api/tenants/{id}`). */
export function afterOperator(s: BillingState, suspend: boolean): BillingState {
  const next = organizationNext(s, suspend ? 'operator-suspends' : 'operator-resumes', 0);
  if (!next.ok) return s;
  const { deleteOn, ...rest } = s;
  return next.life === 'deleted'
    ? { ...rest, life: next.life, ...(deleteOn !== undefined ? { deleteOn } : {}) }
    : { ...rest, life: next.life };
}

/** `DELETE api/tenant` by a caller with `roles` at `now`: 202, the subscription's end scheduled, Checkouts expired. */
export function afterDelete(
  s: BillingState,
  roles: readonly Role[] | null,
  now: number,
): { readonly answer: BillingAnswer; readonly state: BillingState } {
  if (roles === null || s.life === 'erased')
    return { answer: { status: 403, code: 'not-a-member' }, state: s };
  if (s.life !== 'active') return { answer: { status: 403, code: 'tenant-suspended' }, state: s };
  if (!roles.includes('Owner')) return { answer: { status: 403, code: 'access-denied' }, state: s };
  const sub = s.subscription;
  const scheduled =
    sub && subscriptionLives(subscriptionLife(s)) ? { ...sub, scheduled: true } : sub;
  return {
    answer: { status: 202 },
    state: {
      ...s,
      life: 'deleted',
      deleteOn: now + DELETE_AFTER_DAYS * DAY_MS,
      ...(scheduled ? { subscription: scheduled } : {}),
    },
  };
}

/** `POST api/tenant/undelete` by a caller with `roles` at `now`: the subscription resumed, or `onCanceled` applied. */
export function afterUndelete(
  s: BillingState,
  roles: readonly Role[] | null,
  now: number,
  onCanceled: OnCanceled,
): { readonly answer: BillingAnswer; readonly state: BillingState } {
  // The membership is read, not the admission: an erased one's is gone.
  if (roles === null || s.life === 'erased' || !roles.includes('Owner'))
    return { answer: { status: 403, code: 'access-denied' }, state: s };
  const next = organizationNext(s, 'owner-undeletes', now);
  if (!next.ok)
    return {
      answer: {
        status: next.refusal === 'organization-deletion-final' ? 410 : 409,
        code: next.refusal,
      },
      state: s,
    };
  const outcome = undeleteOutcome(subscriptionLife(s), onCanceled);
  const { deleteOn: _gone, subscription, ...rest } = s;
  return {
    answer: { status: 200 },
    state: {
      ...rest,
      life: outcome.life,
      plan: outcome.plan === 'default' ? DEFAULT_PLAN : s.plan,
      ...(subscription
        ? {
            subscription:
              outcome.subscription === 'resumed'
                ? { ...subscription, scheduled: false }
                : subscription,
          }
        : {}),
    },
  };
}

/** The erase timer at `now`: a deleted organization past `deleteOn` becomes a tombstone (its subscription canceled). */
export function afterErase(s: BillingState, now: number): BillingState {
  const next = organizationNext(s, 'erase-due', now);
  return next.ok ? { life: 'erased', plan: s.plan } : s;
}

/** Whether the organization has a subscription Stripe can still change (not ended, not erased with it). */
export const changeable = (s: BillingState): boolean =>
  s.life !== 'erased' && subscriptionLives(subscriptionLife(s));

/** Whether the subscription is set to end with its period (Stripe may end it). */
export const scheduled = (s: BillingState): boolean =>
  changeable(s) && s.subscription?.scheduled === true;

/**
 * The audit actions the webhook must record for a change from `before` to `after` (`actor.via: 'webhook'`): the plan,
 * a suspension by billing or its end, and the subscription or customer.
 */
export function webhookActions(before: BillingState, after: BillingState): string[] {
  const out: string[] = [];
  if (before.plan !== after.plan) out.push('organization.plan-changed');
  if (before.life !== after.life)
    out.push(after.life === 'active' ? 'organization.resumed' : 'organization.suspended');
  if (
    before.customer !== after.customer ||
    JSON.stringify(before.subscription) !== JSON.stringify(after.subscription)
  )
    out.push('organization.billing-changed');
  return out.sort();
}

/**
 * The operator's `atakora tenant delete` of the organization (any place but erased): a tombstone at once; the CLI
 * holds no Stripe key, so a live subscription is left (its id on the receipt) — and reaches no one.
 */
export function afterCliErase(s: BillingState): BillingState {
  const next = organizationNext(s, 'operator-erases', 0);
  return next.ok ? { life: 'erased', plan: s.plan } : s;
}
