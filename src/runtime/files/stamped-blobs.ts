import type { ContainerClient } from '@azure/storage-blob';

/** A runtime-written record blob as listed: its name, the upload id and time its metadata carry, its ETag. */
export interface StampedBlob {
  readonly blob: string;
  readonly id: string;
  /** Epoch ms of the metadata's time; 0 when unreadable (as old as can be: only the runtime writes here). */
  readonly at: number;
  readonly etag: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * The record blobs under `prefix`, oldest first by the time in metadata key `timeKey` (the runtime's clock, not
 * the blob's), with the upload id in `idKey`. Pending records and upload URL records are both listed this way.
 *
 * @example
 * ```ts
 * const records = await listStamped(container, urlsPrefix, 'uploadid', 'issuedon', signal);
 * ```
 */
export async function listStamped(
  container: ContainerClient,
  prefix: string,
  idKey: string,
  timeKey: string,
  signal: () => AbortSignal,
): Promise<StampedBlob[]> {
  const out: StampedBlob[] = [];
  for await (const b of container.listBlobsFlat({
    prefix,
    includeMetadata: true,
    abortSignal: signal(),
  })) {
    const metadata = b.metadata ?? {};
    const at = Date.parse(metadata[timeKey] ?? '');
    out.push({
      blob: b.name,
      id: metadata[idKey] ?? '',
      at: Number.isNaN(at) ? 0 : at,
      etag: b.properties.etag ?? '',
      metadata,
    });
  }
  return out.sort((a, b) => a.at - b.at);
}
