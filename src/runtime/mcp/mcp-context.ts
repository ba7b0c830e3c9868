import type { JsonRpcId } from '../../contract/mcp/protocol.js';
import type { RestCall } from '../../contract/mcp/tool-calls.js';
import type { CrudToolAction } from '../../model/mcp-tool-names.js';
import type { CallerContext } from '../pipeline/context.js';
import type { ServedTool } from './caller-tools.js';
import type { ToolCall } from './tool-call.js';
import type { McpInput } from './transport.js';

/** A `tools/call` of a tool the server has, its arguments checked (tool-call.ts), picked before the frame is. */
export interface PickedTool {
  readonly served: ServedTool;
  readonly call: ToolCall;
}

/** A CrudApi tool call spliced into the endpoint's pass: what its route's answer is made into (tool-operation.ts). */
export interface ToolOperation {
  readonly rpcId: JsonRpcId;
  readonly action: CrudToolAction;
  readonly rest: RestCall;
}

/**
 * What the MCP endpoint's own stages read of a request's context: the caller's stages', the transport's (`mcp`), the
 * tool the message calls (`tool`) and — once the operation stage made a CrudApi tool call its route's — `operation`.
 *
 * @example
 * ```ts
 * const calling = (ctx: McpContext) => ctx.tool?.served.tool.name;
 * ```
 */
export interface McpContext extends CallerContext {
  readonly mcp: McpInput;
  readonly tool?: PickedTool | undefined;
  readonly operation?: ToolOperation | undefined;
}
