import type { HttpRequest } from '@azure/functions';

/** The doors an in-process request comes through: an MCP tool call, or a function's `dataOf`. */
export type InProcessDoor = 'mcp' | 'handler';

// Where an in-process request says which door made it: a hidden symbol key on the request itself — never read from
// a client (a REST request cannot carry a symbol), gone with the request.
const DOOR = Symbol('atakora.door');

/**
 * `request` marked as made in-process through `door` (pipeline/serve.ts `runFor`): what the audit log records as
 * the change's `via`.
 *
 * @example
 * ```ts
 * const request = throughDoor(operationRequest(input, path), within ? 'mcp' : 'handler');
 * ```
 */
export function throughDoor(request: HttpRequest, door: InProcessDoor): HttpRequest {
  Object.defineProperty(request, DOOR, { value: door });
  return request;
}

/**
 * The door `request` came through: the in-process one {@link throughDoor} marked, else `'api'` (a REST request).
 *
 * @example
 * ```ts
 * doorOf(ctx.request); // 'api' | 'mcp' | 'handler'
 * ```
 */
export function doorOf(request: HttpRequest): InProcessDoor | 'api' {
  const door = (request as { [DOOR]?: InProcessDoor })[DOOR];
  return door ?? 'api';
}
