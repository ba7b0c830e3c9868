import type { TokenCredential } from '@azure/identity';
import { AzureKeyCredential, WebPubSubServiceClient } from '@azure/web-pubsub';

/**
 * What the runtime asks of Azure Web PubSub (or of `atakora dev`'s loopback hub, which speaks the same REST API):
 * send one JSON message to a group, and mint a client URL. Tests pass their own.
 *
 * @example
 * ```ts
 * const sent: string[] = [];
 * const service: RealtimeService = {
 *   send: async (group) => { sent.push(group); },
 *   clientUrl: async () => 'ws://127.0.0.1:1/client/hubs/atakora?access_token=x',
 * };
 * ```
 */
export interface RealtimeService {
  /** POST `…/groups/{group}/:send` with a JSON body and an optional OData `filter` (Web PubSub REST API). */
  send(group: string, data: object, filter?: string): Promise<void>;
  /** A WebSocket URL with an access token for these groups, no roles, expiring in `minutes`. */
  clientUrl(options: {
    readonly userId?: string;
    readonly groups: readonly string[];
    readonly minutes: number;
  }): Promise<string>;
  /**
   * Close every connection in `group` (`POST …/groups/{group}/:closeConnections`, Web PubSub REST API): a
   * suspended tenant's sockets (each token lists its tenant's group, audience.ts `tenantGroup`).
   */
  closeGroup?(group: string, reason: string): Promise<void>;
}

/**
 * Where and as whom the runtime reaches its Web PubSub: the endpoint (`https://<name>.webpubsub.azure.com`, or
 * the loopback hub's `http://127.0.0.1:<port>`), the hub, and either the managed identity (Azure: local auth is
 * off, so tokens come from the service's `:generateToken` and REST calls carry Entra tokens) or the dev hub's key.
 */
export interface RealtimeServiceOptions {
  readonly endpoint: string;
  readonly hub: string;
  readonly credential: TokenCredential | { readonly key: string };
}

/**
 * The {@link RealtimeService} of `@azure/web-pubsub`: with an identity, client tokens are minted by the service
 * (`POST /api/hubs/{hub}/:generateToken`, so the runtime never holds a key); with a key (the dev hub only), the SDK
 * signs them itself as Web PubSub's key mode does.
 *
 * @example
 * <!-- snippet: no-run (needs a Web PubSub and an identity holding Web PubSub Service Owner) -->
 * ```ts
 * import { ManagedIdentityCredential } from '@azure/identity';
 * const service = webPubSubService({
 *   endpoint: 'https://wps-backend-prod-k3x9a1.webpubsub.azure.com',
 *   hub: 'atakora',
 *   credential: new ManagedIdentityCredential({ clientId: process.env.NOTE_API_AZURE_CLIENT_ID ?? '' }),
 * });
 * ```
 */
export function webPubSubService(options: RealtimeServiceOptions): RealtimeService {
  const credential =
    'key' in options.credential
      ? new AzureKeyCredential(options.credential.key)
      : options.credential;
  const client = new WebPubSubServiceClient(options.endpoint, credential, options.hub, {
    // The dev hub listens on plain http on loopback; Azure's endpoint is https.
    allowInsecureConnection: options.endpoint.startsWith('http://'),
    // One attempt: a late event is worth less than the next write's, and a client re-lists after a gap.
    retryOptions: { maxRetries: 0 },
  });
  return {
    async send(group, data, filter) {
      await client.group(group).sendToAll(data, filter === undefined ? {} : { filter });
    },
    async clientUrl({ userId, groups, minutes }) {
      const token = await client.getClientAccessToken({
        ...(userId === undefined ? {} : { userId }),
        groups: [...groups],
        roles: [],
        expirationTimeInMinutes: minutes,
      });
      return token.url;
    },
    async closeGroup(group, reason) {
      await client.group(group).closeAllConnections({ reason });
    },
  };
}
