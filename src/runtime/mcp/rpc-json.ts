import type { HttpResponseInit } from '@azure/functions';
import type { JsonRpcId } from '../../contract/mcp/protocol.js';

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

/**
 * A tool's result as the JSON-RPC answer: JSON text already (tool-call.ts, tool-operation.ts), written around, not
 * parsed again.
 *
 * @example
 * ```ts
 * return toolAnswer(id, toolResultText('{"item":{"id":"n1"}}', false));
 * ```
 */
export function toolAnswer(id: JsonRpcId, result: string): HttpResponseInit {
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json' },
    body: `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${result}}`,
  };
}
