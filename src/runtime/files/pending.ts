import type { ContainerClient } from '@azure/storage-blob';
import {
  type CallerUploads,
  CHECKING,
  META,
  PENDING_MINUTES,
  recordsPrefix,
  uploadPaths,
} from './layout.js';
import {
  deleteUnchanged,
  listStamped,
  type StampedBlob,
  statusOf,
  takeFreeSlot,
} from './stamped-blobs.js';
import { closeUrl } from './upload-urls.js';

/**
 * What the runtime records when an upload is declared (the pending record's JSON). Written by the runtime only,
 * at a path no SAS reaches: the one source of the file's name, type, size and owner.
 */
export interface PendingUpload {
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  readonly ownerId?: string;
  readonly createdOn: string;
}

export { PENDING_MINUTES } from './layout.js';

/** Pending-record metadata (the runtime's own; the record's path is reached by no SAS). */
const SLOT_META = { id: 'uploadid', at: 'createdon' } as const;

/** One of a caller's pending records as listed: its slot's blob name, upload id, creation (runtime clock), ETag. */
export interface Listed {
  readonly blob: string;
  readonly id: string;
  readonly created: number;
  readonly etag: string;
}

/** A caller's pending record as listed. */
const listedOf = (b: StampedBlob): Listed => ({
  blob: b.blob,
  id: b.id,
  created: b.at,
  etag: b.etag,
});

/** The pending records under `prefix` (one caller's: layout.ts recordsPrefix), oldest first. */
const listPending = async (container: ContainerClient, prefix: string, signal: () => AbortSignal) =>
  (await listStamped(container, prefix, SLOT_META, signal)).map(listedOf);

/**
 * A caller's pending uploads that have not expired, oldest first, after removing the expired ones (their staged
 * bytes, any served copy left in `checking`, then the record: a record exists as long as anything of its
 * upload may).
 *
 * @example
 * ```ts
 * const live = await livePending(container, 'tenant-a', 'alice', Date.now(), signal);
 * ```
 */
export async function livePending(at: CallerUploads, now: number): Promise<Listed[]> {
  const { container, folder, caller, signal } = at;
  const live: Listed[] = [];
  for (const p of await listPending(container, recordsPrefix('pending', folder, caller), signal)) {
    if (now - p.created > PENDING_MINUTES * 60_000) await discardUpload(at, p.id, now, p);
    else live.push(p);
  }
  return live;
}

/**
 * Record a declared upload in a free slot of the caller's `max`: each slot is taken with create-if-absent
 * (`If-None-Match: *`), so of concurrent declarations only as many as there are free slots succeed.
 * False when every slot is taken.
 *
 * @example
 * ```ts
 * if (!(await claimSlot(container, 'tenant-a', 'alice', 10, live, id, pending, signal))) return tooMany();
 * ```
 */
export async function claimSlot(
  at: CallerUploads,
  max: number,
  live: readonly Listed[],
  id: string,
  pending: PendingUpload,
): Promise<boolean> {
  const { container, folder, caller, signal } = at;
  const { pendingPrefix } = uploadPaths(folder, caller, id);
  const marker = JSON.stringify(pending);
  const taken = await takeFreeSlot(
    pendingPrefix,
    max,
    new Set(live.map((p) => p.blob)),
    async (blob) => {
      await container.getBlockBlobClient(blob).upload(marker, Buffer.byteLength(marker), {
        conditions: { ifNoneMatch: '*' },
        metadata: { [SLOT_META.id]: id, [SLOT_META.at]: pending.createdOn },
        blobHTTPHeaders: { blobContentType: 'application/json' },
        abortSignal: signal(),
      });
      return true;
    },
  );
  return taken === true;
}

/**
 * A caller's pending record of one upload: its listing and its JSON, or undefined.
 *
 * @example
 * ```ts
 * const found = await findPending(container, 'tenant-a', 'alice', id, signal);
 * ```
 */
export async function findPending(
  at: CallerUploads,
  id: string,
): Promise<{ listed: Listed; pending: PendingUpload } | undefined> {
  const { container, folder, caller, signal } = at;
  const listed = (
    await listPending(container, recordsPrefix('pending', folder, caller), signal)
  ).find((p) => p.id === id);
  if (!listed) return undefined;
  try {
    const raw = await container.getBlockBlobClient(listed.blob).downloadToBuffer(0, undefined, {
      conditions: { ifMatch: listed.etag },
      abortSignal: signal(),
    });
    return { listed, pending: JSON.parse(raw.toString('utf8')) as PendingUpload };
  } catch (e) {
    const status = statusOf(e);
    // Removed or reused since it was listed (a concurrent completion or withdrawal).
    if (status === 404 || status === 412) return undefined;
    throw e;
  }
}

/**
 * Remove everything of an upload that is not a completed file: its URL record is closed (so whatever the URL writes
 * from now on is swept, upload-urls.ts), the staged bytes, a served copy still being checked, and (last) its
 * pending record — only that version of it, never a slot taken again since.
 *
 * @example
 * ```ts
 * await discardUpload(container, 'tenant-a', 'alice', id, Date.now(), signal);
 * ```
 */
export async function discardUpload(
  at: CallerUploads,
  id: string,
  now: number,
  record?: Listed,
): Promise<void> {
  const { container, folder, caller, signal } = at;
  const paths = uploadPaths(folder, caller, id);
  await closeUrl(at, id, now);
  await container.getBlockBlobClient(paths.staging).deleteIfExists({ abortSignal: signal() });
  const served = container.getBlockBlobClient(paths.served);
  try {
    const props = await served.getProperties({ abortSignal: signal() });
    if (props.metadata?.[META.state] === CHECKING && props.etag)
      await served.deleteIfExists({ conditions: { ifMatch: props.etag }, abortSignal: signal() });
  } catch (e) {
    const status = statusOf(e);
    // Gone, or changed since (a completion that just finished): either way not ours to remove.
    if (status !== 404 && status !== 412) throw e;
  }
  const own =
    record ??
    (await listPending(container, recordsPrefix('pending', folder, caller), signal)).find(
      (p) => p.id === id,
    );
  if (own) await deleteUnchanged(container, own.blob, own.etag, signal);
}

/**
 * Seconds until the oldest of a caller's pending uploads expires (the `Retry-After` of a 429), at least 1.
 *
 * @example
 * ```ts
 * retryAfterSeconds(live, Date.now()); // e.g. 4312
 * ```
 */
export function retryAfterSeconds(live: readonly { created: number }[], now: number): number {
  const oldest = live[0]?.created ?? now;
  return Math.max(1, Math.ceil((oldest + PENDING_MINUTES * 60_000 - now) / 1000));
}
