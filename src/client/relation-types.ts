import type { CrudContract, EntityItem, FieldName } from '../contract/entity-types.js';
import type { FileWithUrl } from '../contract/files.js';
import type { ListPage } from '../contract/paging.js';
import type { CrudOperation } from '../model/runtime-manifest.js';

/** What a CrudApi handle's phantom contract says, piece by piece (never values: types only). */
type ContractOf<H> =
  NonNullable<H> extends { readonly __contract?: infer C } ? NonNullable<C> : never;
type SchemaOf<H> =
  ContractOf<H> extends CrudContract<infer S, readonly CrudOperation[]> ? S : never;
type RelationsOf<H> =
  ContractOf<H> extends CrudContract<unknown, readonly CrudOperation[], infer R> ? R : never;
type IdOf<H> =
  ContractOf<H> extends CrudContract<unknown, readonly CrudOperation[], unknown, infer I>
    ? I
    : never;

/** The handle among the backend's components `T` whose CrudApi has the id `Id`. */
type HandleOfId<T, Id> = {
  [K in keyof T]: [IdOf<T[K]>] extends [Id] ? ([Id] extends [IdOf<T[K]>] ? T[K] : never) : never;
}[keyof T];

/**
 * What `$expand` embeds for one relation: the parent's item or the file with a download URL, or null; for a
 * `hasMany`, the parent's first children and the token that continues at its children route, or null.
 */
type Embedded<T, R> = R extends { readonly belongsTo: infer Id }
  ? EntityItem<SchemaOf<HandleOfId<T, Id>>> | null
  : R extends { readonly file: string }
    ? FileWithUrl | null
    : R extends { readonly hasMany: infer Id }
      ? ListPage<EntityItem<SchemaOf<HandleOfId<T, Id>>>> | null
      : never;

/**
 * The relations of a CrudApi handle `H` that `expand` may name, each with the type it embeds (`T`: the backend's
 * components, where the targets are found by id). A `hasMany` may also be named with its page size,
 * `'orders($first=5)'` (1…100; the runtime refuses others with a 400).
 *
 * @example
 * ```ts
 * // With orders: CrudApi.define('OrderApi', { …, relations: { customer: { belongsTo: 'CustomerApi', … } } }):
 * type X = ExpandMap<typeof backend.components, typeof backend.components.orders>; // { customer: Customer | null }
 * ```
 */
export type ExpandMap<T, H> = {
  [N in keyof RelationsOf<H> as string extends N
    ? never
    : RelationsOf<H>[N] extends { readonly hasMany: string }
      ? (N & string) | `${N & string}($first=${number})`
      : N & string]: Embedded<T, RelationsOf<H>[N]>;
};

/**
 * The `hasMany` relations of `H`, each with the child CrudApi's handle.
 *
 * @example
 * ```ts
 * // With customers: CrudApi.define('CustomerApi', { …, relations: { orders: { hasMany: 'OrderApi', … } } }):
 * type C = ChildrenMap<typeof backend.components, typeof backend.components.notes>; // {} (notes has no hasMany)
 * ```
 */
export type ChildrenMap<T, H> = {
  // A relations type without names (a CrudApi without relations) has an index signature: no methods from it.
  [N in keyof RelationsOf<H> as string extends N
    ? never
    : RelationsOf<H>[N] extends { readonly hasMany: string }
      ? N & string
      : never]: RelationsOf<H>[N] extends { readonly hasMany: infer Id }
    ? HandleOfId<T, Id>
    : never;
};

/**
 * A page with `count` when `$count=true` was asked for (`C` is the `count` option's type).
 *
 * @example
 * ```ts
 * const page: CountedPage<{ id: string }, true> = { items: [], continuationToken: null, count: 0 };
 * ```
 */
export type CountedPage<T, C> = ListPage<T> &
  ([C] extends [true]
    ? { readonly count: number }
    : [C] extends [false]
      ? unknown
      : { readonly count?: number });

/**
 * The relation options of `list` (and `expand` of `get`): `E` the expandable relation names, `C` the `count` flag.
 *
 * @example
 * ```ts
 * const options: RelationOptions<'customer', true> = { expand: ['customer'], count: true };
 * ```
 */
export interface RelationOptions<E extends string, C extends boolean> {
  /**
   * `$expand`: relations to embed under their names (`null` when gone or not readable); a `hasMany` as `'orders'`
   * or `'orders($first=5)'` embeds `{ items, continuationToken }` per item.
   */
  readonly expand?: readonly E[];
  /** `$count`: add `count` (every match, not the page) to each page. */
  readonly count?: C;
}

/**
 * `Item` with the expanded relations `E` of `X` (what a relation embeds, by name).
 *
 * @example
 * ```ts
 * type Order = WithExpanded<{ id: string; customerId?: string }, { customer: { id: string } | null }, 'customer'>;
 * ```
 */
export type WithExpanded<Item, X, E extends PropertyKey> = [E] extends [never]
  ? Item
  : Item & {
      // `orders($first=5)` embeds under `orders`.
      readonly [N in E & keyof X as N extends `${infer Name}($first=${string})` ? Name : N]: X[N];
    };

/** The schema of a child handle, for the children methods. */
export type ChildSchema<H> = SchemaOf<H>;

export type { FieldName };
