import type { SqlParameter } from '@azure/cosmos';
import type { FilterNode, LiteralNode, ListQuery } from '../../contract/query/index.js';
import type { SortKey } from '../../model/runtime-manifest.js';
import { FIELD_NAME } from '../../model/field-names.js';
import { SCHEMA_VERSION_FIELD } from '../values/system-fields.js';

/**
 * A list query compiled to Cosmos DB SQL pieces: user values only ever as `@pN` parameters, field names only
 * from the schema (the grammar admits `[A-Za-z_][A-Za-z0-9_]*` and the checker admits schema fields only),
 * written `c["field"]`. The caller places `where` inside its tenant/partition confinement.
 *
 * @example
 * ```ts
 * compileListQuery({ select: ['name'] }, 'id').select; // 'c["id"], c["_etag"], c["_atakoraV"], c["name"]'
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
const SQL_FUNCTIONS = {
  startswith: 'STARTSWITH',
  endswith: 'ENDSWITH',
  contains: 'CONTAINS',
} as const;

/** The operator of `NOT (a op b)`. */
const NEGATED = { eq: 'ne', ne: 'eq', gt: 'le', ge: 'lt', lt: 'ge', le: 'gt' } as const;

/** `c["field"]`: a second guard besides the grammar, so no text that is not a plain name ever reaches the SQL. */
function ref(name: string): string {
  if (!FIELD_NAME.test(name))
    throw new Error(`list-query: "${name}" is not a field name the grammar admits.`);
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
  // Written flat: an OR of ANDs of comparisons, no nested parentheses (filter-terms.ts in the contract bounds the
  // size). Each level of parentheses costs the local Cosmos DB engine's parser about three times the time: a
  // filter nested six levels took it ~40 s; flat, the same filter parses in one pass.
  const leaf = (
    n: Exclude<FilterNode, { kind: 'and' | 'or' | 'not' }>,
    negated: boolean,
  ): string[][] => {
    switch (n.kind) {
      case 'in': {
        const text = `${ref(n.field.name)} IN (${n.values.map(param).join(', ')})`;
        return [[negated ? `NOT (${text})` : text]];
      }
      case 'call': {
        const text = `${SQL_FUNCTIONS[n.fn]}(${ref(n.field.name)}, ${param(n.value)})`;
        return [[negated ? `NOT ${text}` : text]];
      }
      case 'compare': {
        const f = ref(n.field.name);
        // IS_DEFINED and IS_NULL are always true or false: the two forms are exact complements.
        if (n.value.kind === 'null')
          return (n.op === 'eq') !== negated
            ? [[`NOT IS_DEFINED(${f})`], [`IS_NULL(${f})`]]
            : [[`IS_DEFINED(${f})`, `NOT IS_NULL(${f})`]];
        // NOT (a op b) is a (negated op) b: both are undefined when a is absent or of another type (Cosmos DB
        // compares values of one type only), and exact complements otherwise.
        return [[`${f} ${SQL_OPERATORS[negated ? NEGATED[n.op] : n.op]} ${param(n.value)}`]];
      }
    }
  };
  const flat = (n: FilterNode, negated: boolean): string[][] => {
    if (n.kind === 'not') return flat(n.operand, !negated);
    if (n.kind === 'and' || n.kind === 'or') {
      const parts = n.items.map((i) => flat(i, negated));
      // OR (or a negated AND: De Morgan) lists the alternatives; AND distributes over them.
      if ((n.kind === 'or') !== negated) return parts.flat();
      return parts.reduce<string[][]>(
        (acc, p) => acc.flatMap((a) => p.map((b) => [...a, ...b])),
        [[]],
      );
    }
    return leaf(n as Parameters<typeof leaf>[0], negated);
  };
  const sql = (terms: string[][]): string => terms.map((t) => t.join(' AND ')).join(' OR ');
  const where = query.filter ? sql(flat(query.filter, false)) : undefined;
  const orderBy = query.orderBy
    ?.map((t) => `${ref(t.field.name)} ${t.direction === 'desc' ? 'DESC' : 'ASC'}`)
    .join(', ');
  // The id, the ETag and the partition key always: the item stays addressable (and its version known); the
  // hidden schema version too, so an item a newer version of the code wrote is shown as stored, not defaulted.
  const select = query.select
    ? [...new Set(['id', '_etag', pkField, SCHEMA_VERSION_FIELD, ...query.select])]
        .map(ref)
        .join(', ')
    : '*';
  return {
    select,
    parameters,
    ...(where !== undefined ? { where } : {}),
    ...(orderBy ? { orderBy } : {}),
  };
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
export function localCompositeIndexes(
  sortable: readonly (readonly SortKey[])[] | undefined,
): { path: string; order: 'ascending' | 'descending' }[][] {
  const flip = (o: SortKey['order']) => (o === 'ascending' ? 'descending' : 'ascending');
  return (sortable ?? [])
    .filter((keys) => keys.length > 1)
    .flatMap((keys) => [
      keys.map((k) => ({ path: `/${k.field}`, order: k.order })),
      keys.map((k) => ({ path: `/${k.field}`, order: flip(k.order) })),
    ]);
}
