import type { ClientLookup } from '../../mcp/oauth/client-metadata.js';
import { isRegisteredClientId } from '../../mcp/oauth/client-registration.js';
import type { ClientStore, RegisteredClient } from './client-store.js';

/** Where the authorization server finds a client by its id. */
export interface AgentClients {
  lookup(clientId: string): Promise<ClientLookup>;
}

/** How long a registered client no consent has used is kept: a flood of registrations is gone within a day. */
export const UNUSED_CLIENT_MS = 24 * 60 * 60 * 1000;
/** A registered client's life is extended when less than this is left of it (at most one write a day per client). */
const EXTEND_WITHIN_MS = UNUSED_CLIENT_MS;

/**
 * The clients the authorize and token endpoints take (DESIGN §2): a Client ID Metadata Document's URL through
 * `documents` (client-metadata.ts), and — only with `mcp.authorization.registration` — a client id `POST
 * api/oauth/register` issued, from `registered` (members/agents/client-store.ts). Either is then treated alike: only
 * its redirect URIs, matched exactly. A registered client is marked so (the consent page says its name is
 * unverified) and its host is its first redirect URI's, the only host it is known by.
 *
 * @example
 * ```ts
 * const clients = agentClients(new ClientMetadataCache({ allowLocal: false }), cosmosClientStore(members), Date.now);
 * ```
 */
export function agentClients(
  documents: AgentClients,
  registered: ClientStore | undefined,
  now: () => number,
): AgentClients {
  return {
    async lookup(clientId) {
      if (!isRegisteredClientId(clientId)) return documents.lookup(clientId);
      const found = registered ? await registered.read(clientId, now()) : undefined;
      if (!found)
        return {
          ok: false,
          error: 'invalid_client',
          description: registered
            ? `No client is registered as ${clientId}: a registration unused for a day, or whose grants were unused for ` +
              'the refresh token lifetime, is forgotten — register again.'
            : 'This server takes no registered clients: the client_id is a client metadata document URL.',
        };
      return { ok: true, client: agentClientOf(found) };
    },
  };
}

/** A registered client as the authorization server uses it. */
export const agentClientOf = (c: RegisteredClient) => {
  const host = new URL(c.redirectUris[0] ?? 'http://invalid').host;
  return {
    clientId: c.clientId,
    name: c.clientName ?? host,
    host,
    redirectUris: c.redirectUris,
    registered: true as const,
  };
};

/**
 * Keep a registered client as long as a grant of it is used: `days` (the refresh token lifetime) and one more day past
 * `now`, written only when more than a day has passed since the last write — so the client outlives every refresh
 * token of it that can still be used. Nothing for a metadata document's client id.
 *
 * @example
 * ```ts
 * await keepClient(api.registered, grant.clientId, now, api.config.refreshTokenDays);
 * ```
 */
export async function keepClient(
  registered: ClientStore | undefined,
  clientId: string,
  now: number,
  days: number,
): Promise<RegisteredClient | undefined> {
  if (!registered || !isRegisteredClientId(clientId)) return undefined;
  const found = await registered.read(clientId, now);
  const life = days * 86_400_000 + EXTEND_WITHIN_MS;
  if (found && found.expires - now < life - EXTEND_WITHIN_MS)
    await registered.extend(found, now + life, now);
  return found;
}
