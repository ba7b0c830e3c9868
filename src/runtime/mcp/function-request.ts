import type { HttpRequest } from '@azure/functions';
import { plainRequest } from '../http/plain-request.js';

/**
 * Headers a request of the caller carries that would change what an in-process call means: its body's framing,
 * its own conditions, and a list page or partition of its own. Everything else (the principal App Service set, a
 * trusted gateway's tenant, the membership tenant header, the host, the trace) goes with the call, so the call is
 * the caller's whatever decides who they are or which tenant they act in.
 */
const NOT_CARRIED = new Set([
  'content-length',
  'content-type',
  'content-encoding',
  'transfer-encoding',
  'expect',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  'range',
  'x-ms-continuation',
  'x-partition-key',
]);

/**
 * One in-process call as a request of the route it goes to: the path below `api/`, the method, the query, the
 * route's params, the call's own headers and JSON body.
 *
 * @example
 * ```ts
 * const call: InnerCall = { method: 'GET', path: 'notes', params: {}, query: new URLSearchParams(), headers: {} };
 * ```
 */
export interface InnerCall {
  readonly method: string;
  /** Below `api/`, already encoded: `notes`, `notes/n%201`, `customers/c1/orders`. */
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body, as a value; or as its text already ({@link InnerCall.bodyText}, which wins). */
  readonly body?: unknown;
  readonly bodyText?: string;
}

/**
 * The request a tool function sees for an MCP tool call made for `outer`'s caller (users' code reads its request, so
 * it gets one; a CrudApi's operation runs through the in-process door instead: in-process/routes.ts): `outer`'s headers less
 * {@link NOT_CARRIED}, the call's own, its URL on `outer`'s host, and its JSON body as a stream (its server span the
 * route's own, in the invocation's trace). A plain object of what the handlers read (method, url, headers, query,
 * params, body): the host's class is no named export of an ES module bundle (`@azure/functions` is CommonJS).
 *
 * @example
 * ```ts
 * const request = innerRequest(outer, { method: 'POST', path: 'notes', params: {}, query, headers: {}, body: { title: 'x' } });
 * ```
 */
export function innerRequest(outer: HttpRequest, call: InnerCall): HttpRequest {
  const headers = new Headers();
  outer.headers.forEach((value, name) => {
    if (!NOT_CARRIED.has(name)) headers.set(name, value);
  });
  for (const [name, value] of Object.entries(call.headers)) headers.set(name, value);
  const text = call.bodyText ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
  if (text !== undefined) {
    headers.set('content-type', 'application/json');
    headers.set('content-length', String(Buffer.byteLength(text)));
  }
  const url = new URL(`/api/${call.path}`, outer.url);
  url.search = call.query.toString();
  return plainRequest({
    method: call.method,
    url: url.href,
    headers,
    query: call.query,
    params: call.params,
    ...(text === undefined ? {} : { body: text }),
  });
}
