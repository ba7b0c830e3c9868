import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import {
  SCIM_BASE,
  SCIM_FUNCTIONS,
  SCIM_ROUTES,
  SCIM_TOKEN_ROUTES,
} from '../../../contract/scim/scim.js';
import type { RuntimeAuth } from '../../../model/runtime-manifest.js';
import { organizationEndpoint, routeOf } from '../membership-routes.js';
import type { RuntimeServices } from '../../pipeline/context.js';
import type { ScimApi } from './scim-api.js';
import { discovery } from './scim-discovery.js';
import { listGroups, scimGroups } from './scim-groups.js';
import { scimError } from './scim-response.js';
import { type ScimCall, scimServe } from './scim-serve.js';
import { createScimToken, listScimTokens, revokeScimToken } from './scim-token-operations.js';
import { searchOf, searchRoot } from './scim-search.js';
import { listUsers, scimUsers } from './scim-users.js';

/** One function as the host registers it (membership-wiring.ts registers these beside its own). */
export interface ScimFunction {
  readonly name: string;
  readonly route: string;
  readonly handler: HttpHandler;
}

/** The token routes: signed in, acting in the request's organization like `api/tenant/domains` (Owners only). */
function tokenHandlers(policy: RuntimeAuth, api: ScimApi, services: RuntimeServices) {
  const endpoint = organizationEndpoint(policy, services, 'scim');
  return {
    tokens: endpoint(routeOf(['GET', 'POST']), (actor, tenant, ctx) =>
      ctx.route.method === 'POST'
        ? createScimToken(api, actor, tenant, ctx.request)
        : listScimTokens(api, actor, tenant),
    ),
    token: endpoint(routeOf(['DELETE'], 'id'), (actor, tenant, ctx) =>
      revokeScimToken(api, actor, tenant, ctx.route.id),
    ),
  };
}

/**
 * SCIM provisioning's functions (DESIGN §2, "Organizations that enterprises can buy"): the Owners' token routes
 * (`api/tenant/scim-tokens`, `…/{id}`) and the SCIM routes below `api/scim/v2` ({@link scimProtocolFunctions}).
 *
 * @example
 * ```ts
 * for (const f of scimFunctions(policy, api, services)) add(f.name, f.route, f.handler);
 * ```
 */
export function scimFunctions(
  policy: RuntimeAuth,
  api: ScimApi,
  services: RuntimeServices,
): ScimFunction[] {
  const t = tokenHandlers(policy, api, services);
  return [
    { name: SCIM_FUNCTIONS.tokens, route: SCIM_TOKEN_ROUTES.tokens, handler: t.tokens },
    { name: SCIM_FUNCTIONS.token, route: SCIM_TOKEN_ROUTES.token, handler: t.token },
    ...scimProtocolFunctions(policy, api, services),
  ];
}

/**
 * A path below the SCIM base that names no endpoint: 404 with a SCIM error body (RFC 7644 §3.12, "404 NOT_FOUND:
 * Specified resource (e.g., User) or endpoint does not exist"; no `scimType` for 404), naming what is served.
 */
function unknownPath(call: ScimCall): HttpResponseInit {
  const path = (call.request.params['path'] ?? '').slice(0, 200);
  return scimError(
    404,
    `No SCIM endpoint /${SCIM_BASE}/${path}: this service provider serves /Users, /Groups, ` +
      '/ServiceProviderConfig, /Schemas and /ResourceTypes (RFC 7644 §3.2, §4).',
  );
}

/**
 * The SCIM routes below `api/scim/v2` the identity provider calls with a token (Users and Groups with PUT,
 * ServiceProviderConfig, Schemas and `Schemas/{id}`, ResourceTypes and `ResourceTypes/{id}`, the `POST …/.search`
 * of each type and of the root, and a catch-all that
 * answers any other path below the base a SCIM 404), each authenticated by that token alone and reading no sign-in
 * (scim-serve.ts); any other method a SCIM 405. What the SCIM app registers
 * (runtime/register-scim-app.ts): none of them reads App Service's principal headers.
 *
 * @example
 * ```ts
 * for (const f of scimProtocolFunctions(policy, api, services)) add(f.name, f.route, f.handler);
 * ```
 */
export function scimProtocolFunctions(
  policy: RuntimeAuth,
  api: ScimApi,
  services: RuntimeServices,
): ScimFunction[] {
  const read = (answer: (typeof discovery)[keyof typeof discovery]) => (call: ScimCall) =>
    Promise.resolve(answer(call));
  const scim = (
    key: keyof typeof SCIM_ROUTES,
    methods: Parameters<typeof scimServe>[3],
    param: 'id' | undefined,
    run: Parameters<typeof scimServe>[5],
  ): ScimFunction => ({
    name: SCIM_FUNCTIONS[key],
    route: SCIM_ROUTES[key],
    handler: scimServe(policy, api, services, methods, param, run),
  });
  return [
    scim('users', ['GET', 'POST'], undefined, (call) => scimUsers(api, call)),
    scim('user', ['GET', 'PUT', 'PATCH', 'DELETE'], 'id', (call) => scimUsers(api, call)),
    scim('groups', ['GET', 'POST'], undefined, (call) => scimGroups(api, call)),
    scim('group', ['GET', 'PUT', 'PATCH', 'DELETE'], 'id', (call) => scimGroups(api, call)),
    scim('serviceProviderConfig', ['GET'], undefined, read(discovery.serviceProviderConfig)),
    scim('schemas', ['GET'], undefined, read(discovery.schemas)),
    scim('schema', ['GET'], 'id', read(discovery.schema)),
    scim('resourceTypes', ['GET'], undefined, read(discovery.resourceTypes)),
    scim('resourceType', ['GET'], 'id', read(discovery.resourceType)),
    // POST searches (RFC 7644 §3.4.3): each type's list with the body's parameters, and the root's over both.
    scim('usersSearch', ['POST'], undefined, (call) => searchOf(listUsers)(api, call)),
    scim('groupsSearch', ['POST'], undefined, (call) => searchOf(listGroups)(api, call)),
    scim('search', ['POST'], undefined, (call) => searchRoot([listUsers, listGroups])(api, call)),
    // Last in the host's order (contract/scim/scim.ts): what no route above takes, as the same token's SCIM 404.
    scim('unknown', ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], undefined, (call) =>
      Promise.resolve(unknownPath(call)),
    ),
  ];
}
