import type { HttpResponseInit } from '@azure/functions';
import { crudToolJson, type RestCall, toolResultText } from '../../contract/mcp/tool-calls.js';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import type { InProcessRoutes } from '../in-process/routes.js';
import type { Endpoint, Passed } from '../pipeline/context.js';
import { operationRequest, type OperationInput } from '../pipeline/operation-input.js';
import { PASS, pass } from '../pipeline/stage-list.js';
import { mayCall } from './caller-tools.js';
import type { McpContext, ToolOperation } from './mcp-context.js';
import { toolAnswer } from './rpc-json.js';

/** What the operation stage adds for a CrudApi tool the caller may call: the route's endpoint and request. */
export interface Operated {
  readonly endpoint: Endpoint<unknown>;
  readonly request: ReturnType<typeof operationRequest>;
  readonly method: RestCall['method'];
  readonly operation: ToolOperation;
}

/**
 * The operation stage: a `tools/call` of a CrudApi tool the caller may call (caller-tools.ts `mayCall`: the route's
 * own tenant and rules) becomes, from here on, the REST route it mirrors inside this pass — the route's endpoint, the
 * in-process request its operation runs as (pipeline/operation-input.ts, marked as come through MCP for the audit
 * log's `via`) and its method — so the stages that follow (route, tenant, limits, authorize) and the handler are
 * the route's own, on the context this pass already has: the caller resolved once, its span, log line and ledger
 * entry this pass's. Every other message passes on as it came (dispatch.ts answers it).
 *
 * @example
 * ```ts
 * StageList.of<McpContext>().use(registry).use(toolOperation(routes, policy)).use(route);
 * ```
 */
export function toolOperation(
  routes: InProcessRoutes,
  policy: RuntimeAuth | undefined,
): (ctx: McpContext) => Passed<Operated | object> {
  return function operation(ctx) {
    const { mcp, tool } = ctx;
    if (!mcp.ok || mcp.message.kind !== 'request' || !tool?.call.ok || tool.call.kind !== 'crud')
      return PASS;
    const { target } = tool.served;
    if (target.kind !== 'crud' || !mayCall(ctx.caller, target, policy)) return PASS;
    // The REST call is the operation's input as it stands: its method, id, query, headers and body.
    const { rest } = tool.call;
    const input: OperationInput = rest;
    const at = routes.targetOf(target.entity.componentId, input, target.action === 'search');
    // A CrudApi of the manifest this app does not serve: dispatch answers its tool error (404).
    if (!at) return PASS;
    return pass({
      endpoint: at.endpoint,
      request: operationRequest(input, at.path, 'mcp'),
      method: rest.method,
      operation: { rpcId: mcp.message.id, action: target.action, rest },
    });
  };
}

/**
 * The JSON-RPC answer of a CrudApi tool call from its route's answer: the tool's result (contract/mcp/tool-calls.ts
 * `crudToolJson`: the item and its ETag, a page, a count, …), or — for any status from 400 — a result with `isError`
 * carrying the route's problem document. The route's own headers are not the tool's (its answer is the result).
 *
 * @example
 * ```ts
 * return op ? operationAnswer(op, outcome.response) : outcome.response;
 * ```
 */
export function operationAnswer(op: ToolOperation, response: HttpResponseInit): HttpResponseInit {
  const status = response.status ?? 200;
  const { json, isError } = crudToolJson(
    op.action,
    op.rest,
    status,
    status === 204 ? undefined : jsonText(response),
    status < 400 ? etagOf(response) : undefined,
  );
  return toolAnswer(op.rpcId, toolResultText(json, isError));
}

/** The route's body as JSON text (every CRUD route answers a string, or nothing: a 204). */
function jsonText(response: HttpResponseInit): string | undefined {
  const body: unknown = response.body;
  if (typeof body === 'string') return body === '' ? undefined : body;
  return response.jsonBody === undefined ? undefined : JSON.stringify(response.jsonBody);
}

/** The route's `ETag` header, however its headers are given. */
function etagOf(response: HttpResponseInit): string | undefined {
  const h = response.headers;
  if (!h) return undefined;
  if (h instanceof Headers) return h.get('etag') ?? undefined;
  // The CRUD routes name it so (http/response.ts); any other spelling is looked for.
  const named = (h as Record<string, string>)['ETag'];
  if (typeof named === 'string') return named;
  const pairs: Iterable<readonly [string, string]> = Array.isArray(h) ? h : Object.entries(h);
  for (const [k, v] of pairs) if (k.toLowerCase() === 'etag') return v;
  return undefined;
}
