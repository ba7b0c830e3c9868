import type { Container } from '@azure/cosmos';
import type { HttpHandler } from '@azure/functions';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { hidesOwners } from '../access/owner-privacy.js';
import {
  operationTarget,
  type OperationTargetOf,
  pathSegment,
} from '../pipeline/operation-input.js';
import { runAs, serve } from '../pipeline/serve.js';
import { NO_SERVICES } from '../pipeline/services.js';
import { removedChild } from './after-write.js';
import { crudEndpoints, framed } from './endpoints.js';
import type { CrudHandlerOptions } from './options.js';
import { crudPeer } from './peer.js';
import { crudStoreOf } from './store.js';
import type { CrudPeer } from '../relations/peers.js';
import type { RouteMethod } from '../../contract/routes.js';

export { ROUTE_METHODS, type RouteMethod } from '../../contract/routes.js';
export type { CrudHandlerOptions } from './options.js';

/**
 * The two HTTP handlers of one entity, one per route, each dispatching on the method, plus what each route
 * allows.
 *
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * const { collection, item, allowed } = createCrudHandlers(entity, container);
 * app.http('UserApi-collection', { route: 'users', methods: [...ROUTE_METHODS], handler: collection });
 * allowed.collection; // ['GET', 'POST'] with every operation enabled
 * ```
 */
export interface CrudHandlers {
  /** `api/<route>`: POST create, GET list. */
  readonly collection: HttpHandler;
  /** `api/<route>/{id}`: GET read, PUT replace, PATCH merge, DELETE. */
  readonly item: HttpHandler;
  /** Methods enabled by `entity.operations`, per route (what `Allow` lists). */
  readonly allowed: {
    readonly collection: readonly RouteMethod[];
    readonly item: readonly RouteMethod[];
  };
}

/**
 * Build the HTTP handlers of one entity over a Cosmos container. Pure wiring: no registration, no
 * environment — tests pass a container of a local Cosmos server, the entry passes the deployed one. Each route is
 * an endpoint of the request pipeline (runtime/pipeline): the caller, tenant and access are resolved there, once.
 *
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * const { collection, item } = createCrudHandlers(
 *   entity,
 *   client.database('app').container('users'),
 * );
 * app.http('UserApi-collection', {
 *   route: 'users',
 *   methods: [...ROUTE_METHODS],
 *   authLevel: 'anonymous',
 *   handler: collection,
 * });
 * ```
 */
export function createCrudHandlers(
  entity: RuntimeEntity,
  container: Container,
  options: CrudHandlerOptions = {},
): CrudHandlers & {
  /** What the other entities' relations read of this one (runtime/relations/peers.ts). */
  readonly peer: CrudPeer;
  /**
   * Where one of this entity's operations runs in-process for a caller already resolved, its input given as data (a
   * handler's `dataOf`, an MCP tool call): the collection's route without an `id`, the item's with one — the REST
   * route's own stages after the caller's and handler (pipeline/serve.ts `runFor`, mcp/tool-operation.ts), no HTTP
   * hop.
   */
  readonly target: OperationTargetOf;
} {
  // Shared items of a multi-tenant backend show their owner to the owner only (owner-privacy.ts), in bodies and
  // in what a list query may name.
  const hiding = hidesOwners(entity, options.caller);
  const services = options.services ?? NO_SERVICES;
  const store = crudStoreOf(entity, container, options, hiding);
  const endpoints = crudEndpoints(store, options, hiding);
  const { allowed } = endpoints;
  const collection = framed(entity, allowed, endpoints.collection(), 'collection', options.logger);
  const item = framed(entity, allowed, endpoints.item, 'item', options.logger);
  const peer = crudPeer(
    store,
    hiding,
    (call, within) => runAs(endpoints.collection(within), call, 'GET', services),
    removedChild(entity.componentId, options),
  );
  return {
    collection: serve(collection, services),
    item: serve(item, services),
    allowed,
    peer,
    target: (input) =>
      input.id === undefined
        ? operationTarget(collection, entity.route, services)
        : operationTarget(item, `${entity.route}/${pathSegment(input.id)}`, services),
  };
}
