/**
 * The FileStore contract: its routes, the bodies they take and answer, the SAS lifetimes and the problems it
 * adds. Read by the runtime, the planner's routes and OpenAPI, and the client; one home, like the CRUD contract.
 */

/** How long an upload URL is good for: long enough for a large file on a slow link, short enough to leak little. */
export const UPLOAD_URL_MINUTES = 15;
/** How long a download URL is good for: it is fetched right away by the page that asked. */
export const DOWNLOAD_URL_MINUTES = 5;
/** The largest `maxSizeMb`: one Put Blob takes up to 5000 MiB (Learn, "Put Blob", Remarks). */
export const MAX_FILE_SIZE_MB = 5000;
/** Declared but not completed uploads one caller may have at a time (a FileStore's `maxPendingUploads`). */
export const DEFAULT_MAX_PENDING_UPLOADS = 10;
/**
 * Upload URLs one caller may hold at a time — declared in the last 15 minutes, or not yet completed — whatever
 * became of their uploads: twice `maxPendingUploads` (20 by default). An upload URL writes its staging blob for
 * its whole lifetime, even after the upload is completed or withdrawn, so this, not `maxPendingUploads`, bounds
 * how many staged blobs a caller can hold (docs/files.md, "What a caller can leave behind").
 *
 * @example
 * ```ts
 * uploadUrlsPerCaller(10); // 20
 * ```
 */
export function uploadUrlsPerCaller(maxPendingUploads: number): number {
  return 2 * maxPendingUploads;
}
/** The most a FileStore may set `maxPendingUploads` to. */
export const MAX_PENDING_UPLOADS = 1000;
/** The longest file name kept (a blob metadata value; the whole metadata set is limited to 8 KiB). */
export const MAX_FILE_NAME_LENGTH = 255;

/**
 * The routes of a FileStore under `api/` (the host adds `api/`).
 *
 * @example
 * ```ts
 * fileRoutes('attachments'); // { collection: 'attachments', item: 'attachments/{id}', complete: 'attachments/{id}/complete' }
 * ```
 */
export function fileRoutes(route: string): { collection: string; item: string; complete: string } {
  return { collection: route, item: `${route}/{id}`, complete: `${route}/{id}/complete` };
}

/**
 * `POST api/<route>`: what the client declares about the file it is about to upload.
 *
 * @example
 * ```ts
 * const body: FileUploadRequest = { name: 'scan.pdf', contentType: 'application/pdf', size: 48213 };
 * ```
 */
export interface FileUploadRequest {
  readonly name: string;
  readonly contentType: string;
  /** Bytes. */
  readonly size: number;
}

/**
 * `POST api/<route>` → 201: where to PUT the bytes (`x-ms-blob-type: BlockBlob`), until `expiresOn`.
 *
 * @example
 * ```ts
 * const upload: FileUpload = {
 *   id: '6f1c…',
 *   uploadUrl: 'https://stapp.blob.core.windows.net/attachments/tenant/6f1c…?sp=cw&sig=…',
 *   expiresOn: '2026-11-24T10:15:00.000Z',
 * };
 * // then: PUT the bytes to upload.uploadUrl with x-ms-blob-type: BlockBlob, and POST …/{id}/complete
 * ```
 */
export interface FileUpload {
  readonly id: string;
  /** A user-delegation SAS URL for this one blob: create and write only. */
  readonly uploadUrl: string;
  /** ISO 8601. */
  readonly expiresOn: string;
}

/**
 * A stored file's metadata (`POST …/{id}/complete`, `GET api/<route>`).
 *
 * @example
 * ```ts
 * const meta: FileMetadata = {
 *   id: '6f1…',
 *   name: 'scan.pdf',
 *   contentType: 'application/pdf',
 *   size: 48213,
 *   createdOn: '2026-11-24T10:00:00.000Z',
 * };
 * ```
 */
export interface FileMetadata {
  readonly id: string;
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  readonly createdOn: string;
  /** The uploader's `oid` (when the caller was signed in). */
  readonly ownerId?: string;
}

/**
 * `GET api/<route>/{id}` → 200: the metadata and a read-only URL of the bytes, good until `expiresOn`.
 *
 * @example
 * ```ts
 * const file: FileWithUrl = {
 *   id: '6f1c…',
 *   name: 'scan.pdf',
 *   contentType: 'application/pdf',
 *   size: 48213,
 *   createdOn: '2026-11-24T10:00:00.000Z',
 *   downloadUrl: 'https://stapp.blob.core.windows.net/attachments/tenant/6f1c…?sp=r&sig=…',
 *   expiresOn: '2026-11-24T10:05:00.000Z',
 * };
 * ```
 */
export interface FileWithUrl extends FileMetadata {
  readonly downloadUrl: string;
  readonly expiresOn: string;
}

/**
 * Whether a media type is accepted by a list of types (`image/png`, `image/*`); an empty or absent list takes any.
 * Parameters (`; charset=…`) are ignored and the comparison is case-insensitive (RFC 9110 §8.3.1).
 *
 * @example
 * ```ts
 * contentTypeAllowed('image/PNG', ['image/*']); // true
 * contentTypeAllowed('text/html', ['image/*']); // false
 * ```
 */
export function contentTypeAllowed(
  contentType: string,
  allowed: readonly string[] | undefined,
): boolean {
  if (!allowed || allowed.length === 0) return true;
  const type = mediaTypeOf(contentType);
  return allowed.some((a) => {
    const want = a.toLowerCase();
    return want.endsWith('/*') ? type.startsWith(want.slice(0, -1)) : type === want;
  });
}

/**
 * The bare media type of a Content-Type value, lower case (`Image/PNG; x=1` → `image/png`).
 *
 * @example
 * ```ts
 * mediaTypeOf('text/plain; charset=utf-8'); // 'text/plain'
 * ```
 */
export function mediaTypeOf(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/** A media type as `type/subtype` (RFC 9110 §8.3.1 tokens), or `type/*` in a FileStore's list. */
export const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/(?:[a-z0-9!#$&^_.+-]+|\*)$/i;

/**
 * Characters a file name may not hold, beyond C0 controls: C1 controls (U+0080–U+009F), the line and paragraph
 * separators (U+2028, U+2029) and the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069), which make a name display as something else (`invoice\u202Efdp.exe` shows as `invoiceexe.pdf`;
 * Unicode TR #36 §2.1: https://www.unicode.org/reports/tr36/#Bidirectional_Text_Spoofing).
 */
const UNSAFE_NAME_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/**
 * The first character a file name may not hold: its 1-based position (in characters, not UTF-16 units) and its
 * code point as `U+XXXX`, or undefined when there is none.
 *
 * @example
 * ```ts
 * unsafeFileNameCharacter('invoice\u202Efdp.exe'); // { position: 8, codePoint: 'U+202E' }
 * unsafeFileNameCharacter('scan.pdf');              // undefined
 * ```
 */
export function unsafeFileNameCharacter(
  name: string,
): { position: number; codePoint: string } | undefined {
  let position = 0;
  for (const ch of name) {
    position += 1;
    // A string's iterator yields whole code points, never an empty one.
    const code = ch.codePointAt(0);
    if (code !== undefined && UNSAFE_NAME_CHARACTER.test(ch)) {
      const hex = code.toString(16).toUpperCase().padStart(4, '0');
      return { position, codePoint: `U+${hex}` };
    }
  }
  return undefined;
}
