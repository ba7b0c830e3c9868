import type { HttpRequest } from '@azure/functions';

/**
 * A request the runtime makes for itself (a cascade's delete as its caller, a parent's first children page), as a
 * plain object of what the handlers read: method, url, headers, query and params. Not the host's class:
 * `@azure/functions` is CommonJS, and its classes are no named exports of an ES module bundle.
 *
 * @example
 * ```ts
 * const page = plainRequest('GET', request.url, request.headers, new URLSearchParams({ $first: '10' }));
 * ```
 */
export function plainRequest(
  method: 'GET' | 'DELETE',
  url: string,
  headers: Headers,
  query: URLSearchParams,
): HttpRequest {
  const request = { method, url, headers, query, params: {} };
  // Typed as the host's class the handlers take; they read only the fields above.
  return request as unknown as HttpRequest;
}
