import { OAUTH_FUNCTIONS } from '../../contract/mcp/oauth/agents.js';
import { DISCOVERY_ROUTES, OAUTH_ROUTES } from '../../contract/mcp/oauth/metadata.js';
import { agentsFunctions } from '../members/agents/agents-routes.js';
import { authorizeHandler } from '../members/agents/authorize-route.js';
import {
  jwksHandler,
  openIdConfigurationHandler,
  protectedResourceHandler,
} from '../members/agents/discovery-routes.js';
import { oauthLimits } from '../members/agents/oauth-limits.js';
import { registerHandler } from '../members/agents/register-route.js';
import { revokeHandler } from '../members/agents/revoke-route.js';
import { tokenHandler } from '../members/agents/token-route.js';
import type { AppServices } from './app-services.js';
import type { AddRoute, RegisterDeps } from './register-deps.js';

/**
 * The backend as its own authorization server for the MCP door (`mcp.authorization`, DESIGN §2), when the app made
 * its services (`AppServices.agents`): `api/oauth/authorize`, `api/oauth/token`, `api/oauth/revoke`,
 * `api/oauth/register` with `registration` (each
 * rate-limited per address, the authorize endpoint per person too: members/agents/oauth-limits.ts) and the grants'
 * routes (`api/me/agents`, `api/tenant/agents`). The MCP door takes the agents' tokens through the app's tenant
 * source (members/agents/agent-tenants.ts).
 *
 * @example
 * ```ts
 * registerAgentRoutes(deps, appServices(manifest, deps), add);
 * ```
 */
export function registerAgentRoutes(deps: RegisterDeps, app: AppServices, add: AddRoute): void {
  const api = app.agents;
  const policy = deps.caller;
  if (!api || !policy) return;
  const post = { host: ['POST'], listed: ['POST'] } as const;
  // Per address and per person (DESIGN §2), before any work: a refused request issues nothing.
  const limits = oauthLimits(policy, app.services.meter, deps.agents?.limits);
  add(OAUTH_FUNCTIONS.authorize, OAUTH_ROUTES.authorize, limits.authorize(authorizeHandler(api)), {
    host: ['GET', 'POST'],
    listed: ['GET', 'POST'],
  });
  add(OAUTH_FUNCTIONS.token, OAUTH_ROUTES.token, limits.token(tokenHandler(api)), post);
  add(OAUTH_FUNCTIONS.revoke, OAUTH_ROUTES.revoke, limits.revoke(revokeHandler(api)), post);
  // RFC 7591 dynamic registration only when the config asks (default off: no route, so 404).
  if (api.config.registration)
    add(
      OAUTH_FUNCTIONS.register,
      OAUTH_ROUTES.register,
      limits.register(registerHandler(api)),
      post,
    );
  // Discovery under the API's base, anonymous (resources/functions/auth-settings.ts): in Azure the host's root paths
  // are App Service authentication's, so these are what the door's 401 and the issuer's OIDC path lead to.
  const get = { host: ['GET'], listed: ['GET'] } as const;
  add(
    OAUTH_FUNCTIONS.protectedResource,
    DISCOVERY_ROUTES.protectedResource,
    protectedResourceHandler(),
    get,
  );
  add(
    OAUTH_FUNCTIONS.openidConfiguration,
    DISCOVERY_ROUTES.openidConfiguration,
    openIdConfigurationHandler(api),
    get,
  );
  add(OAUTH_FUNCTIONS.jwks, DISCOVERY_ROUTES.jwks, jwksHandler(api), get);
  for (const f of agentsFunctions(policy, api, app.services)) add(f.name, f.route, f.handler);
}
