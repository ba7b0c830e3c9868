import { MONITOR_PRICES } from './prices.js';

/**
 * What one request costs in Application Insights, as data: the rows it writes and their size. Sizes are those of
 * workspace-based Application Insights rows as billed (Learn, "Azure Monitor Logs cost calculations and options":
 * a row's billed size is its columns' data, about 1 KB for a request or dependency row with a few custom
 * dimensions; https://learn.microsoft.com/azure/azure-monitor/logs/cost-logs#data-size-calculation). An estimate:
 * the plan cannot know the traffic, so it assumes a modest one, stated here and printed with the figure.
 *
 * @example
 * ```ts
 * TELEMETRY_ASSUMPTIONS.requestsPerAppMonth; // 1_000_000
 * ```
 */
export const TELEMETRY_ASSUMPTIONS = {
  /** Requests a month per Function App: ~23 a minute, the modest workload the Functions price assumes. */
  requestsPerAppMonth: 1_000_000,
  /** The host's request row (Host.Results → AppRequests), KB. */
  hostRequestKb: 1,
  /** The runtime's server span (AppRequests, with the design's attributes as custom dimensions), KB. */
  serverSpanKb: 1.2,
  /** One Cosmos DB client span (AppDependencies), KB. */
  cosmosSpanKb: 0.9,
  /** Cosmos DB calls per request on average (a read is one, a PATCH two or three, a list one or two). */
  cosmosCallsPerRequest: 2,
  /** What is never sampled, per Function App and month: Warning logs, aggregated metrics, health probes; GB. */
  unsampledGbPerAppMonth: 0.05,
} as const;

/** The ingestion estimate of one backend's telemetry. */
export interface IngestionEstimate {
  /** Share of traces kept, 0–100 (`monitoring.samplingPercentage`). */
  readonly samplingPercentage: number;
  /** Requests a month assumed for the whole backend (per Function App × apps). */
  readonly assumedRequestsPerMonth: number;
  /** GB a month ingested at that sampling. */
  readonly gbPerMonth: number;
  /** USD a month for that ingestion, after the free 5 GB a month. */
  readonly usdPerMonth: number;
}

/**
 * Ingestion a month for `apps` Function Apps at `samplingPercentage`: each kept request writes the host's request
 * row, the runtime's server span and its Cosmos DB client spans; the host's Warning logs and metrics are not
 * sampled. Priced at pay-as-you-go Analytics Logs ingestion after the free 5 GB.
 *
 * @example
 * ```ts
 * ingestionEstimate(1, 100).gbPerMonth; // 4.05 (inside the free 5 GB)
 * ingestionEstimate(4, 100).usdPerMonth; // 25.76 (16.2 GB)
 * ingestionEstimate(4, 25).usdPerMonth; // 0 (4.2 GB)
 * ```
 */
export function ingestionEstimate(apps: number, samplingPercentage: number): IngestionEstimate {
  const a = TELEMETRY_ASSUMPTIONS;
  const kbPerRequest = a.hostRequestKb + a.serverSpanKb + a.cosmosSpanKb * a.cosmosCallsPerRequest;
  const requests = apps * a.requestsPerAppMonth;
  // Decimal GB, as Azure Monitor bills (1 GB = 10^6 KB).
  const sampledGb = (requests * kbPerRequest * (samplingPercentage / 100)) / 1_000_000;
  const gb = round2(sampledGb + apps * a.unsampledGbPerAppMonth);
  const usd = round2(
    Math.max(0, gb - MONITOR_PRICES.freeGbPerMonth) * MONITOR_PRICES.logAnalyticsPerGb,
  );
  return {
    samplingPercentage,
    assumedRequestsPerMonth: requests,
    gbPerMonth: gb,
    usdPerMonth: usd,
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
