/**
 * One aggregate as the typed client and `dataOf` take it: `'$count'`, or `{ sum | average | min | max: field }`.
 *
 * @example
 * ```ts
 * const total: AggregateSpec = { sum: 'points' };
 * ```
 */
export type AggregateSpec<F extends string = string> =
  | '$count'
  | { readonly sum: F }
  | { readonly average: F }
  | { readonly min: F }
  | { readonly max: F };

const METHODS = ['sum', 'average', 'min', 'max'] as const;

function one(alias: string, spec: AggregateSpec): string {
  if (spec === '$count') return `$count as ${alias}`;
  const method = METHODS.find((m) => Object.hasOwn(spec, m));
  if (method === undefined) throw new TypeError(`groupBy: "${alias}" names no aggregate.`);
  return `${String((spec as Record<string, unknown>)[method])} with ${method} as ${alias}`;
}

/**
 * The `$apply` text of a group-by (contract/query/parse-apply.ts judges it; the names are passed on as written, so a
 * wrong one comes back as the route's 400 naming it): `groupby((f1,f2), aggregate(… as alias, …))`.
 *
 * @example
 * ```ts
 * formatApply(['status'], { count: '$count', total: { sum: 'points' } });
 * // 'groupby((status), aggregate($count as count, points with sum as total))'
 * ```
 */
export function formatApply(
  fields: readonly string[],
  aggregates: Readonly<Record<string, AggregateSpec>> = {},
): string {
  const parts = Object.entries(aggregates).map(([alias, spec]) => one(alias, spec));
  const tail = parts.length ? `, aggregate(${parts.join(', ')})` : '';
  return `groupby((${fields.join(',')})${tail})`;
}
