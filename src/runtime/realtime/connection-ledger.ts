import type { Container } from '@azure/cosmos';
import { callCosmos, type CosmosCallPolicy, DEFAULT_COSMOS_POLICY } from '../data/cosmos-policy.js';

/**
 * How long a `connection` item outlives its last write when no `disconnected` event deletes it (a service
 * restart, an event lost): a day (PLAN73's `ttl: 86400`), after which the place it held is free again.
 */
export const CONNECTION_TTL_SECONDS = 86_400;

/**
 * How long a place reserved at the blocking `connect` event is held before the `connected` event confirms it: a
 * connection the service accepted but the client never completed frees its place after this.
 */
export const RESERVATION_TTL_SECONDS = 120;

/**
 * One live realtime connection in the usage ledger (`kind: 'connection'`, id `connection:<connectionId>`): written
 * on the service's `connect`/`connected` event, deleted on `disconnected`.
 *
 * @example
 * ```ts
 * const item: ConnectionItem = {
 *   id: 'connection:c1', tenant: 't1', kind: 'connection', user: 'u1', connectedAt: '2026-01-01T00:00:00.000Z', ttl: 86400,
 * };
 * ```
 */
export interface ConnectionItem {
  readonly id: string;
  readonly tenant: string;
  readonly kind: 'connection';
  readonly user: string;
  readonly connectedAt: string;
  readonly ttl: number;
}

/** A tenant's live connections: all of them, and those of one user. */
export interface ConnectionCounts {
  readonly tenant: number;
  readonly user: number;
}

/**
 * Where live connections are kept: the usage container (`auth.registry.usage`, partition key `/tenant`). Tests
 * may pass their own.
 */
export interface ConnectionLedger {
  /** Upsert the connection's item (a retried event writes the same item). */
  open(tenant: string, user: string, connectionId: string, at: Date, ttl: number): Promise<void>;
  /** Delete it; an item already gone is no error. */
  close(tenant: string, connectionId: string): Promise<void>;
  /** The tenant's live connections and `user`'s among them: one single-partition query. */
  count(tenant: string, user: string): Promise<ConnectionCounts>;
  /** The tenants with live connections (one cross-partition query: the suspension sweep's, twice a minute at most). */
  tenants(): Promise<string[]>;
}

const statusOf = (e: unknown): unknown => (e as { code?: unknown }).code;

/**
 * The {@link ConnectionLedger} of a Cosmos DB container keyed by `/tenant`, each call under the runtime's Cosmos
 * DB deadline.
 *
 * @example
 * ```ts
 * const ledger = cosmosConnectionLedger(client.database('atakora').container('usage'));
 * await ledger.count('t1', 'u1'); // { tenant: 3, user: 1 }
 * ```
 */
export function cosmosConnectionLedger(
  container: Container,
  policy: CosmosCallPolicy = DEFAULT_COSMOS_POLICY,
): ConnectionLedger {
  return {
    async open(tenant, user, connectionId, at, ttl) {
      const item: ConnectionItem = {
        id: `connection:${connectionId}`,
        tenant,
        kind: 'connection',
        user,
        connectedAt: at.toISOString(),
        ttl,
      };
      await callCosmos(policy, (abortSignal) => container.items.upsert(item, { abortSignal }));
    },
    async close(tenant, connectionId) {
      try {
        await callCosmos(policy, (abortSignal) =>
          container.item(`connection:${connectionId}`, tenant).delete({ abortSignal }),
        );
      } catch (e) {
        if (statusOf(e) !== 404) throw e;
      }
    },
    async count(tenant, user) {
      const { resources } = await callCosmos(policy, (abortSignal) =>
        container.items
          .query<string>(
            {
              // The tenant in the filter too: a store that does not scope a query to its partition counts right.
              query:
                "SELECT VALUE c.user FROM c WHERE c.tenant = @tenant AND c.kind = 'connection'",
              parameters: [{ name: '@tenant', value: tenant }],
            },
            { partitionKey: tenant, abortSignal },
          )
          .fetchAll(),
      );
      return { tenant: resources.length, user: resources.filter((u) => u === user).length };
    },
    async tenants() {
      const { resources } = await callCosmos(policy, (abortSignal) =>
        container.items
          .query<string>(
            { query: "SELECT VALUE c.tenant FROM c WHERE c.kind = 'connection'", parameters: [] },
            { abortSignal },
          )
          .fetchAll(),
      );
      return [...new Set(resources)];
    },
  };
}
