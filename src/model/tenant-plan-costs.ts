import type { TenantPlanPackage } from './plans/plan-package.js';

/**
 * What each declared tenant plan can cost and needs (`ResourcePlan.tenantPlans`, present with a tenant registry):
 * each plan's limits priced as if a tenant used every one of them all month, at the prices `atakora usage` estimates
 * with. A dimension the plan leaves unbounded is said to be unbounded (`null`), never priced as zero.
 *
 * @example
 * ```ts
 * const pro = backend.plan().tenantPlans?.plans.find((p) => p.plan === 'pro');
 * pro?.worstCaseMonthlyUsd; // e.g. 9.51, or null when a dimension is unbounded
 * ```
 */
export interface TenantPlanCosts {
  /** The unit prices used (the plan's price tables, dated). */
  readonly prices: TenantPlanPrices;
  /** One entry per plan of `tenants.plans`, sorted by name. */
  readonly plans: readonly TenantPlanCost[];
  /** What the planned shared resources carry, in words (Web PubSub units, provisioned RU/s). */
  readonly notes: readonly string[];
  /**
   * Each plan as the product it sells — price, seats, items, features, cost to serve at its limits and margin — sorted
   * by name (docs/packaging.md, "The package"). Absent from plans saved before it was added.
   */
  readonly packages?: readonly TenantPlanPackage[];
  /** What the packages' cost to serve assumes, in words. Absent from plans saved before packages were added. */
  readonly packageAssumptions?: readonly string[];
}

/** The unit prices behind {@link TenantPlanCosts}. */
export interface TenantPlanPrices {
  readonly priceDate: string;
  /** The default Cosmos DB account's capacity mode: `serverless`, `provisioned` or `autoscale`. */
  readonly ruPricing: string;
  readonly usdPerMillionRu: number;
  /** Storage per GB-month, at Cosmos DB's price (items), the higher of items' and files'. */
  readonly usdPerGbMonth: number;
  /** Per million Function executions (0 on a plan billed per instance). */
  readonly usdPerMillionRequests: number;
  /** Per million Web PubSub messages; null without realtime. */
  readonly usdPerMillionMessages: number | null;
}

/** One tenant plan's worst case and what one tenant on it needs of the shared resources. */
export interface TenantPlanCost {
  readonly plan: string;
  readonly isDefault: boolean;
  /** Every line's cost summed; null when any line is unbounded. */
  readonly worstCaseMonthlyUsd: number | null;
  /** The bounded lines summed: the floor of the worst case when something is unbounded. */
  readonly boundedMonthlyUsd: number;
  /** The dimensions the plan leaves unbounded, in line order. */
  readonly unbounded: readonly string[];
  readonly lines: readonly TenantPlanCostLine[];
  readonly needs: TenantPlanNeeds;
  /** The plan's price a month as the config declares it (`monthlyFeeUsd`); null when it declares none. */
  readonly priceMonthlyUsd: number | null;
  /** The plan's Stripe price (`stripe.price`), whose amount Stripe holds; null when it names none. */
  readonly stripePrice: string | null;
  /**
   * The dimensions that cost something at the plan's limits (or are unbounded) and that no declared meter
   * (`tenants.billing.stripe.meters`) bills: the plan's price alone pays for them. In line order.
   */
  readonly unbilled: readonly string[];
}

/** One priced dimension of a tenant plan. */
export interface TenantPlanCostLine {
  /** `requestUnits`, `storage`, `requests` or `realtimeMessages`. */
  readonly dimension: string;
  /** The quantity a month at the plan's bounds (RU, GB, executions, messages); null when unbounded. */
  readonly monthlyQuantity: number | null;
  readonly unit: string;
  readonly monthlyUsd: number | null;
  /** How the quantity follows from the plan's limits, or why it is unbounded. */
  readonly basis: string;
}

/** What one tenant at its plan's bounds needs of the shared resources. */
export interface TenantPlanNeeds {
  /** `requestUnitsPerDay` spread over the day (RU/s); null when unbounded. A day's RU may be spent faster. */
  readonly averageRuPerSecond: number | null;
  /** On a provisioned account, how many such tenants its RU/s carry at that average; null otherwise. */
  readonly tenantsAtPlannedThroughput: number | null;
  /** The plan's `realtimeConnections`; null when unbounded (or no realtime). */
  readonly realtimeConnections: number | null;
  /** Web PubSub units one tenant's connections take (Standard 1,000 a unit, Free 20); null when unbounded. */
  readonly webPubSubUnits: number | null;
  /** How many such tenants the planned units hold at their bound; null when unbounded or no realtime. */
  readonly tenantsAtPlannedUnits: number | null;
}
