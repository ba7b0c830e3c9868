import type { Agent } from 'node:http';
import https from 'node:https';
import { CosmosClient } from '@azure/cosmos';

/**
 * The server's bundled certificate has expired, so the test client (and only it) skips verification
 * through its own agent — never a process-wide switch.
 */
export function testAgent(): https.Agent {
  return new https.Agent({ rejectUnauthorized: false, keepAlive: true });
}

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
