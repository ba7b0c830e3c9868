import { createHash } from 'node:crypto';
import type { Tenant } from '../values/tenancy.js';
import { UPLOAD_URL_MINUTES } from '../../contract/files.js';

/**
 * Where a FileStore's blobs live in its container, and who writes each:
 * - `<folder>/<id>`: a served file. Written by the runtime only (a server-side copy after its checks); no SAS
 *   it hands out can write there (downloads are `r`).
 * - `~staging/<folder>/<id>`: what the client PUT through its upload URL (`cw` for that one blob). Never listed,
 *   never served, never believed: its bytes are checked once copied, its properties and metadata never read.
 * - `~pending/<folder>/<caller>/<slot>`: the runtime's record of a declared upload (its id, name, type, size,
 *   owner), in one of the caller's `maxPendingUploads` numbered slots: taking a slot is a create-if-absent, so
 *   concurrent declarations can never hold more than the limit.
 * - `~urls/<folder>/<caller>/<slot>`: the runtime's record of an upload URL it handed out (upload id, when, open
 *   or closed), in one of the caller's numbered slots, held until the URL has expired and its staging blob is
 *   gone: every staging blob belongs to one, so their number bounds what a caller can stage.
 *
 * Why the split: a blob SAS with `w` writes "content, properties, metadata, or block list" (Learn, "Create a
 * user delegation SAS", permissions table: https://learn.microsoft.com/rest/api/storageservices/create-user-delegation-sas#specify-permissions),
 * so nothing on a blob an upload URL reaches may decide what is served.
 */
export const STAGING_PREFIX = '~staging';
/** See {@link STAGING_PREFIX}. */
export const PENDING_PREFIX = '~pending';
/** See {@link STAGING_PREFIX}: the records of the upload URLs a caller holds (upload-urls.ts). */
export const URLS_PREFIX = '~urls';

/**
 * How long a declared upload may be completed: its URL's lifetime and an hour more (a slow completion, a retry).
 * Past it the upload has expired: completing it is 404, and the runtime removes it (the staged bytes first) the
 * next time its caller declares one, or the account's lifecycle rule does within a day or two.
 */
export const PENDING_MINUTES = UPLOAD_URL_MINUTES + 60;

/** Blob metadata names on a served file (lower case: metadata names are C# identifiers, case-insensitive). */
export const META = {
  name: 'filename',
  owner: 'ownerid',
  created: 'createdon',
  state: 'state',
  type: 'mediatype',
  /** A shared store's file: the directory that completed it, whose stored bytes it counts for (file-bytes.ts). */
  creator: 'creatortid',
} as const;
/** The served file's state once its checks passed; `checking` while the runtime inspects the copy. */
export const COMPLETE = 'complete';
export const CHECKING = 'checking';

/**
 * The folder of a tenant's files. A tenant id of plain characters is its own folder (readable in the portal);
 * any other is hashed, with a `~` no plain id has, so two tenants never share a folder and none is `~pending`
 * or `~staging`.
 *
 * @example
 * ```ts
 * tenantFolder({ id: '72f988bf-86f1-41af-91ab-2d7cd011db47', source: '' }); // '72f988bf-86f1-41af-91ab-2d7cd011db47'
 * tenantFolder(undefined);                                                  // '~shared'
 * ```
 */
export function tenantFolder(tenant: Tenant | undefined): string {
  if (tenant === undefined) return '~shared';
  return /^[A-Za-z0-9._-]{1,128}$/.test(tenant.id) && !/^\.+$/.test(tenant.id)
    ? tenant.id
    : `~${createHash('sha256').update(tenant.id).digest('hex')}`;
}

/**
 * The caller's part of a pending record's path: a hash of its `oid` (`~anyone` without one), so a prefix lists
 * one caller's pending uploads and no user id appears in a blob name.
 *
 * @example
 * ```ts
 * callerKey('alice'); // '2bd806c97f0e00af1a1fc3328fa763a9'
 * ```
 */
export function callerKey(callerId: string | undefined): string {
  if (callerId === undefined) return '~anyone';
  return createHash('sha256').update(callerId).digest('hex').slice(0, 32);
}

/** The blob names of one upload: served, staged, and the caller's pending and URL record folders. */
export function uploadPaths(
  folder: string,
  caller: string | undefined,
  id: string,
): { served: string; staging: string; pendingPrefix: string; urlsPrefix: string } {
  return {
    served: `${folder}/${id}`,
    staging: `${STAGING_PREFIX}/${folder}/${id}`,
    pendingPrefix: `${PENDING_PREFIX}/${folder}/${callerKey(caller)}/`,
    urlsPrefix: `${URLS_PREFIX}/${folder}/${callerKey(caller)}/`,
  };
}
