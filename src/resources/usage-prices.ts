import { PRICE_DATE } from '../kit/pure/resources/prices.js';
import type { JsonValue, PlannedResource } from '../model/plan.js';
import { COSMOS_PRICES } from './cosmos/prices.js';
import { FUNCTIONS_PRICES } from './functions/prices.js';
import { STORAGE_PRICES } from './storage/prices.js';
import type { RealtimeSku } from '../model/config.js';
import { WEBPUBSUB_LIMITS, WEBPUBSUB_PRICES } from './webpubsub/facts.js';

/** How the default Cosmos DB account bills request units. */
export type RuPricing = 'serverless' | 'provisioned' | 'autoscale';

/**
 * The unit prices of one backend's usage, read from its plan: the one price book `atakora usage` (a tenant's
 * estimated cost) and the plan's costs per tenant plan both use, so the two never disagree. Every figure comes from
 * the price tables the resources' `monthlyUsd` use (`src/resources/<type>/prices.ts`, dated {@link PRICE_DATE}).
 */
export interface UsagePrices {
  readonly priceDate: string;
  /** The default account's capacity mode (where the registry and the ledger live). */
  readonly ruPricing: RuPricing;
  /**
   * USD per million RU: serverless bills each RU; a provisioned account bills its throughput whether used or not,
   * so there this is the RU's share at full use (the hourly price of 100 RU/s over the 360,000 RU it serves).
   */
  readonly usdPerMillionRu: number;
  /** Cosmos DB transactional storage, per GB-month (items). */
  readonly usdPerGbMonthItems: number;
  /** Blob capacity of the backend's storage account, per GB-month (files). */
  readonly usdPerGbMonthFiles: number;
  /** Per million executions on a consumption plan (Flex Consumption or Y1); 0 on a plan billed per instance. */
  readonly usdPerMillionRequests: number;
  /** The Function App plan's SKU the request price follows. */
  readonly functionsSku: string;
  /** Per million Web PubSub messages (0 on Free, which stops instead); absent without realtime. */
  readonly usdPerMillionMessages?: number;
  /** The Web PubSub tier and units planned; absent without realtime. */
  readonly realtime?: {
    readonly sku: string;
    readonly units: number;
    readonly connectionsPerUnit: number;
  };
  /** Provisioned RU/s of the default account (manual, or autoscale's maximum); 0 when serverless. */
  readonly provisionedRuPerSecond: number;
}

/** RU served by 100 RU/s in one hour: what the hourly price of 100 RU/s buys at full use. */
const RU_PER_100_RUS_HOUR = 100 * 3600;

/**
 * The unit prices for a plan's default Cosmos DB account, storage account, Function App plan and Web PubSub.
 *
 * @example
 * ```ts
 * usagePrices(backend.plan()).usdPerMillionRu; // 0.25 on a serverless account
 * ```
 */
export function usagePrices(plan: { readonly resources: readonly PlannedResource[] }): UsagePrices {
  const cosmos =
    plan.resources.find((r) => r.key === 'cosmos:shared') ??
    plan.resources.find((r) => r.type === 'cosmos');
  const serverless = cosmos?.config['serverless'] !== false;
  const throughput = throughputOf(cosmos?.config['databases']);
  const ruPricing: RuPricing = serverless
    ? 'serverless'
    : throughput.autoscale
      ? 'autoscale'
      : 'provisioned';
  const usdPerMillionRu =
    ruPricing === 'serverless'
      ? COSMOS_PRICES.serverlessPerMillionRu
      : round6(
          ((ruPricing === 'autoscale'
            ? COSMOS_PRICES.autoscalePer100RuSHour
            : COSMOS_PRICES.provisionedPer100RuSHour) /
            RU_PER_100_RUS_HOUR) *
            1_000_000,
        );
  const storage =
    plan.resources.find((r) => r.key === 'storage:shared') ??
    plan.resources.find((r) => r.type === 'storage');
  const tier = textOf(storage?.config['tier'], 'Standard');
  const replication = textOf(storage?.config['replication'], 'LRS').toUpperCase();
  const usdPerGbMonthFiles =
    tier === 'Premium'
      ? STORAGE_PRICES.premiumPerGbMonth
      : (STORAGE_PRICES.standardPerGbMonth[replication] ??
        STORAGE_PRICES.standardPerGbMonth['LRS'] ??
        0);
  const functions =
    plan.resources.find((r) => r.key === 'functions:shared') ??
    plan.resources.find((r) => r.type === 'functions');
  const functionsSku = textOf(functions?.config['sku'], 'FC1');
  const usdPerMillionRequests =
    functionsSku === 'FC1'
      ? FUNCTIONS_PRICES.fc1PerMillionExecutions
      : functionsSku === 'Y1'
        ? FUNCTIONS_PRICES.y1PerMillionExecutions
        : 0;
  const pubsub = plan.resources.find((r) => r.type === 'webpubsub');
  const rawSku = pubsub?.config['sku'];
  const sku =
    typeof rawSku === 'string' && rawSku in WEBPUBSUB_LIMITS ? (rawSku as RealtimeSku) : undefined;
  const realtime =
    pubsub && sku
      ? {
          sku,
          units: Number(pubsub.config['units'] ?? 1),
          connectionsPerUnit: WEBPUBSUB_LIMITS[sku].connectionsPerUnit,
        }
      : undefined;
  return {
    priceDate: PRICE_DATE,
    ruPricing,
    usdPerMillionRu,
    usdPerGbMonthItems: COSMOS_PRICES.storagePerGbMonth,
    usdPerGbMonthFiles,
    usdPerMillionRequests,
    functionsSku,
    ...(realtime
      ? {
          usdPerMillionMessages: WEBPUBSUB_LIMITS[realtime.sku].hardMessageCap
            ? 0
            : WEBPUBSUB_PRICES.perMillionMessages,
          realtime,
        }
      : {}),
    provisionedRuPerSecond: serverless ? 0 : throughput.ruPerSecond,
  };
}

/** The account's RU/s: each database's shared throughput plus each container's own (autoscale at its maximum). */
function throughputOf(databases: JsonValue | undefined): {
  ruPerSecond: number;
  autoscale: boolean;
} {
  let ruPerSecond = 0;
  let autoscale = false;
  const own = (x: unknown): number => {
    const o = (x ?? {}) as { throughput?: unknown; autoscaleMaxThroughput?: unknown };
    if (typeof o.autoscaleMaxThroughput === 'number') {
      autoscale = true;
      return o.autoscaleMaxThroughput;
    }
    return typeof o.throughput === 'number' ? o.throughput : 0;
  };
  for (const db of Array.isArray(databases) ? databases : []) {
    const shared = own(db);
    ruPerSecond += shared;
    const containers = (db as { containers?: unknown }).containers;
    for (const c of Array.isArray(containers) ? containers : []) {
      const mine = own(c);
      // A container without throughput of its own in a database without shared throughput gets the minimum.
      ruPerSecond += mine > 0 ? mine : shared > 0 ? 0 : COSMOS_PRICES.minProvisionedRuS;
    }
  }
  return { ruPerSecond, autoscale };
}

const textOf = (v: JsonValue | undefined, fallback: string): string =>
  typeof v === 'string' ? v : fallback;

const round6 = (n: number): number => Math.round(n * 1_000_000) / 1_000_000;
