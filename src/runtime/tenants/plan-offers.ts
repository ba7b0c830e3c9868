import type { PlanOfferList } from '../../contract/plans/plan-offers.js';
import type { RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import {
  BUILT_IN_FEATURES,
  declaresFeatures,
  featuresOf,
} from '../../model/plans/plan-features.js';

/**
 * The registry's plans as `GET api/plans` lists them (contract/plans.ts): each plan's price and trial from
 * `prices`, seats, items of every CrudApi some plan bounds, and features by the one rule of plan features
 * (`featuresOf`: every built-in feature when no plan lists any). Sorted by plan name. Pure.
 *
 * @example
 * ```ts
 * planOffersOf(registry).items.map((p) => [p.name, p.seats]); // [['free', 3], ['team', 25]]
 * ```
 */
export function planOffersOf(registry: RuntimeTenantRegistry): PlanOfferList {
  const bounded = [
    ...new Set(Object.values(registry.plans).flatMap((p) => Object.keys(p.items ?? {}))),
  ].sort();
  const declared = declaresFeatures(registry.plans);
  const items = Object.keys(registry.plans)
    .sort()
    .map((name) => {
      const plan = registry.plans[name] ?? {};
      const price = registry.prices?.[name] ?? {};
      return {
        name,
        default: name === registry.defaultPlan,
        price: price.monthlyUsd ?? null,
        perSeat: price.perSeat === true,
        trialDays: price.trialDays ?? null,
        seats: plan.members ?? null,
        items: Object.fromEntries(bounded.map((api) => [api, plan.items?.[api] ?? null])),
        features: declared
          ? [...featuresOf(plan, registry.plans).names].sort()
          : [...BUILT_IN_FEATURES].sort(),
        checkout: price.checkout === true,
      };
    });
  return { items };
}
