import type { TenantPlan, TenantsConfig } from '../model/config.js';
import type { TenantPlanPackage, TenantPlanPackageMargin } from '../model/plans/plan-package.js';
import { featuresOf, isBuiltInFeature } from '../model/plans/plan-features.js';
import type { TenantPlanCost } from '../model/tenant-plan-costs.js';
import { DIMENSION_LABEL } from './tenant-plan-prices.js';

const cents = (n: number): number => Math.round(n * 100) / 100;
const dollars = (n: number): string =>
  `${n < 0 ? '-' : ''}$${Math.abs(n).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/**
 * Each declared plan as the product it sells (DESIGN §2, "`atakora plan` prints each plan as a package"): its price
 * (`monthlyFeeUsd`, the Stripe price, per seat, the trial, the Azure Marketplace plan it maps to), its seats
 * (`members`), its items per CrudApi, its features by the one rule (`featuresOf`: every feature when no plan declares
 * any), and the cost to serve an organization at its limits from the tenant plan cost model (`costs`, one per plan)
 * with the margin when the price is known in USD. Sorted by plan name, as `costs` is. Pure.
 *
 * @example
 * ```ts
 * const packages = tenantPlanPackages(tenants, costs.plans);
 * packages.map((p) => [p.plan, p.seats]); // [['free', 3], ['team', 25]]
 * ```
 */
export function tenantPlanPackages(
  tenants: TenantsConfig,
  costs: readonly TenantPlanCost[],
): TenantPlanPackage[] {
  const bounded = [
    ...new Set(Object.values(tenants.plans).flatMap((p) => Object.keys(p.items ?? {}))),
  ].sort();
  const marketplace = tenants.billing?.marketplace?.plans ?? {};
  return costs.map((cost) => {
    const plan: TenantPlan = tenants.plans[cost.plan] ?? {};
    const features = featuresOf(plan, tenants.plans);
    const price = {
      monthlyUsd: plan.monthlyFeeUsd ?? null,
      stripePrice: plan.stripe?.price ?? null,
      perSeat: plan.stripe?.perSeat === true,
      trialDays: plan.stripe?.trialDays ?? null,
      marketplacePlan: Object.hasOwn(marketplace, cost.plan)
        ? (marketplace[cost.plan] ?? null)
        : null,
    };
    const seats = plan.members ?? null;
    return {
      plan: cost.plan,
      isDefault: cost.isDefault,
      price,
      seats,
      items: bounded.map((crudApi) => ({ crudApi, limit: plan.items?.[crudApi] ?? null })),
      features: {
        all: features.all,
        names: [...features.names],
        application: features.names.filter((n) => !isBuiltInFeature(n)),
      },
      costToServe: {
        monthlyUsd: cost.worstCaseMonthlyUsd,
        boundedMonthlyUsd: cost.boundedMonthlyUsd,
        unbounded: [...cost.unbounded],
      },
      margin: marginOf(price.monthlyUsd, price.perSeat, seats, cost),
    };
  });
}

/**
 * The least margin: the least an organization on the plan pays (a per-seat plan's one seat — an organization has at
 * least its creator) less the most it costs to serve. Null without a fee in USD: a Stripe price's amount is Stripe's.
 */
function marginOf(
  fee: number | null,
  perSeat: boolean,
  seats: number | null,
  cost: TenantPlanCost,
): TenantPlanPackageMargin | null {
  if (fee === null) return null;
  const worst = cost.worstCaseMonthlyUsd;
  const paid = perSeat ? `${dollars(fee)} a seat, one seat` : `${dollars(fee)} a month`;
  if (worst === null)
    return {
      monthlyUsd: null,
      atSeatLimitUsd: null,
      basis:
        `${paid} against a cost to serve that is unbounded at its limits ` +
        `(${cost.unbounded.map((d) => DIMENSION_LABEL[d] ?? d).join(', ')} not bounded): no margin holds`,
    };
  const atLimit = perSeat && seats !== null ? cents(fee * seats - worst) : null;
  return {
    monthlyUsd: cents(fee - worst),
    atSeatLimitUsd: atLimit,
    basis:
      `${paid} less up to ${dollars(worst)} to serve at its limits` +
      (perSeat
        ? `; each further seat adds ${dollars(fee)}` +
          (seats === null
            ? ''
            : `; all ${String(seats)} seats: ${dollars(fee * seats)} less ${dollars(worst)}`)
        : ''),
  };
}

/**
 * What the packages' cost to serve and margin assume, in words: printed under the packages by every renderer.
 *
 * @example
 * ```ts
 * packageAssumptions(); // ['Cost to serve: one organization using every limit of its plan all month …', …]
 * ```
 */
export function packageAssumptions(): string[] {
  return [
    'Cost to serve: one organization using every limit of its plan all month — requestUnitsPerDay × 30 days, ' +
      'storageMb all month, requestsPerMinute × 43,200 minutes and the realtime messages those writes send to ' +
      'realtimeConnections connections — at the list prices of the tenant plans above; a limit left out is ' +
      'unbounded, and so is the cost.',
    'Seats and items cost nothing of their own: a member’s calls and an item’s bytes are inside the plan’s ' +
      'request, RU and storage bounds.',
    'Margin: monthlyFeeUsd (a seat’s price on a per-seat plan, so the least paying organization has one seat) ' +
      'less the cost to serve; a plan with only a Stripe price shows none (its amount is Stripe’s: atakora usage ' +
      '--month reads it); what Stripe or the Marketplace keep (3% there) is not deducted.',
  ];
}
