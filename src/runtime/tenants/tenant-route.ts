import type { HttpHandler } from '@azure/functions';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import { jsonResponse, methodNotAllowed, problemResponse } from '../http/response.js';
import { serve } from '../pipeline/serve.js';

/**
 * `GET api/tenant`: the signed-in caller's directory as the registry records it — `{ id, plan, status, limits,
 * usage }` (`usage` is `null`: no usage ledger is kept yet). Through the request pipeline, so an unregistered or
 * suspended directory gets the registry stage's 403 like on every other route.
 *
 * @example
 * ```ts
 * app.http(TENANT_FUNCTION, { route: TENANT_ROUTE, methods: ['GET'], authLevel: 'anonymous', handler: createTenantHandler(policy) });
 * // GET api/tenant → { "id": "72f9…", "plan": "free", "status": "active", "limits": {}, "usage": null }
 * ```
 */
export function createTenantHandler(caller: RuntimeAuth): HttpHandler {
  return serve<null>({
    policy: caller,
    route: (ctx) =>
      ctx.method === 'GET'
        ? { ok: true, value: null }
        : methodNotAllowed(['GET'], ctx.request.method),
    // eslint-disable-next-line @typescript-eslint/require-await -- a handler answers a promise
    handle: async (ctx) => {
      const registered = ctx.registered;
      // The registry stage admitted the caller, so a record is there; without one (no registry) nothing to say.
      if (!registered)
        return problemResponse('not-found', 'This API keeps no tenant registry.', {});
      const { id, plan, status } = registered.record;
      return jsonResponse(200, { id, plan, status, limits: registered.limits, usage: null });
    },
  });
}
