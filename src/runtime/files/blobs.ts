import type { TokenCredential } from '@azure/identity';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import {
  BlobSASPermissions,
  BlobServiceClient,
  type ContainerClient,
  generateBlobSASQueryParameters,
  SASProtocol,
  type StoragePipelineOptions,
  type UserDelegationKey,
} from '@azure/storage-blob';
import { AtakoraError } from '../../model/errors.js';
import { httpsSetting, requiredSetting } from '../settings/app-settings.js';
import type { RuntimeFileStore, RuntimeManifest } from '../../model/runtime-manifest.js';
import { DEV_BLOB_ORIGIN_SETTING } from './dev-blob-origin.js';

export { DEV_BLOB_ORIGIN_SETTING } from './dev-blob-origin.js';

/**
 * What a FileStore's handlers need of Blob Storage: its container (as the component's own identity, which holds
 * Storage Blob Data Contributor there) and a signer of user-delegation SAS URLs for one blob.
 *
 * @example
 * ```ts
 * const url = await blobs.sign('tenant-a/6f1…', { permissions: 'cw', minutes: 15, contentType: 'image/png' });
 * ```
 */
export interface FileBlobs {
  readonly container: ContainerClient;
  sign(blobName: string, options: SignOptions): Promise<{ url: string; expiresOn: Date }>;
}

/** One SAS: its permissions (`cw` to upload, `r` to download), lifetime and the response headers it fixes. */
export interface SignOptions {
  readonly permissions: 'cw' | 'r';
  readonly minutes: number;
  /** `rsct`: the Content-Type a download answers with. */
  readonly contentType?: string;
  /** `rscd`: the Content-Disposition a download answers with. */
  readonly contentDisposition?: string;
}

/**
 * Options of {@link createFileBlobsResolver}.
 *
 * @example
 * ```ts
 * const resolver = createFileBlobsResolver(manifest, process.env, { credential: new DefaultAzureCredential() });
 * ```
 */
export interface FileBlobsOptions {
  /** Default: the component's managed identity (its client id setting), else `DefaultAzureCredential`. */
  readonly credential?: TokenCredential;
  /** Pipeline options of every blob client (tests pass an HTTP client that trusts a local certificate). */
  readonly pipeline?: StoragePipelineOptions;
  /** The clock (tests). */
  readonly now?: () => Date;
}

/**
 * The blob side of every FileStore in the manifest, from the app settings it names: the blob endpoint of the
 * files account and the container, reached with the component's identity (like the Cosmos DB resolver).
 *
 * @example
 * ```ts
 * const blobsFor = createFileBlobsResolver(manifest, process.env);
 * for (const store of manifest.fileStores ?? []) blobsFor(store); // one FileBlobs per FileStore
 * ```
 */
export function createFileBlobsResolver(
  manifest: RuntimeManifest,
  env: Readonly<Record<string, string | undefined>>,
  options: FileBlobsOptions = {},
): (store: RuntimeFileStore) => FileBlobs {
  // One credential for every store without a client id of its own, made when the first needs it.
  let shared = options.credential;
  const out = new Map<RuntimeFileStore, FileBlobs>();
  for (const store of manifest.fileStores ?? []) {
    // User-delegation keys are issued over HTTPS only (Learn, "Get User Delegation Key": "HTTPS is required").
    const url = httpsSetting(env, store.settings.endpoint, store, 'blob endpoint');
    const containerName = requiredSetting(env, store.settings.container, store, 'container name');
    const clientId = store.settings.clientId ? env[store.settings.clientId]?.trim() : undefined;
    const credential =
      !options.credential && clientId
        ? new ManagedIdentityCredential({ clientId })
        : (shared ??= new DefaultAzureCredential());
    const service = new BlobServiceClient(url.href, credential, options.pipeline);
    out.set(
      store,
      fileBlobs(
        service,
        service.getContainerClient(containerName),
        options.now ?? (() => new Date()),
        browserOrigin(env),
      ),
    );
  }
  return (store) => {
    const blobs = out.get(store);
    if (!blobs)
      throw new AtakoraError(
        'RUNTIME_CONFIG_INVALID',
        `No blob container resolved for ${store.componentId}.`,
      );
    return blobs;
  };
}

/** How long one user-delegation key is asked for, and how much of it must be left to sign with it. */
const KEY_HOURS = 6;
const KEY_MARGIN_MS = 30 * 60 * 1000;

/**
 * A container and its signer. The user-delegation key (Learn, "Create a user delegation SAS":
 * https://learn.microsoft.com/rest/api/storageservices/create-user-delegation-sas) is asked for once and reused
 * until half an hour before it expires: one Get User Delegation Key per few hours, not one per upload. A SAS never
 * outlives its key, and is signed for one blob (`sr=b`), HTTPS only in Azure.
 */
function fileBlobs(
  service: BlobServiceClient,
  container: ContainerClient,
  now: () => Date,
  origin?: string,
): FileBlobs {
  let key: Promise<UserDelegationKey> | undefined;
  let keyExpires = 0;
  const delegationKey = (at: Date): Promise<UserDelegationKey> => {
    if (!key || keyExpires - at.getTime() < KEY_MARGIN_MS) {
      // Started a few minutes back: clocks differ (the key's start is checked by the service).
      const start = new Date(at.getTime() - 5 * 60 * 1000);
      const expiry = new Date(at.getTime() + KEY_HOURS * 3600 * 1000);
      keyExpires = expiry.getTime();
      key = service.getUserDelegationKey(start, expiry).then(
        (k) => k,
        (e: unknown) => {
          key = undefined;
          throw e;
        },
      );
    }
    return key;
  };
  const https = new URL(service.url).protocol === 'https:';
  return {
    container,
    async sign(blobName, o) {
      const at = now();
      const expiresOn = new Date(at.getTime() + o.minutes * 60 * 1000);
      const sas = generateBlobSASQueryParameters(
        {
          containerName: container.containerName,
          blobName,
          permissions: BlobSASPermissions.parse(o.permissions),
          expiresOn,
          protocol: https ? SASProtocol.Https : SASProtocol.HttpsAndHttp,
          ...(o.contentType ? { contentType: o.contentType } : {}),
          ...(o.contentDisposition ? { contentDisposition: o.contentDisposition } : {}),
        },
        await delegationKey(at),
        service.accountName,
      );
      const blob = new URL(container.getBlockBlobClient(blobName).url);
      return { url: `${origin ?? blob.origin}${blob.pathname}?${sas.toString()}`, expiresOn };
    },
  };
}

/**
 * The origin browsers get in SAS URLs instead of the blob endpoint's: only ever a loopback `http://127.0.0.1:<port>`,
 * so a stray setting in Azure can never send an upload anywhere but the storage account.
 */
function browserOrigin(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const value = env[DEV_BLOB_ORIGIN_SETTING]?.trim();
  if (!value) return undefined;
  if (!/^http:\/\/127\.0\.0\.1:\d{1,5}$/.test(value)) {
    throw new AtakoraError(
      'RUNTIME_CONFIG_INVALID',
      `App setting ${DEV_BLOB_ORIGIN_SETTING} must be a loopback origin like http://127.0.0.1:10000 (got ` +
        `${JSON.stringify(value)}).`,
      {
        path: ['appSettings', DEV_BLOB_ORIGIN_SETTING],
        resolution: `Remove ${DEV_BLOB_ORIGIN_SETTING}: only atakora dev sets it.`,
      },
    );
  }
  return value;
}
