import type { HttpRequest } from '@azure/functions';
import { IN_PROCESS_DOOR, type InProcessDoor } from '../http/plain-request.js';

export type { InProcessDoor } from '../http/plain-request.js';

/**
 * The door `request` came through: the in-process one its request was made for (pipeline/operation-input.ts
 * `operationRequest`), else `'api'` (a REST request).
 *
 * @example
 * ```ts
 * doorOf(ctx.request); // 'api' | 'mcp' | 'handler'
 * ```
 */
export function doorOf(request: HttpRequest): InProcessDoor | 'api' {
  const door = (request as { [IN_PROCESS_DOOR]?: InProcessDoor })[IN_PROCESS_DOOR];
  return door ?? 'api';
}
