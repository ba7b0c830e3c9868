import type { Agent } from 'node:http';
import { CosmosClient } from '@azure/cosmos';

/**
 * A real `@azure/cosmos` client of a local Cosmos DB protocol server at `endpoint`: any key string works against it,
 * and endpoint discovery is off (the local server has one region, reached at the address it was given). `agent`:
 * the caller's TLS trust (a CA, or none for the server's bundled certificate); without one the SDK's own agent.
 *
 * @example
 * ```ts
 * const client = localCosmosClient('https://127.0.0.1:8081/', new https.Agent({ rejectUnauthorized: false }));
 * ```
 */
export function localCosmosClient(endpoint: string, agent?: Agent): CosmosClient {
  return new CosmosClient({
    endpoint,
    key: 'dGVzdA==',
    ...(agent ? { agent } : {}),
    connectionPolicy: { enableEndpointDiscovery: false },
  });
}
