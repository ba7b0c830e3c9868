import type { CrudAction } from './routes.js';

/**
 * Problem types (RFC 9457) of the CRUD runtime: `type` is `urn:atakora:problem:<slug>` — URNs rather than
 * URLs, since the types are identifiers and no domain of ours dereferences them.
 *
 * @example
 * ```ts
 * `${PROBLEM_PREFIX}not-found`; // 'urn:atakora:problem:not-found'
 * ```
 */
export const PROBLEM_PREFIX = 'urn:atakora:problem:';

/**
 * The media type of every error body.
 *
 * @example
 * ```ts
 * response.headers.get('content-type')?.startsWith(PROBLEM_MEDIA_TYPE);
 * ```
 */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/**
 * The `title` of a problem by status.
 *
 * @example
 * ```ts
 * PROBLEM_TITLES[412]; // 'Precondition Failed'
 * ```
 */
export const PROBLEM_TITLES: Readonly<Record<number, string>> = Object.freeze({
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
});

/** Titles of statuses only the local dev host answers with (421: a Host header it does not serve). */
const OTHER_TITLES: Readonly<Record<number, string>> = { 421: 'Misdirected Request' };

/**
 * An RFC 9457 problem document with Atakora's type URN and the status's title: the one shape of every error
 * body, from the runtime in the Function App and from `atakora dev`'s own answers alike.
 *
 * @example
 * ```ts
 * problemDocument(404, 'not-found', 'No note n1.');
 * // { type: 'urn:atakora:problem:not-found', title: 'Not Found', status: 404, detail: 'No note n1.' }
 * ```
 */
export function problemDocument(status: number, slug: string, detail: string, extensions: Readonly<Record<string, unknown>> = {}): {
  readonly type: string; readonly title: string; readonly status: number; readonly detail: string; readonly [extension: string]: unknown;
} {
  return { type: PROBLEM_PREFIX + slug, title: PROBLEM_TITLES[status] ?? OTHER_TITLES[status] ?? 'Error', status, detail, ...extensions };
}

/**
 * The slugs the runtime answers with, by status (what the OpenAPI document lists and clients may switch on).
 *
 * @example
 * ```ts
 * PROBLEM_SLUGS[412]; // ['precondition-failed']
 * ```
 */
export const PROBLEM_SLUGS: Readonly<Record<number, readonly string[]>> = Object.freeze({
  400: ['validation', 'invalid-id', 'invalid-limit', 'invalid-continuation-token', 'invalid-partition-key', 'partition-key-required',
    'partition-key-immutable', 'id-immutable', 'invalid-if-match', 'forbidden-key', 'bad-request'],
  401: ['unauthenticated'],
  403: ['tenant-required', 'tenant-mismatch'],
  404: ['not-found'],
  405: ['method-not-allowed'],
  409: ['conflict', 'write-contention'],
  412: ['precondition-failed'],
  413: ['item-too-large', 'item-too-complex'],
  415: ['unsupported-media-type'],
  429: ['throttled'],
  503: ['database-unavailable'],
});

const COMMON = [400, 401, 403, 429, 503] as const;

/**
 * The error statuses each action can answer besides its success (all as `application/problem+json`).
 *
 * @example
 * ```ts
 * ACTION_ERRORS.replace.includes(412); // true: a stale If-Match
 * ```
 */
export const ACTION_ERRORS: Readonly<Record<CrudAction, readonly number[]>> = Object.freeze({
  list: [...COMMON],
  create: [...COMMON, 409, 413, 415],
  get: [...COMMON, 404],
  replace: [...COMMON, 404, 409, 412, 413, 415],
  update: [...COMMON, 404, 409, 412, 413, 415],
  delete: [...COMMON, 404, 412],
});
