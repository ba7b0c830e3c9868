import type { ApplyQuery } from '../../contract/query/index.js';
import { FIELD_NAME } from '../../model/field-names.js';

/**
 * A checked `$apply` compiled to the pieces of one Cosmos DB `GROUP BY` query: the projection after `SELECT` and the
 * expressions after `GROUP BY`. Field names come from the schema (the checker admits schema fields only) and are
 * written `c["field"]`; the answer's names (group fields, aliases) never reach the SQL: the projection names its
 * columns `g0…`/`a0…` and {@link aggregateRows} renames them. Learn, "GROUP BY (NoSQL query)": the GROUP BY clause
 * takes no aliases and no aggregates, the SELECT only the grouped properties and aggregates, no ORDER BY beside it.
 *
 * @example
 * ```ts
 * const c = compileApply({ groupBy: [{ name: 'status', pos: 0 }], aggregates: [{ kind: 'count', alias: 'count' }] });
 * // c.select: 'c["status"] AS g0, COUNT(1) AS a0', c.groupBy: 'c["status"]'
 * ```
 */
export interface CompiledApply {
  readonly select: string;
  readonly groupBy: string;
}

const SQL_AGGREGATES = { sum: 'SUM', min: 'MIN', max: 'MAX', average: 'AVG' } as const;

function ref(name: string): string {
  if (!FIELD_NAME.test(name))
    throw new Error(`aggregate-query: "${name}" is not a field name the grammar admits.`);
  return `c["${name}"]`;
}

/**
 * Compile a checked {@link ApplyQuery} (contract/query/parse-apply.ts).
 *
 * @example
 * ```ts
 * compileApply(apply).select; // 'c["status"] AS g0, COUNT(1) AS a0, SUM(c["points"]) AS a1'
 * ```
 */
export function compileApply(apply: ApplyQuery): CompiledApply {
  const groups = apply.groupBy.map((f) => ref(f.name));
  const columns = [
    ...groups.map((g, i) => `${g} AS g${String(i)}`),
    ...apply.aggregates.map(
      (a, i) =>
        `${a.kind === 'count' ? 'COUNT(1)' : `${SQL_AGGREGATES[a.kind]}(${ref(a.field.name)})`} AS a${String(i)}`,
    ),
  ];
  return { select: columns.join(', '), groupBy: groups.join(', ') };
}

/** Cosmos DB's order of types (Learn, "ORDER BY": undefined, null, booleans, numbers, strings), then values. */
function rank(v: unknown): number {
  if (v === undefined) return 0;
  if (v === null) return 1;
  if (typeof v === 'boolean') return 2;
  if (typeof v === 'number') return 3;
  return 4;
}

function compare(a: unknown, b: unknown): number {
  const d = rank(a) - rank(b);
  if (d !== 0) return d;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The rows of a compiled `$apply` as the answer's items: each group's fields and aggregates under their names (a
 * field no item of the group has, or an aggregate with no value — `average` of none — left out, as Cosmos DB leaves
 * it), sorted by the group fields in Cosmos DB's order (GROUP BY answers in no order and takes no ORDER BY).
 *
 * @example
 * ```ts
 * aggregateRows(apply, [{ g0: 'open', a0: 3 }]); // [{ status: 'open', count: 3 }]
 * ```
 */
export function aggregateRows(
  apply: ApplyQuery,
  rows: readonly Record<string, unknown>[],
): Record<string, unknown>[] {
  const keys = apply.groupBy.map((_, i) => `g${String(i)}`);
  const sorted = [...rows].sort((x, y) => {
    for (const k of keys) {
      const d = compare(x[k], y[k]);
      if (d !== 0) return d;
    }
    return 0;
  });
  return sorted.map((row) =>
    Object.fromEntries(
      [
        ...apply.groupBy.map((f, i) => [f.name, row[`g${String(i)}`]] as const),
        ...apply.aggregates.map((a, i) => [a.alias, row[`a${String(i)}`]] as const),
      ].filter(([, v]) => v !== undefined),
    ),
  );
}
