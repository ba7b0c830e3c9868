import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// The dev identity: what the workers' managed identity is under `atakora dev`. A loopback endpoint plays App
// Service's managed-identity endpoint (`IDENTITY_ENDPOINT`/`IDENTITY_HEADER`,
// learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference) and hands out tokens
// Azurite's OAuth takes; the local Cosmos DB server reads none of them.

/**
 * The token `atakora dev`'s identity endpoint issues: Entra-shaped (issuer, audience, lifetime, oid, tid) so
 * Azurite's OAuth takes it; unsigned, and the local Cosmos DB server reads none of it.
 *
 * @example
 * ```ts
 * devIdentityToken('https://storage.azure.com'); // 'eyJ…'
 * ```
 */
export function devIdentityToken(resource: string): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const tid = '00000000-0000-0000-0000-00000000d0e0';
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ aud: resource.replace(/\/\.default$/, '').replace(/\/$/, '') || 'https://storage.azure.com', iss: `https://sts.windows.net/${tid}/`, nbf: now - 300, iat: now - 300, exp: now + 3600, oid: '00000000-0000-0000-0000-0000000a7a40', tid })}.`;
}

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
