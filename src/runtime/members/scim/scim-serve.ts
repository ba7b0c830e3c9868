import type {
  HttpHandler,
  HttpRequest,
  HttpResponseInit,
  InvocationContext,
} from '@azure/functions';
import type { RouteMethod } from '../../../contract/routes.js';
import type { RuntimeAuth } from '../../../model/runtime-manifest.js';
import { Caller } from '../../caller/caller-view.js';
import { cosmosErrorResponse } from '../../http/cosmos-errors.js';
import type { MembershipRoute } from '../membership-routes.js';
import { routeOf } from '../membership-routes.js';
import type { Endpoint, Outcome, RuntimeServices } from '../../pipeline/context.js';
import { CALLER_STAGES } from '../../pipeline/request-stages.js';
import { runStages } from '../../pipeline/stage-list.js';
import { planLimits } from '../../tenants/plan-limits.js';
import { ANONYMOUS_TENANT, requestUsage } from '../../usage/request-usage.js';
import type { ScimApi } from './scim-api.js';
import type { StoredScimToken } from './scim-items.js';
import { asScim, scimError } from './scim-response.js';
import { bearerScimToken, sameHash, scimTokenHash } from './scim-token.js';

/** What a SCIM operation is given: the token it runs for, its organization, the request and its URL's id. */
export interface ScimCall {
  readonly token: StoredScimToken;
  readonly tenant: string;
  readonly request: HttpRequest;
  readonly method: RouteMethod;
  readonly id: string;
  /** A list's parameters when they come in a body (`POST …/.search`: scim-search.ts), not the URL's query. */
  readonly query?: URLSearchParams;
}

const unauthorized = () =>
  scimError(
    401,
    "A SCIM request carries an organization's SCIM token: Authorization: Bearer atakora-scim.…",
    undefined,
    {
      'WWW-Authenticate': 'Bearer realm="scim"',
    },
  );

/** The token the request carries, its organization's record checked: the token, or the SCIM refusal. */
async function scimTokenOf(
  api: ScimApi,
  services: RuntimeServices,
  request: HttpRequest,
): Promise<{ ok: true; token: StoredScimToken } | { ok: false; response: HttpResponseInit }> {
  const presented = bearerScimToken(request.headers.get('authorization'));
  if (presented === undefined) return { ok: false, response: unauthorized() };
  const hash = scimTokenHash(presented);
  const token = await api.scim.tokenByHash(hash);
  if (!token || !sameHash(hash, token.hash)) return { ok: false, response: unauthorized() };
  return { ok: true, token };
}

/**
 * A SCIM route as the host's handler: authenticated by an organization's SCIM token alone (the route is outside App
 * Service's sign-in), then the request pipeline's stages for the caller that token is — its own principal,
 * `scim:<token id>`, acting in its one organization — so the usage ledger counts the request once under that
 * organization and its plan's rate limit applies, as to every other door. A token that is missing, unknown or
 * revoked, or whose organization is gone, is 401; a suspended organization 403; every refusal a SCIM error.
 *
 * @example
 * ```ts
 * const users = scimServe(policy, api, services, ['GET', 'POST'], undefined, (call) => listOrCreateUsers(api, call));
 * ```
 */
export function scimServe(
  policy: RuntimeAuth,
  api: ScimApi,
  services: RuntimeServices,
  methods: readonly RouteMethod[],
  param: 'id' | undefined,
  run: (call: ScimCall) => Promise<HttpResponseInit>,
): HttpHandler {
  return async (request: HttpRequest, invocation: InvocationContext) => {
    try {
      const found = await scimTokenOf(api, services, request);
      if (!found.ok) {
        services.meter?.request(ANONYMOUS_TENANT, { refused: true, ru: 0 });
        return found.response;
      }
      const { token } = found;
      const record = services.registry
        ? await services.registry.get(token.tenant)
        : (await api.admin.read(token.tenant))?.record;
      if (!record) {
        services.meter?.request(ANONYMOUS_TENANT, { refused: true, ru: 0 });
        return unauthorized();
      }
      if (record.status !== 'active') {
        services.meter?.request(record.id, { refused: true, ru: 0 });
        return scimError(
          403,
          `Organization ${record.id} is suspended: provisioning resumes when it is.`,
        );
      }
      const userId = `scim:${token.id}`;
      const caller = Caller.ofJob({ oid: userId, tid: token.tenant, roles: [] }, policy).actingAs(
        {
          id: `${token.tenant}|${userId}`,
          tenant: token.tenant,
          userId,
          roles: [],
          addedOn: token.createdOn,
        },
        'its SCIM token',
        { record, limits: planLimits(api.registry, record.plan).limits },
      );
      const endpoint: Endpoint<MembershipRoute> = {
        policy,
        // Provisioning is the plan's `scim` feature: a plan without it answers 402 as a SCIM error.
        feature: 'scim',
        route: routeOf(methods, param),
        handle: (ctx) =>
          run({ token, tenant: token.tenant, request, method: ctx.route.method, id: ctx.route.id }),
      };
      const outcome: Outcome = await runStages(CALLER_STAGES.stages, {
        request,
        invocation,
        endpoint,
        services,
        caller,
        ...(services.meter ? { usage: requestUsage(services.meter, record.id) } : {}),
      });
      if ('failed' in outcome) throw outcome.failed;
      return asScim(outcome.response);
    } catch (e) {
      const response = cosmosErrorResponse(e, 'the members container');
      if (response) return asScim(response);
      throw e;
    }
  };
}
