import type { ContainerClient } from '@azure/storage-blob';
import { UPLOAD_URL_MINUTES } from '../../contract/files.js';
import { CHECKING, META, uploadPaths } from './layout.js';

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

/**
 * How long a declared upload may be completed: its URL's lifetime and an hour more (a slow completion, a retry).
 * Past it the upload has expired: completing it is 404, and the runtime removes it (the staged bytes first) the
 * next time its caller declares one, or the account's lifecycle rule does within a day or two.
 */
export const PENDING_MINUTES = UPLOAD_URL_MINUTES + 60;

/** One pending record as listed: its id, and when Blob Storage created it (the server's clock). */
export interface Listed {
  readonly id: string;
  readonly created: number;
}

/**
 * A caller's pending uploads, oldest first, after removing the expired ones (their staged bytes, any served copy
 * left in `checking`, then the record: a record exists as long as anything of its upload may).
 *
 * @example
 * ```ts
 * const live = await livePending(container, 'tenant-a', 'alice', Date.now(), signal);
 * ```
 */
export async function livePending(
  container: ContainerClient,
  folder: string,
  caller: string | undefined,
  now: number,
  signal: () => AbortSignal,
): Promise<Listed[]> {
  const { pendingPrefix } = uploadPaths(folder, caller, 'x');
  const listed: Listed[] = [];
  for await (const b of container.listBlobsFlat({
    prefix: pendingPrefix,
    abortSignal: signal(),
  })) {
    const created = (b.properties.createdOn ?? b.properties.lastModified).getTime();
    listed.push({ id: b.name.slice(pendingPrefix.length), created });
  }
  const live: Listed[] = [];
  for (const p of listed) {
    if (now - p.created > PENDING_MINUTES * 60_000)
      await discardUpload(container, folder, caller, p.id, signal);
    else live.push(p);
  }
  return live.sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Remove everything of an upload that is not a completed file: the staged bytes, a served copy still being
 * checked, and (last) its pending record.
 *
 * @example
 * ```ts
 * await discardUpload(container, 'tenant-a', 'alice', id, signal);
 * ```
 */
export async function discardUpload(
  container: ContainerClient,
  folder: string,
  caller: string | undefined,
  id: string,
  signal: () => AbortSignal,
): Promise<void> {
  const paths = uploadPaths(folder, caller, id);
  await container.getBlockBlobClient(paths.staging).deleteIfExists({ abortSignal: signal() });
  const served = container.getBlockBlobClient(paths.served);
  try {
    const props = await served.getProperties({ abortSignal: signal() });
    if (props.metadata?.[META.state] === CHECKING)
      await served.deleteIfExists({ conditions: { ifMatch: props.etag! }, abortSignal: signal() });
  } catch (e) {
    const status = (e as { statusCode?: number }).statusCode;
    // Gone, or changed since (a completion that just finished): either way not ours to remove.
    if (status !== 404 && status !== 412) throw e;
  }
  await container.getBlockBlobClient(paths.pending).deleteIfExists({ abortSignal: signal() });
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
