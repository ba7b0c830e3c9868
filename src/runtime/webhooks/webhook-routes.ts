import type { HttpHandler } from '@azure/functions';
import { WEBHOOK_FUNCTIONS, WEBHOOK_ROUTES } from '../../contract/integrations/webhooks.js';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import { organizationEndpoint, routeOf } from '../members/membership-routes.js';
import type { RuntimeServices } from '../pipeline/context.js';
import { listDeliveries, retryDelivery } from './webhook-deliveries.js';
import {
  createWebhook,
  listWebhooks,
  rotateWebhook,
  webhookItem,
  type WebhooksApi,
} from './webhook-operations.js';

/**
 * The webhook routes (DESIGN §2, "Integrations"): `GET|POST api/tenant/webhooks`, `GET|PATCH|DELETE
 * api/tenant/webhooks/{id}`, `GET …/{id}/deliveries` and `POST …/{id}/deliveries/{delivery}/retry` — signed in,
 * acting in the request's organization (Owners and Admins), behind the plan's built-in feature `webhooks` — but
 * deleting an endpoint, open on every plan (docs/integrations.md, "After a downgrade": a downgrade must not leave
 * endpoints the organization cannot delete, delivering again on the next upgrade). An API key never reaches them
 * (members/keys/key-tenants.ts: routes without `apiKeys` are a person's).
 *
 * @example
 * ```ts
 * for (const f of webhookFunctions(policy, api, services)) add(f.name, f.route, f.handler);
 * ```
 */
export function webhookFunctions(
  policy: RuntimeAuth,
  api: WebhooksApi,
  services: RuntimeServices,
): { readonly name: string; readonly route: string; readonly handler: HttpHandler }[] {
  const endpoint = organizationEndpoint(policy, services, 'webhooks', ['DELETE']);
  return [
    {
      name: WEBHOOK_FUNCTIONS.webhooks,
      route: WEBHOOK_ROUTES.webhooks,
      handler: endpoint(routeOf(['GET', 'POST']), (actor, tenant, ctx) =>
        ctx.route.method === 'POST'
          ? createWebhook(api, actor, tenant, ctx.request)
          : listWebhooks(api, actor, tenant),
      ),
    },
    {
      name: WEBHOOK_FUNCTIONS.webhook,
      route: WEBHOOK_ROUTES.webhook,
      handler: endpoint(routeOf(['GET', 'PATCH', 'DELETE'], 'id'), (actor, tenant, ctx) =>
        webhookItem(api, actor, tenant, ctx.route.method, ctx.route.id, ctx.request),
      ),
    },
    {
      name: WEBHOOK_FUNCTIONS.deliveries,
      route: WEBHOOK_ROUTES.deliveries,
      handler: endpoint(routeOf(['GET'], 'id'), (actor, tenant, ctx) =>
        listDeliveries(api, actor, tenant, ctx.route.id, ctx.request),
      ),
    },
    {
      name: WEBHOOK_FUNCTIONS.retry,
      route: WEBHOOK_ROUTES.retry,
      handler: endpoint(routeOf(['POST'], 'id'), (actor, tenant, ctx) =>
        retryDelivery(api, actor, tenant, ctx.route.id, ctx.request.params['delivery'] ?? ''),
      ),
    },
    {
      name: WEBHOOK_FUNCTIONS.rotate,
      route: WEBHOOK_ROUTES.rotate,
      handler: endpoint(routeOf(['POST'], 'id'), (actor, tenant, ctx) =>
        rotateWebhook(api, actor, tenant, ctx.route.id),
      ),
    },
  ];
}
