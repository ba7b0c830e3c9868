import type { HttpHandler } from '@azure/functions';
import { searchRoute } from '../../contract/search.js';
import type { Container } from '@azure/cosmos';
import type { RuntimeEntity, RuntimeSearch } from '../../model/runtime-manifest.js';
import { crudRequest } from '../crud/endpoints.js';
import type { CrudHandlerOptions } from '../crud/options.js';
import { crudStoreOf } from '../crud/store.js';
import { hidesOwners, withoutOthersOwners } from '../access/owner-privacy.js';
import type { QueryEmbedder } from '../embed/query-embedder.js';
import { methodNotAllowed } from '../http/response.js';
import type { Caller, Endpoint } from '../pipeline/context.js';
import { operationTarget, type OperationTargetOf } from '../pipeline/operation-input.js';
import { serve } from '../pipeline/serve.js';
import { NO_SERVICES } from '../pipeline/services.js';
import { searchItems } from './search-items.js';

/** What the search route takes: the entity's handler options, and the query embedder of `search.vector.embed`. */
export type SearchOptions = CrudHandlerOptions & {
  /** Turns a vector or hybrid search's text into its vector; none → such a search must send `vector` (400). */
  readonly queryEmbedder?: QueryEmbedder | undefined;
};

/** A CrudApi's search route: the handler the host registers, and where the same route runs in-process. */
export interface SearchRoute {
  readonly handler: HttpHandler;
  readonly target: OperationTargetOf;
}

/**
 * The search route of one CrudApi that declares `search`: `handler` is what the host registers at
 * `api/<route>/search` (POST only), `run` the same route in-process for a caller already resolved (`dataOf`, the MCP
 * `<entity>_search` tool). Its stages are a list's: the caller, the registry, the ledger (one request, its RU), the
 * tenant, the limits, and the access rules asked about `list` — who may list may search, confined as a list is.
 *
 * @example
 * ```ts
 * const { handler } = searchHandler(entity, entity.search!, container, { caller: policy, services });
 * app.http('TicketApi-collection-search', { route: 'tickets/search', methods: ['POST'], handler });
 * ```
 */
export function searchHandler(
  entity: RuntimeEntity,
  search: RuntimeSearch,
  container: Container,
  options: SearchOptions = {},
): SearchRoute {
  // The store a list's is (crud/store.ts), so the search confines and presents as the entity's list does.
  const hiding = hidesOwners(entity, options.caller);
  const store = crudStoreOf(entity, container, options, hiding);
  const embedder = options.queryEmbedder;
  const endpoint: Endpoint<{ readonly op: 'list' }> = {
    policy: options.caller,
    resource: entity,
    // Search is the plan's `search` feature, through REST, `dataOf` and the MCP tool alike (the features stage).
    feature: 'search',
    route: (c) =>
      c.method === 'POST'
        ? { ok: true, value: { op: 'list' } }
        : methodNotAllowed(['POST'], c.request.method),
    // Who may list may search: the list rule, its owner condition and field confinement (list-confinement.ts).
    operation: (r) => r.op,
    handle: (c) => searchItems(crudRequest(store, c), search, embedder),
    // Others' owners hidden from the page, as from a list's (crud/after-write.ts).
    after: hiding
      ? [
          (c, response) =>
            c.access
              ? withoutOthersOwners(response, c.access.ownerField, c.access.callerId)
              : response,
        ]
      : [],
    log: {
      labels: { component: entity.componentId, entity: entity.entityName },
      ...(options.logger ? { logger: options.logger } : {}),
      operationOf: (request) =>
        request.method.toUpperCase() === 'POST' ? 'search' : 'method-not-allowed',
    },
    trace: {
      route: searchRoute(entity.route),
      component: entity.componentId,
      operationOf: (method) => (method === 'POST' ? ('search' as const) : undefined),
      caller: (caller: Caller) => caller.traced(entity),
    },
  };
  const services = options.services ?? NO_SERVICES;
  return {
    handler: serve(endpoint, services),
    target: () => operationTarget(endpoint, searchRoute(entity.route), services),
  };
}
