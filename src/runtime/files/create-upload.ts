import type { HttpResponseInit } from '@azure/functions';
import type { RuntimeFileStore } from '../../model/runtime-manifest.js';
import { UPLOAD_URL_MINUTES } from '../../contract/files.js';
import { readJsonObject } from '../http/body.js';
import { jsonResponse, problemResponse } from '../http/response.js';
import type { FileBlobs } from './blobs.js';
import { checkDeclaration } from './declaration.js';
import type { FileCall } from './file-call.js';
import { uploadPaths } from './layout.js';
import { claimSlot, livePending, type PendingUpload, retryAfterSeconds } from './pending.js';
import {
  claimUrl,
  releaseUrl,
  sweepUrls,
  type UrlRecord,
  urlRetryAfterSeconds,
} from './upload-urls.js';

/**
 * What a declaration works with: the store, its blobs, the budgets of one caller (declared uploads not completed,
 * upload URLs of the last minutes), the id maker, the clock and a deadline per call.
 *
 * @example
 * ```ts
 * const routes: UploadRoutes = new FileStoreRoutes(store, blobs, options);
 * ```
 */
export interface UploadRoutes {
  readonly store: RuntimeFileStore;
  readonly blobs: FileBlobs;
  readonly container: FileBlobs['container'];
  readonly generateId: () => string;
  readonly now: () => number;
  readonly maxPending: number;
  readonly maxUrls: number;
  readonly signal: () => AbortSignal;
}

/**
 * `POST api/<route>`: declare an upload (name, media type, size) and get a URL to upload it to — within the plan's
 * storage quota and the caller's budgets of declared uploads and upload URLs, each taken create-if-absent so that
 * concurrent declarations never pass them.
 *
 * @example
 * ```ts
 * return await createUpload(this, call);
 * ```
 */
export async function createUpload(routes: UploadRoutes, a: FileCall): Promise<HttpResponseInit> {
  const body = await readJsonObject(a.request);
  if (!body.ok) return body.response;
  const declared = checkDeclaration(routes.store, body.value);
  if (!declared.ok) return declared.response;
  // The declared size under the plan's storageMb (the completion checks the real one again).
  const over = await a.bytes.check(declared.value.size);
  if (over) return over;
  const caller = a.access.callerId;
  const tooManyUrls = (held: readonly UrlRecord[]) =>
    problemResponse(
      'too-many-uploads',
      `You hold ${String(routes.maxUrls)} ${routes.store.entityName} upload URLs from the last ` +
        `${String(UPLOAD_URL_MINUTES)} minutes or not yet completed, the most allowed: an upload URL counts ` +
        'until it expires, even once its upload is completed or deleted. Retry after the time given.',
      { headers: { 'Retry-After': String(urlRetryAfterSeconds(held, routes.now())) } },
    );
  const tooMany = (live: readonly { created: number }[]) =>
    problemResponse(
      'too-many-uploads',
      `You have ${String(routes.maxPending)} ${routes.store.entityName} uploads declared and not completed, the most ` +
        'allowed: complete or delete one, or wait until the oldest expires.',
      { headers: { 'Retry-After': String(retryAfterSeconds(live, routes.now())) } },
    );
  const live = await livePending(a.uploads, routes.now());
  // What finished uploads' URLs wrote is deleted first, whatever this declaration's answer (upload-urls.ts).
  const held = await sweepUrls(a.uploads, routes.now());
  if (live.length >= routes.maxPending) return tooMany(live);
  if (held.length >= routes.maxUrls) return tooManyUrls(held);
  const id = routes.generateId();
  const paths = uploadPaths(a.uploads.folder, caller, id);
  const pending: PendingUpload = {
    ...declared.value,
    ...(caller !== undefined ? { ownerId: caller } : {}),
    createdOn: new Date(routes.now()).toISOString(),
  };
  // Concurrent declarations may each have seen room: a URL record and a pending slot are each taken
  // create-if-absent, so at most maxUrls and maxPending stand, whatever the interleaving. The URL record comes
  // first: no URL is signed without one.
  const record = await claimUrl(a.uploads, routes.maxUrls, held, id, routes.now());
  if (!record) return tooManyUrls(held);
  if (!(await claimSlot(a.uploads, routes.maxPending, live, id, pending))) {
    await releaseUrl(a.uploads, record);
    return tooMany(live);
  }
  const sas = await routes.blobs.sign(paths.staging, {
    permissions: 'cw',
    minutes: UPLOAD_URL_MINUTES,
    contentType: declared.value.contentType,
  });
  return jsonResponse(
    201,
    { id, uploadUrl: sas.url, expiresOn: sas.expiresOn.toISOString() },
    { Location: `${routes.store.route}/${id}` },
  );
}
