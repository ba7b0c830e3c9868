import { blobServiceUrl } from './endpoints.js';
import { azureOk, azureRequest } from './http.js';

/** The Blob service REST version the calls below speak (https://learn.microsoft.com/rest/api/storageservices/versioning-for-the-azure-storage-services). */
const STORAGE_VERSION = '2023-11-03';

/** One blob of an account, and the Storage token to reach it with (audience `AUDIENCES.storage`). */
export interface BlobRef {
  readonly account: string;
  readonly container: string;
  readonly blob: string;
  readonly token: string;
  readonly env?: NodeJS.ProcessEnv;
}

const urlOf = (b: BlobRef) =>
  `${blobServiceUrl(b.account, b.env ?? process.env)}/${b.container}/${b.blob}`;

/**
 * Put Blob (https://learn.microsoft.com/rest/api/storageservices/put-blob) of a zip package: `Content-MD5` checks
 * the bytes in transit, `x-ms-blob-content-md5` stores the hash as the blob's property for {@link blobMd5}'s
 * check. Throws an AzureRequestError on a non-2xx.
 *
 * @example
 * ```ts
 * await putZipBlob({ account, container, blob, token }, bytes, md5Base64);
 * ```
 */
export async function putZipBlob(
  ref: BlobRef,
  bytes: Uint8Array,
  md5Base64: string,
): Promise<void> {
  await azureOk({
    service: 'Storage',
    what: `uploading ${ref.account}/${ref.container}/${ref.blob}`,
    url: urlOf(ref),
    method: 'PUT',
    token: ref.token,
    body: bytes,
    headers: {
      'x-ms-version': STORAGE_VERSION,
      'x-ms-blob-type': 'BlockBlob',
      'content-type': 'application/zip',
      'content-md5': md5Base64,
      'x-ms-blob-content-md5': md5Base64,
    },
    timeoutMs: 120_000,
  });
}

/**
 * The MD5 a blob's properties hold (Get Blob Properties: HEAD), with the status: `{ status: 404 }` when there is
 * no such blob.
 *
 * @example
 * ```ts
 * (await blobMd5(ref)).md5 === md5Base64;
 * ```
 */
export async function blobMd5(
  ref: BlobRef,
): Promise<{ readonly status: number; readonly md5: string | undefined }> {
  const head = await azureRequest({
    service: 'Storage',
    what: `reading ${ref.account}/${ref.container}/${ref.blob}`,
    url: urlOf(ref),
    method: 'HEAD',
    token: ref.token,
    headers: { 'x-ms-version': STORAGE_VERSION },
  });
  return { status: head.status, md5: head.headers.get('content-md5') ?? undefined };
}
