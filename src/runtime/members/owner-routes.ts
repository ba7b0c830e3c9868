import type { HttpHandler } from '@azure/functions';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import type { RuntimeServices } from '../pipeline/context.js';
import { serve } from '../pipeline/serve.js';
import type { MembersApi } from './members-api.js';
import { actorOf, type MembershipRoute, nobody, routeOf, userOf } from './membership-routes.js';
import {
  deleteOrganization,
  renameOrganization,
  undeleteOrganization,
} from './organization-owner-operations.js';

/**
 * What an organization's Owners do with it (DESIGN §2, "Organizations their Owners run"), through the request
 * pipeline: `tenant` serves `PATCH|DELETE api/tenant` in the request's organization (GET api/tenant's function hands
 * them over: routes/tenant-route.ts); `tenantUndelete` serves `POST api/tenant/undelete` in no organization as the
 * tenant stage sees it — that stage refuses a suspended organization, and a deleted one is suspended — the operation
 * checking the caller's Owner membership of the organization it names itself.
 *
 * @example
 * ```ts
 * const { tenant, tenantUndelete } = createOwnerHandlers(policy, api, services);
 * ```
 */
export function createOwnerHandlers(
  policy: RuntimeAuth,
  api: MembersApi,
  services: RuntimeServices,
): Record<'tenant' | 'tenantUndelete', HttpHandler> {
  return {
    tenant: serve<MembershipRoute>(
      {
        policy,
        route: routeOf(['PATCH', 'DELETE']),
        handle: (ctx) => {
          const found = actorOf(ctx);
          if (!found) return nobody();
          return ctx.route.method === 'PATCH'
            ? renameOrganization(api, found.actor, found.tenant, ctx.request)
            : deleteOrganization(api, found.actor, found.tenant);
        },
      },
      services,
    ),
    tenantUndelete: serve<MembershipRoute>(
      {
        policy,
        route: routeOf(['POST']),
        withoutTenant: true,
        limitedPerUser: true,
        handle: (ctx) => {
          const user = userOf(ctx);
          return user ? undeleteOrganization(api, user, ctx.request) : nobody();
        },
      },
      services,
    ),
  };
}
