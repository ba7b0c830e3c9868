import { API_PREFIX } from '../routes.js';
import { TENANTS_ROUTE } from '../tenants.js';
import { type Json, ref } from './openapi-refs.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const WRITES = new Set(['put', 'post', 'patch']);
const UNLIMITED = `/${API_PREFIX}/${TENANTS_ROUTE}`;

/**
 * The `RateLimit-Policy` and `RateLimit` response headers (IETF httpapi "RateLimit header fields for HTTP",
 * draft-ietf-httpapi-ratelimit-headers-08 and later, §3 and §4: Structured Field lists, each item a policy name
 * with `q` (quota) and `w` (window, seconds) for the policy, `r` (remaining) and `t` (seconds until reset) for
 * the current state), declared where the limits stage may answer.
 *
 * @example
 * ```ts
 * headers.set('RateLimitPolicy', RATE_LIMIT_HEADERS.RateLimitPolicy);
 * ```
 */
export const RATE_LIMIT_HEADERS: Readonly<Record<'RateLimitPolicy' | 'RateLimit', Json>> = {
  RateLimitPolicy: {
    description:
      'The request-rate policies that apply (IETF httpapi RateLimit header fields): e.g. `"tenant";q=600;w=60, ' +
      '"user";q=120;w=60` — quota `q` requests per window `w` seconds, per tenant and per caller.',
    schema: { type: 'string' },
  },
  RateLimit: {
    description:
      'What is left of each policy (IETF httpapi RateLimit header fields): e.g. `"tenant";r=0;t=12` — `r` ' +
      'requests remaining, `t` seconds until the window resets.',
    schema: { type: 'string' },
  },
};

/** The `RateLimit-Policy` and `RateLimit` pair a limited caller's answers carry, as response header references. */
export const RATE_LIMIT_PAIR: Json = {
  'RateLimit-Policy': ref('headers', 'RateLimitPolicy'),
  RateLimit: ref('headers', 'RateLimit'),
};

/**
 * The headers of `components.responses.Problem429` on a backend with a tenant registry: `Retry-After` and the
 * RateLimit pair the limits stage sends with `rate-limited`.
 *
 * @example
 * ```ts
 * out['Problem429'].headers = LIMITED_429_HEADERS;
 * ```
 */
export const LIMITED_429_HEADERS: Json = {
  'Retry-After': ref('headers', 'RetryAfter'),
  ...RATE_LIMIT_PAIR,
};

/** An inline response with the RateLimit pair among its headers (a `$ref` to a shared one as it is). */
function withRateLimitHeaders(response: Json): Json {
  if (typeof response['$ref'] === 'string') return response;
  return {
    ...response,
    headers: { ...(response['headers'] as Json | undefined), ...RATE_LIMIT_PAIR },
  };
}

/**
 * The paths with the limits' answers declared on every operation a signed-in caller makes, where the backend has
 * a tenant registry (hence plans): 429 (`rate-limited`, `quota-exceeded`; negotiate's `too-many-connections`) and
 * on writes 403 (`storage-quota-exceeded`). Anonymous operations (`security: []`) and the TenantAdmin API (exempt
 * from every limit) are left as they are. Operations share response objects, so each touched one is copied.
 *
 * @example
 * ```ts
 * const limited = withLimitAnswers(paths);
 * ```
 */
export function withLimitAnswers(paths: ReadonlyMap<string, Json>): Map<string, Json> {
  return withSignedInOperations(paths, [UNLIMITED], (op, method) => {
    const responses: Json = {};
    // The limits' headers go out on every answer of a limited caller (runtime/usage/limit-headers.ts), so each
    // response declares them: an inline one here, the shared problem responses in openapi.ts.
    for (const [status, response] of Object.entries(op['responses'] as Json))
      responses[status] = withRateLimitHeaders(response as Json);
    responses['429'] ??= ref('responses', 'Problem429');
    if (WRITES.has(method)) responses['403'] ??= ref('responses', 'Problem403');
    return { ...op, responses };
  });
}

/**
 * The paths with `change` applied to every operation a signed-in caller makes (not `security: []`), outside the
 * `exempt` paths and those below them; path items and operations are copied, never changed in place (operations
 * share response objects).
 *
 * @example
 * ```ts
 * const out = withSignedInOperations(paths, ['/api/tenants'], (op) => ({ ...op, deprecated: true }));
 * ```
 */
export function withSignedInOperations(
  paths: ReadonlyMap<string, Json>,
  exempt: readonly string[],
  change: (op: Json, method: string) => Json,
): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const [path, item] of paths) {
    if (exempt.some((e) => path === e || path.startsWith(`${e}/`))) {
      out.set(path, item);
      continue;
    }
    const copy: Json = { ...item };
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op || (Array.isArray(op['security']) && op['security'].length === 0)) continue;
      copy[method] = change(op, method);
    }
    out.set(path, copy);
  }
  return out;
}
