import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import type { RouteMethod } from '../../contract/routes.js';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import type { BuiltInFeature } from '../../model/plans/plan-features.js';
import { methodNotAllowed, problemResponse, refused } from '../http/response.js';
import type { Resolved } from '../http/scope.js';
import { checkId } from '../http/schema-validator.js';
import type {
  AuthorizedContext,
  CallerContext,
  Endpoint,
  RuntimeServices,
} from '../pipeline/context.js';
import { serve } from '../pipeline/serve.js';
import {
  createInvitation,
  listInvitations,
  readInvitation,
  revokeInvitation,
} from './invitation-operations.js';
import { resendInvitation } from './invitation-resend.js';
import { listMembers, removeMember, updateMember } from './member-operations.js';
import { previewInvitation } from './invitation-preview.js';
import type { Actor, MembersApi } from './members-api.js';
import { acceptInvitation, myTenants, type SignedInUser } from './organization-operations.js';

/** What a membership request asks: the method it came with, and the id of the URL (a member's, an invitation's). */
export interface MembershipRoute {
  readonly method: RouteMethod;
  readonly id: string;
}

/** The methods a route serves (405 with `Allow` for the others), and its URL's id (`userId`, `id`, `domain`). */
export const routeOf =
  (methods: readonly RouteMethod[], param?: 'userId' | 'id' | 'domain') =>
  (ctx: CallerContext<MembershipRoute>): Resolved<MembershipRoute> => {
    const method = ctx.method;
    if (method === undefined || !methods.includes(method))
      return methodNotAllowed(methods, ctx.request.method);
    const id = param ? (ctx.request.params[param] ?? '') : '';
    if (param && id === '') return refused('not-found', 'The URL names nobody.');
    // No stored item has an id Cosmos DB refuses (`/`, `\`, `?`, `#`, over 255 characters, a lone surrogate): such an
    // id names nothing, and read as it is it would break the item's resource path — an error of the database's, a 5xx.
    if (param && checkId(id) !== undefined)
      return refused(
        'not-found',
        `The URL names nothing that exists (${param} ${JSON.stringify(id.slice(0, 64))}).`,
      );
    return { ok: true, value: { method, id } };
  };

/**
 * The caller as a user signed in (no organization): identity, verified email and the directory of their token, as
 * the caller stage read them (a route of no organization never acts in one, so `directory` is the token's `tid`).
 */
export function userOf(ctx: AuthorizedContext<MembershipRoute>): SignedInUser | undefined {
  const userId = ctx.caller.id;
  if (userId === undefined) return undefined;
  const { email, directory, account } = ctx.caller;
  const upn = account?.upn;
  return {
    userId,
    ...(email !== undefined ? { email } : {}),
    ...(directory !== undefined ? { directory } : {}),
    ...(upn !== undefined ? { upn } : {}),
  };
}

/** The caller acting in the request's organization (the registry stage's, by the app's membership tenant source), with their roles there. */
export function actorOf(
  ctx: AuthorizedContext<MembershipRoute>,
): { actor: Actor; tenant: string } | undefined {
  const { id, membership, name, email } = ctx.caller;
  if (!membership || id === undefined) return undefined;
  // The inviter's name as an invitee would know them: the display name, else their e-mail.
  const shown = name ?? email;
  const actor: Actor = {
    userId: id,
    roles: membership.roles,
    ...(shown !== undefined ? { name: shown } : {}),
    ...(email !== undefined ? { email } : {}),
  };
  return { actor, tenant: membership.tenant };
}

/** 403 not-a-member: the route acts in an organization, and the caller acts in none. */
export const nobody = (): Promise<HttpResponseInit> =>
  Promise.resolve(
    problemResponse('not-a-member', 'This route acts in an organization you are a member of.'),
  );

/**
 * The endpoint maker of routes that act in the request's organization (domains, SCIM tokens, …): `run` with the
 * acting member and their organization, else 403 not-a-member; `feature` the built-in feature their door is (the
 * features stage's 402 for a plan without it), but for the `ungated` methods (open on every plan: the way out).
 *
 * @example
 * ```ts
 * const endpoint = organizationEndpoint(policy, services);
 * const list = endpoint(routeOf(['GET']), (actor, tenant) => listDomains(api, actor, tenant));
 * ```
 */
export function organizationEndpoint(
  policy: RuntimeAuth,
  services: RuntimeServices,
  feature?: BuiltInFeature,
  ungated: readonly RouteMethod[] = [],
) {
  return (
    route: Endpoint<MembershipRoute>['route'],
    run: (
      actor: Actor,
      tenant: string,
      ctx: AuthorizedContext<MembershipRoute>,
    ) => Promise<HttpResponseInit>,
  ): HttpHandler =>
    serve<MembershipRoute>(
      {
        policy,
        ...(feature ? { feature } : {}),
        ...(ungated.length > 0 ? { ungatedMethods: ungated } : {}),
        route,
        handle: (ctx) => {
          const found = actorOf(ctx);
          return found ? run(found.actor, found.tenant, ctx) : nobody();
        },
      },
      services,
    );
}

/**
 * The endpoint makers the membership routes and the joins (joins/join-routes.ts) share: `endpoint` serves a route's
 * handle — in no organization and bounded per user when `withoutTenant`, behind the plan's built-in `feature` when
 * named (the features stage's 402) —, and a handle's callers: `signedIn` runs with the caller's sign-in,
 * `inOrganization` with the acting member and their organization, each else 403 not-a-member.
 *
 * @example
 * ```ts
 * const { endpoint, signedIn } = membershipEndpoints(policy, services);
 * const meTenants = endpoint(routeOf(['GET']), signedIn((user, ctx) => myTenants(api, user, ctx.request)), true);
 * ```
 */
export function membershipEndpoints(policy: RuntimeAuth, services: RuntimeServices) {
  const endpoint = (
    route: Endpoint<MembershipRoute>['route'],
    handle: Endpoint<MembershipRoute>['handle'],
    withoutTenant = false,
    feature?: BuiltInFeature,
  ): HttpHandler =>
    serve<MembershipRoute>(
      {
        policy,
        route,
        handle,
        ...(withoutTenant ? { withoutTenant, limitedPerUser: true } : {}),
        ...(feature ? { feature } : {}),
      },
      services,
    );
  const withCaller =
    <T>(of: (ctx: AuthorizedContext<MembershipRoute>) => T | undefined) =>
    (run: (found: T, ctx: AuthorizedContext<MembershipRoute>) => Promise<HttpResponseInit>) =>
    (ctx: AuthorizedContext<MembershipRoute>): Promise<HttpResponseInit> => {
      const found = of(ctx);
      return found === undefined ? nobody() : run(found, ctx);
    };
  return { endpoint, inOrganization: withCaller(actorOf), signedIn: withCaller(userOf) };
}

/**
 * The membership routes (DESIGN §2, "Tenants by membership") through the request pipeline, each an endpoint of its
 * own: `GET api/me/tenants` and `POST api/invitations/accept` act in no organization (any signed-in caller);
 * `GET api/tenant/members`, `PATCH|DELETE api/tenant/members/{userId}`, `GET|POST api/tenant/invitations` and
 * `GET|DELETE api/tenant/invitations/{id}`, `POST api/tenant/invitations/{id}/resend` act in the request's organization
 * (and `GET api/invitations/preview`, for anyone holding a token, in none) (the registry stage's membership source: a non-member
 * never reaches them), their rules those of contract/members.ts.
 *
 * @example
 * ```ts
 * const h = createMembershipHandlers(policy, api, services);
 * app.http(MEMBERSHIP_FUNCTIONS.meTenants, { route: MEMBERSHIP_ROUTES.meTenants, methods: ['GET'], handler: h.meTenants });
 * ```
 */
export function createMembershipHandlers(
  policy: RuntimeAuth,
  api: MembersApi,
  services: RuntimeServices,
): Record<
  | 'meTenants'
  | 'accept'
  | 'members'
  | 'member'
  | 'invitations'
  | 'invitation'
  | 'invitationResend'
  | 'preview',
  HttpHandler
> {
  const { endpoint, inOrganization, signedIn } = membershipEndpoints(policy, services);
  return {
    // Anonymous (the invitee has not signed in yet), in no organization, bounded per client address.
    preview: serve<MembershipRoute>(
      {
        policy,
        anonymous: true,
        withoutTenant: true,
        limitedPerAddress: true,
        route: routeOf(['GET']),
        handle: (ctx) => previewInvitation(api, ctx.request),
      },
      services,
    ),
    meTenants: endpoint(
      routeOf(['GET']),
      signedIn((user, ctx) => myTenants(api, user, ctx.request)),
      true,
    ),
    accept: endpoint(
      routeOf(['POST']),
      signedIn((user, ctx) => acceptInvitation(api, user, ctx.request)),
      true,
    ),
    members: endpoint(
      routeOf(['GET']),
      inOrganization(({ tenant }, ctx) => listMembers(api, tenant, ctx.request)),
    ),
    member: endpoint(
      routeOf(['PATCH', 'DELETE'], 'userId'),
      inOrganization(({ actor, tenant }, ctx) =>
        ctx.route.method === 'PATCH'
          ? updateMember(api, actor, tenant, ctx.route.id, ctx.request)
          : removeMember(api, actor, tenant, ctx.route.id),
      ),
    ),
    invitations: endpoint(
      routeOf(['GET', 'POST']),
      inOrganization(({ actor, tenant }, ctx) =>
        ctx.route.method === 'POST'
          ? createInvitation(api, actor, tenant, ctx.request)
          : listInvitations(api, actor, tenant, ctx.request),
      ),
    ),
    invitation: endpoint(
      routeOf(['GET', 'DELETE'], 'id'),
      inOrganization(({ actor, tenant }, ctx) =>
        ctx.route.method === 'GET'
          ? readInvitation(api, actor, tenant, ctx.route.id)
          : revokeInvitation(api, actor, tenant, ctx.route.id),
      ),
    ),
    invitationResend: endpoint(
      routeOf(['POST'], 'id'),
      inOrganization(({ actor, tenant }, ctx) =>
        resendInvitation(api, actor, tenant, ctx.route.id, ctx.request),
      ),
    ),
  };
}
