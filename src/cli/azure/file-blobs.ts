import type { TokenCredential } from '@azure/identity';
import type { ContainerClient } from '@azure/storage-blob';
import { blobServiceUrl } from './endpoints.js';

/** One blob of a FileStore's container: its name, properties and metadata. */
export interface StoredBlob {
  readonly name: string;
  readonly contentType?: string;
  readonly size: number;
  readonly metadata: Readonly<Record<string, string>>;
}

/** What the tenant commands do with a FileStore's container (Blob Storage, the deployer's identity). */
export interface FileBlobSide {
  list(prefix: string): Promise<StoredBlob[]>;
  read(name: string): Promise<Buffer>;
  /** Create the blob unless one of that name exists; true when created. */
  createIfAbsent(
    name: string,
    bytes: Buffer,
    contentType: string | undefined,
    metadata: Readonly<Record<string, string>>,
  ): Promise<boolean>;
  /** Delete the blob (and its snapshots); true when it was there. */
  remove(name: string): Promise<boolean>;
}

const statusOf = (e: unknown): unknown => (e as { statusCode?: unknown }).statusCode;

/**
 * A FileStore's container in a storage account, as the deployer (Entra: Storage Blob Data Contributor on it):
 * `https://<account>.blob.core.windows.net/<container>`, or `ATAKORA_BLOB_ENDPOINT` (`{account}`: its name). The
 * SDK is loaded on first use.
 *
 * @example
 * ```ts
 * const side = await fileBlobSide('stbackendprod', 'attachments', deployerCredential(process.env), process.env);
 * ```
 */
export async function fileBlobSide(
  account: string,
  container: string,
  credential: TokenCredential,
  env: NodeJS.ProcessEnv,
): Promise<FileBlobSide> {
  const { BlobServiceClient } = await import('@azure/storage-blob');
  return containerSide(
    new BlobServiceClient(blobServiceUrl(account, env), credential).getContainerClient(container),
  );
}

/**
 * What the tenant commands do, on one container client (Azure's, or `atakora dev`'s Azurite: cli/azure/local-storage.ts).
 *
 * @example
 * ```ts
 * const side = containerSide(service.getContainerClient('attachments'));
 * ```
 */
export function containerSide(c: ContainerClient): FileBlobSide {
  return {
    async list(prefix) {
      const out: StoredBlob[] = [];
      for await (const b of c.listBlobsFlat({ prefix, includeMetadata: true }))
        out.push({
          name: b.name,
          ...(b.properties.contentType ? { contentType: b.properties.contentType } : {}),
          size: b.properties.contentLength ?? 0,
          metadata: { ...(b.metadata ?? {}) },
        });
      return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    async read(name) {
      return c.getBlobClient(name).downloadToBuffer();
    },
    async createIfAbsent(name, bytes, contentType, metadata) {
      try {
        await c.getBlockBlobClient(name).uploadData(bytes, {
          conditions: { ifNoneMatch: '*' },
          metadata: { ...metadata },
          ...(contentType ? { blobHTTPHeaders: { blobContentType: contentType } } : {}),
        });
        return true;
      } catch (e) {
        if (statusOf(e) === 409 || statusOf(e) === 412) return false;
        throw e;
      }
    },
    async remove(name) {
      try {
        await c.getBlobClient(name).delete({ deleteSnapshots: 'include' });
        return true;
      } catch (e) {
        if (statusOf(e) === 404) return false;
        throw e;
      }
    },
  };
}
