import type { ListQuery } from '../../contract/query/index.js';
import type { RuntimeRelation } from '../../model/relations.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';

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
