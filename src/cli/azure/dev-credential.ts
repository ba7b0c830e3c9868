import type { TokenCredential } from '@azure/identity';
import { AUDIENCES } from './endpoints.js';

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
