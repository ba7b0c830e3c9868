import type { HttpHandler } from '@azure/functions';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import { jsonResponse, methodNotAllowed, onlyMethod, problemResponse } from '../http/response.js';
import { serve } from '../pipeline/serve.js';
import type { RuntimeServices } from '../pipeline/context.js';
import { cosmosErrorResponse } from '../http/cosmos-errors.js';
import { type TenantUsage, tenantUsage } from '../tenants/tenant-usage.js';
import { planCounts } from '../limits/plan-counts.js';
import { marketplaceLive } from '../../contract/marketplace/marketplace-link.js';

/**
 * `GET api/tenant`: the signed-in caller's directory as the registry records it — `{ id, name?, plan, status,
 * limits, features, usage, counts?, over? }` (`features` the plan's, docs/packaging.md) (`counts` and `over` with a
 * ledger: the seats and items against the plan's `members` and `items`, and what a downgrade left past them)
 * (`name` the organization's display name, when its record has one) (`usage` from the usage ledger: this UTC day's and month's requests, RU and messages, stored bytes, live
 * realtime connections; `null` without a ledger). Through the request pipeline, so an unregistered or suspended
 * directory gets the registry stage's 403 like on every other route. With tenants by membership, `owners` serves
 * `PATCH` and `DELETE` on the same route (members/organization-owner-operations.ts).
 *
 * @example
 * ```ts
 * app.http(TENANT_FUNCTION, { route: TENANT_ROUTE, methods: ['GET'], authLevel: 'anonymous', handler: createTenantHandler(policy, services) });
 * // GET api/tenant → { "id": "72f9…", "plan": "free", "status": "active", "limits": {},
 * //   "usage": { "today": { "requests": 3, "ru": 8.5, "messages": 0 }, "month": { … }, "storedBytes": 912, … } }
 * ```
 */
export function createTenantHandler(
  caller: RuntimeAuth,
  services: RuntimeServices,
  owners?: HttpHandler,
): HttpHandler {
  const self = serve<null>(
    {
      policy: caller,
      // An API key reads its organization's plan, limits and usage as a member does.
      apiKeys: true,
      route: owners
        ? (ctx) =>
            ctx.method === 'GET'
              ? { ok: true, value: null }
              : methodNotAllowed(['GET', 'PATCH', 'DELETE'], ctx.request.method)
        : onlyMethod('GET'),
      handle: async (ctx) => {
        const registered = ctx.caller.registered;
        // The registry stage admitted the caller, so a record is there; without one (no registry) nothing to say.
        if (!registered)
          return problemResponse('not-found', 'This API keeps no tenant registry.', {});
        const { id, plan, status, name } = registered.record;
        const meter = caller.registry ? ctx.services.meter : undefined;
        let usage: TenantUsage | null = null;
        try {
          usage = meter ? await tenantUsage(meter, id) : null;
        } catch (e) {
          const response = cosmosErrorResponse(e, 'the usage ledger');
          if (response) return response;
          throw e;
        }
        // The plan's features apart from its bounds, once plans list features (before, the answer is as it was).
        const { features: _listed, ...limits } = registered.limits;
        const features = ctx.caller.features;
        // The counts against the plan's seats and items, and what a downgrade left over them (limits/plan-counts.ts).
        const rooms = meter?.rooms;
        const counted =
          rooms && caller.registry
            ? await planCounts(rooms, caller.registry, id, registered.limits)
            : undefined;
        return jsonResponse(200, {
          id,
          ...(name !== undefined ? { name } : {}),
          plan,
          status,
          limits,
          ...(features.all ? {} : { features: features.names }),
          usage,
          ...(counted ?? {}),
          // One billing channel per organization (billing-checkout.ts): the plan element says where to change it.
          ...(marketplaceLive(registered.record.marketplace)
            ? { billedThrough: 'marketplace' }
            : {}),
        });
      },
    },
    services,
  );
  if (!owners) return self;
  return (request, context) =>
    request.method === 'PATCH' || request.method === 'DELETE'
      ? owners(request, context)
      : self(request, context);
}
