import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { problemResponse } from './http-response.js';
import { SYSTEM_FIELDS } from './system-fields.js';

/**
 * Largest request body accepted: 1 MiB. Cosmos allows 2 MB items, but an API body that large is almost
 * always a mistake, and the limit bounds the JSON parse. Oversized bodies get **400** (type
 * `urn:atakora:problem:body-too-large`) rather than 413 so that every malformed-body case shares one status.
 *
 * @example
 * ```ts
 * if (Buffer.byteLength(JSON.stringify(item)) > MAX_BODY_BYTES) throw new Error('item too large for the API');
 * ```
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A parsed body, or the error response to send instead. */
export type BodyResult = { ok: true; value: Record<string, unknown> } | { ok: false; response: HttpResponseInit };

function fail(slug: string, detail: string): BodyResult {
  return { ok: false, response: problemResponse(400, slug, detail) };
}

/**
 * Read the request body as one JSON object: at most {@link MAX_BODY_BYTES}, valid JSON, an object (not an
 * array, string or null). Cosmos system properties a client echoes back (`_etag`, `_ts`, …) are dropped.
 *
 * @example
 * ```ts
 * const body = await readJsonObject(request);
 * if (!body.ok) return body.response;
 * ```
 */
export async function readJsonObject(request: HttpRequest): Promise<BodyResult> {
  const declared = Number(request.headers.get('content-length') ?? 'NaN');
  if (declared > MAX_BODY_BYTES) return fail('body-too-large', `The body is over ${MAX_BODY_BYTES} bytes.`);
  const text = await request.text();
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    return fail('body-too-large', `The body is over ${MAX_BODY_BYTES} bytes.`);
  }
  if (text.trim() === '') return fail('body-missing', 'A JSON object body is required.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return fail('body-not-json', `The body is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fail('body-not-object', 'The body must be a JSON object.');
  }
  // fromEntries defines own properties, so a "__proto__" key stays data instead of swapping the prototype.
  const value = Object.fromEntries(Object.entries(parsed).filter(([k]) => !SYSTEM_FIELDS.includes(k)));
  return { ok: true, value };
}
