import type { HttpRequest } from '@azure/functions';

/**
 * A request the runtime makes for itself (a cascade's delete as its caller, a parent's first children page, an
 * in-process call of `dataOf` or an MCP tool), as a plain object of what the handlers read: method, url, headers,
 * query, the route's params and a JSON body (as a stream, and as `text()`, `json()`, `arrayBuffer()`). Not the host's class: `@azure/functions` is CommonJS, and its
 * classes are no named exports of an ES module bundle.
 *
 * @example
 * ```ts
 * const page = plainRequest('GET', request.url, request.headers, new URLSearchParams({ $first: '10' }));
 * ```
 */
export function plainRequest(
  method: string,
  url: string,
  headers: Headers,
  query: URLSearchParams,
  route: { readonly params?: Readonly<Record<string, string>>; readonly body?: string } = {},
): HttpRequest {
  const text = route.body;
  const bytes = text === undefined ? undefined : new TextEncoder().encode(text);
  const request = {
    method,
    url,
    headers,
    query,
    params: { ...route.params },
    body: bytes
      ? new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(bytes);
            controller.close();
          },
        })
      : null,
    // What a user's handler reads of a body (an MCP tool's arguments), as the host's request gives it.
    text: () => Promise.resolve(text ?? ''),
    json: () => Promise.resolve(JSON.parse(text ?? '') as unknown),
    arrayBuffer: () => Promise.resolve(bytes ? bytes.slice().buffer : new ArrayBuffer(0)),
  };
  // Typed as the host's class the handlers take; they read only the fields above.
  return request as unknown as HttpRequest;
}
