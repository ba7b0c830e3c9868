import type { RuntimeEntity } from '../../model/runtime-manifest.js';

// A CrudApi with `search.vector` keeps each item's embedding (256–1,536 numbers, ~20 KB of JSON at 1,536) in its
// vector field: what a search ranks by, not what a reader reads. So every answer of an item — a GET, a list page, a
// search page, a write's answer, the MCP tools' and `dataOf`'s (the same routes), a realtime event — leaves it out
// unless the request's `$select` (`select` in a search body or a tool's arguments) names it (docs/search.md,
// "Answers leave the vector out"). The stored item keeps it: writes, migrations, the change feed and exports read
// the item as stored.

/**
 * The field answers leave out of this entity's items: its `search.vector` field, or undefined without one.
 *
 * @example
 * ```ts
 * hiddenVector({ search: { vector: { field: 'embedding', dimensions: 2, distance: 'cosine', index: 'flat' } } }); // 'embedding'
 * ```
 */
export function hiddenVector(entity: Pick<RuntimeEntity, 'search'>): string | undefined {
  return entity.search?.vector?.field;
}

/**
 * `item` as an answer shows it: without the entity's vector field unless `select` names it. The item itself when
 * there is nothing to leave out (no copy on the common path).
 *
 * @example
 * ```ts
 * withoutVector(entity, { id: 't1', title: 'Login', embedding: [0.1, 0.2] }); // { id: 't1', title: 'Login' }
 * withoutVector(entity, item, ['embedding']); // the item, embedding kept
 * ```
 */
export function withoutVector<T extends Readonly<Record<string, unknown>>>(
  entity: Pick<RuntimeEntity, 'search'>,
  item: T,
  select?: readonly string[],
): T {
  const field = hiddenVector(entity);
  if (field === undefined || !Object.hasOwn(item, field) || select?.includes(field)) return item;
  const { [field]: _left, ...rest } = item;
  return rest as T;
}

/**
 * `item` cut down to a `$select`: `id`, the partition key field and the fields named (what a list's Cosmos DB
 * projection keeps), and `keep`'s too (a search's `score`, a GET's expanded relations).
 *
 * @example
 * ```ts
 * selected({ id: 't1', title: 'Login', status: 'open' }, 'id', ['title']); // { id: 't1', title: 'Login' }
 * ```
 */
export function selected(
  item: Readonly<Record<string, unknown>>,
  pkField: string,
  select: readonly string[],
  keep: readonly string[] = [],
): Record<string, unknown> {
  const fields = new Set(['id', pkField, ...select, ...keep]);
  return Object.fromEntries(Object.entries(item).filter(([k]) => fields.has(k)));
}

/**
 * A replace's item with the stored vector kept when the body leaves it out: answers never carry the vector, so a GET
 * body written back (`PUT`) must not erase it. An entity that embeds (`vector.embed`) sets it itself
 * (embed/item-embedding.ts); to remove a client-set vector, `PATCH { "<field>": null }`.
 *
 * @example
 * ```ts
 * keptVector(entity, { id: 't1', title: 'Login' }, stored); // { id: 't1', title: 'Login', embedding: stored.embedding }
 * ```
 */
export function keptVector(
  entity: Pick<RuntimeEntity, 'search'>,
  item: Record<string, unknown>,
  stored: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  const vector = entity.search?.vector;
  if (!vector || vector.embed || !stored || Object.hasOwn(item, vector.field)) return item;
  return Object.hasOwn(stored, vector.field)
    ? { ...item, [vector.field]: stored[vector.field] }
    : item;
}
