import type { SqlParameter } from '@azure/cosmos';
import type { FilterNode, LiteralNode, ListQuery } from '../contract/query/index.js';

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
  const cond = (n: FilterNode): string => {
    switch (n.kind) {
      case 'and': case 'or': return `(${n.items.map(cond).join(n.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not': return `(NOT ${cond(n.operand)})`;
      case 'in': return `${ref(n.field.name)} IN (${n.values.map(param).join(', ')})`;
      case 'call': return `${SQL_FUNCTIONS[n.fn]}(${ref(n.field.name)}, ${param(n.value)})`;
      case 'compare': {
        const f = ref(n.field.name);
        if (n.value.kind === 'null') return n.op === 'eq' ? `(NOT IS_DEFINED(${f}) OR IS_NULL(${f}))` : `(IS_DEFINED(${f}) AND NOT IS_NULL(${f}))`;
        return `${f} ${SQL_OPERATORS[n.op]} ${param(n.value)}`;
      }
    }
  };
  const where = query.filter ? cond(query.filter) : undefined;
  const orderBy = query.orderBy?.map((t) => `${ref(t.field.name)} ${t.direction === 'desc' ? 'DESC' : 'ASC'}`).join(', ');
  // The id, the ETag and the partition key always: the item stays addressable (and its version known).
  const select = query.select ? [...new Set(['id', '_etag', pkField, ...query.select])].map(ref).join(', ') : '*';
  return { select, parameters, ...(where !== undefined ? { where } : {}), ...(orderBy ? { orderBy } : {}) };
}
