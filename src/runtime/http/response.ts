import type { HttpResponseInit } from '@azure/functions';
import { entityTag } from '../data/if-match.js';
import { problemDocument, type RuntimeProblemCode } from '../../contract/problems.js';

/**
 * One field-level validation error, reported in a problem's `errors` array, so a client can show each error
 * next to its field.
 *
 * @example
 * ```ts
 * const error: FieldError = { field: 'email', code: 'required', message: 'email is required.' };
 * ```
 */
export interface FieldError {
  /** Top-level field name, or `''` for the body as a whole. */
  readonly field: string;
  /** Stable, machine-readable reason, e.g. `required`, `type`, `maxLength`, `enum`, `unknown`. */
  readonly code: string;
  readonly message: string;
}

/**
 * An RFC 9457 problem document: the body of every error response of the runtime, so clients parse one
 * error shape (`type` is `urn:atakora:problem:<slug>`).
 *
 * @example
 * ```ts
 * async function readItem(apiEndpoint: string) {
 *   const res = await fetch(`${apiEndpoint}/42`);
 *   if (!res.ok) {
 *     const problem = (await res.json()) as Problem;
 *     console.error(problem.status, problem.detail, problem.errors);
 *   }
 * }
 * ```
 */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
  readonly [extension: string]: unknown;
}

/**
 * Headers on every response of the runtime: `nosniff` so no browser reads a JSON or problem body as
 * anything but its declared type (a stored string rendered as HTML, say).
 *
 * @example
 * ```ts
 * SECURITY_HEADERS['X-Content-Type-Options']; // 'nosniff'
 * ```
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'X-Content-Type-Options': 'nosniff',
});

/**
 * A JSON response with an explicit content type (the host does not always add one for string bodies).
 *
 * @example
 * ```ts
 * return jsonResponse(201, item, { Location: '/api/users/1' });
 * ```
 */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResponseInit {
  return jsonTextResponse(status, JSON.stringify(body), headers);
}

/**
 * A JSON response from text already serialized (a read-cache hit), so a hit costs no `JSON.stringify`.
 *
 * @example
 * ```ts
 * return jsonTextResponse(200, cached.json, { ETag: cached.etag });
 * ```
 */
export function jsonTextResponse(
  status: number,
  json: string,
  headers: Record<string, string> = {},
): HttpResponseInit {
  return {
    status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      ...SECURITY_HEADERS,
      ...quotedEtag(headers),
    },
    body: json,
  };
}

/**
 * An `application/problem+json` response (RFC 9457).
 *
 * @example
 * ```ts
 * return problemResponse('not-found', 'No User with id "42".');
 * return problemResponse('validation', 'The body does not match the schema.', { errors });
 * return problemResponse('tenant-required', 'Name the organization.', {}, 400); // a status the table also lists
 * ```
 */
export function problemResponse(
  code: RuntimeProblemCode,
  detail: string,
  extra: {
    errors?: readonly FieldError[];
    headers?: Record<string, string>;
    [k: string]: unknown;
  } = {},
  status?: number,
): HttpResponseInit {
  const { headers = {}, ...extensions } = extra;
  const problem: Problem = problemDocument(code, detail, extensions, status);
  return {
    status: problem.status,
    headers: {
      'Content-Type': 'application/problem+json; charset=utf-8',
      ...SECURITY_HEADERS,
      ...headers,
    },
    body: JSON.stringify(problem),
  };
}

/**
 * A refusal as a resolved value (`Resolved<T>`'s `{ ok: false, response }`): the problem document of `code`, as
 * {@link problemResponse} makes it.
 *
 * @example
 * ```ts
 * if (bad) return refused('invalid-id', `The id in the URL ${bad}.`);
 * ```
 */
export function refused(
  code: RuntimeProblemCode,
  detail: string,
  extra?: Parameters<typeof problemResponse>[2],
  status?: number,
): { readonly ok: false; readonly response: HttpResponseInit } {
  return { ok: false, response: problemResponse(code, detail, extra, status) };
}

/**
 * A body-less response (204, or 405 with only an `Allow` header and a problem body).
 *
 * @example
 * ```ts
 * return emptyResponse(204);
 * ```
 */
export function emptyResponse(
  status: number,
  headers: Record<string, string> = {},
): HttpResponseInit {
  return { status, headers: { ...SECURITY_HEADERS, ...quotedEtag(headers) } };
}

/** Headers with `ETag` as a quoted entity-tag (if-match.ts entityTag): one form, whichever Cosmos server issued it. */
function quotedEtag(headers: Record<string, string>): Record<string, string> {
  const etag = headers['ETag'];
  // Object.assign, not `{ ...headers, ETag }`: a literal that starts with a spread takes V8's slow path (log.ts).
  return etag ? Object.assign({}, headers, { ETag: entityTag(etag) }) : headers;
}

/**
 * The refusal of a method a route does not serve: 405 `method-not-allowed` with the `Allow` header (RFC 9110), as a
 * route step's answer (`{ ok: false, response }`), one wording for every route kind.
 *
 * @example
 * ```ts
 * route: (ctx) => (ctx.method === 'GET' ? { ok: true, value: null } : methodNotAllowed(['GET'], ctx.request.method)),
 * ```
 */
export function methodNotAllowed(
  allow: readonly string[],
  method: string,
): { ok: false; response: HttpResponseInit } {
  return {
    ok: false,
    response: problemResponse('method-not-allowed', `${method} is not enabled on this route.`, {
      headers: { Allow: allow.join(', ') },
    }),
  };
}

/**
 * The route step of a route that serves one method and nothing else: admitted (`null`) on it, the 405 otherwise.
 *
 * @example
 * ```ts
 * const endpoint: Endpoint<null> = { policy, route: onlyMethod('GET'), handle };
 * ```
 */
export function onlyMethod(
  allowed: string,
): (ctx: {
  readonly method: string | undefined;
  readonly request: { readonly method: string };
}) => { ok: true; value: null } | { ok: false; response: HttpResponseInit } {
  return (ctx) =>
    ctx.method === allowed
      ? { ok: true, value: null }
      : methodNotAllowed([allowed], ctx.request.method);
}
