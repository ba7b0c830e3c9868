// The plans as packages (DESIGN §2, "The people side as drop-in elements"): `GET api/plans` lists each declared plan
// as what it sells — shared by the runtime, the OpenAPI document, the typed client and the plan element.

/** `GET api/plans` under `api/`: any signed-in caller, in no organization. */
export const PLANS_ROUTE = 'plans';

/** The host function name of {@link PLANS_ROUTE}. */
export const PLANS_FUNCTION = 'atakora-plans';

/**
 * One plan as `GET api/plans` lists it: its name, its price (`monthlyFeeUsd`, a seat's on a per-seat plan; null
 * without one), whether it is per seat, its trial days, its seats (`members`; null: unlimited), its items per CrudApi
 * (null: unlimited, only CrudApis some plan bounds), its features (sorted; every built-in when no plan lists any),
 * whether it is the default plan and whether Checkout sells it (a Stripe price with subscriptions on).
 *
 * @example
 * ```ts
 * const team: PlanOffer = {
 *   name: 'team', default: false, price: 15, perSeat: true, trialDays: 14, seats: 25,
 *   items: { ProjectApi: 100, ReportApi: 500 }, features: ['audit', 'domains', 'mcp', 'reports'], checkout: true,
 * };
 * ```
 */
export interface PlanOffer {
  readonly name: string;
  readonly default: boolean;
  readonly price: number | null;
  readonly perSeat: boolean;
  readonly trialDays: number | null;
  readonly seats: number | null;
  readonly items: Readonly<Record<string, number | null>>;
  readonly features: readonly string[];
  readonly checkout: boolean;
}

/**
 * What `GET api/plans` answers: every declared plan, sorted by name.
 *
 * @example
 * ```ts
 * // On a pricing page (it reaches the deployed API):
 * async function withAudit() {
 *   const { items } = await client.billing.plans();
 *   return items.find((p) => p.features.includes('audit'))?.name; // 'team'
 * }
 * ```
 */
export interface PlanOfferList {
  readonly items: readonly PlanOffer[];
}
