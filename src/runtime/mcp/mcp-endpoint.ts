import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { crudRoute } from '../../contract/routes.js';
import { searchRoute } from '../../contract/search.js';
import { CRUD_TOOL_ACTIONS, type CrudToolAction } from '../../model/mcp-tool-names.js';
import type { RuntimeAuth, RuntimeEntity, RuntimeManifest } from '../../model/runtime-manifest.js';
import type { InProcessRoutes } from '../in-process/routes.js';
import type {
  Endpoint,
  LogFrame,
  Outcome,
  Passed,
  RequestContext,
  RuntimeServices,
  TenantContext,
  TraceFrame,
} from '../pipeline/context.js';
import { PASS, pass, runStages, StageList } from '../pipeline/stage-list.js';
import { admit } from '../pipeline/stages/admit.js';
import { authorize } from '../pipeline/stages/authorize.js';
import { caller } from '../pipeline/stages/caller.js';
import { ledger } from '../pipeline/stages/ledger.js';
import { log } from '../pipeline/stages/log.js';
import { limits } from '../pipeline/stages/limits.js';
import { gate } from '../pipeline/feature-gate.js';
import { registry } from '../pipeline/stages/registry.js';
import { route } from '../pipeline/stages/route.js';
import { tenant } from '../pipeline/stages/tenant.js';
import { trace } from '../pipeline/stages/trace.js';
import { serverTools, type ServedTool } from './caller-tools.js';
import { type Dispatched, dispatch, passesOn } from './dispatch.js';
import type { McpContext, PickedTool } from './mcp-context.js';
import { toolCall } from './tool-call.js';
import { operationAnswer, toolOperation } from './tool-operation.js';
import { forbidden, originRefusal } from './origin.js';
import { challenged, type McpInput, mcpInput } from './transport.js';

/** What the MCP endpoint is built from: the app's manifest, its in-process routes and the caller policy. */
export interface McpDeps {
  readonly manifest: RuntimeManifest;
  readonly routes: InProcessRoutes;
  readonly policy: RuntimeAuth | undefined;
  /** The app's services (registry, meter, tenant source), made once at start (routes/app-services.ts). */
  readonly services: RuntimeServices;
}

/**
 * The MCP server at `api/mcp` (Streamable HTTP, stateless, JSON responses: MCP 2025-06-18 basic/transports
 * "Streamable HTTP"), served by a stage list like every route — its transport (transport.ts: method, `Accept`, the
 * JSON-RPC message, protocol versions) apart from its dispatch (dispatch.ts: `initialize`, `ping`, `tools/list`, a
 * tool function's call), the caller resolved once by the pipeline's own caller and registry stages, never here:
 *
 * ```
 * entry (origin → transport → frame) → trace ⊃ log ⊃ ledger ⊃ forbidden → admit → caller → registry → mcp feature
 *   → operation → route → tenant → limits → authorize → dispatch → handle
 * ```
 *
 * A request from a browser page of another site (`Origin` none of the app's sites', nor dev's) is answered 403
 * before its caller is asked (origin.ts: DNS rebinding), logged and counted as this endpoint's refusal.
 *
 * Every POST is one pass, counted once in the usage ledger and limited once. A `tools/call` of a CrudApi tool is
 * framed as the REST route it mirrors (its log line and span, its status counted) and, once the caller may call it,
 * is that route from the operation stage on (tool-operation.ts): the route's own stages from route to authorize and
 * its handler, on this pass's context — one pass, no second context, its answer made the tool's result. A tool
 * function's call is its own route's pass (its gate, its code); every other message is this endpoint's (`frame`:
 * `api/mcp`, component `mcp`: route, tenant and authorize pass it by, limits are this endpoint's). An anonymous
 * caller's 401 names the protected-resource metadata (RFC 9728 §5.1).
 *
 * @example
 * ```ts
 * app.http('atakora-mcp', { route: 'mcp', methods: [...ROUTE_METHODS], handler: mcpHandler({ manifest, routes, policy, services }, frame) });
 * ```
 */
export function mcpHandler(
  deps: McpDeps,
  frame: { readonly log?: LogFrame; readonly trace?: TraceFrame } = {},
): (request: HttpRequest, invocation: InvocationContext) => Promise<HttpResponseInit> {
  const own: Endpoint<unknown> = {
    policy: deps.policy,
    // The one door an agent's own access token opens (mcp.authorization: members/agents/agent-tenants.ts).
    agents: true,
    ...frame,
    route: () => ({ ok: true, value: null }),
    // The dispatch stage's answer (dispatch.ts), on the context the stage that made it left.
    handle: (ctx) => Promise.resolve((ctx as Partial<Dispatched>).answer ?? { status: 500 }),
  };
  const catalog = toolCatalog(deps, own);
  const allowed = new Set(deps.policy?.siteOrigins ?? []);
  const stages = StageList.of<RequestContext>()
    .use(function entry(ctx: RequestContext) {
      // The origin check, the transport's reading and the frame in one stage: each stage a context of its own.
      const refusal = originRefusal(ctx.request, allowed);
      if (refusal)
        return pass({
          forbidden: refusal,
          mcp: refused(refusal),
          endpoint: own,
          tool: undefined,
        });
      const input = mcpInput(ctx.request);
      return input instanceof Promise
        ? input.then((mcp) => framing(mcp, catalog, own))
        : framing(input, catalog, own);
    })
    .wrap(trace)
    .wrap(log)
    .wrap(ledger)
    .use(forbidden)
    .use(admit)
    .use(caller)
    .use(registry)
    // The endpoint is the plan's `mcp` feature, whatever the message; a tool's route its own after (search).
    .use(function mcpFeature(ctx: McpContext) {
      return gate(ctx, 'mcp');
    })
    .use(toolOperation(deps.routes, deps.policy))
    .use(route)
    .use(tenant)
    .use((ctx: McpContext & TenantContext) => endpointLimits(ctx, deps.policy))
    .use(authorize)
    .use(dispatch({ routes: deps.routes, tools: () => catalog().tools, policy: deps.policy }));
  return async (request, invocation) => {
    const outcome: Outcome = await runStages(stages.stages, {
      request,
      invocation,
      endpoint: own,
      services: deps.services,
    });
    if ('failed' in outcome) throw outcome.failed;
    const op = (outcome.ctx as Partial<McpContext>).operation;
    return op
      ? operationAnswer(op, outcome.response)
      : challenged(outcome.response, request, deps.manifest.mcp?.authorization !== undefined);
  };
}

/**
 * Limits: a CrudApi tool call's route's (the route's own limits stage, on its endpoint), this endpoint's for the
 * messages it answers itself (a plan's quota, a rate limit: the 429 as HTTP, the `RateLimit` headers on the answer);
 * a tool function's call the caller may call is limited once, by its own route's pass, never here too.
 */
function endpointLimits(ctx: McpContext & TenantContext, policy: RuntimeAuth | undefined) {
  return !ctx.operation && passesOn(ctx, policy) ? PASS : limits(ctx);
}

const refused = (response: HttpResponseInit): McpInput => ({ ok: false, response });

/** A tool of the server with the endpoint its calls are framed as. */
interface FramedTool {
  readonly served: ServedTool;
  readonly endpoint: Endpoint<unknown>;
}

/**
 * Frame: the endpoint a message's pass is framed as — for a `tools/call` of a CrudApi tool with its arguments
 * right, the REST route it mirrors (its log line, its span); for a tool function's, none (its own route's pass
 * frames and counts it); else this endpoint — and the tool picked, its arguments checked once.
 */
function framing(
  m: McpInput,
  catalog: () => {
    readonly tools: ReadonlyMap<string, ServedTool>;
    readonly framed: ReadonlyMap<string, FramedTool>;
  },
  own: Endpoint<unknown>,
): Passed<{ mcp: McpInput; endpoint: Endpoint<unknown>; tool: PickedTool | undefined }> {
  if (!m.ok || m.message.kind !== 'request' || m.message.method !== 'tools/call')
    return pass({ mcp: m, endpoint: own, tool: undefined });
  const named = catalog().framed.get(String(m.message.params['name']));
  if (!named) return pass({ mcp: m, endpoint: own, tool: undefined });
  const tool: PickedTool = {
    served: named.served,
    call: toolCall(named.served, m.message.params['arguments']),
  };
  return pass({ mcp: m, endpoint: tool.call.ok ? named.endpoint : own, tool });
}

/** A CrudApi tool's frame: the log line and span of the REST route it mirrors, its operation named. */
function crudFrame(
  entity: RuntimeEntity,
  action: CrudToolAction,
  own: Endpoint<unknown>,
): Endpoint<unknown> {
  // A search is its own route's pass (`<route>/search`, logged and traced as `search`, as the REST route is).
  const searching = action === 'search';
  const operation = searching ? 'search' : CRUD_TOOL_ACTIONS[action].operation;
  const traced = operation;
  const logger = own.log?.logger;
  return {
    ...own,
    log: {
      labels: { component: entity.componentId, entity: entity.entityName },
      operationOf: () => operation,
      ...(logger ? { logger } : {}),
    },
    trace: {
      route: searching
        ? searchRoute(entity.route)
        : crudRoute(
            entity.route,
            action === 'list' || action === 'count' || action === 'aggregate' || action === 'create'
              ? 'collection'
              : 'item',
          ),
      component: entity.componentId,
      operationOf: () => traced,
      caller: (c) => c.traced(entity),
    },
  };
}

/** The server's tools and their frames, made once the app's tool functions are registered (after the CRUD routes). */
function toolCatalog(deps: McpDeps, own: Endpoint<unknown>) {
  let made:
    | {
        count: number;
        tools: ReadonlyMap<string, ServedTool>;
        framed: ReadonlyMap<string, FramedTool>;
      }
    | undefined;
  // A tool function's call is its own route's pass once it runs (framed, traced, logged, counted and limited there:
  // dispatch marks it `passedOn`); refused before (caller, registry), it is this endpoint's line and count.
  const bare: Endpoint<unknown> = { ...own, trace: undefined };
  return () => {
    const count = deps.routes.toolCount();
    if (made?.count !== count) {
      const tools = serverTools(
        deps.manifest.entities,
        deps.routes.toolFunctions(),
        deps.manifest.mcp?.writes === true,
      );
      const framed = new Map<string, FramedTool>();
      for (const [name, served] of tools)
        framed.set(name, {
          served,
          endpoint:
            served.target.kind === 'crud'
              ? crudFrame(served.target.entity, served.target.action, own)
              : bare,
        });
      made = { count, tools, framed };
    }
    return made;
  };
}
