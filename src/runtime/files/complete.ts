import type { HttpResponseInit } from '@azure/functions';
import type { ContainerClient } from '@azure/storage-blob';
import { contentTypeAllowed, type FileMetadata, mediaTypeOf } from '../../contract/files.js';
import type { RuntimeFileStore } from '../../model/runtime-manifest.js';
import { jsonResponse, problemResponse } from '../http/response.js';
import { CHECKING, COMPLETE, META, uploadPaths } from './layout.js';
import {
  discardUpload,
  findPending,
  type Listed,
  PENDING_MINUTES,
  type PendingUpload,
} from './pending.js';
import { SNIFF_BYTES, sniffRefusal } from './sniff.js';

/** What a completion works with: the store, its container, the caller's folder and id, a deadline per call. */
export interface CompletionContext {
  readonly store: RuntimeFileStore;
  readonly container: ContainerClient;
  readonly folder: string;
  readonly callerId: string | undefined;
  readonly signal: () => AbortSignal;
  readonly now: () => number;
  /** The plan's storage quota for `bytes` more, held while the copy runs: its 403, or undefined (none, or room). */
  readonly quota?: (bytes: number) => Promise<HttpResponseInit | undefined>;
  /** The file's bytes now stored (the usage ledger's count), called once per file by the completion that won. */
  readonly stored?: (bytes: number) => void;
  /** A shared store's: the directory completing it, recorded as the file's creator (whose bytes it is). */
  readonly creator?: string;
}

/** How long a completion waits for Blob Storage to finish its copy. */
const COPY_TIMEOUT_MS = 120_000;
/** A served copy left in `checking` this long is a completion that died midway: the next one replaces it. */
const ABANDONED_CHECK_MS = 5 * 60_000;

/**
 * `POST …/{id}/complete`. The staged blob is only ever a source: the runtime copies it (server-side, with its own
 * identity, only if it is still the version whose size and type were checked: `x-ms-source-if-match`) to the
 * served path no SAS reaches, checks the copy's length and first bytes, and then writes what is served — content
 * type, name, owner, dates, state — itself. One completion wins the copy (`If-None-Match: *` on the served path);
 * a concurrent one gets the same 200 once the winner finished, or 409 `upload-in-progress` while it runs.
 *
 * @example
 * ```ts
 * const response = await completeUpload(ctx, id, metadataOf);
 * ```
 */
export async function completeUpload(
  ctx: CompletionContext,
  id: string,
  served: (id: string) => Promise<FileMetadata | undefined>,
): Promise<HttpResponseInit> {
  const { store, container, folder, callerId, signal } = ctx;
  const paths = uploadPaths(folder, callerId, id);
  const found = await findPending(container, folder, callerId, id, signal);
  if (!found) {
    // Completed already (by this call's twin, or a retry): the same answer; else nothing of the caller's.
    const done = await served(id);
    return done
      ? jsonResponse(200, done)
      : problemResponse('not-found', `No ${store.entityName} upload ${id}.`);
  }
  const { pending, listed } = found;
  const discard = () => discardUpload(container, folder, callerId, id, ctx.now(), signal, listed);
  if (ctx.now() - Date.parse(pending.createdOn) > PENDING_MINUTES * 60_000) {
    await discard();
    return problemResponse(
      'not-found',
      `The ${store.entityName} upload ${id} expired (uploads are completed within ` +
        `${String(PENDING_MINUTES)} minutes of their declaration); declare it again.`,
    );
  }
  const staging = container.getBlockBlobClient(paths.staging);
  const staged = await orMissing(staging.getProperties({ abortSignal: signal() }));
  if (!staged)
    return problemResponse(
      'upload-missing',
      `Nothing was uploaded for ${store.entityName} ${id}: PUT the file to its uploadUrl first, then complete it.`,
    );
  // Cheap checks on the staged blob's properties first (no copy of a 5 GB blob that is refused anyway); the
  // copy's own length is checked again below, since only the copy is the runtime's.
  const refusal = checkUpload(store, pending, staged.contentLength ?? 0, staged.contentType ?? '');
  if (refusal) {
    await discard();
    return refusal;
  }
  // The plan's storageMb with the real size, before anything is copied: the upload stays declared (staged
  // bytes are the runtime's until it expires), so once the tenant freed space completing it again succeeds.
  const over = await ctx.quota?.(staged.contentLength ?? 0);
  if (over) return over;
  const target = container.getBlockBlobClient(paths.served);
  const createdOn = new Date(ctx.now()).toISOString();
  const metadata: Record<string, string> = {
    [META.name]: encodeURIComponent(pending.name),
    [META.type]: pending.contentType,
    [META.created]: createdOn,
    [META.state]: CHECKING,
    ...(pending.ownerId !== undefined ? { [META.owner]: pending.ownerId } : {}),
    ...(ctx.creator !== undefined ? { [META.creator]: ctx.creator } : {}),
  };
  const copied = await copyOnce(ctx, target, staging.url, staged.etag!, metadata);
  if (copied === 'source-changed')
    return inProgress(store, id, 'the upload was written again while it was being completed');
  if (copied === 'exists') {
    // A twin completion copied first: its answer once done; its copy, finished and still being checked, is
    // finished here too (the same checks, the same writes: either may end it); a copy still running is 409.
    const done = await served(id);
    if (done) return jsonResponse(200, done);
    const twin = await orMissing(target.getProperties({ abortSignal: signal() }));
    if (twin?.metadata?.[META.state] !== CHECKING || twin.copyStatus !== 'success')
      return inProgress(store, id, 'another completion of it is running');
    Object.assign(metadata, twin.metadata);
  }
  try {
    return await finish(ctx, id, target, metadata, pending, listed);
  } catch (e) {
    // A twin finishing the same copy, or a delete, changed it between two calls: the same 409 as a running twin.
    const status = statusOf(e);
    if (status === 404 || status === 409 || status === 412)
      return inProgress(store, id, 'another completion or a delete changed it meanwhile');
    throw e;
  }
}

/** Check the served copy (length, first bytes), then write what is served; refusals remove every trace. */
async function finish(
  ctx: CompletionContext,
  id: string,
  target: ReturnType<ContainerClient['getBlockBlobClient']>,
  metadata: Record<string, string>,
  pending: PendingUpload,
  listed: Listed,
): Promise<HttpResponseInit> {
  const { store, container, folder, callerId, signal } = ctx;
  const discard = () => discardUpload(container, folder, callerId, id, ctx.now(), signal, listed);
  const props = await target.getProperties({ abortSignal: signal() });
  const length = props.contentLength ?? 0;
  const head =
    length === 0
      ? Buffer.alloc(0)
      : await target.downloadToBuffer(0, Math.min(SNIFF_BYTES, length), {
          abortSignal: signal(),
        });
  const sniffed = sniffRefusal(pending.contentType, head);
  const afterCopy =
    checkUpload(store, pending, props.contentLength ?? 0, pending.contentType) ??
    (sniffed
      ? problemResponse(
          'file-type-refused',
          `The file was declared ${JSON.stringify(pending.contentType)} but its content ${sniffed}. ` +
            'It was not kept.',
        )
      : undefined);
  if (afterCopy) {
    await discard();
    return afterCopy;
  }
  // The served blob's own headers are the runtime's too (downloads also fix them in the SAS: rsct, rscd).
  await target.setHTTPHeaders(
    { blobContentType: pending.contentType },
    { conditions: { ifMatch: props.etag! }, abortSignal: signal() },
  );
  // Only one completion passes the conditional write above (a twin's fails on the etag): counted once.
  ctx.stored?.(length);
  await target.setMetadata({ ...metadata, [META.state]: COMPLETE }, { abortSignal: signal() });
  await discardUpload(container, folder, callerId, id, ctx.now(), signal, listed);
  return jsonResponse(200, {
    id,
    name: pending.name,
    contentType: pending.contentType,
    size: length,
    createdOn: metadata[META.created] ?? '',
    ...(pending.ownerId !== undefined ? { ownerId: pending.ownerId } : {}),
  } satisfies FileMetadata);
}

/**
 * Copy the staged blob to the served path: only the checked version (`sourceIfMatch`), only if nothing is served
 * there (`ifNoneMatch: '*'`). Copy Blob within one account is authorized by the caller's own token for the source
 * too (no SAS on the source: Learn, "Copy Blob", Authorization: https://learn.microsoft.com/rest/api/storageservices/copy-blob#authorization,
 * whose permissions are blobs/write on the destination and blobs/read on the source); the poller waits for an
 * asynchronous copy to finish. A copy that failed, or one pending past {@link ABANDONED_CHECK_MS}, is replaced once.
 */
async function copyOnce(
  ctx: CompletionContext,
  target: ReturnType<ContainerClient['getBlockBlobClient']>,
  source: string,
  etag: string,
  metadata: Record<string, string>,
): Promise<'copied' | 'exists' | 'source-changed'> {
  for (let attempt = 0; ; attempt++) {
    try {
      // Its own deadline: a large copy may outlast one storage call's (the host gives an HTTP request 230 s).
      const poller = await target.beginCopyFromURL(source, {
        metadata,
        conditions: { ifNoneMatch: '*' },
        sourceConditions: { ifMatch: etag },
        intervalInMs: 500,
        abortSignal: AbortSignal.timeout(COPY_TIMEOUT_MS),
      });
      await poller.pollUntilDone();
      return 'copied';
    } catch (e) {
      const status = statusOf(e);
      if (status !== 409 && status !== 412) throw e;
      const existing = await orMissing(target.getProperties({ abortSignal: ctx.signal() }));
      if (!existing) return 'source-changed';
      // A copy that failed, or one still pending long after it began, is replaced; a finished one is the twin's.
      const stale =
        existing.metadata?.[META.state] === CHECKING &&
        (existing.copyStatus === 'failed' ||
          existing.copyStatus === 'aborted' ||
          (existing.copyStatus !== 'success' &&
            ctx.now() - (existing.lastModified?.getTime() ?? 0) > ABANDONED_CHECK_MS));
      if (!stale || attempt > 0) return 'exists';
      await orMissing(
        target.delete({ conditions: { ifMatch: existing.etag! }, abortSignal: ctx.signal() }),
      );
    }
  }
}

/** The limits on an upload: size within maxSizeMb, an accepted type, and the one declared — else the 4xx. */
function checkUpload(
  store: RuntimeFileStore,
  pending: PendingUpload,
  size: number,
  contentType: string,
): HttpResponseInit | undefined {
  const type = mediaTypeOf(contentType);
  if (size > store.maxSizeBytes)
    return problemResponse(
      'file-too-large',
      `The file is ${String(size)} bytes; ${store.entityName} files may be at most ` +
        `${String(store.maxSizeBytes)} bytes. It was not kept.`,
    );
  if (!contentTypeAllowed(type, store.contentTypes))
    return problemResponse(
      'file-type-refused',
      `The file was stored as ${JSON.stringify(type)}, which ${store.entityName} files may not be ` +
        `(${(store.contentTypes ?? []).join(', ')}). It was not kept.`,
    );
  if (size !== pending.size || type !== pending.contentType)
    return problemResponse(
      'upload-mismatch',
      `The stored file (${String(size)} bytes, ${JSON.stringify(type)}) is not the one declared ` +
        `(${String(pending.size)} bytes, ${JSON.stringify(pending.contentType)}). It was not kept.`,
    );
  return undefined;
}

function inProgress(store: RuntimeFileStore, id: string, why: string): HttpResponseInit {
  return problemResponse(
    'upload-in-progress',
    `${store.entityName} ${id} cannot be completed now: ${why}. Complete it again in a moment.`,
    { headers: { 'Retry-After': '1' } },
  );
}

/** The status of a storage error, if it has one. */
export function statusOf(e: unknown): number | undefined {
  const s = (e as { statusCode?: unknown } | null)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

/** The value, or undefined when the blob is not there (404); anything else is thrown on. */
export async function orMissing<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw e;
  }
}
