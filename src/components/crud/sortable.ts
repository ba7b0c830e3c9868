import { AtakoraError } from '../../model/errors.js';
import type { FieldSpec, SortKey } from '../../model/runtime-manifest.js';
import { FILTERABLE, QUERY_LIMITS, fieldSpec } from '../../contract/query/index.js';
import type { IndexingPolicy } from './indexing-policy.js';

/** Types Cosmos DB can order by: those `$filter` compares (objects and arrays have no order). */
const SORTABLE_TYPES: readonly string[] = FILTERABLE;
/** A composite sort is one `$orderby`, which takes at most this many fields. */
const MAX_TERMS = QUERY_LIMITS.maxOrderBy;
const TERM = /^([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?$/;

/**
 * Check `sortable` against the schema and write it as the runtime reads it: one list of {@link SortKey}s per
 * entry (a lone field → a list of one). Unknown or unsortable fields, composite sorts of fewer than two fields
 * or repeated ones, are a `CRUD_SORTABLE_INVALID` with the entry's path.
 *
 * @example
 * ```ts
 * normalizeSortable('ProductApi', ['price', ['category', 'price desc']], schema);
 * // [[{ field: 'price', order: 'ascending' }], [{ field: 'category', order: 'ascending' }, { field: 'price', order: 'descending' }]]
 * ```
 */
export function normalizeSortable(
  id: string,
  sortable: unknown,
  schema: Readonly<Record<string, FieldSpec>>,
): SortKey[][] {
  const at = (...p: (string | number)[]) => ['components', id, 'config', 'sortable', ...p];
  // Typed where it is declared, so that a call narrows what it refuses (`if (!m) fail(…)`).
  const fail: (message: string, path: (string | number)[]) => never = (message, path) => {
    throw new AtakoraError('CRUD_SORTABLE_INVALID', `CrudApi ${id}: ${message}`, { path });
  };
  if (!Array.isArray(sortable))
    fail('sortable must be a list of field names and composite sorts (lists of fields).', at());
  const key = (term: unknown, path: (string | number)[]): SortKey => {
    const [, field, direction] = (typeof term === 'string' && TERM.exec(term.trim())) || [];
    if (field === undefined)
      fail(
        `${JSON.stringify(term)} is not a field name (optionally followed by " asc" or " desc").`,
        path,
      );
    const spec = fieldSpec(schema, field);
    if (!spec)
      fail(`"${field}" is not a field of the schema (${Object.keys(schema).join(', ')}).`, path);
    if (!SORTABLE_TYPES.includes(spec.type))
      fail(
        `"${field}" is ${spec.type === 'array' ? 'an array' : 'an object'}; only ` +
          `${SORTABLE_TYPES.join(', ')} fields sort.`,
        path,
      );
    return { field, order: direction === 'desc' ? 'descending' : 'ascending' };
  };
  return (sortable as unknown[]).map((entry, i) => {
    if (!Array.isArray(entry)) {
      if (typeof entry === 'string' && /\s/.test(entry.trim()))
        fail(
          `a single field sorts both ways: write "${entry.trim().split(/\s+/, 1).join('')}" without a direction.`,
          at(i),
        );
      return [key(entry, at(i))];
    }
    if (entry.length < 2 || entry.length > MAX_TERMS)
      fail(
        `a composite sort lists 2 to ${MAX_TERMS} fields (got ${entry.length}); a single field is written ` +
          `without brackets.`,
        at(i),
      );
    const keys = entry.map((t, j) => key(t, at(i, j)));
    if (new Set(keys.map((k) => k.field)).size !== keys.length)
      fail('a composite sort names each field once.', at(i));
    return keys;
  });
}

const covers = (paths: readonly { path: string }[] | undefined, field: string) =>
  (paths ?? []).some(
    (p) => p.path === '/*' || p.path === `/${field}/?` || p.path === `/${field}/*`,
  );

/**
 * The container's indexing policy with what the declared sorts need: one composite index per composite sort
 * (Cosmos DB serves an ORDER BY on several fields only from a composite index in the same or exactly the
 * opposite directions — https://learn.microsoft.com/azure/cosmos-db/index-policy#composite-indexes), and a
 * range path for a sorted field the user's own `includedPaths` leave out. Without composite sorts and
 * without a user policy, `undefined`: Cosmos DB's default policy indexes every path, which serves any
 * single-field sort. A field the user's policy excludes cannot be sorted: `CRUD_SORTABLE_INVALID`.
 *
 * @example
 * ```ts
 * sortIndexingPolicy('ProductApi', undefined, [
 *   [
 *     { field: 'category', order: 'ascending' },
 *     { field: 'price', order: 'descending' },
 *   ],
 * ]);
 * // { indexingMode: 'consistent', includedPaths: [{ path: '/*' }], compositeIndexes: [[{ path: '/category', order: 'ascending' }, { path: '/price', order: 'descending' }]] }
 * ```
 */
export function sortIndexingPolicy(
  id: string,
  policy: IndexingPolicy | undefined,
  sorts: readonly (readonly SortKey[])[],
): IndexingPolicy | undefined {
  const composites = sorts.filter((s) => s.length > 1);
  if (policy === undefined && composites.length === 0) return undefined;
  const base: IndexingPolicy = policy ?? {
    indexingMode: 'consistent',
    includedPaths: [{ path: '/*' }],
  };
  const fields = [...new Set(sorts.flat().map((k) => k.field))];
  for (const field of fields) {
    if (
      base.indexingMode === 'none' ||
      (base.excludedPaths ?? []).some((p) => p.path === `/${field}/?` || p.path === `/${field}/*`)
    ) {
      throw new AtakoraError(
        'CRUD_SORTABLE_INVALID',
        `CrudApi ${id}: "${field}" is sortable but the indexingPolicy ` +
          `${base.indexingMode === 'none' ? 'indexes nothing' : 'excludes it'}.`,
        {
          path: ['components', id, 'config', 'indexingPolicy'],
          resolution:
            `Index "${field}" (remove it from excludedPaths, or use indexingMode 'consistent') or remove it ` +
            `from sortable.`,
        },
      );
    }
  }
  const missing = fields
    .filter((f) => !covers(base.includedPaths, f))
    .map((f) => ({ path: `/${f}/?` }));
  const existing = base.compositeIndexes ?? [];
  const seen = new Set(
    existing.map((c) => JSON.stringify(c.map((x) => [x.path, x.order ?? 'ascending']))),
  );
  const added = composites
    .map((s) => s.map((k) => ({ path: `/${k.field}`, order: k.order })))
    .filter((c) => {
      const k = JSON.stringify(c.map((x) => [x.path, x.order]));
      return seen.has(k) ? false : (seen.add(k), true);
    });
  if (missing.length === 0 && added.length === 0) return base;
  return {
    ...base,
    ...(missing.length ? { includedPaths: [...(base.includedPaths ?? []), ...missing] } : {}),
    ...(added.length ? { compositeIndexes: [...existing, ...added] } : {}),
  };
}
