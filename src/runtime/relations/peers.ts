import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import type { ListWithin } from './list-hooks.js';

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
   * the ids of none are simply absent. System fields and other callers' hidden owner fields are left out.
   */
  lookup(
    request: HttpRequest,
    ids: readonly string[],
  ): Promise<ReadonlyMap<string, Record<string, unknown>>>;
  /** `GET` of the collection narrowed to one parent's children, with every list option; the caller's `list` rule. */
  listWithin(request: HttpRequest, within: ListWithin): Promise<HttpResponseInit>;
  /** How many children one parent has in the caller's tenant (every owner's): `restrict` asks. */
  countWithin(request: HttpRequest, within: ListWithin): Promise<number>;
  /**
   * Delete one parent's children in the caller's tenant, each after its own relations (`cascade` below it, or a
   * 409 `has-children` from a `restrict` below it); undefined when all are gone.
   */
  deleteWithin(request: HttpRequest, within: ListWithin): Promise<HttpResponseInit | undefined>;
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
  ): ((request: HttpRequest, id: string) => Promise<HttpResponseInit>) | undefined;
}

/** No peers: relations then find nothing (a reference is refused, an expansion is null) — closed, never open. */
export const NO_PEERS: RelationPeers = Object.freeze({
  crud: () => undefined,
  file: () => undefined,
});
