import type { HttpHandler } from '@azure/functions';
import type { RuntimeAuth } from '../../../model/runtime-manifest.js';
import type { RuntimeServices } from '../../pipeline/context.js';
import { membershipEndpoints, routeOf } from '../membership-routes.js';
import { joinableOrganizations, joinOrganization } from './join-operations.js';
import { answerJoinRequest, listJoinRequests } from './join-request-operations.js';
import type { JoinsApi } from './join-target.js';

/**
 * Joins by verified domain (DESIGN §2, "Organizations that enterprises can buy") through the request pipeline:
 * `GET api/me/joinable` and `POST api/tenants/{id}/join` act in no organization (any signed-in caller, bounded per
 * user like `GET api/me/tenants`); `GET api/tenant/join-requests` and `POST api/tenant/join-requests/{id}/approve|decline`
 * act in the request's organization (its Owners and Admins). Admitting by a domain is the plan's `domains` feature:
 * an approval is 402 `feature-not-in-plan` on a plan without it (the join itself: join-operations.ts).
 *
 * @example
 * ```ts
 * const h = createJoinHandlers(policy, api, services);
 * app.http(JOIN_FUNCTIONS.joinable, { route: JOIN_ROUTES.joinable, methods: ['GET'], handler: h.joinable });
 * ```
 */
export function createJoinHandlers(
  policy: RuntimeAuth,
  api: JoinsApi,
  services: RuntimeServices,
): Record<'joinable' | 'join' | 'requests' | 'approve' | 'decline', HttpHandler> {
  const { endpoint, inOrganization, signedIn } = membershipEndpoints(policy, services);
  const answer = (approve: boolean) =>
    endpoint(
      routeOf(['POST'], 'id'),
      inOrganization(({ actor, tenant }, ctx) =>
        answerJoinRequest(api, actor, tenant, ctx.route.id, approve, ctx.request),
      ),
      false,
      // An approval admits a person by the organization's domain: a plan without `domains` refuses it (402, before
      // anything is read; the request stays pending). A decline admits nobody and stays open, to clear the list.
      approve ? 'domains' : undefined,
    );
  return {
    joinable: endpoint(
      routeOf(['GET']),
      signedIn((user) => joinableOrganizations(api, user)),
      true,
    ),
    join: endpoint(
      routeOf(['POST'], 'id'),
      signedIn((user, ctx) => joinOrganization(api, user, ctx.route.id, ctx.request)),
      true,
    ),
    requests: endpoint(
      routeOf(['GET']),
      inOrganization(({ actor, tenant }, ctx) => listJoinRequests(api, actor, tenant, ctx.request)),
    ),
    approve: answer(true),
    decline: answer(false),
  };
}
