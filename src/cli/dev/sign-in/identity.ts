import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { devIdentityToken } from '../../azure/dev-credential.js';

// The dev identity: what the workers' managed identity is under `atakora dev`. A loopback endpoint plays App
// Service's managed-identity endpoint (`IDENTITY_ENDPOINT`/`IDENTITY_HEADER`,
// learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference) and hands out tokens
// Azurite's OAuth takes; the local Cosmos DB server reads none of them.

export { devIdentityToken };

/**
 * App Service's managed-identity endpoint, locally: a token for any resource to a caller holding the secret
 * header; `stop()` closes it.
 *
 * @example
 * ```ts
 * const identity = await startIdentityEndpoint(); // worker env: IDENTITY_ENDPOINT, IDENTITY_HEADER
 * ```
 */
export async function startIdentityEndpoint(): Promise<{
  server: Server;
  endpoint: string;
  secret: string;
}> {
  const secret = `dev-${String(process.pid)}-${String(Date.now())}`;
  const server = createServer((req, res) => {
    if (req.headers['x-identity-header'] !== secret) {
      res.writeHead(401).end();
      return;
    }
    const resource = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('resource') ?? '';
    const expires = Math.floor(Date.now() / 1000) + 3600;
    res.writeHead(200, { 'content-type': 'application/json' });
    // Entra-shaped: Azurite's OAuth checks issuer, audience and lifetime (cli/dev/storage/azurite.ts); Cosmos reads none of it.
    res.end(
      JSON.stringify({
        access_token: devIdentityToken(resource),
        expires_on: String(expires),
        resource,
        token_type: 'Bearer',
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    endpoint: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/msi/token`,
    secret,
  };
}
