import { refused } from './response.js';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { problemResponse } from './response.js';
import type { RuntimeProblemCode } from '../../contract/problems.js';
import {
  DEFAULT_JSON_LIMITS,
  findForbiddenKey,
  findNonFiniteNumber,
  type JsonShapeLimits,
  scanJsonShape,
} from '../values/json-shape.js';
import { SYSTEM_FIELDS } from '../values/system-fields.js';
import { at } from '../../model/at.js';

/**
 * Largest request body accepted, as the client sent it: 1 MiB. Cosmos allows 2 MB items, but an API body
 * that large is almost always a mistake, and the limit bounds the JSON parse. Over it: **413**
 * `body-too-large`. The item written may be a little larger (see {@link MAX_ITEM_BYTES}).
 *
 * @example
 * ```ts
 * const item = { id: '42', name: 'Ada' };
 * if (Buffer.byteLength(JSON.stringify(item)) > MAX_BODY_BYTES) throw new Error('item too large for the API');
 * ```
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Room for what the runtime itself adds to a body before writing it — a generated `id` (≤ 255 characters),
 * the caller's `tenantId` and a partition key value (≤ 2 KiB each), JSON-escaped — so that a body the client
 * sent within {@link MAX_BODY_BYTES} is never refused for the server's additions.
 */
const SERVER_ADDITIONS_BYTES = 16 * 1024;
const SERVER_ADDED_VALUES = 6;

/**
 * Largest item the runtime writes (the UTF-8 length of its JSON, measured the same way on POST, PUT and
 * after a PATCH merge): {@link MAX_BODY_BYTES} plus the fields the runtime adds, far below Cosmos DB's 2 MB.
 * Over it: **413** `item-too-large` (a PATCH whose merged item would grow past it).
 *
 * @example
 * ```ts
 * MAX_ITEM_BYTES - MAX_BODY_BYTES; // 16384
 * ```
 */
export const MAX_ITEM_BYTES = MAX_BODY_BYTES + SERVER_ADDITIONS_BYTES;

/** A parsed body, or the error response to send instead. */
export type BodyResult =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; response: HttpResponseInit };

function fail(code: RuntimeProblemCode, detail: string): BodyResult {
  return refused(code, detail);
}

// RFC 6838 §4.2 restricted-name before the RFC 6839 "+json" suffix: it starts with a letter or digit, so
// "application/+json" names no type.
const JSON_ESSENCE = /^application\/(?:json|[a-z0-9][a-z0-9!#$&^_.+-]{0,120}\+json)$/;
// RFC 9110 §5.6.6 parameter: token "=" ( token / quoted-string ).
const PARAMETER = /^([!#$%&'*+.^_`|~0-9a-z-]+)=("(?:[^"\\]|\\.)*"|[!#$%&'*+.^_`|~0-9a-z-]+)$/;

/**
 * Whether a `Content-Type` names JSON: `application/json` or a `+json` structured syntax suffix on a real
 * subtype (RFC 6839: `application/merge-patch+json`, …), case-insensitive, well-formed parameters, and a
 * charset — if one is given — of UTF-8 (RFC 8259 §8.1: JSON between systems is UTF-8). Requiring it keeps
 * cross-site "simple" requests (which may only send `text/plain` and form types) out.
 *
 * @example
 * ```ts
 * isJsonMediaType('application/merge-patch+json; charset=utf-8'); // true
 * isJsonMediaType('application/+json');                           // false
 * isJsonMediaType('text/plain');                                  // false
 * ```
 */
export function isJsonMediaType(contentType: string | null | undefined): boolean {
  if (!contentType) return false;
  // What nearly every client sends, answered without splitting and matching it.
  if (contentType === 'application/json' || contentType === 'application/json; charset=utf-8')
    return true;
  const [essence = '', ...params] = contentType.split(';').map((p) => p.trim().toLowerCase());
  if (!JSON_ESSENCE.test(essence)) return false;
  for (const param of params) {
    if (param === '') continue;
    const m = PARAMETER.exec(param);
    if (!m) return false;
    if (m[1] === 'charset' && at(m, 2).replace(/^"|"$/g, '') !== 'utf-8') return false;
  }
  return true;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

// JSON.parse makes a non-finite number only of a literal with an exponent or with more than 308 digits before its
// point (1e999, 10…0): a text holding neither needs no walk of the parsed value. A false hit (a string "2e") walks.
const MAY_OVERFLOW = /\d[eE]|\d{309}/;
// A "__proto__" key is spelt out or escaped ("\u005f_proto__"): a text with neither needs no walk.
const MAY_HOLD_PROTO = /__proto__|\\u/;

/**
 * Read the request body as one JSON object, the one guard every write goes through: `Content-Type` JSON
 * (else **415**), at most {@link MAX_BODY_BYTES} (else **413**, read no further), UTF-8, not nested deeper
 * or holding more values than `limits` (**400** too deep, **413** too many values: both checked before
 * parsing), valid JSON, an object, and no `__proto__` key at any depth (**400**). Cosmos system properties a
 * client echoes back (`_etag`, `_ts`, …) are dropped.
 *
 * @example
 * ```ts
 * const body = await readJsonObject(request);
 * if (!body.ok) return body.response;
 * ```
 */
export async function readJsonObject(
  request: HttpRequest,
  limits: JsonShapeLimits = DEFAULT_JSON_LIMITS,
): Promise<BodyResult> {
  // The host's `headers` is a getter (a private field, then undici's brand check): read once.
  const headers = request.headers;
  if (!isJsonMediaType(headers.get('content-type'))) {
    return fail(
      'unsupported-media-type',
      'Send the body as application/json (or a +json type) in UTF-8.',
    );
  }
  const declared = Number(headers.get('content-length') ?? 'NaN');
  if (declared > MAX_BODY_BYTES)
    return fail('body-too-large', `The body is over ${MAX_BODY_BYTES} bytes.`);
  // Read here, to the stream's end, no more than MAX_BODY_BYTES buffered: no second async function to await, and no
  // `releaseLock` before the end (it rejects the reader's `closed` promise with an error made for it; bench/mcp.ts).
  const chunks: Uint8Array[] = [];
  let total = 0;
  const stream = request.body as ReadableStream<Uint8Array> | null;
  if (stream) {
    const reader = stream.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      total += r.value.byteLength;
      if (total > MAX_BODY_BYTES) {
        await reader.cancel().catch(() => undefined);
        return fail('body-too-large', `The body is over ${MAX_BODY_BYTES} bytes.`);
      }
      chunks.push(r.value);
    }
  }
  let text: string;
  try {
    text = utf8.decode(chunks.length === 1 ? at(chunks, 0) : Buffer.concat(chunks, total));
  } catch {
    return fail('body-not-json', 'The body is not valid UTF-8.');
  }
  if (text.trim() === '') return fail('body-missing', 'A JSON object body is required.');
  const shape = scanJsonShape(text, limits);
  if (shape)
    return shape.limit === 'depth'
      ? fail('body-too-deep', shape.detail)
      : fail('body-too-complex', shape.detail);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return fail('body-not-json', `The body is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fail('body-not-object', 'The body must be a JSON object.');
  }
  const infinite = MAY_OVERFLOW.test(text) ? findNonFiniteNumber(parsed) : undefined;
  if (infinite) {
    const field = infinite.join('.');
    return refused(
      'validation',
      `The body holds a number too large for JSON at ${field}; it would be stored as null.`,
      {
        errors: [
          {
            field,
            code: 'range',
            message: `${field} is outside the range of a JSON number (a double): send a finite value`,
          },
        ],
      },
    );
  }
  const forbidden = MAY_HOLD_PROTO.test(text) ? findForbiddenKey(parsed) : undefined;
  if (forbidden) {
    return refused(
      'forbidden-key',
      'The body contains a "__proto__" key, which no item may have.',
      {
        errors: [
          {
            field: forbidden.join('.'),
            code: 'forbidden',
            message: '"__proto__" is not allowed as a key',
          },
        ],
      },
    );
  }
  // System fields a client echoed back are not the client's to set; a body without any is taken as parsed (JSON.parse
  // defines own properties, as fromEntries does).
  const value = SYSTEM_FIELDS.some((k) => Object.hasOwn(parsed, k))
    ? Object.fromEntries(Object.entries(parsed).filter(([k]) => !SYSTEM_FIELDS.includes(k)))
    : (parsed as Record<string, unknown>);
  return { ok: true, value };
}

/**
 * The response for an item (after defaults or a PATCH merge) that the runtime will not write: over
 * {@link MAX_ITEM_BYTES} as JSON (**413** `item-too-large`), or over the shape limits plus the few values the
 * runtime adds (a merge can add the values of the stored item and of the patch). One rule for POST, PUT and
 * PATCH, so an item that was accepted can always take a change that does not grow it, and a body within
 * {@link MAX_BODY_BYTES} is never refused for what the server added.
 *
 * @example
 * ```ts
 * const refused = checkItemSize(merged);
 * if (refused) return refused;
 * ```
 */
export function checkItemSize(
  item: Readonly<Record<string, unknown>>,
  limits: JsonShapeLimits = DEFAULT_JSON_LIMITS,
): HttpResponseInit | undefined {
  const text = JSON.stringify(item);
  if (Buffer.byteLength(text, 'utf8') > MAX_ITEM_BYTES) {
    return problemResponse(
      'item-too-large',
      `The resulting item is over ${MAX_ITEM_BYTES} bytes as JSON.`,
    );
  }
  // id, tenantId and the partition key: each a member key and a value.
  const shape = scanJsonShape(text, {
    ...limits,
    maxValues: limits.maxValues + SERVER_ADDED_VALUES,
  });
  if (shape)
    return problemResponse(
      'item-too-complex',
      shape.detail.replace('The body', 'The resulting item'),
    );
  return undefined;
}
