import { headerValue } from './url-segment.js';
import { TENANT_SELECT_HEADER } from '../contract/members.js';
import { PROBLEM_MEDIA_TYPE } from '../contract/problems.js';
import { ProblemError } from './problem-error.js';

/**
 * How the client reaches one API: its base URL (the component's `apiEndpoint`), the access token and `fetch`.
 *
 * @example
 * ```ts
 * const t: Transport = { baseUrl: 'https://func-x.azurewebsites.net/api/notes', getToken: async () => token, fetch };
 * ```
 */
export interface Transport {
  readonly baseUrl: string;
  readonly getToken: () => string | undefined | null | Promise<string | undefined | null>;
  readonly fetch: FetchLike;
  /**
   * The organization the requests act in (tenants by membership), sent as `X-Atakora-Tenant`; undefined or
   * returning undefined → no header (the caller's only organization, or a backend of directories).
   */
  readonly tenant?: () => string | undefined;
}

/** What the client reads of an answer: a platform `Response`, or one made in process (`dataOf`'s door). */
export interface ResponseLike {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** The `fetch` the client calls: the platform's (or the app's own), or `dataOf`'s in-process one. */
export type FetchLike = (url: string, init: RequestInit) => Promise<ResponseLike>;

/** One request's parts. */
export interface Call {
  readonly method: string;
  /** Below the base URL: `''` (collection) or `/<id>`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly body?: unknown;
  readonly signal?: AbortSignal;
}

/**
 * Send one request: `Authorization: Bearer <token>` (when `getToken` gives one), a JSON body, and any non-2xx
 * answer thrown as a {@link ProblemError}. Returns the response with its body parsed (undefined when empty).
 *
 * @example
 * ```ts
 * const { body, headers } = await send(transport, { method: 'GET', path: '/42' });
 * ```
 */
export async function send(
  t: Transport,
  call: Call,
): Promise<{ body: unknown; headers: ResponseLike['headers']; status: number }> {
  const url = new URL(t.baseUrl.replace(/\/+$/, '') + call.path);
  for (const [k, v] of Object.entries(call.query ?? {}))
    if (v !== undefined) url.searchParams.set(k, v);
  const headers: Record<string, string> = { Accept: `application/json, ${PROBLEM_MEDIA_TYPE}` };
  const tenant = t.tenant?.();
  if (tenant) headers[TENANT_SELECT_HEADER] = tenant;
  for (const [k, v] of Object.entries(call.headers ?? {})) if (v !== undefined) headers[k] = v;
  const token = await t.getToken();
  if (token) headers['Authorization'] = `Bearer ${token}`;
  for (const [k, v] of Object.entries(headers)) headerValue(k, v);
  if (call.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await t.fetch(url.href, {
    method: call.method,
    headers,
    ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
    ...(call.signal ? { signal: call.signal } : {}),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok)
    throw new ProblemError(
      response.status,
      typeof body === 'object' && body !== null ? body : {},
      response.headers,
    );
  return { body, headers: response.headers, status: response.status };
}
