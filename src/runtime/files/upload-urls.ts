import type { ContainerClient } from '@azure/storage-blob';
import { UPLOAD_URL_MINUTES } from '../../contract/files.js';
import { type CallerUploads, PENDING_MINUTES, recordsPrefix, uploadPaths } from './layout.js';
import { deleteUnchanged, listStamped, statusOf, takeFreeSlot } from './stamped-blobs.js';

/**
 * The upload URLs a caller holds. A SAS cannot be taken back: an upload URL writes its staging blob for its whole
 * 15 minutes, after the upload was completed or withdrawn too (Learn, "Create a user delegation SAS": a SAS is
 * revoked only with every key of the account). So each URL handed out gets a record in one of the caller's
 * numbered slots (`~urls/<folder>/<caller>/<slot>`, layout.ts), taken create-if-absent before the URL is signed and
 * freed only once the URL has expired and its staging blob has been deleted after that. Every staging blob then
 * belongs to a held record, and a caller can never hold more staged blobs than slots
 * (`uploadUrlsPerCaller(maxPendingUploads)`), whatever it does with old URLs. A finished upload's record is
 * `closed`: its staging blob is deleted at every sweep — the caller's next declaration, completion or withdrawal —
 * so what an old URL writes after completion is gone at the caller's next step, and for good once it expired.
 */

/** Record metadata (the runtime's own; no SAS reaches `~urls/`). */
const URL_META = { id: 'uploadid', at: 'issuedon', state: 'state' } as const;
const OPEN = 'open';
const CLOSED = 'closed';

/**
 * Margin on a URL's expiry for the clocks of the runtime, which signs it (`se`), and of Blob Storage, which checks
 * it: a record is freed only this long after its URL should have expired.
 */
const CLOCK_MARGIN_MS = 5 * 60_000;

/** One upload URL record as listed. */
export interface UrlRecord {
  readonly blob: string;
  readonly id: string;
  /** When the URL was handed out (the runtime's clock, ms). */
  readonly issued: number;
  readonly closed: boolean;
  readonly etag: string;
}

/**
 * Whether a URL can still write: until its expiry and the clock margin.
 *
 * @example
 * ```ts
 * urlAlive(record, Date.now()); // true for 20 minutes after it was handed out
 * ```
 */
export function urlAlive(record: Pick<UrlRecord, 'issued'>, now: number): boolean {
  return now - record.issued <= UPLOAD_URL_MINUTES * 60_000 + CLOCK_MARGIN_MS;
}

/** A record whose upload is over: closed by the runtime, or past the time it could still be completed. */
function finished(record: UrlRecord, now: number): boolean {
  return record.closed || now - record.issued > PENDING_MINUTES * 60_000;
}

/** The upload URL records under `prefix` (one caller's: layout.ts recordsPrefix), oldest first. */
const listUrls = async (container: ContainerClient, prefix: string, signal: () => AbortSignal) =>
  (await listStamped(container, prefix, URL_META, signal)).map(
    (b): UrlRecord => ({
      blob: b.blob,
      id: b.id,
      issued: b.at,
      closed: b.metadata[URL_META.state] !== OPEN,
      etag: b.etag,
    }),
  );

/**
 * Delete what finished uploads' URLs wrote (their staging blobs), free the records whose URL has expired (staging
 * blob first, then the record: the blob is deleted after the last moment it could be written), and return the
 * records still held, oldest first. `listed`: the caller's records as just read (else they are listed here).
 *
 * @example
 * ```ts
 * const held = await sweepUrls(container, 'tenant-a', 'alice', Date.now(), signal);
 * if (held.length >= uploadUrlsPerCaller(max)) return tooMany(held);
 * ```
 */
export async function sweepUrls(
  at: CallerUploads,
  now: number,
  listed?: readonly UrlRecord[],
): Promise<UrlRecord[]> {
  const { container, folder, caller, signal } = at;
  const held: UrlRecord[] = [];
  for (const r of listed ??
    (await listUrls(container, recordsPrefix('urls', folder, caller), signal))) {
    if (!finished(r, now)) {
      held.push(r);
      continue;
    }
    await container
      .getBlockBlobClient(uploadPaths(folder, caller, r.id).staging)
      .deleteIfExists({ abortSignal: signal() });
    if (urlAlive(r, now)) {
      held.push(r);
      continue;
    }
    // Taken again meanwhile by a concurrent declaration: not ours to free.
    await deleteUnchanged(container, r.blob, r.etag, signal);
  }
  return held;
}

/**
 * Record an upload URL in a free slot of the caller's `max` before it is signed: each slot is taken with
 * create-if-absent (`If-None-Match: *`), so concurrent declarations never hold more than `max`. Undefined when
 * every slot is held.
 *
 * @example
 * ```ts
 * const record = await claimUrl(container, 'tenant-a', 'alice', 20, held, id, Date.now(), signal);
 * ```
 */
export async function claimUrl(
  at: CallerUploads,
  max: number,
  held: readonly UrlRecord[],
  id: string,
  now: number,
): Promise<UrlRecord | undefined> {
  const { container, folder, caller, signal } = at;
  const { urlsPrefix } = uploadPaths(folder, caller, id);
  const issued = new Date(now).toISOString();
  return takeFreeSlot(urlsPrefix, max, new Set(held.map((r) => r.blob)), async (blob) => {
    const written = await container.getBlockBlobClient(blob).upload('', 0, {
      conditions: { ifNoneMatch: '*' },
      metadata: { [URL_META.id]: id, [URL_META.at]: issued, [URL_META.state]: OPEN },
      abortSignal: signal(),
    });
    return { blob, id, issued: now, closed: false, etag: written.etag ?? '' };
  });
}

/**
 * Free a record whose URL was never signed (the declaration failed after taking it).
 *
 * @example
 * ```ts
 * await releaseUrl(container, record, signal);
 * ```
 */
export async function releaseUrl(at: CallerUploads, record: UrlRecord): Promise<void> {
  const { container, signal } = at;
  await deleteUnchanged(container, record.blob, record.etag, signal);
}

/**
 * Mark an upload's URL record closed (its upload completed, refused, withdrawn, expired or deleted), then sweep the
 * caller's records: the staging blobs of every finished upload go, this one's included.
 *
 * @example
 * ```ts
 * await closeUrl(container, 'tenant-a', 'alice', id, Date.now(), signal);
 * ```
 */
export async function closeUrl(at: CallerUploads, id: string, now: number): Promise<void> {
  const { container, folder, caller, signal } = at;
  const records: UrlRecord[] = [];
  for (const r of await listUrls(container, recordsPrefix('urls', folder, caller), signal)) {
    if (r.id !== id || r.closed) {
      records.push(r);
      continue;
    }
    try {
      const written = await container.getBlockBlobClient(r.blob).setMetadata(
        {
          [URL_META.id]: r.id,
          [URL_META.at]: new Date(r.issued).toISOString(),
          [URL_META.state]: CLOSED,
        },
        { conditions: { ifMatch: r.etag }, abortSignal: signal() },
      );
      records.push({ ...r, closed: true, etag: written.etag ?? r.etag });
    } catch (e) {
      const status = statusOf(e);
      // Freed or taken again since it was listed: nothing of this upload's is left to close.
      if (status !== 404 && status !== 412) throw e;
    }
  }
  await sweepUrls(at, now, records);
}

/**
 * Seconds until the first held URL record can be freed (the `Retry-After` of a 429), at least 1: a finished
 * upload's once its URL expired, an open one's once it could no longer be completed (sooner if it is).
 *
 * @example
 * ```ts
 * urlRetryAfterSeconds(held, Date.now()); // e.g. 1140
 * ```
 */
export function urlRetryAfterSeconds(held: readonly UrlRecord[], now: number): number {
  const freed = held.map((r) =>
    finished(r, now)
      ? r.issued + UPLOAD_URL_MINUTES * 60_000 + CLOCK_MARGIN_MS
      : r.issued + PENDING_MINUTES * 60_000,
  );
  const first = freed.length > 0 ? Math.min(...freed) : now;
  return Math.max(1, Math.ceil((first - now) / 1000));
}
