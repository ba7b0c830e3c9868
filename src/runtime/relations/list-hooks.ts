import type { ListQuery } from '../../contract/query/index.js';
import { parentFields, parentLedSort } from '../../contract/query/child-sort.js';
import type { RuntimeRelation } from '../../model/relations.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import type { MigrationBudget } from '../values/migration-budget.js';

/**
 * A list narrowed to one parent's children: the child's relation field equals the parent's id (the field comes
 * from the manifest, the id travels as a parameter).
 *
 * @example
 * ```ts
 * const within: ListWithin = { field: 'customerId', value: 'c1' };
 * ```
 */
export interface ListWithin {
  readonly field: string;
  readonly value: string;
  /** The migration budget of the request this page is part of (a `hasMany` expansion's): the page's own else. */
  readonly budget?: MigrationBudget;
}

/**
 * The list query with each expanded relation's field added to `$select` when `$select` leaves it out, so the
 * page still carries the ids to expand; `added` names those fields, which the expansion drops again.
 *
 * @example
 * ```ts
 * withExpandFields(orderEntity, { select: ['total'] }, [customer]); // { query: { select: ['total', 'customerId'] }, added: ['customerId'] }
 * ```
 */
export function withExpandFields(
  entity: RuntimeEntity,
  query: ListQuery | undefined,
  expand: readonly RuntimeRelation[],
): { query: ListQuery | undefined; added: readonly string[] } {
  const select = query?.select;
  if (!select || expand.length === 0) return { query, added: [] };
  const added = [
    ...new Set(
      expand
        .filter((r) => r.kind !== 'hasMany' && !select.includes(r.field))
        .map((r) => r.field)
        .filter((f) => Object.hasOwn(entity.schema, f)),
    ),
  ];
  return added.length === 0
    ? { query, added }
    : { query: { ...query, select: [...select, ...added] }, added };
}

/**
 * A children query's `$orderby` led by the parent's field (contract/query/child-sort.ts `parentLedSort`): the
 * ORDER BY Cosmos DB serves from the composite index the plan derives for the children route — the same order,
 * as the field is held equal. Unchanged without `$orderby`, outside a children route, or for a field that is no
 * `belongsTo` of the entity (no index is derived for it).
 *
 * @example
 * ```ts
 * ledByParent(orderEntity, { orderBy: [total desc] }, { field: 'customerId', value: 'c1' });
 * // { orderBy: [customerId desc, total desc] }
 * ```
 */
export function ledByParent(
  entity: Pick<RuntimeEntity, 'relations'>,
  query: ListQuery | undefined,
  within: ListWithin | undefined,
): ListQuery | undefined {
  const terms = query?.orderBy;
  if (!terms?.length || !within || !parentFields(entity.relations).includes(within.field))
    return query;
  const led = parentLedSort(
    within.field,
    terms.map((t) => ({
      field: t.field.name,
      order: t.direction === 'desc' ? ('descending' as const) : ('ascending' as const),
    })),
  );
  if (led === undefined) return query;
  // Positions are the $orderby text's, for messages; the checks are done, so the added field has none.
  const pos = new Map(terms.map((t) => [t.field.name, t.field.pos]));
  return {
    ...query,
    orderBy: led.map((k) => ({
      field: { name: k.field, pos: pos.get(k.field) ?? 0 },
      direction: k.order === 'descending' ? ('desc' as const) : ('asc' as const),
    })),
  };
}

/**
 * Whether items of the entity can be parents (it has a `hasMany` relation): only those are ever marked as being
 * deleted, so only their lists leave marked items out.
 *
 * @example
 * ```ts
 * if (isParent(entity)) where.push(NOT_DELETING);
 * ```
 */
export function isParent(entity: Pick<RuntimeEntity, 'relations'>): boolean {
  return (entity.relations ?? []).some((r) => r.kind === 'hasMany');
}
