import type { HttpHandler } from '@azure/functions';
import { searchRoute } from '../../contract/search.js';
import type { RuntimeSearch } from '../../model/runtime-manifest.js';
import { withoutOthersOwners } from '../access/owner-privacy.js';
import { crudRequest } from '../crud/endpoints.js';
import type { CrudHandlerOptions } from '../crud/options.js';
import type { CrudStore } from '../crud/context.js';
import { methodNotAllowed } from '../http/response.js';
import type { Caller, Endpoint } from '../pipeline/context.js';
import type { OperationRun } from '../pipeline/operation-input.js';
import { runFor, serve } from '../pipeline/serve.js';
import { NO_SERVICES } from '../pipeline/services.js';
import { searchItems } from './search-items.js';

/** A CrudApi's search route: the handler the host registers, and the same route run in-process. */
export interface SearchRoute {
  readonly handler: HttpHandler;
  readonly run: OperationRun;
}

/**
 * The search route of one CrudApi that declares `search`: `handler` is what the host registers at
 * `api/<route>/search` (POST only), `run` the same route in-process for a caller already resolved (`dataOf`, the MCP
 * `<entity>_search` tool). Its stages are a list's: the caller, the registry, the ledger (one request, its RU), the
 * tenant, the limits, and the access rules asked about `list` — who may list may search, confined as a list is.
 *
 * @example
 * ```ts
 * const { handler } = searchHandler(store, entity.search!, { caller: policy, services }, false);
 * app.http('TicketApi-collection-search', { route: 'tickets/search', methods: ['POST'], handler });
 * ```
 */
export function searchHandler(
  store: CrudStore,
  search: RuntimeSearch,
  options: CrudHandlerOptions,
  hiding: boolean,
): SearchRoute {
  const { entity } = store;
  const embedder = options.queryEmbedder;
  const endpoint: Endpoint<{ readonly op: 'list' }> = {
    policy: options.caller,
    resource: entity,
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
    run: (caller, input, invocation, within) =>
      runFor(endpoint, caller, input, {
        path: searchRoute(entity.route),
        invocation,
        services,
        within,
      }),
  };
}
