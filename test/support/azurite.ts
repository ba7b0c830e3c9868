import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { spawnAzurite } from '../../src/cli/dev/storage/azurite.js';

/**
 * Azurite (the npm `azurite` package) on 127.0.0.1 with a port of its own: blob service over HTTPS with OAuth
 * on (`--oauth basic`, which Azurite takes only over HTTPS; its README, "OAuth Configuration"), which is
 * what Get User Delegation Key needs. The certificate is the local Cosmos DB server's self-signed one: clients
 * of this loopback service skip certificate checks (NODE_TLS_REJECT_UNAUTHORIZED, restored by `stop`).
 */
export interface LocalAzurite {
  /** `https://127.0.0.1:<port>/devstoreaccount1/` (the service started: blob by default). */
  readonly blobEndpoint: string;
  /** The same endpoint, by the name that reads right for the queue service. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

export async function startAzurite(service: 'blob' | 'queue' = 'blob'): Promise<LocalAzurite> {
  const main = join(
    dirname(require.resolve('azurite/package.json')),
    `dist/src/${service}/main.js`,
  );
  const certDir = dirname(require.resolve('@vercel/cosmosdb-server/package.json'));
  const { child, port, cwd: location } = await spawnAzurite(main, certDir, service);
  const previous = process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
  process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
  return {
    blobEndpoint: `https://127.0.0.1:${String(port)}/devstoreaccount1/`,
    endpoint: `https://127.0.0.1:${String(port)}/devstoreaccount1/`,
    async stop() {
      if (previous === undefined) delete process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
      else process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = previous;
      if (child.exitCode === null)
        await new Promise<void>((r) => {
          child.once('exit', () => {
            r();
          });
          child.kill('SIGTERM');
        });
      rmSync(location, { recursive: true, force: true });
    },
  };
}

/**
 * An Entra-shaped access token for Azurite's basic OAuth (it checks issuer, audience and lifetime, not the
 * signature), as a managed identity of `oid` in directory `tid` would present one.
 */
export function azuriteCredential(
  oid = '11111111-1111-1111-1111-111111111111',
  tid = '22222222-2222-2222-2222-222222222222',
): TokenCredential {
  return {
    getToken(): Promise<AccessToken> {
      const now = Math.floor(Date.now() / 1000);
      const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const token = `${part({ alg: 'none', typ: 'JWT' })}.${part({ aud: 'https://storage.azure.com', iss: `https://sts.windows.net/${tid}/`, nbf: now - 60, iat: now - 60, exp: now + 3600, oid, tid })}.`;
      return Promise.resolve({ token, expiresOnTimestamp: (now + 3600) * 1000 });
    },
  };
}
