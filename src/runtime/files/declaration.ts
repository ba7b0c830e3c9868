import type { HttpResponseInit } from '@azure/functions';
import type { RuntimeFileStore } from '../../model/runtime-manifest.js';
import {
  contentTypeAllowed,
  type FileMetadata,
  MAX_FILE_NAME_LENGTH,
  MEDIA_TYPE,
  mediaTypeOf,
  unsafeFileNameCharacter,
} from '../../contract/files.js';
import { refused } from '../http/response.js';
import type { Resolved } from '../http/scope.js';
import { isWellFormed } from '../values/text-checks.js';

// What a FileStore's upload declaration must be, and the metadata its routes answer with.

/**
 * A file's metadata as the routes answer it (the owner only when recorded).
 *
 * @example
 * ```ts
 * metadataOf(id, 'a.png', 'image/png', 120, createdOn, undefined);
 * ```
 */
export function metadataOf(
  id: string,
  name: string,
  contentType: string,
  size: number,
  createdOn: string,
  ownerId: string | undefined,
): FileMetadata {
  return { id, name, contentType, size, createdOn, ...(ownerId !== undefined ? { ownerId } : {}) };
}

/**
 * The declared upload, checked: a name, an accepted media type, a size within the limit — else the 4xx.
 *
 * @example
 * ```ts
 * const declared = checkDeclaration(store, { name: 'a.png', contentType: 'image/png', size: 120 });
 * ```
 */
export function checkDeclaration(
  store: RuntimeFileStore,
  body: Record<string, unknown>,
): Resolved<{ name: string; contentType: string; size: number }> {
  const unknown = Object.keys(body).filter((k) => !['name', 'contentType', 'size'].includes(k));
  const { name, contentType, size } = body;
  if (unknown.length)
    return invalidFile(
      `Unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: send { name, contentType, size }.`,
    );
  if (
    typeof name !== 'string' ||
    name.trim() === '' ||
    name.length > MAX_FILE_NAME_LENGTH ||
    !isWellFormed(name)
  ) {
    return invalidFile(
      `name must be a file name of 1 to ${String(MAX_FILE_NAME_LENGTH)} characters without control characters.`,
    );
  }
  const unsafe = unsafeFileNameCharacter(name);
  if (unsafe)
    return invalidFile(
      `name holds ${unsafe.codePoint} at character ${String(unsafe.position)}: file names may not hold control ` +
        'characters, line or paragraph separators, or bidirectional overrides and isolates (which make a ' +
        'name display as another).',
    );
  if (
    typeof contentType !== 'string' ||
    !MEDIA_TYPE.test(mediaTypeOf(contentType)) ||
    mediaTypeOf(contentType).endsWith('/*')
  )
    return invalidFile('contentType must be a media type such as image/png.');
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
    return invalidFile("size must be the file's length in bytes (an integer, 0 or more).");
  if (size > store.maxSizeBytes)
    return refused(
      'file-too-large',
      `The file is ${String(size)} bytes; ${store.entityName} files may be at most ` +
        `${String(store.maxSizeBytes)} bytes.`,
    );
  const type = mediaTypeOf(contentType);
  if (!contentTypeAllowed(type, store.contentTypes)) {
    return refused(
      'file-type-refused',
      `${store.entityName} files may not be ${JSON.stringify(type)}; accepted: ` +
        `${(store.contentTypes ?? []).join(', ')}.`,
    );
  }
  return { ok: true, value: { name: name.trim(), contentType: type, size } };
}

function invalidFile(detail: string): { ok: false; response: HttpResponseInit } {
  return refused('invalid-file', detail);
}

/**
 * A percent-encoded name as it was given; the text itself when it does not decode.
 *
 * @example
 * ```ts
 * safeDecode('a%20b.png'); // 'a b.png'
 * ```
 */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
