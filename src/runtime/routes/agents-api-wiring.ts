import type { Container } from '@azure/cosmos';
import { DEV_AGENT_CLIENTS_LOCAL_SETTING } from '../../contract/mcp/oauth/agents.js';
import type { RuntimeManifest } from '../../model/runtime-manifest.js';
import { serverTools } from '../mcp/caller-tools.js';
import { ClientMetadataCache } from '../mcp/oauth/client-metadata.js';
import { agentClients } from '../members/agents/agent-clients.js';
import { agentKeys } from '../members/agents/agent-keys.js';
import { cosmosAgentStore } from '../members/agents/agent-store.js';
import { cosmosClientStore } from '../members/agents/client-store.js';
import { sharedConsentKey } from '../members/agents/consent-key.js';
import { type AgentsApi, grantCache } from '../members/agents/agents-api.js';
import type { MembersApi } from '../members/members-api.js';
import type { RegistryCache } from '../tenants/registry-cache.js';
import type { RegisterDeps } from './register-deps.js';

/**
 * The authorization server's services (`mcp.authorization`, DESIGN §2), made once at start beside the members: the
 * grants and codes in the `members` container, the keys from the settings, the clients' metadata documents (public
 * addresses only, loopback too under `atakora dev`), the MCP server's tools (what the consent page says an agent may
 * do), the members' clock. Undefined unless the app serves the MCP server for organizations with `authorization`.
 *
 * @example
 * ```ts
 * const agents = agentsApiOf(manifest, deps, members, registry, registryContainer(manifest, deps, 'members'));
 * ```
 */
export function agentsApiOf(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
  members: MembersApi | undefined,
  records: RegistryCache | undefined,
  container: Container | undefined,
): AgentsApi | undefined {
  const mcp = manifest.mcp;
  const config = mcp?.authorization;
  const policy = deps.caller;
  const inProcess = deps.inProcess;
  if (!mcp || !config || !policy?.registry?.membership || !members || !records || !container)
    return undefined;
  const env = deps.agents?.env ?? process.env;
  const now = deps.agents?.now ?? (() => members.now?.().getTime() ?? Date.now());
  // RFC 7591 registration only when asked (DESIGN §2: "POST api/oauth/register only when `registration` is on").
  const registered = config.registration ? cosmosClientStore(container, deps.cosmos) : undefined;
  const documents = new ClientMetadataCache({
    ...(deps.agents?.clients ?? { allowLocal: env[DEV_AGENT_CLIENTS_LOCAL_SETTING] === '1' }),
    now,
  });
  return {
    members,
    records,
    policy,
    store: cosmosAgentStore(container, deps.cosmos),
    config,
    keys: () =>
      agentKeys(env, {
        ...(deps.agents?.vaultCredential ? { credential: deps.agents.vaultCredential } : {}),
        consent: () => sharedConsentKey(container, deps.cosmos),
        now,
      }),
    clients: agentClients(documents, registered, now),
    ...(registered ? { registered } : {}),
    tools: () => serverTools(manifest.entities, inProcess?.toolFunctions() ?? [], mcp.writes),
    now,
    grants: grantCache(now),
  };
}
