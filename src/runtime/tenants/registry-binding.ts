import type { Container } from '@azure/cosmos';
import { callCosmos, type CosmosCallPolicy, DEFAULT_COSMOS_POLICY } from '../data/cosmos-policy.js';
import type { RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import { RegistryCache, type RegistryCacheOptions, type RegistryStore } from './registry-cache.js';
import { tenantRecordOf, type TenantRecord } from './tenant-record.js';

// A registry symbol, not a module variable: the app's HTTP functions may load another copy of this module than
// the runtime that bound the registry, and both must read the same cache.
const KEY = Symbol.for('atakora.runtime.tenantRegistries');

function bound(): Map<string, RegistryCache> {
  const g = globalThis as { [KEY]?: Map<string, RegistryCache> };
  return (g[KEY] ??= new Map<string, RegistryCache>());
}

const nameOf = (r: Pick<RuntimeTenantRegistry, 'database' | 'container'>): string =>
  `${r.database}/${r.container}`;

/**
 * Bind the registry the runtime reads for `registry` (its database and container) in this process: what the
 * registry stage of every route (CRUD, children, files, negotiate, HTTP functions) asks.
 *
 * @example
 * ```ts
 * bindTenantRegistry(manifest.auth.registry, cosmosRegistryStore(container), { maxAgeMs: 30_000 });
 * ```
 */
export function bindTenantRegistry(
  registry: Pick<RuntimeTenantRegistry, 'database' | 'container'>,
  store: RegistryStore,
  options: RegistryCacheOptions = {},
): RegistryCache {
  const cache = new RegistryCache(store, options);
  bound().set(nameOf(registry), cache);
  return cache;
}

/**
 * The cache bound for `registry`, or undefined when this process has none (the registry stage then admits no
 * directory but the home one: closed, never open).
 *
 * @example
 * ```ts
 * const cache = boundTenantRegistry(policy.registry);
 * ```
 */
export function boundTenantRegistry(
  registry: Pick<RuntimeTenantRegistry, 'database' | 'container'>,
): RegistryCache | undefined {
  return bound().get(nameOf(registry));
}

const statusOf = (e: unknown): unknown => (e as { code?: unknown }).code;

/**
 * The registry in a Cosmos DB container (`/id` the partition key): a point read per directory, a create that keeps
 * the record another instance wrote first.
 *
 * @example
 * ```ts
 * const store = cosmosRegistryStore(client.database('atakora').container('tenants'));
 * ```
 */
export function cosmosRegistryStore(
  container: Container,
  policy: CosmosCallPolicy = DEFAULT_COSMOS_POLICY,
): RegistryStore {
  // Every Cosmos DB call of a request has a deadline (DESIGN §6): the registry's read and create too.
  const read = async (id: string): Promise<TenantRecord | undefined> => {
    try {
      const { resource } = await callCosmos(policy, (abortSignal) =>
        container.item(id, id).read<Record<string, unknown>>({ abortSignal }),
      );
      return resource ? tenantRecordOf(resource) : undefined;
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  };
  return {
    read,
    async recentInactive(sinceSeconds) {
      try {
        // Cross-partition, but only the few records suspended lately come back (a few RU a sweep).
        const { resources } = await callCosmos(policy, (abortSignal) =>
          container.items
            .query<Record<string, unknown>>(
              {
                query: "SELECT * FROM c WHERE c.status != 'active' AND c._ts >= @since",
                parameters: [{ name: '@since', value: sinceSeconds }],
              },
              { abortSignal },
            )
            .fetchAll(),
        );
        return resources.flatMap((r) => tenantRecordOf(r) ?? []);
      } catch (e) {
        // A registry container not created yet holds no suspension.
        if (statusOf(e) === 404) return [];
        throw e;
      }
    },
    async create(record) {
      try {
        await callCosmos(policy, (abortSignal) =>
          container.items.create({ ...record }, { abortSignal }),
        );
        return record;
      } catch (e) {
        if (statusOf(e) !== 409) throw e;
        return (await read(record.id)) ?? record;
      }
    },
  };
}
