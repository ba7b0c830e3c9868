import type { SqlParameter } from '@azure/cosmos';
import type { FilterNode, LiteralNode, ListQuery } from '../contract/query/index.js';
import type { SortKey } from '../model/runtime-manifest.js';

/**
 * A list query compiled to Cosmos DB SQL pieces: user values only ever as `@pN` parameters, field names only
 * from the schema (the grammar admits `[A-Za-z_][A-Za-z0-9_]*` and the checker admits schema fields only),
 * written `c["field"]`. The caller places `where` inside its tenant/partition confinement.
 *
 * @example
 * ```ts
 * compileListQuery({ select: ['name'] }, 'id').select; // 'c["id"], c["_etag"], c["name"]'
 * ```
 */
export interface CompiledListQuery {
  /** The projection after `SELECT` (`*` without `$select`). */
  readonly select: string;
  /** The `$filter` condition, to be ANDed (in parentheses) with the confinement; absent without `$filter`. */
  readonly where?: string;
  /** After `ORDER BY`; absent without `$orderby`. */
  readonly orderBy?: string;
  readonly parameters: readonly SqlParameter[];
}

const SQL_OPERATORS = { eq: '=', ne: '!=', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;
const SQL_FUNCTIONS = { startswith: 'STARTSWITH', endswith: 'ENDSWITH', contains: 'CONTAINS' } as const;
const SAFE_FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A compiled condition and how loosely it binds: `or` loosest, then `and`, `not`, a comparison, a call. */
interface Sql { readonly text: string; readonly level: 'or' | 'and' | 'not' | 'compare' | 'call' }
const BINDING = { or: 0, and: 1, not: 2, compare: 3, call: 4 } as const;

/** `sql` as an operand of an operator that binds as tightly as `min` (or more): in parentheses when it binds looser. */
function wrap(sql: Sql, min: Sql['level']): string {
  return BINDING[sql.level] < BINDING[min] ? `(${sql.text})` : sql.text;
}

/** `c["field"]`: a second guard besides the grammar, so no text that is not a plain name ever reaches the SQL. */
function ref(name: string): string {
  if (!SAFE_FIELD.test(name)) throw new Error(`list-query: "${name}" is not a field name the grammar admits.`);
  return `c["${name}"]`;
}

/**
 * Compile a checked {@link ListQuery}. `$filter` semantics are Cosmos DB's three-valued logic: a comparison
 * with a field the item lacks is undefined, so it matches neither the comparison nor its `not`; `eq null`
 * means "absent or null" (the API never stores null) and `ne null` "present and not null".
 *
 * @example
 * ```ts
 * const c = compileListQuery({ filter: parsedFilter }, 'id');
 * // c.where: '(c["price"] > @p0 AND STARTSWITH(c["name"], @p1))', c.parameters: [{ name: '@p0', value: 5 }, …]
 * ```
 */
export function compileListQuery(query: ListQuery, pkField: string): CompiledListQuery {
  const parameters: SqlParameter[] = [];
  const param = (lit: LiteralNode): string => {
    const name = `@p${parameters.length}`;
    parameters.push({ name, value: lit.value });
    return name;
  };
  // Parentheses only where precedence needs them (NOT > AND > OR in Cosmos DB SQL, and NOT must enclose a
  // comparison): each level of nesting costs the local test server's parser about three times the time.
  const cond = (n: FilterNode): Sql => {
    switch (n.kind) {
      case 'or': return { text: n.items.map((i) => cond(i).text).join(' OR '), level: 'or' };
      case 'and': return { text: n.items.map((i) => wrap(cond(i), 'and')).join(' AND '), level: 'and' };
      // not not x is x in three-valued logic too (not undefined is undefined).
      case 'not': return n.operand.kind === 'not' ? cond(n.operand.operand) : { text: `NOT ${wrap(cond(n.operand), 'call')}`, level: 'not' };
      case 'in': return { text: `${ref(n.field.name)} IN (${n.values.map(param).join(', ')})`, level: 'compare' };
      case 'call': return { text: `${SQL_FUNCTIONS[n.fn]}(${ref(n.field.name)}, ${param(n.value)})`, level: 'call' };
      case 'compare': {
        const f = ref(n.field.name);
        if (n.value.kind === 'null') return n.op === 'eq' ? { text: `NOT IS_DEFINED(${f}) OR IS_NULL(${f})`, level: 'or' } : { text: `IS_DEFINED(${f}) AND NOT IS_NULL(${f})`, level: 'and' };
        return { text: `${f} ${SQL_OPERATORS[n.op]} ${param(n.value)}`, level: 'compare' };
      }
    }
  };
  const where = query.filter ? cond(query.filter).text : undefined;
  const orderBy = query.orderBy?.map((t) => `${ref(t.field.name)} ${t.direction === 'desc' ? 'DESC' : 'ASC'}`).join(', ');
  // The id, the ETag and the partition key always: the item stays addressable (and its version known).
  const select = query.select ? [...new Set(['id', '_etag', pkField, ...query.select])].map(ref).join(', ') : '*';
  return { select, parameters, ...(where !== undefined ? { where } : {}), ...(orderBy ? { orderBy } : {}) };
}

/**
 * Composite indexes for a local Cosmos DB protocol server (`atakora dev`, tests): each declared composite sort
 * and its exact reverse. Azure serves the reverse from the declared index, but `@vercel/cosmosdb-server`
 * (0.7 of its query engine) wants an index in exactly the query's directions, and refuses any ORDER BY on
 * several fields without one. The deployed container gets the declared indexes only (the plan).
 *
 * @example
 * ```ts
 * localCompositeIndexes([[{ field: 'category', order: 'ascending' }, { field: 'price', order: 'descending' }]]);
 * // [[{ path: '/category', order: 'ascending' }, { path: '/price', order: 'descending' }],
 * //  [{ path: '/category', order: 'descending' }, { path: '/price', order: 'ascending' }]]
 * ```
 */
export function localCompositeIndexes(sortable: readonly (readonly SortKey[])[] | undefined): { path: string; order: 'ascending' | 'descending' }[][] {
  const flip = (o: SortKey['order']) => (o === 'ascending' ? 'descending' : 'ascending');
  return (sortable ?? []).filter((keys) => keys.length > 1).flatMap((keys) => [
    keys.map((k) => ({ path: `/${k.field}`, order: k.order })),
    keys.map((k) => ({ path: `/${k.field}`, order: flip(k.order) })),
  ]);
}
