import type { HttpHandler, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { RouteMethod } from '../../contract/routes.js';
import type { Caller } from '../caller/caller-view.js';
import type {
  CallerRequest,
  Endpoint,
  LogFrame,
  Outcome,
  RuntimeServices,
  TraceFrame,
} from './context.js';
import { CALLER_STAGES, FRAME_STAGES, NESTED_STAGES, REQUEST_STAGES } from './request-stages.js';
import { NO_SERVICES } from './services.js';
import { runStages } from './stage-list.js';
import { operationRequest, type OperationInput, type OperationTarget } from './operation-input.js';
import { requestUsage } from '../usage/request-usage.js';
import { withExposedHeaders } from '../http/cors-expose.js';

/** The answer of an outcome; what a stage or the handler threw goes on to the host (a 500 there). */
function answered(outcome: Outcome): HttpResponseInit {
  if ('failed' in outcome) throw outcome.failed;
  return outcome.response;
}

/**
 * An endpoint as the host's handler: every stage of {@link REQUEST_STAGES} — its span and log line when the
 * endpoint frames them, the usage ledger, admission, caller, registry, route, tenant, limits, authorization — then
 * its handler and after steps, with the app's `services` (made once, at registration) on every request's context.
 *
 * @example
 * ```ts
 * app.http('NoteApi-collection', { route: 'notes', methods: [...ROUTE_METHODS], handler: serve(endpoint, services) });
 * ```
 */
export function serve<R>(
  endpoint: Endpoint<R>,
  services: RuntimeServices = NO_SERVICES,
): HttpHandler {
  const stages = REQUEST_STAGES.stages;
  // Cross-origin pages read the headers they act on (http/cors-expose.ts: the platform's CORS exposes none).
  return async (request, invocation) =>
    withExposedHeaders(
      request,
      answered(await runStages(stages, { request, invocation, endpoint, services })),
    );
}

/**
 * A route run inside another request for the caller it resolved (`call`): the stages after the caller's, then the
 * handler — what a children route or an expansion asks of another entity's collection, nothing counted twice.
 *
 * @example
 * ```ts
 * const page = await runAs(childEndpoint, call, 'GET');
 * ```
 */
export async function runAs<R>(
  endpoint: Endpoint<R>,
  call: CallerRequest,
  method: RouteMethod | undefined,
  services: RuntimeServices = NO_SERVICES,
): Promise<HttpResponseInit> {
  return answered(
    await runStages(NESTED_STAGES.stages, {
      request: call.request,
      caller: call.caller,
      trace: call.trace,
      usage: call.usage,
      invocation: undefined,
      endpoint,
      services,
      method,
    }),
  );
}

/**
 * Run a route's operation in-process for a caller already resolved, with its input given as data — no HTTP hop and
 * no second reading of the caller: the REST route's own stages after the caller's and the registry's (its span and
 * log line, the usage ledger, route, tenant, limits, authorization), then its handler (validation, relations,
 * realtime events, change handlers), a pass of its own counted under the caller's tenant as the registry stage
 * placed the request that resolved them: what a handler's `dataOf` runs. The answer is the route's own (a refusal is
 * its problem document).
 *
 * @example
 * ```ts
 * const response = await runFor(targetOf(input), ctx.caller, input, invocation);
 * ```
 */
export async function runFor(
  target: OperationTarget,
  caller: Caller,
  input: OperationInput,
  invocation: InvocationContext | undefined,
): Promise<HttpResponseInit> {
  const { services } = target;
  return answered(
    await runStages(CALLER_STAGES.stages, {
      // Its door, a handler's dataOf: the audit log's `via` (crud/item-audit.ts).
      request: operationRequest(input, target.path, 'handler'),
      invocation,
      endpoint: target.endpoint,
      services,
      caller,
      ...(services.meter && caller.registered
        ? { usage: requestUsage(services.meter, caller.registered.record.id) }
        : {}),
    }),
  );
}

/**
 * A handler framed by its request's server span and log line only (FRAME_STAGES): the passes of the pipeline it
 * makes itself are decided and counted there — the MCP server, whose tool call is the pass of the route it mirrors.
 *
 * @example
 * ```ts
 * const route = framedHandler({ log, trace: { route: 'mcp', component: 'mcp', operationOf: () => 'handler' } }, mcp);
 * ```
 */
export function framedHandler(
  frame: { readonly log: LogFrame; readonly trace: TraceFrame },
  handler: HttpHandler,
): HttpHandler {
  const endpoint: Endpoint<null> = {
    policy: undefined,
    anonymous: true,
    route: () => ({ ok: true, value: null }),
    handle: async (ctx) => await handler(ctx.request, ctx.invocation as InvocationContext),
    ...frame,
  };
  const stages = FRAME_STAGES.stages;
  return async (request, invocation) =>
    answered(await runStages(stages, { request, invocation, endpoint, services: NO_SERVICES }));
}
