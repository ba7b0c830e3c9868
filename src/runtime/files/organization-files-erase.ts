import type { RuntimeFileStore } from '../../model/runtime-manifest.js';
import type { FileBlobs } from './blobs.js';
import { META, PENDING_PREFIX, STAGING_PREFIX, tenantFolder, URLS_PREFIX } from './layout.js';
import { isIsolated } from '../values/tenancy.js';

/**
 * Delete every blob of `tenant` in one FileStore, through the store's own blob client (the one its routes use): an
 * isolated store's served files, staged uploads and upload records (its folder under each prefix); a shared store's
 * files the organization completed (`creatortid`). Left behind, an isolated store's folder would be served again to a
 * new organization given the same id. Idempotent (a blob already gone counts as deleted by another run); how many
 * blobs this call deleted.
 *
 * @example
 * ```ts
 * await eraseOrganizationFiles(store, blobsFor(store), 'acme'); // 3
 * ```
 */
export async function eraseOrganizationFiles(
  store: RuntimeFileStore,
  blobs: FileBlobs,
  tenant: string,
): Promise<number> {
  const folder = tenantFolder({ id: tenant, source: 'membership' });
  const isolated = isIsolated(store);
  const prefixes = isolated
    ? [
        folder,
        `${STAGING_PREFIX}/${folder}`,
        `${PENDING_PREFIX}/${folder}`,
        `${URLS_PREFIX}/${folder}`,
      ]
    : [tenantFolder(undefined)];
  let deleted = 0;
  for (const prefix of prefixes)
    for await (const blob of blobs.container.listBlobsFlat({
      prefix: `${prefix}/`,
      includeMetadata: true,
    })) {
      if (!isolated && blob.metadata?.[META.creator] !== tenant) continue;
      const gone = await blobs.container.deleteBlob(blob.name).then(
        () => true,
        (e: unknown) => {
          if ((e as { statusCode?: unknown }).statusCode !== 404) throw e;
          return false;
        },
      );
      if (gone) deleted++;
    }
  return deleted;
}
