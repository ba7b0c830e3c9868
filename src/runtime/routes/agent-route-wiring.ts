import { MCP_FUNCTION } from '../../contract/mcp/protocol.js';
import { OAUTH_FUNCTIONS } from '../../contract/mcp/oauth/agents.js';
import { OAUTH_ROUTES } from '../../contract/mcp/oauth/metadata.js';
import type { RuntimeManifest } from '../../model/runtime-manifest.js';
import type { InProcessRoutes } from '../in-process/routes.js';
import { serverTools } from '../mcp/caller-tools.js';
import { ClientMetadataCache } from '../mcp/oauth/client-metadata.js';
import { agentDoor } from '../members/agents/agent-door.js';
import { agentKeys } from '../members/agents/agent-keys.js';
import { cosmosAgentStore } from '../members/agents/agent-store.js';
import { type AgentsApi, grantCache } from '../members/agents/agents-api.js';
import { agentsFunctions } from '../members/agents/agents-routes.js';
import { authorizeHandler } from '../members/agents/authorize-route.js';
import { revokeHandler } from '../members/agents/revoke-route.js';
import { tokenHandler } from '../members/agents/token-route.js';
import type { AppServices } from './app-services.js';
import { registryContainer } from './app-services.js';
import type { AddRoute, RegisterDeps } from './register-deps.js';

/**
 * Setting `atakora dev` gives the app: `1` lets agents' Client ID Metadata Documents be fetched from loopback and
 * private addresses (dev's stand-ins and a developer's own client live there; DESIGN §2). Never set in Azure.
 */
export const DEV_AGENT_CLIENTS_LOCAL_SETTING = 'ATAKORA_DEV_AGENT_CLIENTS_LOCAL';

/**
 * The backend as its own authorization server for the MCP door (`mcp.authorization`, DESIGN §2), when the app serves
 * the MCP server for organizations (tenants by membership): `add` with the MCP function wrapped by the agent door
 * (agent-door.ts), and `register` adding `api/oauth/authorize`, `api/oauth/token`, `api/oauth/revoke` and the
 * grants' routes (`api/me/agents`, `api/tenant/agents`). Undefined when the app serves none of it.
 *
 * @example
 * ```ts
 * const agents = agentsWiring(manifest, deps, made, routed.inProcess);
 * registerMcpServer(manifest, routed, services, agents?.wrapMcp(add) ?? add);
 * agents?.register(add);
 * ```
 */
export function agentsWiring(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
  app: AppServices,
  inProcess: InProcessRoutes | undefined,
): { wrapMcp(add: AddRoute): AddRoute; register(add: AddRoute): void } | undefined {
  const config = manifest.mcp?.authorization;
  const policy = deps.caller;
  const reg = policy?.registry;
  const members = app.members;
  const records = app.registry;
  if (!config || !policy || !reg?.membership || !members || !records || !inProcess)
    return undefined;
  const container = registryContainer(manifest, deps, reg.membership.container);
  if (!container) return undefined;
  const env = deps.agents?.env ?? process.env;
  const now = deps.agents?.now ?? (() => members.now?.().getTime() ?? Date.now());
  const writes = manifest.mcp.writes;
  const api: AgentsApi = {
    members,
    records,
    policy,
    store: cosmosAgentStore(container, deps.cosmos),
    config,
    keys: () => agentKeys(env),
    clients: new ClientMetadataCache({
      ...(deps.agents?.clients ?? { allowLocal: env[DEV_AGENT_CLIENTS_LOCAL_SETTING] === '1' }),
      now,
    }),
    tools: () => serverTools(manifest.entities, inProcess.toolFunctions(), writes),
    now,
    grants: grantCache(now),
  };
  return {
    wrapMcp: (add) => (name, route, handler, methods) => {
      add(name, route, name === MCP_FUNCTION ? agentDoor(api, handler) : handler, methods);
    },
    register: (add) => {
      add(OAUTH_FUNCTIONS.authorize, OAUTH_ROUTES.authorize, authorizeHandler(api), {
        host: ['GET', 'POST'],
        listed: ['GET', 'POST'],
      });
      add(OAUTH_FUNCTIONS.token, OAUTH_ROUTES.token, tokenHandler(api), {
        host: ['POST'],
        listed: ['POST'],
      });
      add(OAUTH_FUNCTIONS.revoke, OAUTH_ROUTES.revoke, revokeHandler(api), {
        host: ['POST'],
        listed: ['POST'],
      });
      for (const f of agentsFunctions(policy, api, app.services)) add(f.name, f.route, f.handler);
    },
  };
}
