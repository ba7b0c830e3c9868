// Cosmos DB list prices, recorded with PRICE_DATE (kit/pure/resources/prices.ts) from the sources in ./facts.ts.
import { HOURS_PER_MONTH, roundUsd } from '../../kit/pure/resources/prices.js';

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
  /**
   * Continuous backup, 30-day tier: backup storage per GB of data and region a month (the 7-day tier is free). Learn,
   * "Continuous backup with point-in-time restore in Azure Cosmos DB", Pricing
   * (https://learn.microsoft.com/azure/cosmos-db/continuous-backup-restore-introduction#continuous-backup-pricing).
   */
  continuous30DaysBackupPerGbMonth: 0.2,
  /** A point-in-time restore, once per restore, per GB restored (both continuous tiers; same source). */
  restorePerGb: 0.15,
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

/** Shape of the Cosmos config `cosmosMonthlyUsd` reads (a subset of the merged cosmos config). */
export interface CosmosCostInput {
  readonly serverless: boolean;
  /**
   * Regions of the account (its `geoLocations`), default 1. Provisioned throughput and storage are billed in
   * every region the account is in (Learn, "Understand your Azure Cosmos DB bill", "Billing examples with geo-
   * replication": each region's RU/s and storage are billed; https://learn.microsoft.com/azure/cosmos-db/understand-your-bill).
   */
  readonly regions?: number;
  readonly databases: readonly {
    readonly throughput?: number;
    readonly autoscaleMaxThroughput?: number;
    readonly containers: readonly {
      readonly throughput?: number;
      readonly autoscaleMaxThroughput?: number;
    }[];
  }[];
}

/**
 * Monthly USD of one Cosmos DB account. Serverless: the assumed workload per container, no minimum.
 * Provisioned: throughput is billed whether used or not — a database with shared throughput is billed once
 * for the containers without their own, otherwise each container is billed its own (at least 400 RU/s); autoscale is
 * billed at its floor (10% of the max, at the autoscale rate), i.e. an idle month. Storage as assumed above.
 * Both once per region of a multi-region account (`regions`); a serverless account has one region.
 *
 * @example
 * ```ts
 * cosmosMonthlyUsd({ serverless: false, databases: [{ containers: [{ throughput: 400 }] }] }); // 23.61
 * cosmosMonthlyUsd({ serverless: true, databases: [{ containers: [{}] }] }); // 1.5
 * cosmosMonthlyUsd({ serverless: false, regions: 2, databases: [{ containers: [{ throughput: 400 }] }] }); // 47.22
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
    usd +=
      (shared ?? 0) +
      db.containers.reduce(
        (s, x) => s + (throughputUsd(x) ?? (shared === undefined ? MINIMUM_THROUGHPUT_USD : 0)),
        0,
      );
  }
  return roundUsd((usd + storage) * regionCount(c.regions));
}

/** A region count as billed: a whole number, at least 1. */
function regionCount(regions: number | undefined): number {
  return regions !== undefined && Number.isFinite(regions) && regions >= 1
    ? Math.floor(regions)
    : 1;
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
  return roundUsd(
    containers * SERVERLESS_WORKLOAD.millionRuPerContainer * COSMOS_PRICES.serverlessPerMillionRu +
      storage,
  );
}

/** Monthly USD of a container's or database's own throughput; undefined when it has none. */
function throughputUsd(t: {
  readonly throughput?: number;
  readonly autoscaleMaxThroughput?: number;
}): number | undefined {
  if (t.throughput !== undefined) return provisionedUsd(t.throughput);
  if (t.autoscaleMaxThroughput !== undefined)
    return (
      (t.autoscaleMaxThroughput / 10 / 100) * COSMOS_PRICES.autoscalePer100RuSHour * HOURS_PER_MONTH
    );
  return undefined;
}

// Priced once per module, not per account: the planner prices every consumer's own copy (10,000 at 10,000 CrudApis).
const MINIMUM_THROUGHPUT_USD = provisionedUsd(COSMOS_PRICES.minProvisionedRuS);

/** Monthly USD of provisioned RU/s (at least the minimum Azure provisions). */
function provisionedUsd(throughput: number): number {
  return (
    (Math.max(throughput, COSMOS_PRICES.minProvisionedRuS) / 100) *
    COSMOS_PRICES.provisionedPer100RuSHour *
    HOURS_PER_MONTH
  );
}
