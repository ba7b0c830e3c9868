import type { HttpRequest } from '@azure/functions';

/**
 * What the runtime's handlers read of a request: method, URL, headers, query, route parameters and body.
 *
 * @example
 * ```ts
 * const parts: PlainRequestParts = { method: 'GET', url, headers: new Headers(), query: new URLSearchParams() };
 * ```
 */
export interface PlainRequestParts {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly query: URLSearchParams;
  readonly params?: Readonly<Record<string, string>>;
  readonly body?: ReadableStream<Uint8Array> | null;
}

/**
 * A request the runtime makes for itself (a parent's first children page, a background job's, an operation run
 * in-process), as a plain object of what the handlers read. Not the host's class: `@azure/functions` is CommonJS,
 * and its classes are no named exports of an ES module bundle.
 *
 * @example
 * ```ts
 * const page = plainRequest({ method: 'GET', url: request.url, headers: request.headers, query: new URLSearchParams({ $first: '10' }) });
 * ```
 */
export function plainRequest(parts: PlainRequestParts): HttpRequest {
  const request = { params: {}, body: null, ...parts };
  // Typed as the host's class the handlers take; they read only the fields above.
  return request as unknown as HttpRequest;
}
