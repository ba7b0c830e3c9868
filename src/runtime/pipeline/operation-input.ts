import type { Context } from '@opentelemetry/api';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { RouteMethod } from '../../contract/routes.js';
import type { Caller } from '../caller/caller-view.js';
import { plainRequest } from '../http/plain-request.js';
import type { RequestUsage } from '../usage/request-usage.js';

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
 * The pass an in-process operation is part of, when it is not a pass of its own: an MCP tool call, whose endpoint's
 * stages framed it (span, log line), counted it (its ledger entry) and resolved its caller — the operation runs the
 * route's stages from there on (route, tenant, limits, authorization), its Cosmos DB calls charged to that pass.
 *
 * @example
 * ```ts
 * const within: WithinPass = { trace: ctx.trace, usage: ctx.usage };
 * ```
 */
export interface WithinPass {
  readonly trace: Context | undefined;
  readonly usage: RequestUsage | undefined;
}

/**
 * One route's operation run in-process for a caller already resolved (`runFor`), in the invocation of the request
 * that asked for it: what the in-process entry (runtime/in-process/routes.ts) keeps of each route.
 *
 * @example
 * ```ts
 * const answer = await run(ctx.caller, { method: 'GET', id: '42' }, ctx.invocation);
 * ```
 */
export type OperationRun = (
  caller: Caller,
  input: OperationInput,
  invocation: InvocationContext | undefined,
  within?: WithinPass,
) => Promise<HttpResponseInit>;

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
 * route's own, so a create's `Location` is the REST one): only the operation's own headers — the caller is given,
 * not read again —, the body the JSON text of `input.body` as a stream, so it is read and checked exactly as a
 * client's.
 *
 * @example
 * ```ts
 * const request = operationRequest({ method: 'GET', id: '42' }, 'notes/42');
 * ```
 */
export function operationRequest(input: OperationInput, path: string): HttpRequest {
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
  return plainRequest({
    method: input.method,
    url: `${IN_PROCESS_ORIGIN}/api/${path}${search}`,
    headers,
    query,
    params: id === undefined ? {} : { id },
    body: text,
  });
}
