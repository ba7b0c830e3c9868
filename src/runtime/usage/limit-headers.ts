import type { HttpResponseInit } from '@azure/functions';

/** One quota policy as the headers describe it: its name, quota per window, what is left and when it resets. */
export interface RatePolicy {
  readonly name: string;
  readonly quota: number;
  readonly windowSeconds: number;
  readonly remaining: number;
  readonly resetSeconds: number;
}

/**
 * The `RateLimit-Policy` and `RateLimit` header fields of draft-ietf-httpapi-ratelimit-headers-10 (§3, §4:
 * Structured Field lists whose items are the policy names as strings, with `q` the quota and `w` the window in
 * seconds, `r` the remaining quota units and `t` the seconds until the quota resets).
 *
 * @example
 * ```ts
 * rateLimitHeaders([{ name: 'tenant', quota: 600, windowSeconds: 60, remaining: 12, resetSeconds: 30 }]);
 * // { 'RateLimit-Policy': '"tenant";q=600;w=60', RateLimit: '"tenant";r=12;t=30' }
 * ```
 */
export function rateLimitHeaders(policies: readonly RatePolicy[]): Record<string, string> {
  return {
    'RateLimit-Policy': policies
      .map((p) => `"${p.name}";q=${p.quota};w=${p.windowSeconds}`)
      .join(', '),
    RateLimit: policies
      .map((p) => `"${p.name}";r=${Math.max(0, p.remaining)};t=${p.resetSeconds}`)
      .join(', '),
  };
}

/**
 * `response` with the headers the limits chose for the request (the same response when none); the answer's own
 * headers win.
 *
 * @example
 * ```ts
 * return withLimitHeaders(outcome.ctx.limitHeaders, outcome.response);
 * ```
 */
export function withLimitHeaders(
  extra: Readonly<Record<string, string>> | undefined,
  response: HttpResponseInit,
): HttpResponseInit {
  if (!extra) return response;
  const headers = response.headers;
  if (headers instanceof Headers) {
    for (const [k, v] of Object.entries(extra)) if (!headers.has(k)) headers.set(k, v);
    return response;
  }
  if (Array.isArray(headers))
    return { ...response, headers: [...headers, ...Object.entries(extra)] };
  // What `{ ...extra, ...headers }` makes (the answer's own headers win), without its cost: a spread into an object
  // already holding other keys takes V8's slow path (µs per request, on every answer of a limited tenant).
  return Object.assign({}, response, { headers: Object.assign({}, extra, headers) });
}
