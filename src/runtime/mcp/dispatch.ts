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
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import type { InProcessRoutes } from '../in-process/routes.js';
import type { CallerContext, Passed } from '../pipeline/context.js';
import { pass } from '../pipeline/stage-list.js';
import { mayCall, type ServedTool } from './caller-tools.js';
import { toolCall } from './tool-call.js';
import { rpcJson } from './rpc-json.js';
import type { McpInput } from './transport.js';

/** A `tools/call` of a tool the server has, its arguments checked (tool-call.ts), picked before the frame is. */
export interface PickedTool {
  readonly served: ServedTool;
  readonly call: ReturnType<typeof toolCall>;
}

/** What the dispatch reads of a request's context: the caller's stages' and the transport's. */
export interface McpContext extends CallerContext {
  readonly mcp: McpInput;
  readonly tool?: PickedTool | undefined;
}

/** What the dispatch adds: the answer, and the status of the operation it wraps (a tool call's route's). */
export interface Dispatched {
  readonly answer: HttpResponseInit;
  readonly operationStatus?: number;
  readonly limitHeaders?: Readonly<Record<string, string>> | undefined;
  readonly passedOn?: boolean;
}

/** What the dispatch answers with: the app's in-process door, its tools, and the caller policy. */
export interface DispatchDeps {
  readonly routes: InProcessRoutes;
  readonly tools: () => ReadonlyMap<string, ServedTool>;
  readonly policy: RuntimeAuth | undefined;
}

/** A tool's result as the JSON-RPC answer: JSON text already (tool-call.ts), written around, not parsed again. */
function toolAnswer(id: JsonRpcId, result: string): HttpResponseInit {
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json' },
    body: `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${result}}`,
  };
}

/**
 * Dispatch: one message for the caller the stages resolved (MCP 2025-06-18 basic/lifecycle, server/tools). A
 * `tools/call` of a tool the caller may call (caller-tools.ts `mayCall`: the route's own tenant and rules) is its
 * operation, run through the in-process door inside this pass (`callerFor` with `within`: the route's stages from
 * route to authorize, limited there, counted in this pass's ledger entry under the route's status) or its tool
 * function's handler; every other message — `initialize`, `ping`, `tools/list`, notifications, a tool call whose
 * arguments are refused, an unknown or unlisted tool, the transport's refusal — is answered here (limited by the
 * endpoint's own limits stage before this one: mcp-endpoint.ts).
 *
 * @example
 * ```ts
 * const stages = MCP_FRAME.use(dispatch({ routes, tools, policy }));
 * ```
 */
export function dispatch(
  deps: DispatchDeps,
): (ctx: McpContext) => Promise<Passed<Dispatched>> | Passed<Dispatched> {
  return (ctx) => {
    const { mcp, tool } = ctx;
    if (runsTool(ctx, deps.policy) && mcp.ok && mcp.message.kind === 'request' && tool?.call.ok)
      return runTool(ctx, mcp.message.id, tool.call, tool.served, deps.routes);
    return pass(answerOf(ctx, deps));
  };
}

/**
 * Whether this message runs a tool the caller may call — limited then by its operation's own stages (a CRUD tool's
 * `within` pass, a tool function's route) — rather than answered, and limited, by this endpoint's pass.
 *
 * @example
 * ```ts
 * const limitedHere = !runsTool(ctx, policy);
 * ```
 */
export function runsTool(ctx: McpContext, policy: RuntimeAuth | undefined): boolean {
  const { mcp, tool } = ctx;
  return (
    mcp.ok &&
    mcp.message.kind === 'request' &&
    tool?.call.ok === true &&
    mayCall(ctx.caller, tool.served.target, policy)
  );
}

async function runTool(
  ctx: McpContext,
  id: JsonRpcId,
  call: Extract<PickedTool['call'], { ok: true }>,
  served: ServedTool,
  routes: InProcessRoutes,
): Promise<Passed<Dispatched>> {
  const answer = await call.run(routes, {
    request: ctx.request,
    invocation: ctx.invocation,
    caller: ctx.caller,
    within: { trace: ctx.trace, usage: ctx.usage },
  });
  const answered = toolAnswer(id, answer.result);
  // A tool function's call ran its own route's pass (its log line, its ledger entry): this one is not a second.
  return served.target.kind === 'function'
    ? pass({ answer: answered, passedOn: true })
    : pass({ answer: answered, operationStatus: answer.status });
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
        .filter((t) => mayCall(caller, t.target, deps.policy))
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
