import type { HttpResponseInit } from '@azure/functions';

/**
 * A JSON answer of the endpoint (a JSON-RPC message, or a transport error's).
 *
 * @example
 * ```ts
 * return rpcJson(200, rpcResult(id, {}));
 * ```
 */
export function rpcJson(status: number, body: unknown): HttpResponseInit {
  return { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}
