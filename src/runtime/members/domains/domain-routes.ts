import type { HttpHandler } from '@azure/functions';
import type { RuntimeAuth } from '../../../model/runtime-manifest.js';
import type { RuntimeServices } from '../../pipeline/context.js';
import { updateDomain } from './domain-join-settings.js';
import { addDomain, listDomains, readDomain, removeDomain } from './domain-operations.js';
import { verifyDomain } from './domain-verify.js';
import { organizationEndpoint, routeOf } from '../membership-routes.js';
import type { DomainsApi } from '../members-api.js';

/**
 * An organization's verified domains (DESIGN §2, "Organizations that enterprises can buy") through the request
 * pipeline, each route acting in the request's organization like `api/tenant/members`: `GET|POST api/tenant/domains`,
 * `GET|PATCH|DELETE api/tenant/domains/{domain}`, `POST api/tenant/domains/{domain}/verify`.
 *
 * @example
 * ```ts
 * const h = createDomainHandlers(policy, api, services);
 * app.http(DOMAIN_FUNCTIONS.domains, { route: DOMAIN_ROUTES.domains, methods: ['GET', 'POST'], handler: h.domains });
 * ```
 */
export function createDomainHandlers(
  policy: RuntimeAuth,
  api: DomainsApi,
  services: RuntimeServices,
): Record<'domains' | 'domain' | 'verify', HttpHandler> {
  const endpoint = organizationEndpoint(policy, services, 'domains');
  return {
    domains: endpoint(routeOf(['GET', 'POST']), (actor, tenant, ctx) =>
      ctx.route.method === 'POST'
        ? addDomain(api, actor, tenant, ctx.request)
        : listDomains(api, actor, tenant),
    ),
    domain: endpoint(routeOf(['GET', 'PATCH', 'DELETE'], 'domain'), (actor, tenant, ctx) => {
      const name = ctx.route.id;
      if (ctx.route.method === 'GET') return readDomain(api, actor, tenant, name);
      return ctx.route.method === 'PATCH'
        ? updateDomain(api, actor, tenant, name, ctx.request)
        : removeDomain(api, actor, tenant, name);
    }),
    verify: endpoint(routeOf(['POST'], 'domain'), (actor, tenant, ctx) =>
      verifyDomain(api, actor, tenant, ctx.route.id),
    ),
  };
}
