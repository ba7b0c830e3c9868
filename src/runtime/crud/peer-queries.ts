import type { SqlParameter, SqlQuerySpec } from '@azure/cosmos';
import { callCosmos, type TracedCallPolicy } from '../data/cosmos-policy.js';
import type { PartitionValue } from '../values/partition.js';
import { TENANT_FIELD, type Tenant } from '../values/tenancy.js';
import type { CrudStore } from './context.js';

// The queries a CrudApi's peer makes for the relations of the others (peer.ts, peer-cascade.ts): every one of them
// confined to the caller's tenant in its WHERE clause, whatever the container's key.

/** How many children one page of a cascade's or a count's query reads. */
const CHILD_BATCH = 1000;
/** How many parent ids one children query names (ARRAY_CONTAINS over a parameter). */
const PARENT_BATCH = 100;

/**
 * Tenant conditions of a query on the store's container (the WHERE clause confines, whatever the key); the
 * partition to ask when the container is keyed by tenant.
 *
 * @example
 * ```ts
 * const partition = confine(store, tenant, where, parameters);
 * ```
 */
export function confine(
  store: Pick<CrudStore, 'pkField'>,
  tenant: Tenant | undefined,
  where: string[],
  parameters: SqlParameter[],
): string | undefined {
  if (tenant === undefined) return undefined;
  where.push(`c["${TENANT_FIELD}"] = @tenant`);
  parameters.push({ name: '@tenant', value: tenant.id });
  return store.pkField === TENANT_FIELD ? tenant.id : undefined;
}

/**
 * The children query of `parents` (batched by the caller), confined like every query of this container.
 *
 * @example
 * ```ts
 * const { query, partition } = childQuery(store, tenant, 'customerId', batch, 'VALUE COUNT(1)');
 * ```
 */
export function childQuery(
  store: Pick<CrudStore, 'pkField'>,
  tenant: Tenant | undefined,
  field: string,
  parents: readonly string[],
  select: string,
): { query: SqlQuerySpec; partition: string | undefined } {
  const where = [`ARRAY_CONTAINS(@parents, c["${field}"])`];
  const parameters: SqlParameter[] = [{ name: '@parents', value: [...parents] }];
  const partition = confine(store, tenant, where, parameters);
  return {
    query: { query: `SELECT ${select} FROM c WHERE ${where.join(' AND ')}`, parameters },
    partition,
  };
}

/**
 * Every page of a query, until Cosmos DB says there are no more results (an empty page is not the end).
 *
 * @example
 * ```ts
 * const counts = await everyPage<number>(store, cosmos, query, partition);
 * ```
 */
export async function everyPage<T>(
  store: Pick<CrudStore, 'container'>,
  cosmos: TracedCallPolicy,
  query: SqlQuerySpec,
  partition: PartitionValue | undefined,
): Promise<T[]> {
  const iterator = store.container.items.query<T>(query, {
    maxItemCount: CHILD_BATCH,
    ...(partition !== undefined ? { partitionKey: partition } : {}),
  });
  const out: T[] = [];
  while (iterator.hasMoreResults()) {
    const page = await callCosmos(cosmos, () => iterator.fetchNext());
    out.push(...page.resources);
  }
  return out;
}

/**
 * `each` over the parents in batches a query can name, the results in order.
 *
 * @example
 * ```ts
 * const rows = await inBatches(parents, (batch) => everyPage(store, cosmos, childQuery(…batch…).query, undefined));
 * ```
 */
export async function inBatches<T>(
  parents: readonly string[],
  each: (batch: readonly string[]) => Promise<T[]>,
): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < parents.length; i += PARENT_BATCH)
    out.push(...(await each(parents.slice(i, i + PARENT_BATCH))));
  return out;
}
