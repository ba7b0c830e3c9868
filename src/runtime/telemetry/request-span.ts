import {
  type Context,
  context,
  isSpanContextValid,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { HttpRequest, HttpResponse, HttpResponseInit } from '@azure/functions';
import { SPAN_ATTRIBUTES as A, type TracedOperation } from './attributes.js';
import {
  invocationParent,
  type InvocationTrace,
  type RequestCharge,
  tracer,
  withCharge,
} from './tracer.js';
import { telemetryPending } from './pending.js';
import { traceRequest } from './request-trace.js';
import { userCode } from './user-code.js';

/** Who called, as the runtime admitted them: the tenant (or `shared`) and the caller's `oid`. */
export interface TracedCaller {
  readonly tenant?: string;
  readonly user?: string;
}

/**
 * What a server span knows of its route before any request: the route template as the host matches it (without
 * the `api/` prefix), the component that serves it, the operation each method performs, and how to read the
 * admitted caller off a request (the same pure functions the handler's admission used: never a value the
 * platform does not vouch for).
 *
 * @example
 * ```ts
 * const route: TracedRoute = {
 *   route: 'notes/{id}',
 *   component: 'NoteApi',
 *   operationOf: (method) => ({ GET: 'read', DELETE: 'delete' } as const)[method],
 *   callerOf: () => ({ tenant: 'shared' }),
 * };
 * ```
 */
export interface TracedRoute {
  readonly route: string;
  readonly component: string;
  readonly operationOf: (method: string) => TracedOperation | undefined;
  readonly callerOf?: (request: HttpRequest) => TracedCaller;
  /**
   * Run the handler with the request's span as the active context: for users' own code, whose spans (and their
   * libraries') find their parent through OpenTelemetry's context manager. The runtime's own handlers leave it
   * off and reach the span through `requestTrace` (runtime/telemetry/context-manager.ts says why).
   */
  readonly userCode?: boolean;
}

type Handler<C> = (
  request: HttpRequest,
  invocation: C,
) => Promise<HttpResponseInit | HttpResponse> | HttpResponseInit | HttpResponse;

/**
 * One OpenTelemetry server span per request: `<METHOD> api/<route template>`, child of the host's trace, with the
 * method, route, status, component, operation, tenant, caller `oid` and the RU its Cosmos DB calls charged. A 5xx
 * (or a handler that throws) marks the span as an error; a 4xx is the client's answer, not the server's fault.
 * When no provider records (tracing off, or the trace not sampled) the handler runs as is, and nothing of the
 * request is read. The span's context is the request's `requestTrace` (and, for users' code, the active
 * context).
 *
 * @example
 * ```ts
 * app.http('NoteApi-item', { route: 'notes/{id}', methods: ['GET'], handler: traceRequests(route, handler) });
 * ```
 */
export function traceRequests<C extends InvocationTrace>(
  route: TracedRoute,
  handler: Handler<C>,
): (request: HttpRequest, invocation: C) => Promise<HttpResponseInit | HttpResponse> {
  const template = `api/${route.route}`;
  return async (request, invocation) => {
    // A cold start's first requests wait for the trace export to load (only while it does, only when it is on).
    const pending = telemetryPending();
    if (pending) await pending;
    const parent = invocationParent(invocation);
    // A host always sends a method; a hand-made request may not (tracing never fails a request).
    const method = ((request.method as string | undefined) ?? 'GET').toUpperCase();
    // No attributes at the start: the samplers used (Application Insights' by trace id, dev's keep-all) never read
    // them, and a span that is not sampled would have them copied and checked for nothing. A recorded span gets
    // all of them at once when the request is answered (`finish`).
    const span = tracer().startSpan(`${method} ${template}`, SERVER_SPAN, parent);
    if (!span.isRecording()) {
      // Not sampled (or no provider): the children see this span's context, so they are not sampled either.
      const own = span.spanContext();
      // The no-op tracer (no provider) hands back its parent's span context, or none: nothing to continue, and
      // an untraced request allocates nothing for it.
      const continued = isSpanContextValid(own) && own !== trace.getSpanContext(parent);
      const unsampled = continued ? trace.setSpan(parent, span) : parent;
      if (continued) traceRequest(request, unsampled);
      try {
        return await run(route, unsampled, handler, request, invocation);
      } finally {
        span.end();
      }
    }
    const charge: RequestCharge = { ru: 0 };
    const recording = withCharge(trace.setSpan(parent, span), charge);
    traceRequest(request, recording);
    try {
      const response = await run(route, recording, handler, request, invocation);
      finish(span, route, method, template, response.status ?? 200, charge, request);
      return response;
    } catch (e) {
      finish(span, route, method, template, 500, charge, request);
      span.setAttribute(A.errorType, e instanceof Error ? e.name : 'Error');
      throw e;
    } finally {
      span.end();
    }
  };
}

const SERVER_SPAN = { kind: SpanKind.SERVER } as const;

/** Users' code runs with the request's context active; the runtime's own reaches it through `requestTrace`. */
function run<C>(
  route: TracedRoute,
  ctx: Context,
  handler: Handler<C>,
  request: HttpRequest,
  invocation: C,
): ReturnType<Handler<C>> {
  return route.userCode
    ? context.with(userCode(ctx), () => handler(request, invocation))
    : handler(request, invocation);
}

/** The caller's attributes; tracing never fails a request, so a fault here only leaves them out. */
function callerOn(route: TracedRoute, request: HttpRequest): TracedCaller | undefined {
  try {
    return route.callerOf?.(request);
  } catch {
    return undefined;
  }
}

/** The span's attributes, set in one call once the request is answered (DESIGN §2, "Traces"). */
function finish(
  span: Span,
  route: TracedRoute,
  method: string,
  template: string,
  status: number,
  charge: RequestCharge,
  request: HttpRequest,
): void {
  const caller = callerOn(route, request);
  const operation = route.operationOf(method);
  const failed = status >= 500;
  span.setAttributes({
    [A.method]: method,
    [A.route]: template,
    [A.component]: route.component,
    [A.operation]: operation,
    [A.status]: status,
    [A.requestCharge]: roundCharge(charge.ru),
    [A.tenant]: caller?.tenant,
    [A.user]: caller?.user,
    [A.errorType]: failed ? String(status) : undefined,
  });
  if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
}

/** RU are reported with two decimals, as Cosmos DB's `x-ms-request-charge` gives them; the sum drifts otherwise. */
export function roundCharge(ru: number): number {
  return Math.round(ru * 100) / 100;
}
