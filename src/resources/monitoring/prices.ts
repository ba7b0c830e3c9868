// Azure Monitor list prices, recorded with PRICE_DATE (kit/pure/resources/prices.ts) from the sources in ./facts.ts.
/**
 * Azure Monitor. Workspace-based Application Insights is billed as Log Analytics ingestion; the first 5 GB a
 * month per billing account are free. No built-in kind prices monitoring yet (see docs/cost-model.md).
 *
 * @example
 * ```ts
 * const usd = 10 * MONITOR_PRICES.logAnalyticsPerGb; // 10 GB ingested, before the free 5 GB
 * ```
 */
export const MONITOR_PRICES = {
  /** Analytics logs, pay-as-you-go ingestion, per GB. */
  logAnalyticsPerGb: 2.3,
  /** Workspace-based Application Insights: same per-GB ingestion price. */
  appInsightsPerGb: 2.3,
  /** Free ingestion per month. */
  freeGbPerMonth: 5,
  /** Retention beyond the 31 included days (90 for App Insights data), per GB-month. */
  retentionPerGbMonth: 0.1,
} as const;
