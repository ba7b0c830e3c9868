import type { CrudOperation, FieldType } from '../model/runtime-manifest.js';

/**
 * The types a CrudApi's entity has, computed from its schema at compile time (no code generation): what the
 * typed client (`@atakora/component/client`) returns and accepts. `'number'` → `number`, `'date'` → `string`,
 * `'timestamp'` → `string | number`, `{ type: 'string', enum: ['a', 'b'] }` → `'a' | 'b'`;
 * `{ type, required: true }` fields are required, the short form optional.
 */

/**
 * A CrudApi's schema and operations as types, carried by its handle (`CrudApiHandle`'s phantom `__contract`,
 * never set at run time) from `CrudApi.define` through `defineBackend` to `createClient<typeof backend>()`.
 *
 * @example
 * ```ts
 * type C = NonNullable<(typeof backend)['components']['notes']['__contract']>; // CrudContract<{ id: 'string', … }, readonly CrudOperation[]>
 * ```
 */
// The parameters are phantom on purpose: two handles of different schemas stay the same type to tsd's
// identity check (`expectType<CrudApiHandle>(handle)`), while `infer` still reads them from the reference.
// `TRelations` (the `relations` given to define) and `TId` (its id) type `$expand` and the children methods;
// `TRealtime` (`realtime: true`) gives the client `watch` and `live`; `TSearch` (`search` declared) its `search`.
/* eslint-disable @typescript-eslint/no-unused-vars */
export interface CrudContract<
  TSchema,
  TOperations extends readonly CrudOperation[],
  TRelations = unknown,
  TId = string,
  TRealtime extends boolean = boolean,
  TSearch extends boolean = boolean,
> {
  readonly componentType?: 'CrudApi';
}
/* eslint-enable @typescript-eslint/no-unused-vars */

/**
 * The TypeScript type of a field type name.
 *
 * @example
 * ```ts
 * const n: FieldValue<'integer'> = 3;
 * ```
 */
export type FieldValue<T extends FieldType> = {
  string: string;
  number: number;
  integer: number;
  boolean: boolean;
  object: { [key: string]: unknown };
  array: unknown[];
  timestamp: string | number;
  date: string;
}[T];

// An enum field is the union of its values (`const` type parameters keep them literal); a list typed only as
// `string[]` gives `string`, never a union that promises more than the schema says.
type TypeOfField<D> = D extends FieldType
  ? FieldValue<D>
  : D extends { readonly type: 'string'; readonly enum: readonly (infer E extends string)[] }
    ? E
    : D extends { readonly type: infer T extends FieldType }
      ? FieldValue<T>
      : never;
// A defaulted field may be left out of a body (the runtime fills it) and is always in an item.
type RequiredKeys<S> = {
  [K in keyof S]: S[K] extends { readonly default: unknown }
    ? never
    : S[K] extends { readonly required: true }
      ? K
      : never;
}[keyof S] &
  string;
type DefaultedKeys<S> = {
  [K in keyof S]: S[K] extends { readonly default: unknown } ? K : never;
}[keyof S] &
  string;
type OptionalKeys<S> = Exclude<keyof S & string, RequiredKeys<S>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/**
 * The fields of an entity as declared: required ones required, the rest optional.
 *
 * @example
 * ```ts
 * type Note = EntityFields<{ id: 'string'; title: { type: 'string'; required: true }; stars: 'integer' }>;
 * // { title: string; id?: string; stars?: number }
 * ```
 */
export type EntityFields<S> = Simplify<
  { [K in RequiredKeys<S>]: TypeOfField<S[K]> } & { [K in OptionalKeys<S>]?: TypeOfField<S[K]> }
>;

/**
 * An entity as the API returns it: the declared fields, `id` always there, and the reserved fields the
 * runtime stamps (read-only).
 *
 * @example
 * ```ts
 * const note: EntityItem<{ id: 'string'; title: 'string' }> = { id: '1', title: 'x' };
 * ```
 */
export type EntityItem<S> = Simplify<
  EntityFields<S> & { [K in DefaultedKeys<S>]: TypeOfField<S[K]> } & {
    readonly id: string;
    readonly tenantId?: string;
    readonly ownerId?: string;
  }
>;

/**
 * A PATCH body: any subset of the fields; `null` removes an optional one.
 *
 * @example
 * ```ts
 * const patch: EntityPatch<{ id: 'string'; done: 'boolean' }> = { done: null };
 * ```
 */
export type EntityPatch<S> = Simplify<
  { [K in RequiredKeys<S>]?: TypeOfField<S[K]> } & {
    [K in OptionalKeys<S>]?: TypeOfField<S[K]> | null;
  }
>;

/**
 * The field names of an entity (for `$select` and `$orderby`), `id` included.
 *
 * @example
 * ```ts
 * const f: FieldName<{ id: 'string'; title: 'string' }> = 'title';
 * ```
 */
export type FieldName<S> = (keyof S & string) | 'id';
