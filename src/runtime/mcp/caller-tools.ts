import type {
  RuntimeAuth,
  RuntimeEntity,
  RuntimeMcpFunction,
} from '../../model/runtime-manifest.js';
import { entityTools, type McpTool } from '../../contract/mcp/entity-tools.js';
import {
  CRUD_TOOL_ACTIONS,
  type CrudToolAction,
  functionToolName,
} from '../../model/mcp-tool-names.js';
import {
  functionAccessRefusal,
  functionRules,
  functionTenantRefusal,
} from '../caller/handler-gate.js';
import type { Caller } from '../pipeline/context.js';

/** What a tool does when called: a CrudApi's REST route for one action, or an HTTP function's route. */
export type ToolTarget =
  | { readonly kind: 'crud'; readonly entity: RuntimeEntity; readonly action: CrudToolAction }
  | { readonly kind: 'function'; readonly fn: RuntimeMcpFunction };

/** One tool of the server: its description and what it calls. */
export interface ServedTool {
  readonly tool: McpTool;
  readonly target: ToolTarget;
}

const OBJECT = { type: 'object' } as const;

/**
 * Every tool the server has, whoever asks, by name: each CrudApi's (contract/mcp/entity-tools.ts) and each tool
 * function's. What one caller may see is {@link mayCall}'s answer.
 *
 * @example
 * ```ts
 * const tools = serverTools(manifest.entities, manifest.mcp.functions ?? [], manifest.mcp.writes);
 * ```
 */
export function serverTools(
  entities: readonly RuntimeEntity[],
  functions: readonly RuntimeMcpFunction[],
  writes: boolean,
): ReadonlyMap<string, ServedTool> {
  const tools = new Map<string, ServedTool>();
  for (const entity of entities)
    for (const [action, tool] of entityTools(entity, writes))
      tools.set(tool.name, { tool, target: { kind: 'crud', entity, action } });
  for (const fn of functions) {
    const name = functionToolName(fn.function);
    // The plan refuses two tools of one name (MCP_TOOL_CONFLICT); a manifest written otherwise keeps the first.
    if (tools.has(name)) continue;
    const readOnly = fn.methods.every((m) => m === 'GET' || m === 'HEAD');
    tools.set(name, {
      tool: {
        name,
        title: fn.function,
        description: fn.description,
        inputSchema: fn.inputSchema ?? OBJECT,
        annotations: { title: fn.function, readOnlyHint: readOnly, openWorldHint: false },
      },
      target: { kind: 'function', fn },
    });
  }
  return tools;
}

/**
 * Whether the caller's plan includes the tool's feature (a CrudApi's `<entity>_search`: `search`): a tool outside
 * the plan is not listed; called anyway, its route's features stage answers the 402 as the tool's error.
 *
 * @example
 * ```ts
 * const listed = tools.filter((t) => mayCall(caller, t.target, policy) && inPlan(caller, t.target));
 * ```
 */
export function inPlan(caller: Caller, target: ToolTarget): boolean {
  return target.kind !== 'crud' || target.action !== 'search' || caller.features.has('search');
}

/**
 * Whether `caller` may call a tool: its REST route's tenant and access rules admit the caller for the route's
 * operation (a caller whose rules allow only their own items may still call it: it sees those), or the function's
 * own gate admits them. The same questions the route's tenant and authorize stages ask, of the same caller.
 *
 * @example
 * ```ts
 * const listed = [...tools.values()].filter((t) => mayCall(ctx.caller, t.target, policy));
 * ```
 */
export function mayCall(
  caller: Caller,
  target: ToolTarget,
  policy: RuntimeAuth | undefined,
): boolean {
  if (target.kind === 'crud') {
    const { entity, action } = target;
    return (
      caller.tenantFor(entity).ok &&
      caller.accessFor(entity, CRUD_TOOL_ACTIONS[action].operation).ok
    );
  }
  const rules = functionRules(target.fn.access);
  if (rules.some((r) => r.allow === 'anonymous')) return true;
  if (!policy) return false;
  const vouched = caller.requestCaller();
  return (
    functionTenantRefusal(policy, vouched, target.fn.name) === undefined &&
    functionAccessRefusal(rules, vouched, target.fn.name) === undefined
  );
}
