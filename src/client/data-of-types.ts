import type { CrudContract } from '../contract/entity-types.js';
import type { CrudOperation } from '../model/runtime-manifest.js';
import type { ExpandMap } from './relation-types.js';
import type {
  ChildrenLists,
  ComponentsOf,
  CrudClient,
  CrudKeys,
  DeclaresSearch,
  SearchMethods,
} from './types.js';

/**
 * Options of a CrudApi's `count` in `dataOf`: the `$filter` of the items to count (and the partition key of an
 * entity keyed by another field).
 *
 * @example
 * ```ts
 * const options: CountOptions = { filter: "status eq 'open'" };
 * ```
 */
export interface CountOptions {
  readonly filter?: string;
  readonly partitionKey?: string;
}

/** `count` where the CrudApi lists (its `list` operation): every item the caller may read that matches. */
type CountOf<O extends readonly CrudOperation[]> = 'list' extends O[number]
  ? { count(options?: CountOptions): Promise<number> }
  : unknown;

type DataOfHandle<T, H> =
  NonNullable<H> extends { readonly __contract?: CrudContract<infer S, infer O> }
    ? CrudClient<S, O, ExpandMap<T, H>> &
        SearchMethods<S, O, DeclaresSearch<H>> &
        CountOf<O> &
        ChildrenLists<T, H>
    : never;

/**
 * What `dataOf<typeof backend>(request)` returns: the typed client's shape for the backend's CrudApis — one property
 * per CrudApi key with `list`, `get`, `create`, `replace`, `update`, `delete` for its enabled operations, `count`,
 * `groupBy`, `search` where it declares `search`,
 * its children lists and `$expand` — whose calls run in-process as the request's caller. `B` is `typeof backend`.
 *
 * @example
 * ```ts
 * import type { DataOf } from '@atakora/component/runtime';
 * // `backend` is your defineBackend(…) value; only its type is used here.
 * type Data = DataOf<typeof backend>;
 * ```
 */
export type DataOf<B> = {
  readonly [K in CrudKeys<ComponentsOf<B>>]: DataOfHandle<ComponentsOf<B>, ComponentsOf<B>[K]>;
};
