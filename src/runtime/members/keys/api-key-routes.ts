import { API_KEY_FUNCTIONS, API_KEY_ROUTES } from '../../../contract/integrations/api-keys.js';
import type { RuntimeAuth } from '../../../model/runtime-manifest.js';
import type { RuntimeServices } from '../../pipeline/context.js';
import { organizationEndpoint, routeOf } from '../membership-routes.js';
import type { HttpHandler } from '@azure/functions';
import { createApiKey, type KeysApi, listApiKeys, revokeApiKey } from './api-key-operations.js';

/**
 * The API key routes (DESIGN §2, "Integrations"): `GET|POST api/tenant/api-keys` and `DELETE api/tenant/api-keys/{id}`,
 * signed in, acting in the request's organization (Owners and Admins), behind the plan's built-in feature `api-keys` —
 * but revoking, open on every plan (docs/integrations.md, "After a downgrade": a downgrade must not leave keys the
 * organization cannot revoke, alive again on the next upgrade). A key never reaches them (members/keys/key-tenants.ts:
 * 403 `api-key-not-allowed`).
 *
 * @example
 * ```ts
 * for (const f of apiKeyFunctions(policy, api, services)) add(f.name, f.route, f.handler);
 * ```
 */
export function apiKeyFunctions(
  policy: RuntimeAuth,
  api: KeysApi,
  services: RuntimeServices,
): { readonly name: string; readonly route: string; readonly handler: HttpHandler }[] {
  const endpoint = organizationEndpoint(policy, services, 'api-keys', ['DELETE']);
  return [
    {
      name: API_KEY_FUNCTIONS.keys,
      route: API_KEY_ROUTES.keys,
      handler: endpoint(routeOf(['GET', 'POST']), (actor, tenant, ctx) =>
        ctx.route.method === 'POST'
          ? createApiKey(api, actor, tenant, ctx.request)
          : listApiKeys(api, actor, tenant),
      ),
    },
    {
      name: API_KEY_FUNCTIONS.key,
      route: API_KEY_ROUTES.key,
      handler: endpoint(routeOf(['DELETE'], 'id'), (actor, tenant, ctx) =>
        revokeApiKey(api, actor, tenant, ctx.route.id),
      ),
    },
  ];
}
