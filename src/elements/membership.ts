/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { MyTenant } from '../contract/member-shapes.js';
import type { PlanOffer } from '../contract/plans/plan-offers.js';
import { subscriptionLifeOf, subscriptionNext } from '../model/lives/subscription-life.js';
import { connectionOf, currentOrganization, setOrganization } from './connection.js';
import { may } from './rules.js';

/**
 * The signed-in person's organizations and the one the elements act in (the chosen one if still theirs, else their
 * first, which then becomes the chosen one): its roles decide which controls an element shows.
 *
 * @example
 * ```ts
 * const { current } = await myOrganizations();
 * current?.roles; // ['Owner']
 * ```
 */
export async function myOrganizations(): Promise<{
  items: readonly MyTenant[];
  current?: MyTenant;
}> {
  const items = await tenantsOnce();
  const chosen = currentOrganization();
  const current = items.find((o) => o.id === chosen) ?? items[0];
  if (current?.id !== chosen) setOrganization(current?.id);
  return current ? { items, current } : { items };
}

/**
 * `GET api/me/tenants` once for every element asking at the same time: a page of the eight elements loads (and
 * refreshes after a change) all at once, and each asking on its own spent the person's per-minute bound of the routes
 * that act in no organization (60 by default, limits/signed-in-limit.ts) in a few page loads — 429 on the page. One
 * request in flight is shared; the next ask after it settles reads afresh.
 */
let inFlight: Promise<readonly MyTenant[]> | undefined;
function tenantsOnce(): Promise<readonly MyTenant[]> {
  inFlight ??= (async () => {
    try {
      const { client } = await connectionOf();
      return (await client.me.tenants()).items;
    } finally {
      inFlight = undefined;
    }
  })();
  return inFlight;
}

/** A problem of no organization chosen: the elements that act in one show it as their empty state. */
export class NoOrganization extends Error {
  override readonly name = 'NoOrganization';
}

/** The organization the elements act in, or NoOrganization. */
export async function inOrganization(): Promise<MyTenant> {
  const { current } = await myOrganizations();
  if (!current) throw new NoOrganization();
  return current;
}

/**
 * `GET api/plans` once for every element asking at the same time (the plan, enterprise, audit-log and agents
 * elements each read it on every load and after every change): like `api/me/tenants`, a route that acts in no
 * organization, under the person's per-minute bound (60 by default) — four reads a change spent it four times as
 * fast, and a page answered 429 showed the plan element's error state. One request in flight is shared.
 */
let plansInFlight: Promise<{ readonly items: readonly PlanOffer[] }> | undefined;
export function plansOnce(): Promise<{ readonly items: readonly PlanOffer[] }> {
  plansInFlight ??= (async () => {
    try {
      const { client } = await connectionOf();
      return await client.billing.plans();
    } finally {
      plansInFlight = undefined;
    }
  })();
  return plansInFlight;
}

/**
 * Whether Checkout would be refused over `subscription` (the organization's, from `GET api/tenant/billing`): while
 * one lives `POST api/tenant/billing/checkout` answers 409 `subscription-exists` (billing-checkout.ts, by the life
 * table model/lives/subscription-life.ts) — the portal changes the plan then.
 *
 * @example
 * ```ts
 * checkoutRefused({ status: 'active' }); // true: offer Manage billing, not Upgrade
 * ```
 */
export function checkoutRefused(
  subscription:
    | { readonly status: string; readonly cancelAtPeriodEnd?: boolean }
    | null
    | undefined,
): boolean {
  return (
    subscription !== undefined &&
    subscription !== null &&
    !subscriptionNext(
      subscriptionLifeOf(subscription.status, subscription.cancelAtPeriodEnd === true),
      'checkout-opened',
    ).ok
  );
}

/**
 * Whether the organization of an Owner holding `roles` has a subscription Checkout cannot replace
 * ({@link checkoutRefused}), as the locked parts of the other elements ask it. False for others, where no plan is
 * sold, or where the backend serves no subscriptions.
 *
 * @example
 * ```ts
 * const portal = await subscriptionLives(org.roles, plans); // true: offer Manage billing, not Upgrade
 * ```
 */
export async function subscriptionLives(
  roles: readonly string[] | undefined,
  plans: readonly PlanOffer[],
): Promise<boolean> {
  if (!may('billing:checkout', roles) || !plans.some((p) => p.checkout)) return false;
  const { client } = await connectionOf();
  return checkoutRefused((await client.billing.get().catch(() => undefined))?.subscription);
}

/** How a locked part's Owner changes the plan: Checkout, the Stripe portal, or in Azure (Marketplace-billed). */
export type UpgradeRoute = 'checkout' | 'portal' | 'marketplace';

/**
 * The {@link UpgradeRoute} of the organization `tenant` (its `GET api/tenant`): billed through Azure Marketplace, the
 * plan changes there — Checkout answers 409 `billing-channel-taken` (one billing channel an organization) and there
 * is no Stripe portal —; else the portal while a subscription lives ({@link subscriptionLives}); else Checkout.
 *
 * @example
 * ```ts
 * const route = await upgradeRoute(org.roles, plans, await client.tenant()); // 'marketplace': no Upgrade offered
 * ```
 */
export async function upgradeRoute(
  roles: readonly string[] | undefined,
  plans: readonly PlanOffer[],
  tenant: { readonly billedThrough?: string } | undefined,
): Promise<UpgradeRoute> {
  if (tenant?.billedThrough === 'marketplace') return 'marketplace';
  return (await subscriptionLives(roles, plans)) ? 'portal' : 'checkout';
}
