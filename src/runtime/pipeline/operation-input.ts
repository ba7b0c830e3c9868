import type { HttpRequest } from '@azure/functions';
import type { RouteMethod } from '../../contract/routes.js';
import { plainRequest } from '../http/plain-request.js';

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
  readonly method: RouteMethod;
  readonly id?: string;
  readonly query?: Readonly<Record<string, string>> | URLSearchParams;
  /** The body of a write, as its JSON would be sent (it passes the same size, shape and schema checks). */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Where an in-process request says it was made (never resolvable: nothing is sent). */
const IN_PROCESS_URL = 'https://in-process.invalid/api';

/**
 * The request an in-process operation runs as (http/plain-request.ts): the body is the JSON text of `input.body`
 * as a stream, so it is read and checked exactly as a client's.
 *
 * @example
 * ```ts
 * const request = operationRequest({ method: 'GET', id: '42' });
 * ```
 */
export function operationRequest(input: OperationInput): HttpRequest {
  const headers = new Headers(input.headers);
  const text = input.body === undefined ? undefined : JSON.stringify(input.body);
  if (text !== undefined && !headers.has('content-type'))
    headers.set('content-type', 'application/json');
  const id = input.id;
  return plainRequest({
    method: input.method,
    url: id === undefined ? IN_PROCESS_URL : `${IN_PROCESS_URL}/${encodeURIComponent(id)}`,
    headers,
    query: new URLSearchParams(input.query),
    params: id === undefined ? {} : { id },
    body: text,
  });
}
