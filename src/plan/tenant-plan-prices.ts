import type { NormalizedConfig, StripeMeters, TenantPlan } from '../model/config.js';
import type { TenantPlanCost } from '../model/tenant-plan-costs.js';

/** The meter that bills each priced dimension of a plan (`tenants.billing.stripe.meters`). */
const METER_OF: Readonly<Record<string, keyof StripeMeters>> = {
  requestUnits: 'requestUnits',
  storage: 'storedGbHours',
  requests: 'requests',
  realtimeMessages: 'realtimeMessages',
};

/** A dimension as the plan's lines name it. */
export const DIMENSION_LABEL: Readonly<Record<string, string>> = {
  requestUnits: 'RU',
  storage: 'storage',
  requests: 'requests',
  realtimeMessages: 'realtime messages',
};

const label = (d: string): string => DIMENSION_LABEL[d] ?? d;
const dollars = (n: number): string =>
  `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/**
 * A plan's cost with its price beside it: `monthlyFeeUsd`, the Stripe price it names, and the dimensions that cost
 * something at its limits (or are unbounded) with no meter billing them — the plan's price alone pays for those.
 *
 * @example
 * ```ts
 * withPrice(cost, { monthlyFeeUsd: 29 }, { requests: 'api_requests' }).unbilled; // ['requestUnits', 'storage', …]
 * ```
 */
export function withPrice(
  cost: Omit<TenantPlanCost, 'priceMonthlyUsd' | 'stripePrice' | 'unbilled'>,
  plan: TenantPlan,
  meters: StripeMeters | undefined,
): TenantPlanCost {
  const unbilled = cost.lines
    .filter((l) => l.monthlyUsd === null || l.monthlyUsd > 0)
    .map((l) => l.dimension)
    .filter((d) => {
      const meter = METER_OF[d];
      return meter === undefined || meters?.[meter] === undefined;
    });
  return {
    ...cost,
    priceMonthlyUsd: plan.monthlyFeeUsd ?? null,
    stripePrice: plan.stripe?.price ?? null,
    unbilled,
  };
}

/**
 * The notes that set each priced plan's price against its cost to serve at its limits (flagging a worst case above
 * the price) and name the cost drivers no meter bills. Only for a backend that bills (`tenants.billing`) or a plan
 * with a price: otherwise there is no price to set a cost against.
 *
 * @example
 * ```ts
 * priceNotes(plans, config); // ['pro: price $29.00 a month (Stripe price_Pro) against a cost to serve …']
 * ```
 */
export function priceNotes(plans: readonly TenantPlanCost[], config: NormalizedConfig): string[] {
  const billing = config.tenants?.billing !== undefined;
  const out: string[] = [];
  for (const p of plans) {
    const priced = p.priceMonthlyUsd !== null || p.stripePrice !== null;
    if (!billing && !priced) continue;
    // A per-seat price is a seat's: set against the cost as one seat, the least an organization pays.
    const seat = config.tenants?.plans[p.plan]?.stripe?.perSeat === true;
    const price =
      p.priceMonthlyUsd !== null
        ? `price ${dollars(p.priceMonthlyUsd)} a ${seat ? 'seat a ' : ''}month${p.stripePrice === null ? '' : ` (Stripe ${p.stripePrice}${seat ? ', per seat' : ''})`}`
        : p.stripePrice !== null
          ? `price ${p.stripePrice} (its amount is Stripe's)`
          : 'no price declared';
    const cost =
      p.worstCaseMonthlyUsd === null
        ? `a cost to serve that is unbounded at its limits (${p.unbounded.map(label).join(', ')} not bounded)`
        : `a cost to serve of up to ${dollars(p.worstCaseMonthlyUsd)} at its limits` +
          (p.priceMonthlyUsd !== null && p.worstCaseMonthlyUsd > p.priceMonthlyUsd
            ? ` — more than ${seat ? 'one seat’s price' : 'its price'}`
            : '');
    const drivers =
      p.unbilled.length === 0
        ? 'a meter bills every cost driver'
        : `no meter bills ${p.unbilled.map(label).join(', ')} (tenants.billing.stripe.meters.` +
          p.unbilled.map((d) => METER_OF[d] ?? d).join(', .') +
          `): the price alone pays for ${p.unbilled.length === 1 ? 'it' : 'them'}`;
    out.push(`${p.plan}: ${price} against ${cost}; ${drivers}.`);
  }
  return out;
}
