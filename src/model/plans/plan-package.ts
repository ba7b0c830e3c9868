/**
 * One tenant plan as the product it sells (`ResourcePlan.tenantPlans.packages`, DESIGN §2 "Plans that package the
 * product"): its price, seats, items per CrudApi and features, beside what an organization using every limit of it
 * costs to serve and the margin left when the price is known in USD. Plain data, read by every renderer of the plan.
 *
 * @example
 * ```ts
 * const team = backend.plan().tenantPlans?.packages?.find((p) => p.plan === 'team');
 * team?.seats;               // 25, or null: unlimited
 * team?.features.names;      // ['audit', 'domains', 'mcp', 'reports']
 * team?.costToServe.monthlyUsd; // e.g. 9.51, or null when a limit is unbounded
 * ```
 */
export interface TenantPlanPackage {
  readonly plan: string;
  readonly isDefault: boolean;
  readonly price: TenantPlanPackagePrice;
  /** `members`: how many people an organization on the plan may have; null when unlimited. */
  readonly seats: number | null;
  /**
   * Items per organization of each CrudApi some plan bounds (`items`), sorted by CrudApi; `limit` null when this plan
   * leaves it unlimited. Empty when no plan bounds items.
   */
  readonly items: readonly TenantPlanPackageItems[];
  readonly features: TenantPlanPackageFeatures;
  readonly costToServe: TenantPlanPackageCost;
  /** Price less cost to serve, when the plan's price is known in USD (`monthlyFeeUsd`); null otherwise. */
  readonly margin: TenantPlanPackageMargin | null;
}

/** How a plan is sold: its fee, its Stripe price, per seat or not, the trial, its Azure Marketplace plan. */
export interface TenantPlanPackagePrice {
  /** `monthlyFeeUsd`: the plan's fee a month in USD — per seat on a per-seat plan; null when it declares none. */
  readonly monthlyUsd: number | null;
  /** `stripe.price` (its amount is Stripe's); null when the plan names none. */
  readonly stripePrice: string | null;
  /** `stripe.perSeat`: the subscription's quantity is the organization's members. */
  readonly perSeat: boolean;
  /** `stripe.trialDays`: Checkout's trial; null without one. */
  readonly trialDays: number | null;
  /** The Azure Marketplace plan id mapped to this plan (`tenants.billing.marketplace.plans`); null when not sold there. */
  readonly marketplacePlan: string | null;
}

/** One CrudApi's item bound on a plan. */
export interface TenantPlanPackageItems {
  /** The CrudApi's component id, as `plans.<n>.items` names it. */
  readonly crudApi: string;
  /** Items per organization; null when the plan leaves it unlimited. */
  readonly limit: number | null;
}

/** The features a plan includes, by the one rule of plan features (`featuresOf`). */
export interface TenantPlanPackageFeatures {
  /** No plan of the backend declares features: every plan has every feature, the application's too. */
  readonly all: boolean;
  /** The plan's feature names, sorted; with `all`, the built-ins. */
  readonly names: readonly string[];
  /** The names among `names` that are the application's own (not built-in), sorted. */
  readonly application: readonly string[];
}

/** What an organization using every limit of the plan all month costs to serve (the tenant plan cost model). */
export interface TenantPlanPackageCost {
  /** The plan's worst case a month (`tenantPlans.plans[].worstCaseMonthlyUsd`); null when a limit is unbounded. */
  readonly monthlyUsd: number | null;
  /** The bounded lines summed: the floor of the cost when something is unbounded. */
  readonly boundedMonthlyUsd: number;
  /** The dimensions left unbounded, in line order. */
  readonly unbounded: readonly string[];
}

/** The plan's price set against its cost to serve at its limits. */
export interface TenantPlanPackageMargin {
  /**
   * The least margin a month: the least an organization on the plan pays (one seat on a per-seat plan) less the most
   * it can cost to serve; null when the cost is unbounded.
   */
  readonly monthlyUsd: number | null;
  /** On a per-seat plan with bounded seats: the margin with every seat taken; null otherwise. */
  readonly atSeatLimitUsd: number | null;
  /** How the margin follows, in words. */
  readonly basis: string;
}
