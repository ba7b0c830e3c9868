import type { Container } from '@azure/cosmos';
import {
  callCosmos,
  type CosmosCallPolicy,
  DEFAULT_COSMOS_POLICY,
  readItemOrNone,
} from '../../data/cosmos-policy.js';
import type { ClientRegistration, GrantType } from '../../mcp/oauth/client-registration.js';

/** A client registered through `POST api/oauth/register` (RFC 7591), as kept. */
export interface RegisteredClient extends ClientRegistration {
  readonly clientId: string;
  /** When it was registered, seconds since the epoch (RFC 7591 §3.2.1 `client_id_issued_at`). */
  readonly issuedAt: number;
  /** When it is forgotten unless used again (ms since the epoch). */
  readonly expires: number;
}

/**
 * The registered clients, in the `members` container's partition `~oauth-clients` (a key no organization id can
 * be), each item expiring by Cosmos DB's TTL as its `expires` says — and read as gone once past it, whatever the TTL
 * sweep has not removed yet.
 */
export interface ClientStore {
  create(client: RegisteredClient, now: number): Promise<void>;
  /** The client, or undefined when it was never registered or has expired. */
  read(clientId: string, now: number): Promise<RegisteredClient | undefined>;
  /** Keep the client until `expires` (an upsert of the same item with a new TTL). */
  extend(client: RegisteredClient, expires: number, now: number): Promise<void>;
}

/** The partition of the registered clients. */
export const CLIENTS_PARTITION = '~oauth-clients';
const itemId = (clientId: string) => `oauth-client|${clientId}`;

const row = (c: RegisteredClient, now: number): Record<string, unknown> => ({
  ...c,
  id: itemId(c.clientId),
  tenant: CLIENTS_PARTITION,
  kind: 'oauth-client',
  // Cosmos DB's TTL counts seconds from the item's last write (Learn, cosmos-db/time-to-live).
  ttl: Math.max(1, Math.ceil((c.expires - now) / 1000)),
});

function clientOf(r: Record<string, unknown>): RegisteredClient | undefined {
  const { clientId, clientName, redirectUris, grantTypes, issuedAt, expires } = r;
  if (r['kind'] !== 'oauth-client' || typeof clientId !== 'string') return undefined;
  if (typeof issuedAt !== 'number' || typeof expires !== 'number') return undefined;
  if (!Array.isArray(redirectUris) || !redirectUris.every((u) => typeof u === 'string'))
    return undefined;
  if (!Array.isArray(grantTypes)) return undefined;
  return {
    clientId,
    redirectUris,
    grantTypes: grantTypes.filter(
      (g): g is GrantType => g === 'authorization_code' || g === 'refresh_token',
    ),
    issuedAt,
    expires,
    ...(typeof clientName === 'string' ? { clientName } : {}),
  };
}

/**
 * The {@link ClientStore} over the `members` container, every call with the runtime's deadline.
 *
 * @example
 * ```ts
 * const clients = cosmosClientStore(client.database('atakora').container('members'));
 * ```
 */
export function cosmosClientStore(
  container: Container,
  policy: CosmosCallPolicy = DEFAULT_COSMOS_POLICY,
): ClientStore {
  return {
    async create(client, now) {
      await callCosmos(policy, (abortSignal) =>
        container.items.create(row(client, now), { abortSignal }),
      );
    },
    async read(clientId, now) {
      const found = await readItemOrNone(container, policy, itemId(clientId), CLIENTS_PARTITION);
      const client = found ? clientOf(found) : undefined;
      return client && client.clientId === clientId && client.expires > now ? client : undefined;
    },
    async extend(client, expires, now) {
      await callCosmos(policy, (abortSignal) =>
        container.items.upsert(row({ ...client, expires }, now), { abortSignal }),
      );
    },
  };
}
