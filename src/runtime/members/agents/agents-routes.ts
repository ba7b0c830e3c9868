import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import type { ConnectedAgent } from '../../../contract/mcp/oauth/agents.js';
import { AGENT_FUNCTIONS, AGENT_ROUTES } from '../../../contract/mcp/oauth/agents.js';
import type { RuntimeAuth } from '../../../model/runtime-manifest.js';
import {
  emptyResponse,
  jsonResponse,
  methodNotAllowed,
  problemResponse,
} from '../../http/response.js';
import type { Resolved } from '../../http/scope.js';
import type { CallerContext, RuntimeServices } from '../../pipeline/context.js';
import { auditActor, byOwnerOrAdmin } from '../members-api.js';
import {
  type MembershipRoute,
  membershipEndpoints,
  organizationEndpoint,
} from '../membership-routes.js';
import { type AgentsApi, liveGrants } from './agents-api.js';
import type { StoredGrant } from './agent-store.js';
import { revokeGrant } from './grant-revocation.js';

const shown = (g: StoredGrant): ConnectedAgent => ({
  id: g.id,
  person: g.person,
  organization: g.organization,
  clientId: g.clientId,
  clientName: g.clientName,
  clientHost: g.clientHost,
  connectedOn: g.created,
  lastUsedOn: g.lastUsedOn ?? null,
});

/** The route step: the methods served (405 else) and the `{grant}` of the URL when it has one. */
const routeOf =
  (methods: readonly ('GET' | 'DELETE')[], withGrant: boolean) =>
  (ctx: CallerContext<MembershipRoute>): Resolved<MembershipRoute> => {
    const method = ctx.method;
    if (method === undefined || !(methods as readonly string[]).includes(method))
      return methodNotAllowed(methods, ctx.request.method);
    const id = withGrant ? (ctx.request.params['grant'] ?? '') : '';
    if (withGrant && !/^[A-Za-z0-9_-]{1,64}$/.test(id))
      return { ok: false, response: problemResponse('not-found', 'The URL names no grant.') };
    return { ok: true, value: { method, id } };
  };

const noGrant = (id: string): HttpResponseInit =>
  problemResponse(
    'not-found',
    `No connected agent ${JSON.stringify(id.slice(0, 64))} is yours to revoke.`,
  );

/**
 * The grants as data (DESIGN §2, "Grants are data"): `GET api/me/agents` (the person's connected agents in every
 * organization) and `DELETE api/me/agents/{grant}` (any signed-in person, their own grants only), `GET
 * api/tenant/agents` and `DELETE api/tenant/agents/{grant}` (Owners and Admins of the request's organization) — live grants only: a
 * grant revoked, or dead with its person's membership (agents-api.ts `liveGrants`), is no connected agent. Each
 * revocation is audited `agent.revoked` and holds at once here, within 30 s everywhere (grant-revocation.ts). An
 * API key never reaches them (members/keys/key-tenants.ts: a people route).
 *
 * @example
 * ```ts
 * for (const f of agentsFunctions(policy, api, services)) add(f.name, f.route, f.handler);
 * ```
 */
export function agentsFunctions(
  policy: RuntimeAuth,
  api: AgentsApi,
  services: RuntimeServices,
): { readonly name: string; readonly route: string; readonly handler: HttpHandler }[] {
  const { endpoint, signedIn } = membershipEndpoints(policy, services);
  const inOrganization = organizationEndpoint(policy, services);
  return [
    {
      name: AGENT_FUNCTIONS.mine,
      route: AGENT_ROUTES.mine,
      handler: endpoint(
        routeOf(['GET'], false),
        signedIn(async (user) =>
          jsonResponse(200, {
            items: (await liveGrants(api, await api.store.grantsOf(user.userId))).map(shown),
          }),
        ),
        true,
      ),
    },
    {
      name: AGENT_FUNCTIONS.myGrant,
      route: AGENT_ROUTES.myGrant,
      handler: endpoint(
        routeOf(['DELETE'], true),
        signedIn(async (user, ctx) => {
          const mine = (
            await liveGrants(
              api,
              (await api.store.grantsOf(user.userId)).filter((g) => g.id === ctx.route.id),
            )
          )[0];
          if (!mine) return noGrant(ctx.route.id);
          await revokeGrant(
            api,
            mine.organization,
            mine.id,
            auditActor(user),
            'revoked by the person',
          );
          return emptyResponse(204);
        }),
        true,
      ),
    },
    {
      name: AGENT_FUNCTIONS.organization,
      route: AGENT_ROUTES.organization,
      handler: inOrganization(routeOf(['GET'], false), (actor, tenant) =>
        byOwnerOrAdmin(actor, tenant, 'lists its connected agents', async () =>
          jsonResponse(200, {
            items: (await liveGrants(api, await api.store.grantsIn(tenant))).map(shown),
          }),
        ),
      ),
    },
    {
      name: AGENT_FUNCTIONS.organizationGrant,
      route: AGENT_ROUTES.organizationGrant,
      handler: inOrganization(routeOf(['DELETE'], true), (actor, tenant, ctx) =>
        byOwnerOrAdmin(actor, tenant, 'revokes its connected agents', async () => {
          const read = await api.store.readGrant(tenant, ctx.route.id);
          if (!read || (await liveGrants(api, [read.value])).length === 0)
            return noGrant(ctx.route.id);
          await revokeGrant(
            api,
            tenant,
            ctx.route.id,
            auditActor(actor),
            'revoked by an Owner or Admin',
          );
          return emptyResponse(204);
        }),
      ),
    },
  ];
}
