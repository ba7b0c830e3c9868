import type { Container } from '../azure/cosmos.js';
import { firstLine } from '../azure/errors.js';
import { AtakoraError } from '../../model/errors.js';
import { TENANT_FIELD } from '../../runtime/values/tenancy.js';
import { COSMOS_SYSTEM_FIELDS, CREATOR_TENANT_FIELD } from '../../runtime/values/system-fields.js';
import type { TenantEntity } from './targets.js';
import type { TenantTarget } from './connect.js';

// Cosmos DB's system properties are never part of an export; the runtime's own hidden fields (the schema
// version) are kept.
export { COSMOS_SYSTEM_FIELDS } from '../../runtime/values/system-fields.js';

/** How many item operations a tenant command keeps in flight on one container. */
export const CONCURRENCY = 16;

/**
 * An item as stored, less Cosmos DB's system properties.
 *
 * @example
 * ```ts
 * withoutCosmosFields({ id: 'n1', _etag: '"0"', _atakoraV: 2 }); // { id: 'n1', _atakoraV: 2 }
 * ```
 */
export function withoutCosmosFields(
  item: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(item))
    if (!COSMOS_SYSTEM_FIELDS.includes(k))
      Object.defineProperty(out, k, {
        value: item[k],
        enumerable: true,
        writable: true,
        configurable: true,
      });
  return out;
}

/**
 * The query that finds a tenant's items in one CrudApi's container: an isolated entity's items stamped with the
 * tenant (in its own partition when the container is keyed by `/tenantId`); a shared entity's items a user of the
 * tenant created (the runtime's hidden creator directory) or owned by the tenant's known users (`owners`).
 *
 * @example
 * ```ts
 * tenantQuery(notes, 'contoso', []); // { query: 'SELECT * FROM c WHERE c["tenantId"] = @tenant', … }
 * tenantQuery(products, 'contoso', []); // { query: 'SELECT * FROM c WHERE c["_atakoraTid"] = @tenant', … }
 * ```
 */
export function tenantQuery(
  e: TenantEntity,
  tenant: string,
  owners: readonly string[],
):
  | {
      query: string;
      parameters: { name: string; value: string | string[] }[];
      partitionKey?: string;
    }
  | undefined {
  if (e.isolated)
    return {
      query: `SELECT * FROM c WHERE c["${TENANT_FIELD}"] = @tenant`,
      parameters: [{ name: '@tenant', value: tenant }],
      ...(e.entity.partitionKey === `/${TENANT_FIELD}` ? { partitionKey: tenant } : {}),
    };
  // The shared items its users created (the runtime stamps the creator's directory), and those of its known users
  // stored before that stamp existed.
  const created = `c["${CREATOR_TENANT_FIELD}"] = @tenant`;
  if (owners.length === 0)
    return {
      query: `SELECT * FROM c WHERE ${created}`,
      parameters: [{ name: '@tenant', value: tenant }],
    };
  return {
    // A stamped item is the stamped tenant's alone: its owner never makes it another's (a copy keeps owners).
    query:
      `SELECT * FROM c WHERE ${created} OR (NOT IS_DEFINED(c["${CREATOR_TENANT_FIELD}"]) AND ` +
      `ARRAY_CONTAINS(@owners, c["${e.ownerField}"]))`,
    parameters: [
      { name: '@tenant', value: tenant },
      { name: '@owners', value: [...owners] },
    ],
  };
}

/**
 * Every item of the tenant in one CrudApi's container, as stored (Cosmos DB's system properties left out), in id
 * order so that two exports of the same data are the same files.
 *
 * @example
 * ```ts
 * const items = await readTenantItems(container, notes, 'contoso', owners);
 * ```
 */
export async function readTenantItems(
  container: Container,
  e: TenantEntity,
  tenant: string,
  owners: readonly string[],
): Promise<Record<string, unknown>[]> {
  const q = tenantQuery(e, tenant, owners);
  if (!q) return [];
  const { resources } = await container.items
    .query<Record<string, unknown>>(
      { query: q.query, parameters: q.parameters },
      q.partitionKey === undefined ? {} : { partitionKey: q.partitionKey },
    )
    .fetchAll();
  return resources
    .map(withoutCosmosFields)
    .sort((a, b) =>
      String(a['id']) < String(b['id']) ? -1 : String(a['id']) > String(b['id']) ? 1 : 0,
    );
}

/**
 * The users of a tenant, as its items record them: every owner field value of its isolated items. The items a
 * user owns in shared entities are theirs too (an `oid` is unique across directories), so these are the owners
 * whose shared items belong to the tenant's data. `extra` adds users known otherwise (`--owner`).
 *
 * @example
 * ```ts
 * ownersOf([{ entity: notes, items: [{ id: 'n1', ownerId: 'u1' }] }]); // ['u1']
 * ```
 */
export function ownersOf(
  read: readonly {
    readonly entity: TenantEntity;
    readonly items: readonly Record<string, unknown>[];
  }[],
  extra: readonly string[] = [],
): string[] {
  const owners = new Set(extra);
  for (const { entity, items } of read) {
    if (!entity.isolated) continue;
    for (const item of items) {
      const v = item[entity.ownerField];
      if (typeof v === 'string' && v !== '') owners.add(v);
    }
  }
  return [...owners].sort();
}

/**
 * Run `work` on every element with at most `limit` in flight; stops taking new elements once `signal` aborts.
 *
 * @example
 * ```ts
 * await inParallel(items, 16, (item) => container.items.create(item));
 * ```
 */
export async function inParallel<T>(
  list: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < list.length && !signal?.aborted) {
      const i = next++;
      await work(list[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, list.length) }, lane));
}

/**
 * TENANT_REQUEST_FAILED for a Cosmos DB call on one CrudApi's container, with its status.
 *
 * @example
 * ```ts
 * throw requestFailed('deleting', notes, e);
 * ```
 */
export function requestFailed(doing: string, e: TenantEntity, err: unknown): AtakoraError {
  const code = (err as { code?: unknown }).code;
  const status = typeof code === 'number' || typeof code === 'string' ? String(code) : 'no status';
  return new AtakoraError(
    'TENANT_REQUEST_FAILED',
    `${doing} ${e.componentId}'s items in ${e.database}/${e.container} failed (${status}: ${firstLine(err)}).`,
    { path: ['components', e.componentId] },
  );
}

/**
 * The items of `tenant` in CrudApi `e` of `target` (and of `owners`, a shared entity's), every page: a failed read
 * is TENANT_REQUEST_FAILED naming the CrudApi (an AtakoraError on the way, a sign-in's, as it is).
 *
 * @example
 * ```ts
 * const items = await entityItemsOf(target, notes, 'contoso', []);
 * ```
 */
export async function entityItemsOf(
  target: Pick<TenantTarget, 'container'>,
  e: TenantEntity,
  tenant: string,
  owners: readonly string[],
): Promise<Record<string, unknown>[]> {
  try {
    const container = await target.container(e.endpoint, e.database, e.container);
    return await readTenantItems(container, e, tenant, owners);
  } catch (err) {
    if (err instanceof AtakoraError) throw err;
    throw requestFailed('reading', e, err);
  }
}
