import type { SortKey } from '../../model/runtime-manifest.js';
import type { FilterNode, OrderByTerm } from './ast.js';
import { checkFilter } from './check-filter.js';
import { QUERY_LIMITS, type QueryIssue, type QueryResult } from './issues.js';
import { flatTerms } from './filter-terms.js';
import { parseFilter } from './parse-filter.js';
import { parseOrderBy, parseSelect } from './parse-orderby-select.js';
import type { QuerySchema } from './schema-fields.js';
import { checkSortable } from './sortable.js';

/**
 * A list request's `$filter`, `$orderby` and `$select`, parsed and checked against the entity: what the runtime
 * compiles to Cosmos DB SQL. Absent (or empty) parameters are absent here.
 *
 * @example
 * ```ts
 * const q: ListQuery = { orderBy: [{ field: { name: 'price', pos: 0 }, direction: 'desc' }], select: ['name'] };
 * ```
 */
export interface ListQuery {
  readonly filter?: FilterNode;
  readonly orderBy?: readonly OrderByTerm[];
  readonly select?: readonly string[];
}

/**
 * The entity facts a list query is checked against. @example
 * `const e: QueryEntity = { schema, sortable: [[{ field: 'price', order: 'ascending' }]] };`
 */
export interface QueryEntity {
  readonly schema: QuerySchema;
  readonly sortable?: readonly (readonly SortKey[])[];
}

/**
 * Parse and check `$filter`, `$orderby` and `$select` (each read through `get`, e.g. `URLSearchParams.get`)
 * against the entity: every issue of every parameter, each with its position, or the query.
 *
 * @example
 * ```ts
 * const r = parseListQuery((name) => new URL(url).searchParams.get(name), entity);
 * if (!r.ok) console.log(r.issues[0]?.parameter, r.issues[0]?.position, r.issues[0]?.message);
 * ```
 */
export function parseListQuery(
  get: (name: string) => string | null | undefined,
  entity: QueryEntity,
): QueryResult<ListQuery> {
  const issues: QueryIssue[] = [];
  const text = (name: string) => {
    const v = get(name);
    return v === null || v === undefined || v.trim() === '' ? undefined : v;
  };
  let filter: FilterNode | undefined;
  let orderBy: OrderByTerm[] | undefined;
  let select: string[] | undefined;
  const f = text('$filter');
  if (f !== undefined) {
    const r = parseFilter(f);
    if (r.ok) {
      const found = checkFilter(r.value, entity.schema);
      const terms = flatTerms(r.value, QUERY_LIMITS.maxTerms);
      if (terms > QUERY_LIMITS.maxTerms) {
        found.push({
          code: 'too-complex',
          parameter: '$filter',
          position: 0,
          message:
            `The expression expands to more than ${String(QUERY_LIMITS.maxTerms)} alternatives once its ors ` +
            `are taken out of its ands and nots: split the query, or use "in" for one field's values.`,
        });
      }
      if (found.length) issues.push(...found);
      else filter = r.value;
    } else issues.push(...r.issues);
  }
  const o = text('$orderby');
  if (o !== undefined) {
    const r = parseOrderBy(o, entity.schema);
    if (r.ok) {
      const found = checkSortable(r.value, entity.sortable);
      if (found.length) issues.push(...found);
      else orderBy = r.value;
    } else issues.push(...r.issues);
  }
  const s = text('$select');
  if (s !== undefined) {
    const r = parseSelect(s, entity.schema);
    if (r.ok) select = r.value;
    else issues.push(...r.issues);
  }
  if (issues.length) return { ok: false, issues };
  return {
    ok: true,
    value: {
      ...(filter ? { filter } : {}),
      ...(orderBy ? { orderBy } : {}),
      ...(select ? { select } : {}),
    },
  };
}
