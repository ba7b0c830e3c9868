import type { HttpResponseInit } from '@azure/functions';
import type { CallerRequest } from '../pipeline/context.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import type { AccessScope } from '../data/access-scope.js';
import type { Resolved } from '../http/scope.js';
import type { PartitionValue } from '../values/partition.js';
import type { DeletingMark } from './deleting.js';
import type { ListWithin } from './list-hooks.js';
import type { MigrationBudget } from '../values/migration-budget.js';

/**
 * One item a cascade reaches, as its walk reads it (a projection: identity, owner, ETag, and whether a delete of
 * it is under way already).
 *
 * @example
 * ```ts
 * const child: TreeItem = { id: 'o1', pk: 'tenant-a', owner: 'u1', etag: '"0a00"', deleting: false };
 * ```
 */
export interface TreeItem {
  readonly id: string;
  readonly pk: PartitionValue;
  readonly owner: unknown;
  readonly etag: string | undefined;
  readonly deleting: boolean;
}

/**
 * What one CrudApi offers the relations of the others, always for the request's own caller: its tenant, its
 * access rules, its owner privacy — the same confinement as the CrudApi's own routes, so a relation never reads
 * more than its caller could.
 *
 * @example
 * ```ts
 * const customers = await peers.crud('CustomerApi')?.lookup(request, ['c1', 'c2']);
 * ```
 */
export interface CrudPeer {
  readonly entity: RuntimeEntity;
  /**
   * The items of these ids the caller may `read` (in its tenant; under owner-only rules its own), in one query;
   * the ids of none are simply absent. With `present`, each item as its own GET gives it (present.ts: migrated,
   * defaults filled, system fields and other callers' hidden owner fields left out; a failed migration throws
   * {@link RelatedFailure}); without, only `{ id }` (what a reference check needs). `budget`: the request's
   * migration budget, which the presented items' migrations share.
   */
  lookup(
    call: CallerRequest,
    ids: readonly string[],
    options?: { readonly present?: boolean; readonly budget?: MigrationBudget },
  ): Promise<ReadonlyMap<string, Record<string, unknown>>>;
  /**
   * A `hasMany` expansion: for each of `parents`, the first `first` of its children the caller may list, each as
   * its own GET gives it, with the children route's continuation token when there are more — one query for the
   * whole page of parents, and one more per parent with more than `first` children (its children route's own
   * first page, whose token the client follows there). Undefined when the caller may not list this entity.
   * `budget`: the request's migration budget, shared by every child shown.
   */
  childPages(
    call: CallerRequest,
    field: string,
    parents: readonly string[],
    first: number,
    budget?: MigrationBudget,
  ): Promise<ReadonlyMap<string, ChildPage> | undefined>;
  /** `GET` of the collection narrowed to one parent's children, with every list option; the caller's `list` rule. */
  listWithin(call: CallerRequest, within: ListWithin): Promise<HttpResponseInit>;
  /**
   * How many items name one of `parents` in `field`, in the caller's tenant (every owner's, every page): a
   * `restrict` asks.
   */
  countOf(call: CallerRequest, field: string, parents: readonly string[]): Promise<number>;
  /**
   * Every item naming one of `parents` in `field`, in the caller's tenant (every owner's), read page by page until
   * the query says there are no more (an empty page is not the end).
   */
  childrenOf(call: CallerRequest, field: string, parents: readonly string[]): Promise<TreeItem[]>;
  /** Whether and how this caller may delete items of this entity (its own rules): a 403 when not at all. */
  deleteScope(call: CallerRequest): Resolved<AccessScope>;
  /**
   * Mark an item as being deleted (`mark`) or clear the mark (`undefined`), conditionally on `etag` (the item as
   * the walk read it; a change since is a 412 thrown to the caller), for `request` (the delete that walks, or the
   * job's). Returns the new ETag; undefined when gone.
   */
  setDeleting(
    call: CallerRequest,
    item: Pick<TreeItem, 'id' | 'pk' | 'etag'>,
    mark: DeletingMark | undefined,
  ): Promise<string | undefined>;
  /**
   * Delete one item a cascade reached (gone already is fine), its cached read dropped and its `onChange` run, and
   * its readers told (realtime: its `owner` is one of them) — `quiet`: neither, a parent whose change the request
   * that deleted it reported already.
   */
  remove(
    call: CallerRequest,
    item: Pick<TreeItem, 'id' | 'pk'> & Partial<Pick<TreeItem, 'owner'>>,
    options?: { readonly quiet?: boolean },
  ): Promise<void>;
  /** The stored item (every field, hidden ones too) and its ETag, or undefined: what a background cascade reads. */
  stored(
    id: string,
    pk: PartitionValue,
  ): Promise<
    { readonly resource: Record<string, unknown>; readonly etag: string | undefined } | undefined
  >;
}

/**
 * One parent's children in a `hasMany` expansion: `continuationToken` continues at the children route
 * (`GET api/<parents>/{id}/<relation>?$first=n&$after=token`); null when these are all.
 *
 * @example
 * ```ts
 * const page: ChildPage = { items: [{ id: 'o1', customerId: 'c1' }], continuationToken: null };
 * ```
 */
export interface ChildPage {
  readonly items: readonly Record<string, unknown>[];
  readonly continuationToken: string | null;
}

/**
 * A related item (or file) that cannot be shown as its own GET would (a migration failed, the FileStore did not
 * answer): the whole answer is that item's problem, never the item in another shape nor a `null` that says "gone".
 *
 * @example
 * ```ts
 * throw new RelatedFailure(problemResponse('migration-failed', '…'));
 * ```
 */
export class RelatedFailure extends Error {
  constructor(readonly response: HttpResponseInit) {
    super('a related item could not be shown');
    this.name = 'RelatedFailure';
  }
}

/**
 * What the relations of a backend's CrudApis read: the other CrudApis (by component id) and the FileStores' reads.
 *
 * @example
 * ```ts
 * const peers: RelationPeers = { crud: (id) => byId.get(id), file: (id) => files.get(id) };
 * ```
 */
export interface RelationPeers {
  crud(componentId: string): CrudPeer | undefined;
  /** A FileStore's `GET api/<route>/{id}` for the request's caller (FileHandlers.readFile). */
  file(
    componentId: string,
  ): ((call: CallerRequest, id: string) => Promise<HttpResponseInit>) | undefined;
}

/** No peers: relations then find nothing (a reference is refused, an expansion is null) — closed, never open. */
export const NO_PEERS: RelationPeers = Object.freeze({
  crud: () => undefined,
  file: () => undefined,
});
