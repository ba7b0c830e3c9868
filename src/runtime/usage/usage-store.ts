import { BulkOperationType, type Container } from '@azure/cosmos';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import {
  callCosmos,
  readItemOrNone,
  type CosmosCallPolicy,
  DEFAULT_COSMOS_POLICY,
  type TracedCallPolicy,
} from '../data/cosmos-policy.js';
import type { HourItem, MinuteItem, StoredItem, UsageItem } from './usage-items.js';

/**
 * How the meter reads and writes the usage ledger (the runtime's: the `usage` container; tests and the bench may
 * wrap it to count calls). Every read is within one tenant's partition.
 *
 * @example
 * ```ts
 * const store = cosmosUsageStore(client.database('atakora').container('usage'));
 * await store.write('contoso', [hourItem('contoso', '2026-03-01T14', 'i-1', zeroHour())]);
 * ```
 */
export interface UsageStore {
  /** Write `items` of `tenant` whole (create or replace), all or none: one request to the store. */
  write(tenant: string, items: readonly UsageItem[]): Promise<void>;
  /** The item `id` of `tenant`, or undefined. */
  read(tenant: string, id: string): Promise<Record<string, unknown> | undefined>;
  /** Every instance's `minute` item of `tenant` for `minute` (`YYYY-MM-DDTHH:MM`). */
  minutes(tenant: string, minute: string): Promise<readonly MinuteItem[]>;
  /** Every `hour` item of `tenant` from `fromHour` (ISO, `…T00:00:00.000Z`) on. */
  hours(tenant: string, fromHour: string): Promise<readonly HourItem[]>;
  /** Every `stored` item of `tenant` (the instances' and the CLI's). */
  stored(tenant: string): Promise<readonly StoredItem[]>;
  /** How many `connection` items `tenant` has (live realtime connections). */
  connections(tenant: string): Promise<number>;
  /**
   * In one query, what the limits read of `tenant`: its `minute` items of `minute`, its `hour` items from
   * `fromHour` on, its `stored` items — each only when asked. Optional: without it the meter reads them apart.
   */
  snapshot?(
    tenant: string,
    want: { readonly minute?: string; readonly fromHour?: string; readonly stored: boolean },
  ): Promise<readonly (MinuteItem | HourItem | StoredItem)[]>;
}

/**
 * The ledger in its Cosmos DB container (`/tenant` the partition key), every call under the runtime's deadline.
 *
 * @example
 * ```ts
 * const store = cosmosUsageStore(container, { timeoutMs: 5000, retryAfterSeconds: 5 });
 * ```
 */
export function cosmosUsageStore(
  container: Container,
  policy: CosmosCallPolicy = DEFAULT_COSMOS_POLICY,
): UsageStore {
  // The ledger's own calls are the runtime's bookkeeping, not a request's work: no span of their own (a flush each
  // second per tenant would otherwise be a trace each), and no request's RU.
  policy = { ...policy, trace: suppressTracing(ROOT_CONTEXT) } as TracedCallPolicy;
  // Scoped to the tenant's partition, and filtered by it too: the query never reads another tenant's items.
  const query = async <T>(
    tenant: string,
    text: string,
    parameters: { name: string; value: string }[],
  ): Promise<T[]> => {
    const { resources } = await callCosmos(policy, (abortSignal) =>
      container.items
        .query<T>(
          { query: text, parameters: [{ name: '@t', value: tenant }, ...parameters] },
          { partitionKey: tenant, abortSignal },
        )
        .fetchAll(),
    );
    return resources;
  };
  return {
    async write(tenant, items) {
      // One transactional batch per flush: a tenant's items share its partition, so a flush is one request however
      // many items it writes (https://learn.microsoft.com/azure/cosmos-db/nosql/transactional-batch: up to 100
      // operations on one partition key value, all or none).
      const operations = items.map((item) => ({
        operationType: BulkOperationType.Upsert,
        // The batch's own key too (every operation's must equal it); the local server reads it per operation.
        partitionKey: tenant,
        resourceBody: { ...item },
      }));
      const { result } = await callCosmos(policy, (abortSignal) =>
        container.items.batch(operations, tenant, { abortSignal }),
      );
      const failed = (result ?? []).find((r) => r.statusCode >= 400);
      if (failed)
        throw Object.assign(new Error('The usage ledger refused a flush.'), {
          code: failed.statusCode,
        });
    },
    read: (tenant, id) => readItemOrNone(container, policy, id, tenant),
    minutes: (tenant, minute) =>
      query<MinuteItem>(
        tenant,
        "SELECT * FROM c WHERE c.tenant = @t AND c.kind = 'minute' AND c.minute = @m",
        [{ name: '@m', value: minute }],
      ),
    hours: (tenant, fromHour) =>
      query<HourItem>(
        tenant,
        "SELECT * FROM c WHERE c.tenant = @t AND c.kind = 'hour' AND c.hour >= @h",
        [{ name: '@h', value: fromHour }],
      ),
    stored: (tenant) =>
      query<StoredItem>(tenant, "SELECT * FROM c WHERE c.tenant = @t AND c.kind = 'stored'", []),
    snapshot(tenant, want) {
      const kinds: string[] = [];
      const parameters: { name: string; value: string }[] = [];
      if (want.minute !== undefined) {
        kinds.push("(c.kind = 'minute' AND c.minute = @m)");
        parameters.push({ name: '@m', value: want.minute });
      }
      if (want.fromHour !== undefined) {
        kinds.push("(c.kind = 'hour' AND c.hour >= @h)");
        parameters.push({ name: '@h', value: want.fromHour });
      }
      if (want.stored) kinds.push("c.kind = 'stored'");
      if (kinds.length === 0) return Promise.resolve([]);
      return query<MinuteItem | HourItem | StoredItem>(
        tenant,
        `SELECT * FROM c WHERE c.tenant = @t AND (${kinds.join(' OR ')})`,
        parameters,
      );
    },
    async connections(tenant) {
      const ids = await query<{ id: string }>(
        tenant,
        "SELECT c.id FROM c WHERE c.tenant = @t AND c.kind = 'connection'",
        [],
      );
      return ids.length;
    },
  };
}
