import type { StorageAccount } from '../../kit/cdktf/azurerm-types.js';
import type { ProvisionContext } from '../../kit/cdktf/provision-context.js';
import { SECURE_STORAGE_ACCOUNT } from '../../kit/cdktf/secure-storage.js';
import { isDataStorageKey } from '../../kit/pure/data-storage.js';

/**
 * The browser uploads and downloads a FileStore hands out go straight to the files account's blob endpoint, so
 * its CORS admits the origins the API admits (the backend's https sites and `corsOrigins`; cors.ts), for the SAS
 * requests only — PUT (upload), GET/HEAD (download), OPTIONS (preflight). Set here, where those origins are
 * known (the storage account is provisioned before the apps); with no origin, no rule (same-origin needs none).
 *
 * @example
 * ```ts
 * allowFilesCors(ctx, corsOriginsFor(ctx.plan, ctx.config, []));
 * ```
 */
export function allowFilesCors(ctx: ProvisionContext, origins: readonly string[]): void {
  const allowed = origins.filter((o) => o !== '*');
  if (allowed.length === 0) return;
  for (const r of ctx.plan.resources) {
    if (r.type !== 'storage' || !isDataStorageKey(r.key)) continue;
    const account = ctx.constructs.get(r.key) as StorageAccount | undefined;
    account?.putBlobProperties({
      ...SECURE_STORAGE_ACCOUNT.blobProperties,
      corsRule: [
        {
          allowedOrigins: [...allowed],
          allowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT'],
          allowedHeaders: [
            'content-type',
            'x-ms-blob-type',
            'x-ms-blob-content-type',
            'x-ms-client-request-id',
            'x-ms-version',
          ],
          exposedHeaders: ['content-length', 'content-type', 'etag', 'x-ms-request-id'],
          maxAgeInSeconds: 3600,
        },
      ],
    });
  }
}
