/**
 * The dated price table behind every `estimatedMonthlyUsd` in a plan (see docs/cost-model.md).
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
 * Cosmos DB for NoSQL, single region, single write region.
 *
 * @example
 * ```ts
 * const minimum = (400 / 100) * COSMOS_PRICES.provisionedPer100RuSHour * HOURS_PER_MONTH; // 23.36: the seeds' "~$24"
 * ```
 */
export const COSMOS_PRICES = {
  /** Serverless: per million request units consumed. No minimum charge. */
  serverlessPerMillionRu: 0.25,
  /** Provisioned (manual) throughput: per 100 RU/s per hour. 400 RU/s is the smallest container or database. */
  provisionedPer100RuSHour: 0.008,
  /** Autoscale: per 100 RU/s per hour of the highest RU/s reached in the hour (never below 10% of the max). */
  autoscalePer100RuSHour: 0.012,
  /** Transactional storage, per GB-month (same price for serverless and provisioned). */
  storagePerGbMonth: 0.25,
  /** The smallest manual throughput Azure accepts on a container or database. */
  minProvisionedRuS: 400,
} as const;

/**
 * The workload we assume for a serverless container, because serverless bills only what is used and a plan
 * cannot know the traffic. One container ≈ one CrudApi entity.
 *
 * @example
 * ```ts
 * const perContainer = SERVERLESS_WORKLOAD.millionRuPerContainer * COSMOS_PRICES.serverlessPerMillionRu
 *   + SERVERLESS_WORKLOAD.gbPerContainer * COSMOS_PRICES.storagePerGbMonth; // 1.50
 * ```
 */
export const SERVERLESS_WORKLOAD = {
  /** 5 million RU a month: ~1.9 RU/s on average, e.g. ~150k point reads and ~100k small writes a day. */
  millionRuPerContainer: 5,
  /** 1 GB of items and index per container. Provisioned containers are charged the same storage. */
  gbPerContainer: 1,
} as const;

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
const EP_SIZES: Readonly<Record<string, { vcpu: number; gb: number }>> = { EP1: { vcpu: 1, gb: 3.5 }, EP2: { vcpu: 2, gb: 7 }, EP3: { vcpu: 4, gb: 14 } };

/** Dedicated App Service plans (Linux), per instance-hour. */
const APP_SERVICE_PER_HOUR: Readonly<Record<string, number>> = {
  B1: 0.018, B2: 0.036, B3: 0.072,
  S1: 0.095, S2: 0.19, S3: 0.38,
  P0v3: 0.084, P1v3: 0.168, P2v3: 0.336, P3v3: 0.672,
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
  if (ep) return round2((ep.vcpu * FUNCTIONS_PRICES.epPerVcpuHour + ep.gb * FUNCTIONS_PRICES.epPerGbHour) * HOURS_PER_MONTH);
  const hourly = APP_SERVICE_PER_HOUR[sku];
  return hourly === undefined ? 0 : round2(hourly * HOURS_PER_MONTH);
}

/**
 * Blob storage capacity, Standard general-purpose v2, Hot tier, per GB-month by redundancy; Premium block blob
 * is one price for LRS and ZRS.
 *
 * @example
 * ```ts
 * STORAGE_PRICES.standardPerGbMonth.LRS; // 0.0184
 * ```
 */
export const STORAGE_PRICES = {
  standardPerGbMonth: { LRS: 0.0184, ZRS: 0.023, GRS: 0.0368, RAGRS: 0.046, GZRS: 0.0414, RAGZRS: 0.0518 } as Readonly<Record<string, number>>,
  premiumPerGbMonth: 0.15,
  /**
   * The capacity we assume for an account that mostly holds the Functions host's state: 10 GB. At LRS that is
   * $0.18, the seeds' "~$0.18/month minimum". Transactions are not modelled.
   */
  assumedGb: 10,
} as const;

/**
 * Monthly USD of one storage account at the assumed capacity.
 *
 * @example
 * ```ts
 * storageMonthlyUsd('Standard', 'LRS'); // 0.18
 * storageMonthlyUsd('Standard', 'GRS'); // 0.37
 * ```
 */
export function storageMonthlyUsd(tier: string, replication: string): number {
  const perGb = tier === 'Premium'
    ? STORAGE_PRICES.premiumPerGbMonth
    : STORAGE_PRICES.standardPerGbMonth[replication.toUpperCase().replace(/[^A-Z]/g, '').replace(/^STANDARD/, '')] ?? STORAGE_PRICES.standardPerGbMonth['LRS']!;
  return round2(perGb * STORAGE_PRICES.assumedGb);
}

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

/** Shape of the Cosmos config `cosmosMonthlyUsd` reads (a subset of the merged cosmos config). */
export interface CosmosCostInput {
  readonly serverless: boolean;
  readonly databases: readonly {
    readonly throughput?: number;
    readonly autoscaleMaxThroughput?: number;
    readonly containers: readonly { readonly throughput?: number; readonly autoscaleMaxThroughput?: number }[];
  }[];
}

/**
 * Monthly USD of one Cosmos DB account. Serverless: the assumed workload per container, no minimum.
 * Provisioned: throughput is billed whether used or not — a database with shared throughput is billed once
 * for the containers without their own, otherwise each container is billed its own (at least 400 RU/s); autoscale is
 * billed at its floor (10% of the max, at the autoscale rate), i.e. an idle month. Storage as assumed above.
 *
 * @example
 * ```ts
 * cosmosMonthlyUsd({ serverless: false, databases: [{ containers: [{ throughput: 400 }] }] }); // 23.61
 * cosmosMonthlyUsd({ serverless: true, databases: [{ containers: [{}] }] }); // 1.5
 * ```
 */
export function cosmosMonthlyUsd(c: CosmosCostInput): number {
  const containers = c.databases.reduce((n, d) => n + d.containers.length, 0);
  if (c.serverless) return cosmosServerlessMonthlyUsd(containers);
  const storage = containers * SERVERLESS_WORKLOAD.gbPerContainer * COSMOS_PRICES.storagePerGbMonth;
  let usd = 0;
  for (const db of c.databases) {
    // Containers inside a shared-throughput database cost nothing extra unless they have their own.
    const shared = throughputUsd(db);
    usd += (shared ?? 0) + db.containers.reduce((s, x) => s + (throughputUsd(x) ?? (shared === undefined ? MINIMUM_THROUGHPUT_USD : 0)), 0);
  }
  return round2(usd + storage);
}

/**
 * What {@link cosmosMonthlyUsd} gives for a serverless account of `containers` containers: the assumed workload
 * per container, nothing else (the planner prices each consumer's own serverless account from its count alone).
 *
 * @example
 * ```ts
 * cosmosServerlessMonthlyUsd(2); // 3 (1.50 per container)
 * ```
 */
export function cosmosServerlessMonthlyUsd(containers: number): number {
  const storage = containers * SERVERLESS_WORKLOAD.gbPerContainer * COSMOS_PRICES.storagePerGbMonth;
  return round2(containers * SERVERLESS_WORKLOAD.millionRuPerContainer * COSMOS_PRICES.serverlessPerMillionRu + storage);
}

/** Monthly USD of a container's or database's own throughput; undefined when it has none. */
function throughputUsd(t: { readonly throughput?: number; readonly autoscaleMaxThroughput?: number }): number | undefined {
  if (t.throughput !== undefined) return (Math.max(t.throughput, COSMOS_PRICES.minProvisionedRuS) / 100) * COSMOS_PRICES.provisionedPer100RuSHour * HOURS_PER_MONTH;
  if (t.autoscaleMaxThroughput !== undefined) return (t.autoscaleMaxThroughput / 10 / 100) * COSMOS_PRICES.autoscalePer100RuSHour * HOURS_PER_MONTH;
  return undefined;
}

// Priced once per module, not per account: the planner prices every consumer's own copy (10,000 at 10,000 CrudApis).
const MINIMUM_THROUGHPUT_USD = throughputUsd({ throughput: COSMOS_PRICES.minProvisionedRuS })!;

const round2 = (n: number) => Math.round(n * 100) / 100;
