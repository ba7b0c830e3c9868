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
 * The record blobs under `prefix`, oldest first by the time in metadata key `keys.at` (the runtime's clock, not
 * the blob's), with the upload id in `keys.id`. Pending records and upload URL records are both listed this way.
 *
 * @example
 * ```ts
 * const records = await listStamped(container, urlsPrefix, { id: 'uploadid', at: 'issuedon' }, signal);
 * ```
 */
export async function listStamped(
  container: ContainerClient,
  prefix: string,
  keys: { readonly id: string; readonly at: string },
  signal: () => AbortSignal,
): Promise<StampedBlob[]> {
  const out: StampedBlob[] = [];
  for await (const b of container.listBlobsFlat({
    prefix,
    includeMetadata: true,
    abortSignal: signal(),
  })) {
    const metadata = b.metadata ?? {};
    const at = Date.parse(metadata[keys.at] ?? '');
    out.push({
      blob: b.name,
      id: metadata[keys.id] ?? '',
      at: Number.isNaN(at) ? 0 : at,
      etag: b.properties.etag ?? '',
      metadata,
    });
  }
  return out.sort((a, b) => a.at - b.at);
}

/**
 * The HTTP status of a Blob Storage failure, or undefined for anything else.
 *
 * @example
 * ```ts
 * if (statusOf(e) === 404) return undefined;
 * ```
 */
export function statusOf(e: unknown): number | undefined {
  const s = (e as { statusCode?: unknown } | null)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

/**
 * Take the first free one of `max` numbered record slots under `prefix` (`<prefix>0`, `<prefix>1`, …), skipping
 * `taken`: `write` creates the slot's blob if absent (`If-None-Match: *`), so concurrent takers never hold one slot
 * twice; a slot taken meanwhile (409/412) passes to the next. Undefined when every slot is held.
 *
 * @example
 * ```ts
 * const record = await takeFreeSlot(urlsPrefix, 20, taken, (blob) => writeRecord(blob));
 * ```
 */
export async function takeFreeSlot<T>(
  prefix: string,
  max: number,
  taken: ReadonlySet<string>,
  write: (blob: string) => Promise<T>,
): Promise<T | undefined> {
  for (let slot = 0; slot < max; slot++) {
    const blob = `${prefix}${String(slot)}`;
    if (taken.has(blob)) continue;
    try {
      return await write(blob);
    } catch (e) {
      const status = statusOf(e);
      // Taken meanwhile by a concurrent declaration (or a record not yet freed): the next slot.
      if (status !== 409 && status !== 412) throw e;
    }
  }
  return undefined;
}

/** An If-Match no blob's version matches: a write conditional on a version the read did not give is refused (412). */
const NO_VERSION = '"atakora-no-version"';

/**
 * The version a conditional write names, from what a read answered: Blob Storage gives every blob an ETag; a read
 * without one makes the write fail on its condition (412), never an unconditional write.
 *
 * @example
 * ```ts
 * await blob.delete({ conditions: { ifMatch: versionOf(props) } });
 * ```
 */
export function versionOf(props: { readonly etag?: string | undefined }): string {
  return props.etag ?? NO_VERSION;
}

/**
 * Delete a record blob only in the version listed (`etag`): one taken again since (412) is not ours to free.
 *
 * @example
 * ```ts
 * await deleteUnchanged(container, record.blob, record.etag, signal);
 * ```
 */
export async function deleteUnchanged(
  container: ContainerClient,
  blob: string,
  etag: string,
  signal: () => AbortSignal,
): Promise<void> {
  try {
    await container
      .getBlockBlobClient(blob)
      .deleteIfExists({ conditions: { ifMatch: etag }, abortSignal: signal() });
  } catch (e) {
    if (statusOf(e) !== 412) throw e;
  }
}
