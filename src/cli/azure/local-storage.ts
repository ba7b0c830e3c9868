import { BlobServiceClient, type StoragePipelineOptions as BlobOptions } from '@azure/storage-blob';
import {
  QueueServiceClient,
  type StoragePipelineOptions as QueueOptions,
} from '@azure/storage-queue';
import { devIdentityToken, devStorageCredential, type DevToken } from './dev-credential.js';
import { containerSide, type FileBlobSide } from './file-blobs.js';

/**
 * The Storage calls `atakora dev` makes on its local Azurite services: containers, CORS and the lifecycle sweep
 * of the blob service, queues of the queue service. The clients sign in with the dev identity's token (OAuth on,
 * as in Azure: never an account key) and trust the session's loopback certificate with checks on.
 */

/**
 * Storage client options that trust the session's loopback certificate, with certificate checks on: the
 * pipeline's `tlsOptions` become each request's `tlsSettings`, whose `ca` the Node HTTP client gives its agent
 * (@azure/core-rest-pipeline `createPipelineFromOptions` → `tlsPolicy`; `TlsSettings.ca`). Without a certificate
 * (a caller that starts Azurite on the packages' own, expired one) {@link withoutTlsChecks} is the fallback.
 */
function trusting(ca: string | undefined): BlobOptions & QueueOptions {
  // `tlsOptions` is core-client's pipeline option, passed through by the storage pipeline (getCoreClientOptions
  // spreads the pipeline's options into createClientPipeline) but not declared on StoragePipelineOptions.
  return (ca ? { tlsOptions: { ca } } : {}) as BlobOptions & QueueOptions;
}

/** Run with certificate checks off, for a caller without the loopback certificate only; restores the setting. */
async function withoutTlsChecks<T>(run: () => Promise<T>): Promise<T> {
  const previous = process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
  process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
  try {
    return await run();
  } finally {
    if (previous === undefined) delete process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
    else process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = previous;
  }
}

/** What dev asks of Azurite's blob service. */
export interface LocalBlobService {
  /** Create a container (if missing). */
  createContainer(name: string): Promise<void>;
  /** Let these browser origins PUT and GET blobs. */
  allowOrigins(origins: readonly string[]): Promise<void>;
  /** Delete blobs under `prefix` created more than `days` before `now`; returns their names (`container/blob`). */
  deleteOlderThan(container: string, prefix: string, days: number, now: number): Promise<string[]>;
  /** Delete every container and the CORS rules: the account as Azurite started it, for the next session. */
  empty(): Promise<void>;
}

/**
 * A client of a local blob service (`https://127.0.0.1:<port>/devstoreaccount1/`) as the dev identity.
 *
 * @example
 * ```ts
 * const blobs = localBlobService(endpoint, devIdentityToken, tls.cert);
 * await blobs.createContainer('attachments');
 * ```
 */
export function localBlobService(
  endpoint: string,
  token: DevToken,
  ca: string | undefined,
): LocalBlobService {
  const service = new BlobServiceClient(endpoint, devStorageCredential(token), trusting(ca));
  const run = <T>(call: () => Promise<T>): Promise<T> => (ca ? call() : withoutTlsChecks(call));
  return {
    createContainer: (name) =>
      run(async () => {
        await service.getContainerClient(name).createIfNotExists();
      }),
    allowOrigins: (origins) =>
      run(async () => {
        if (origins.length === 0) return;
        await service.setProperties({
          cors: [
            {
              allowedOrigins: origins.join(','),
              allowedMethods: 'GET,HEAD,OPTIONS,PUT',
              allowedHeaders: '*',
              exposedHeaders: '*',
              maxAgeInSeconds: 3600,
            },
          ],
        });
      }),
    deleteOlderThan: (name, prefix, days, now) =>
      run(async () => {
        const deleted: string[] = [];
        const container = service.getContainerClient(name);
        for await (const b of container.listBlobsFlat({ prefix })) {
          const created = (b.properties.createdOn ?? b.properties.lastModified).getTime();
          if (now - created <= days * 24 * 3_600_000) continue;
          await container.getBlockBlobClient(b.name).deleteIfExists();
          deleted.push(`${name}/${b.name}`);
        }
        return deleted;
      }),
    empty: () =>
      run(async () => {
        for await (const c of service.listContainers()) await service.deleteContainer(c.name);
        await service.setProperties({ cors: [] });
      }),
  };
}

/**
 * A client of a local queue service as the dev identity: create a queue (if missing).
 *
 * @example
 * ```ts
 * await localQueueService(endpoint, devIdentityToken, tls.cert).createQueue('orders');
 * ```
 */
export function localQueueService(
  endpoint: string,
  token: DevToken,
  ca: string | undefined,
): { createQueue(name: string): Promise<void> } {
  const service = new QueueServiceClient(endpoint, devStorageCredential(token), trusting(ca));
  const create = async (name: string) => {
    await service.getQueueClient(name).createIfNotExists();
  };
  return { createQueue: (name) => (ca ? create(name) : withoutTlsChecks(() => create(name))) };
}

/**
 * A FileStore's container in the running `atakora dev`'s Azurite, as the tenant commands reach it with `--local`:
 * the dev identity's token (OAuth, as dev's own clients sign in) over the session's loopback TLS, checks on.
 *
 * @example
 * ```ts
 * const side = localFileBlobSide(state.blobs.endpoint, 'attachments', state.blobs.ca);
 * ```
 */
export function localFileBlobSide(endpoint: string, container: string, ca: string): FileBlobSide {
  const service = new BlobServiceClient(
    endpoint,
    devStorageCredential(devIdentityToken),
    trusting(ca),
  );
  return containerSide(service.getContainerClient(container));
}
