import type { EntityItem, FieldName } from '../contract/entity-types.js';

type Value<S, F> = F extends keyof EntityItem<S> ? NonNullable<EntityItem<S>[F]> : never;

/**
 * The fields of an entity `sum` and `average` take: its number and integer fields.
 *
 * @example
 * ```ts
 * type N = NumericFieldName<{ id: 'string'; points: 'integer'; title: 'string' }>; // 'points'
 * ```
 */
export type NumericFieldName<S> = {
  [K in FieldName<S>]: Value<S, K> extends number ? K : never;
}[FieldName<S>];

/**
 * What `groupBy` computes per group, by the name each answers under: `'$count'`, `{ sum | average: numeric field }`,
 * `{ min | max: field }`.
 *
 * @example
 * ```ts
 * const a: GroupAggregates<{ id: 'string'; points: 'integer' }> = { count: '$count', total: { sum: 'points' } };
 * ```
 */
export type GroupAggregates<S> = Readonly<
  Record<
    string,
    | '$count'
    | { readonly sum: NumericFieldName<S> }
    | { readonly average: NumericFieldName<S> }
    | { readonly min: FieldName<S> }
    | { readonly max: FieldName<S> }
  >
>;

type AggregateValue<S, A> = A extends '$count'
  ? number
  : A extends { readonly sum: string }
    ? number
    : A extends { readonly average: string }
      ? number | undefined
      : A extends { readonly min: infer F }
        ? Value<S, F> | undefined
        : A extends { readonly max: infer F }
          ? Value<S, F> | undefined
          : never;

/**
 * One group of a `groupBy` answer: its fields (absent for the group of items without the field) and its aggregates
 * (`average`, `min` and `max` absent when no item of the group has a value).
 *
 * @example
 * ```ts
 * type G = GroupRow<{ id: 'string'; status: 'string' }, 'status', { n: '$count' }>; // { status?: string; n: number }
 * ```
 */
export type GroupRow<S, K extends string, A> = {
  readonly [F in K]?: Value<S, F>;
} & { readonly [P in keyof A]: AggregateValue<S, A[P]> };

/**
 * Options of `groupBy`: the `$filter` of the items grouped, the partition key of an entity keyed by another field,
 * an abort signal.
 *
 * @example
 * ```ts
 * const o: GroupByOptions = { filter: 'archived eq false' };
 * ```
 */
export interface GroupByOptions {
  readonly filter?: string;
  readonly partitionKey?: string;
  readonly signal?: AbortSignal;
}

/**
 * A CrudApi's `groupBy(fields, aggregates?, options?)`: `GET ?$apply=groupby((fields), aggregate(…))`, the groups of
 * the items the caller may list, `{ items }` as the route answers (sorted by the fields).
 *
 * @example
 * ```ts
 * const { items } = await client.notes.groupBy(['done'], { count: '$count' }); // [{ done: false, count: 3 }, …]
 * ```
 */
export type GroupByMethod<S> = <
  const K extends FieldName<S>,
  // No aggregates: the group's fields only (the empty record adds no key to the row).
  // eslint-disable-next-line @typescript-eslint/no-generated-empty-object-type
  const A extends GroupAggregates<S> = Record<never, never>,
>(
  fields: readonly K[],
  aggregates?: A,
  options?: GroupByOptions,
) => Promise<{ readonly items: GroupRow<S, K, A>[] }>;
