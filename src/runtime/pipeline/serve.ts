import type {
  HttpHandler,
  HttpRequest,
  HttpResponseInit,
  InvocationContext,
} from '@azure/functions';
import type { RouteMethod } from '../../contract/routes.js';
import { contextLogger, type RuntimeLogger, withRequestLog } from '../http/log.js';
import { traceRequests, type TracedCaller, type TracedRoute } from '../telemetry/request-span.js';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import { callerRequestAs } from '../caller/caller-view.js';
import type {
  AuthorizedContext,
  CallerRequest,
  CallerView,
  Endpoint,
  JobCaller,
} from './context.js';
import { REQUEST_STAGES, ROUTE_STAGES } from './request-stages.js';
import { callerSeen } from './stages/caller.js';
import { boundUsageMeter } from '../usage/usage-binding.js';
import {
  ANONYMOUS_TENANT,
  ledgerTenantOf,
  markLedgerTenant,
  requestCharge,
} from '../usage/request-usage.js';
import { withLimitHeaders } from '../usage/limit-headers.js';
import { withExposedHeaders } from '../http/cors-expose.js';

/** Handle, then each after step on the answer. */
async function handled<R>(ctx: AuthorizedContext<R>): Promise<HttpResponseInit> {
  let response = await ctx.endpoint.handle(ctx);
  for (const step of ctx.endpoint.after ?? []) response = await step(ctx, response);
  return response;
}

/**
 * One request through every stage of {@link REQUEST_STAGES}, then the endpoint's handler and its after steps.
 *
 * @example
 * ```ts
 * const response = await runEndpoint(endpoint, request, invocation);
 * ```
 */
export async function runEndpoint<R>(
  endpoint: Endpoint<R>,
  request: HttpRequest,
  invocation: InvocationContext | undefined,
): Promise<HttpResponseInit> {
  const reg = endpoint.policy?.registry;
  const meter = reg ? boundUsageMeter(reg) : undefined;
  if (!meter) return runStages(endpoint, request, invocation);
  // The usage ledger counts every request of a backend with a registry, refused ones too (the registry's 403s,
  // the limits' 429s), with its RU whatever the trace sampling.
  const charge = requestCharge(request);
  let refused = true;
  try {
    const response = withLimitHeaders(request, await runStages(endpoint, request, invocation));
    refused = (response.status ?? 200) >= 400;
    return response;
  } finally {
    meter.request(ledgerTenantOf(request) ?? ANONYMOUS_TENANT, { refused, ru: charge.ru });
  }
}

async function runStages<R>(
  endpoint: Endpoint<R>,
  request: HttpRequest,
  invocation: InvocationContext | undefined,
): Promise<HttpResponseInit> {
  const passed = await REQUEST_STAGES.run({
    request,
    invocation,
    endpoint: endpoint as Endpoint<unknown>,
  });
  if (!passed.ok) return passed.response;
  return handled(passed.ctx as AuthorizedContext<R>);
}

/**
 * A route run for a caller already resolved (`call`): the stages after the caller's, then the handler — what a
 * children route or an expansion asks of another entity's collection.
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
): Promise<HttpResponseInit> {
  const passed = await ROUTE_STAGES.run({
    request: call.request,
    caller: call.caller,
    invocation: undefined,
    endpoint: endpoint as Endpoint<unknown>,
    method,
  });
  return passed.ok ? handled(passed.ctx as AuthorizedContext<R>) : passed.response;
}

/**
 * How a served route is logged and traced: its log labels and operation names, its span's route template and
 * component, and what its span says of the caller (from the caller stage's resolution, never a second reading).
 *
 * @example
 * ```ts
 * const frame: ServeFrame = { labels, operationOf, trace: { route: 'notes', component: 'NoteApi', operationOf } };
 * ```
 */
export interface ServeFrame {
  readonly labels?: { readonly component: string; readonly entity: string };
  readonly operationOf?: (request: HttpRequest) => string;
  readonly logger?: RuntimeLogger;
  readonly trace?: Omit<TracedRoute, 'callerOf'> & {
    readonly caller?: (view: CallerView) => TracedCaller;
  };
}

/**
 * An endpoint as the host's handler: the pipeline, inside the request's log line and server span when the frame
 * asks for them.
 *
 * @example
 * ```ts
 * app.http('NoteApi-collection', { route: 'notes', methods: [...ROUTE_METHODS], handler: serve(endpoint, frame) });
 * ```
 */
export function serve<R>(endpoint: Endpoint<R>, frame: ServeFrame = {}): HttpHandler {
  // Cross-origin pages read the headers they act on (http/cors-expose.ts: the platform's CORS exposes none).
  const run = async (request: HttpRequest, invocation: InvocationContext) =>
    withExposedHeaders(request, await runEndpoint(endpoint, request, invocation));
  const logged =
    frame.labels && frame.operationOf
      ? withRequestLog(frame.labels, frame.operationOf, run, frame.logger ?? contextLogger)
      : run;
  if (!frame.trace) return logged;
  const { caller, ...traced } = frame.trace;
  return traceRequests(
    {
      ...traced,
      ...(caller
        ? {
            callerOf: (request: HttpRequest) => {
              const view = callerSeen(request);
              return view ? caller(view) : {};
            },
          }
        : {}),
    },
    logged,
  );
}

/**
 * How a background job (a cascade's next run) acts as the caller its mark records under `policy`: that caller as
 * their own request would resolve, by the caller stage's rules.
 *
 * @example
 * ```ts
 * const call = jobCallerAs(policy)(mark.caller);
 * ```
 */
export function jobCallerAs(policy: RuntimeAuth | undefined): (caller: JobCaller) => CallerRequest {
  return (caller) => {
    const call = callerRequestAs(caller, policy);
    // The bytes a job frees (a cascade's children) are its caller's directory's, as its request's were: the
    // request that accepted the job was admitted by the registry stage under that directory.
    const reg = policy?.registry;
    if (reg && caller.tid !== undefined && boundUsageMeter(reg))
      markLedgerTenant(call.request, caller.tid);
    return call;
  };
}
