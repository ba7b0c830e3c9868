import type { HttpResponseInit } from '@azure/functions';
import {
  initializeResult,
  JSONRPC_ERRORS,
  type JsonRpcId,
  type McpMessage,
  negotiateVersion,
  rpcError,
  rpcResult,
} from '../../contract/mcp/protocol.js';
import { toolResultText } from '../../contract/mcp/tool-calls.js';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import type { InProcessRoutes } from '../in-process/routes.js';
import type { Passed } from '../pipeline/context.js';
import { PASS, pass } from '../pipeline/stage-list.js';
import { inPlan, mayCall, type ServedTool } from './caller-tools.js';
import type { McpContext } from './mcp-context.js';
import type { ToolCall } from './tool-call.js';
import { rpcJson, toolAnswer } from './rpc-json.js';

/**
 * What the dispatch adds: the answer; the status its pass counts and logs when it is not the answer's (a tool call
 * whose arguments are refused: 400); whether a tool function's own pass counted and logged it already (`passedOn`).
 */
export interface Dispatched {
  readonly answer: HttpResponseInit;
  readonly operationStatus?: number;
  readonly passedOn?: boolean;
}

/** What the dispatch answers with: the app's in-process door, its tools, and the caller policy. */
export interface DispatchDeps {
  readonly routes: InProcessRoutes;
  readonly tools: () => ReadonlyMap<string, ServedTool>;
  readonly policy: RuntimeAuth | undefined;
}

/**
 * Dispatch: one message for the caller the stages resolved (MCP 2025-06-18 basic/lifecycle, server/tools). A
 * `tools/call` of a CrudApi tool the caller may call is its route's by now (tool-operation.ts): the route's handler
 * answers it, nothing here. A tool function's call the caller may call (caller-tools.ts `mayCall`) runs its
 * registered handler — its gate, its code: a pass of its own, framed, limited and counted there (`passedOn`); every
 * other message — `initialize`, `ping`, `tools/list`, notifications, a tool call whose arguments are refused, an
 * unknown or unlisted tool, the transport's refusal — is answered here (limited by this endpoint's limits stage
 * before this one: mcp-endpoint.ts).
 *
 * @example
 * ```ts
 * const stages = MCP_FRAME.use(dispatch({ routes, tools, policy }));
 * ```
 */
export function dispatch(
  deps: DispatchDeps,
): (ctx: McpContext) => Promise<Passed<Dispatched>> | Passed<Dispatched | object> {
  return (ctx) => {
    if (ctx.operation) return PASS;
    const { mcp, tool } = ctx;
    if (mcp.ok && mcp.message.kind === 'request' && tool?.call.ok && passesOn(ctx, deps.policy)) {
      const { call } = tool;
      return call.kind === 'function'
        ? runFunction(ctx, mcp.message.id, call, deps.routes)
        : // A CrudApi tool the caller may call of a CrudApi this app does not serve.
          pass({ answer: toolAnswer(mcp.message.id, NOT_SERVED), operationStatus: 404 });
    }
    return pass(answerOf(ctx, deps));
  };
}

// What the REST routes answer for a path none of them serves, as a tool's error result.
const NOT_SERVED = toolResultText('{"type":"about:blank","title":"Not Found","status":404}', true);

/**
 * Whether this message is a call of a tool the caller may call — limited then by its operation's own stages (a CrudApi
 * tool's route, spliced into this pass; a tool function's route, a pass of its own) rather than by this endpoint.
 *
 * @example
 * ```ts
 * const limitedHere = !passesOn(ctx, policy);
 * ```
 */
export function passesOn(ctx: McpContext, policy: RuntimeAuth | undefined): boolean {
  const { mcp, tool } = ctx;
  return (
    mcp.ok &&
    mcp.message.kind === 'request' &&
    tool?.call.ok === true &&
    mayCall(ctx.caller, tool.served.target, policy)
  );
}

async function runFunction(
  ctx: McpContext,
  id: JsonRpcId,
  call: Extract<ToolCall, { kind: 'function' }>,
  routes: InProcessRoutes,
): Promise<Passed<Dispatched>> {
  const result = await call.run(routes, { request: ctx.request, invocation: ctx.invocation });
  // A tool function's call ran its own route's pass (its log line, its ledger entry): this one is not a second.
  return pass({ answer: toolAnswer(id, result), passedOn: true });
}

/** Every message that is no call of a tool the caller may call. */
function answerOf(ctx: McpContext, deps: DispatchDeps): Dispatched {
  const { mcp, tool } = ctx;
  if (!mcp.ok) return { answer: mcp.response };
  const message = mcp.message;
  // Arguments refused before any operation: the tool error, a refused request of this endpoint's own (400).
  if (
    message.kind === 'request' &&
    tool &&
    !tool.call.ok &&
    mayCall(ctx.caller, tool.served.target, deps.policy)
  )
    return { answer: toolAnswer(message.id, tool.call.refused), operationStatus: 400 };
  return { answer: answer(message, ctx.caller, deps) };
}

/** One message that is no call of a tool the caller may call. */
function answer(
  message: McpMessage,
  caller: McpContext['caller'],
  deps: DispatchDeps,
): HttpResponseInit {
  if (message.kind === 'notification' || message.kind === 'response') return { status: 202 };
  if (message.kind === 'invalid')
    return rpcJson(400, rpcError(message.id, JSONRPC_ERRORS.invalidRequest, message.message));
  const { id, method, params } = message;
  switch (method) {
    case 'initialize':
      return rpcJson(
        200,
        rpcResult(
          id,
          initializeResult(negotiateVersion(params['protocolVersion']), {
            name: 'atakora',
            title: 'Atakora Backend',
            version: '1',
          }),
        ),
      );
    case 'ping':
      return rpcJson(200, rpcResult(id, {}));
    case 'tools/list': {
      // One page holds every tool: no cursor is ever given out, so any cursor is one this server never issued.
      if (params['cursor'] !== undefined)
        return rpcJson(200, rpcError(id, JSONRPC_ERRORS.invalidParams, 'Unknown cursor.'));
      const tools = [...deps.tools().values()]
        .filter((t) => mayCall(caller, t.target, deps.policy) && inPlan(caller, t.target))
        .map((t) => t.tool);
      return rpcJson(200, rpcResult(id, { tools }));
    }
    case 'tools/call':
      // Reached only for a tool this caller may not call, or none by that name: the same answer for both.
      return rpcJson(
        200,
        rpcError(id, JSONRPC_ERRORS.invalidParams, `Unknown tool: ${String(params['name'])}`),
      );
    default:
      return rpcJson(
        200,
        rpcError(id, JSONRPC_ERRORS.methodNotFound, `Method not found: ${method}`),
      );
  }
}
