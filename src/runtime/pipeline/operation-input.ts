import type { HttpRequest } from '@azure/functions';
import type { RouteMethod } from '../../contract/routes.js';
import { type InProcessDoor, plainRequest } from '../http/plain-request.js';
import type { Endpoint, RuntimeServices } from './context.js';

/**
 * A route's operation given as data, for an in-process run (`runFor`): the method, the item's id on an item
 * route, the query options (`$filter`, `$first`, `$expand`, …), the JSON body of a write, and the headers the
 * operation reads (`If-Match`, a partition key's `x-partition-key`).
 *
 * @example
 * ```ts
 * const input: OperationInput = { method: 'PATCH', id: '42', body: { done: true }, headers: { 'If-Match': '"0a00"' } };
 * ```
 */
export interface OperationInput {
  /** One of the route's methods (`RouteMethod`); any other is the route's own 405. */
  readonly method: RouteMethod | (string & {});
  readonly id?: string;
  readonly query?: Readonly<Record<string, string>> | URLSearchParams;
  /** The body of a write, as its JSON would be sent (it passes the same size, shape and schema checks). */
  readonly body?: unknown;
  /** The body as its JSON text already (a `dataOf` call's): wins over {@link OperationInput.body}. */
  readonly bodyText?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Where an in-process operation runs: the REST route's endpoint (its stages, handler and after steps), the path below
 * `api/` of the request it mirrors (already encoded: the route's own, so a create's `Location` is the REST one) and
 * the app's services.
 *
 * @example
 * ```ts
 * const target: OperationTarget = { endpoint: item, path: 'notes/42', services };
 * ```
 */
export interface OperationTarget {
  readonly endpoint: Endpoint<unknown>;
  readonly path: string;
  readonly services: RuntimeServices;
}

/**
 * One route as the in-process entry keeps it (runtime/in-process/routes.ts): the target an operation's input runs
 * at — a CrudApi's collection route for an input without an `id`, its item route for one with — run as a pass of its
 * own (pipeline/serve.ts `runFor`: a handler's `dataOf`) or spliced into the pass that asked for it (an MCP tool
 * call: runtime/mcp/tool-operation.ts).
 *
 * @example
 * ```ts
 * const { endpoint, path } = targetOf({ method: 'GET', id: '42' });
 * ```
 */
export type OperationTargetOf = (input: OperationInput) => OperationTarget;

/**
 * An {@link OperationTarget} of an endpoint of any route type: the stages that run it give it the context they build
 * (runStages takes any), so its own route type need not be known where the target is kept.
 *
 * @example
 * ```ts
 * const at = operationTarget(item, `notes/${pathSegment(id)}`, services);
 * ```
 */
export function operationTarget<R>(
  endpoint: Endpoint<R>,
  path: string,
  services: RuntimeServices,
): OperationTarget {
  return { endpoint: endpoint as Endpoint<unknown>, path, services };
}

/**
 * An item's id as a segment of an in-process request's path: encoded, or — for text no URL can carry (a lone
 * surrogate, on which `encodeURIComponent` throws) — with those characters replaced. The path only names the
 * route; the id the route checks is the one in its params, which it refuses as REST does (400 `invalid-id`).
 *
 * @example
 * ```ts
 * pathSegment('n 1'); // 'n%201'
 * pathSegment('\ud800'); // '%EF%BF%BD': the route then answers 400 invalid-id for the id itself
 * ```
 */
export function pathSegment(id: string): string {
  try {
    return encodeURIComponent(id);
  } catch {
    return encodeURIComponent(id.replace(/[\ud800-\udfff]/g, '\ufffd'));
  }
}

/** Where an in-process request says it was made (never resolvable: nothing is sent). */
const IN_PROCESS_ORIGIN = 'https://in-process.invalid';

/**
 * The request an in-process operation runs as (http/plain-request.ts), at `path` below `api/` (already encoded: the
 * route's own, so a create's `Location` is the REST one), marked as come through `door` (the audit log's `via`):
 * only the operation's own headers — the caller is given, not read again —, the body the JSON text of `input.body`
 * as a stream, so it is read and checked exactly as a client's.
 *
 * @example
 * ```ts
 * const request = operationRequest({ method: 'GET', id: '42' }, 'notes/42', 'handler');
 * ```
 */
export function operationRequest(
  input: OperationInput,
  path: string,
  door: InProcessDoor,
): HttpRequest {
  const headers = new Headers(input.headers);
  const text =
    input.bodyText ?? (input.body === undefined ? undefined : JSON.stringify(input.body));
  if (text !== undefined) {
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    headers.set('content-length', String(Buffer.byteLength(text)));
  }
  const id = input.id;
  const query = new URLSearchParams(input.query);
  const search = query.size > 0 ? `?${query.toString()}` : '';
  return plainRequest(
    {
      method: input.method,
      url: `${IN_PROCESS_ORIGIN}/api/${path}${search}`,
      headers,
      query,
      params: id === undefined ? {} : { id },
      body: text,
    },
    door,
  );
}
