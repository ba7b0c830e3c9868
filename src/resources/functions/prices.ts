// Functions and App Service list prices, recorded with PRICE_DATE (kit/pure/resources/prices.ts) from the sources in ./facts.ts.
import { HOURS_PER_MONTH, roundUsd } from '../../kit/pure/resources/prices.js';

/**
 * Azure Functions hosting. Consumption (Y1) and Flex Consumption (FC1) bill per execution and GB-second after a
 * monthly free grant that is per subscription, not per app; the plan cannot know the traffic, so we price
 * each such app at the seeds' ~$13/month figure (their overview's "Function App ~$13/month (consumption)").
 * That is an assumption, not a list price: see docs/cost-model.md for what it means for sharing.
 *
 * @example
 * ```ts
 * FUNCTIONS_PRICES.consumptionAssumedMonthlyUsd; // 13
 * ```
 */
export const FUNCTIONS_PRICES = {
  /** The seeds' assumption for one Y1 or FC1 app with a modest workload. */
  consumptionAssumedMonthlyUsd: 13,
  /** Y1 list prices, for reference: per million executions and per GB-second, after the free grant. */
  y1PerMillionExecutions: 0.2,
  y1PerGbSecond: 0.000016,
  y1FreeExecutions: 1_000_000,
  y1FreeGbSeconds: 400_000,
  /** FC1 (on-demand) list prices, for reference. */
  fc1PerMillionExecutions: 0.4,
  fc1PerGbSecond: 0.000026,
  fc1FreeExecutions: 250_000,
  fc1FreeGbSeconds: 100_000,
  /** Elastic Premium: per vCPU-hour and per GB-hour of the always-on instance (EP1 = 1 vCPU / 3.5 GB). */
  epPerVcpuHour: 0.173,
  epPerGbHour: 0.0123,
} as const;

/** Elastic Premium sizes: one always-ready instance is billed all month. */
const EP_SIZES: Readonly<Record<string, { vcpu: number; gb: number }>> = {
  EP1: { vcpu: 1, gb: 3.5 },
  EP2: { vcpu: 2, gb: 7 },
  EP3: { vcpu: 4, gb: 14 },
};

/** Dedicated App Service plans (Linux), per instance-hour. */
const APP_SERVICE_PER_HOUR: Readonly<Record<string, number>> = {
  B1: 0.018,
  B2: 0.036,
  B3: 0.072,
  S1: 0.095,
  S2: 0.19,
  S3: 0.38,
  P0v3: 0.084,
  P1v3: 0.168,
  P2v3: 0.336,
  P3v3: 0.672,
};

/**
 * Monthly USD of one Function App plan with one instance. Unknown SKUs cost 0 (and are listed in the doc as
 * not modelled) rather than throwing: a price is an estimate, never a reason to refuse a plan.
 *
 * @example
 * ```ts
 * functionPlanMonthlyUsd('Y1'); // 13 (the seeds' assumption)
 * functionPlanMonthlyUsd('B1'); // 13.14
 * functionPlanMonthlyUsd('EP1'); // 157.72
 * ```
 */
export function functionPlanMonthlyUsd(sku: string): number {
  if (sku === 'Y1' || sku === 'FC1') return FUNCTIONS_PRICES.consumptionAssumedMonthlyUsd;
  const ep = EP_SIZES[sku];
  if (ep)
    return roundUsd(
      (ep.vcpu * FUNCTIONS_PRICES.epPerVcpuHour + ep.gb * FUNCTIONS_PRICES.epPerGbHour) *
        HOURS_PER_MONTH,
    );
  const hourly = APP_SERVICE_PER_HOUR[sku];
  return hourly === undefined ? 0 : roundUsd(hourly * HOURS_PER_MONTH);
}
