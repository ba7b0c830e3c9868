/**
 * The date and the shared units of the price tables behind every `estimatedMonthlyUsd` in a plan (see
 * docs/cost-model.md). Each type keeps its own prices in its folder (`src/resources/<type>/prices.ts` or its
 * facts), read by its `monthlyUsd`.
 *
 * Pay-as-you-go list prices in USD, region eastus, Linux where it matters, recorded 2026-11 from:
 * - Cosmos DB:        https://azure.microsoft.com/pricing/details/cosmos-db/autoscale-provisioned/
 *                     https://azure.microsoft.com/pricing/details/cosmos-db/serverless/
 * - Functions:        https://azure.microsoft.com/pricing/details/functions/
 * - App Service:      https://azure.microsoft.com/pricing/details/app-service/linux/
 * - Storage:          https://azure.microsoft.com/pricing/details/storage/blobs/
 * - Log Analytics /
 *   App Insights:     https://azure.microsoft.com/pricing/details/monitor/
 * Prices change: re-check the sources and update the date with the numbers, never one without the other.
 * No discounts (reservations, savings plans, free tiers, the Cosmos DB free-tier account) are modelled.
 */
export const PRICE_DATE = '2026-11';

/** Billing hours in a month, as Azure's calculator counts them. */
export const HOURS_PER_MONTH = 730;

/**
 * A price rounded to cents, as every `monthlyUsd` reports it.
 *
 * @example
 * ```ts
 * roundUsd(0.18400000000000002); // 0.18
 * ```
 */
export const roundUsd = (n: number): number => Math.round(n * 100) / 100;
