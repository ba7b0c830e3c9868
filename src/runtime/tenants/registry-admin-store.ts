import type { Container } from '@azure/cosmos';
import {
  callCosmos,
  type CosmosCallPolicy,
  DEFAULT_COSMOS_POLICY,
  readItemOrNone,
} from '../data/cosmos-policy.js';
import { tenantRecordOf, type TenantRecord } from './tenant-record.js';

/** A record with the ETag of the version read or written (the `If-Match` of `PATCH api/tenants/{id}`). */
export interface TaggedRecord {
  readonly record: TenantRecord;
  readonly etag: string;
}

/** One page of the registry, by id: its records and the token of the next page (undefined on the last). */
export interface RegistryPage {
  readonly records: readonly TenantRecord[];
  readonly next: string | undefined;
}

/**
 * How the TenantAdmin API reads and writes the registry (the runtime's: {@link cosmosRegistryAdmin}; tests may pass
 * their own). Writes are conditional: `create` never overwrites, `replace` only the version `etag` names.
 */
export interface RegistryAdminStore {
  /** At most `limit` records after `token` (a token this store issued), by id. */
  list(limit: number, token: string | undefined): Promise<RegistryPage>;
  read(id: string): Promise<TaggedRecord | undefined>;
  /** The records of `ids` that exist, in one query (a page of a user's organizations: never one read each). */
  readMany(ids: readonly string[]): Promise<readonly TenantRecord[]>;
  /** The stored record, or `'exists'` when one of that id is there (kept as it is). */
  create(record: TenantRecord): Promise<TaggedRecord | 'exists'>;
  /** The stored record, `'changed'` when the stored ETag is no longer `etag`, `'missing'` when it is gone. */
  replace(record: TenantRecord, etag: string): Promise<TaggedRecord | 'changed' | 'missing'>;
}

const statusOf = (e: unknown): unknown => (e as { code?: unknown }).code;

/** A Cosmos DB item as a tagged record (system fields dropped by `tenantRecordOf`). */
function tagged(resource: Record<string, unknown> | undefined): TaggedRecord | undefined {
  const record = resource ? tenantRecordOf(resource) : undefined;
  const etag = resource?.['_etag'];
  return record && typeof etag === 'string' ? { record, etag } : undefined;
}

/**
 * The registry's container (`/id` the partition key) as the TenantAdmin API uses it: a cross-partition page by
 * id, point reads, a create that refuses an id already there (409 from Cosmos DB) and a replace conditional on the
 * ETag read (412 from Cosmos DB: someone changed it meanwhile). Every call has the runtime's deadline.
 *
 * @example
 * ```ts
 * const admin = cosmosRegistryAdmin(client.database('atakora').container('tenants'));
 * await admin.read('contoso'); // { record: { id: 'contoso', … }, etag: '"…"' }
 * ```
 */
export function cosmosRegistryAdmin(
  container: Container,
  policy: CosmosCallPolicy = DEFAULT_COSMOS_POLICY,
): RegistryAdminStore {
  const read = async (id: string): Promise<TaggedRecord | undefined> =>
    tagged(await readItemOrNone(container, policy, id, id));
  return {
    read,
    async readMany(ids) {
      if (ids.length === 0) return [];
      const { resources } = await callCosmos(policy, (abortSignal) =>
        container.items
          .query<Record<string, unknown>>(
            {
              query: 'SELECT * FROM c WHERE ARRAY_CONTAINS(@ids, c.id)',
              parameters: [{ name: '@ids', value: [...ids] }],
            },
            { abortSignal },
          )
          .fetchAll(),
      );
      return resources.map(tenantRecordOf).filter((r): r is TenantRecord => r !== undefined);
    },
    async list(limit, token) {
      const page = await callCosmos(policy, (abortSignal) =>
        container.items
          .query<Record<string, unknown>>('SELECT * FROM c ORDER BY c.id', {
            maxItemCount: limit,
            abortSignal,
            ...(token ? { continuationToken: token } : {}),
          })
          .fetchNext(),
      );
      const records = page.resources
        .map(tenantRecordOf)
        .filter((r): r is TenantRecord => r !== undefined);
      const next =
        page.hasMoreResults && page.continuationToken ? page.continuationToken : undefined;
      return { records, next };
    },
    async create(record) {
      try {
        const { resource } = await callCosmos(policy, (abortSignal) =>
          container.items.create<Record<string, unknown>>({ ...record }, { abortSignal }),
        );
        return tagged(resource) ?? { record, etag: '' };
      } catch (e) {
        if (statusOf(e) === 409) return 'exists';
        throw e;
      }
    },
    async replace(record, etag) {
      try {
        const { resource } = await callCosmos(policy, (abortSignal) =>
          container
            .item(record.id, record.id)
            .replace<Record<string, unknown>>(
              { ...record },
              { abortSignal, accessCondition: { type: 'IfMatch', condition: etag } },
            ),
        );
        return tagged(resource) ?? { record, etag: '' };
      } catch (e) {
        if (statusOf(e) === 412) return 'changed';
        if (statusOf(e) === 404) return 'missing';
        throw e;
      }
    },
  };
}
