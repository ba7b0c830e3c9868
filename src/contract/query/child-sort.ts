import type { RuntimeRelation } from '../../model/relations.js';
import type { SortKey } from '../../model/runtime-manifest.js';
import { QUERY_LIMITS } from './issues.js';

/*
 * One rule for both sides of a children route's sort: the ORDER BY the runtime sends for
 * `GET api/<parents>/{id}/<relation>?$orderby=…` and the composite index the plan derives for it. Cosmos DB
 * serves `WHERE c.parent = @id ORDER BY <sort>` from a composite index only when the equality-filtered field
 * leads both the index and the query's ORDER BY: `(name ASC, timestamp ASC)` serves
 * `WHERE c.name = "John" ORDER BY c.name ASC, c.timestamp ASC` but not `… ORDER BY c.timestamp ASC`
 * (https://learn.microsoft.com/azure/cosmos-db/index-policy#queries-with-a-filter-and-order-by), and an index
 * serves an ORDER BY in its own directions or exactly all reversed (#order-by-queries-on-multiple-properties).
 * Ordering by a field the query holds equal first changes no order, so leading with it is free.
 */

/**
 * The sort a children query over `field` sends for `sort`: `field` first, in the direction of the sort's first
 * key (so a sort and its reverse lead in opposite directions, as one composite index serves both), then the
 * sort without `field` (ordering again by a field held equal changes nothing). Undefined when that is longer
 * than an `$orderby` may be ({@link QUERY_LIMITS}.maxOrderBy): the query is sent as asked, without an index
 * of its own.
 *
 * @example
 * ```ts
 * parentLedSort('customerId', [{ field: 'placedOn', order: 'descending' }]);
 * // [{ field: 'customerId', order: 'descending' }, { field: 'placedOn', order: 'descending' }]
 * ```
 */
export function parentLedSort(field: string, sort: readonly SortKey[]): SortKey[] | undefined {
  const first = sort[0];
  if (first === undefined) return undefined;
  const led = [
    { field, order: first.order },
    ...sort.filter((k) => k.field !== field),
  ] satisfies SortKey[];
  return led.length > QUERY_LIMITS.maxOrderBy ? undefined : led;
}

/**
 * The fields a CrudApi's items are listed by under a parent (its `belongsTo` fields, each a parent's children
 * route's filter), distinct, in declaration order. A children query leads its ORDER BY with one of these only:
 * the plan derives indexes for these and no others.
 *
 * @example
 * ```ts
 * parentFields([{ name: 'customer', kind: 'belongsTo', target: 'CustomerApi', field: 'customerId' }]); // ['customerId']
 * ```
 */
export function parentFields(relations: readonly RuntimeRelation[] | undefined): string[] {
  return [...new Set((relations ?? []).filter((r) => r.kind === 'belongsTo').map((r) => r.field))];
}

/**
 * The sorts a CrudApi's indexes must serve beyond its own `sortable`: each `belongsTo` field alone (indexed, so a
 * parent's children route filters on it) and, for every declared sort, {@link parentLedSort} — the composite index
 * Cosmos DB serves the children query's ORDER BY from (and its exact reverse). A sort the field alone already
 * leads needs nothing more.
 *
 * @example
 * ```ts
 * childSorts(relations, [[{ field: 'placedOn', order: 'descending' }]]);
 * // [[customerId asc], [customerId desc, placedOn desc]]
 * ```
 */
export function childSorts(
  relations: readonly RuntimeRelation[],
  sortable: readonly (readonly SortKey[])[],
): SortKey[][] {
  const out: SortKey[][] = [];
  for (const field of parentFields(relations)) {
    out.push([{ field, order: 'ascending' }]);
    for (const s of sortable) {
      const led = parentLedSort(field, s);
      if (led !== undefined && led.length > 1 && !sameSort(led, s)) out.push(led);
    }
  }
  return out;
}

/**
 * Every sort an entity's container must have an index for: its `sortable` and its {@link childSorts}. What a
 * local Cosmos DB server is given (`atakora dev`, tests) as the plan gives it to Azure.
 *
 * @example
 * ```ts
 * indexSortsOf({ sortable: [[{ field: 'total', order: 'ascending' }]], relations });
 * // [[total asc], [customerId asc], [customerId asc, total asc]]
 * ```
 */
export function indexSortsOf(entity: {
  readonly sortable?: readonly (readonly SortKey[])[];
  readonly relations?: readonly RuntimeRelation[];
}): SortKey[][] {
  const sortable = entity.sortable ?? [];
  return [...sortable.map((s) => [...s]), ...childSorts(entity.relations ?? [], sortable)];
}

function sameSort(a: readonly SortKey[], b: readonly SortKey[]): boolean {
  return (
    a.length === b.length && a.every((k, i) => k.field === b[i]?.field && k.order === b[i]?.order)
  );
}
