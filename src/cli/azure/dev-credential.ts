import type { TokenCredential } from '@azure/identity';
import { AUDIENCES } from './endpoints.js';

// The dev identity's token lives here, beside the credential made of it, so that the tenant commands (`--local`)
// sign in to dev's Azurite as `atakora dev` does without reaching into the dev command's folders.

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

/** A dev identity's token for a resource, as `atakora dev`'s identity endpoint issues it (dev/sign-in/identity.ts). */
export type DevToken = (resource: string) => string;

/** The dev identity's token for Azure Storage, as a credential the storage clients take. */
export function devStorageCredential(token: DevToken): TokenCredential {
  return {
    getToken: () =>
      Promise.resolve({
        token: token(AUDIENCES.storage),
        expiresOnTimestamp: Date.now() + 3_600_000,
      }),
  };
}
