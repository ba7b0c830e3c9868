import {
  type Context,
  isSpanContextValid,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { SPAN_ATTRIBUTES as A, type TracedOperation } from './attributes.js';
import {
  invocationParent,
  type InvocationTrace,
  type RequestCharge,
  tracer,
  withCharge,
} from './tracer.js';

/** Who called, as the runtime admitted them: the tenant (or `shared`) and the caller's `oid`. */
export interface TracedCaller {
  readonly tenant?: string;
  readonly user?: string;
}

/**
 * What a server span knows of its route before any request: the route template as the host matches it (without
 * the `api/` prefix), the component that serves it and the operation each method performs.
 *
 * @example
 * ```ts
 * const route: TracedRoute = {
 *   route: 'notes/{id}',
 *   component: 'NoteApi',
 *   operationOf: (method) => ({ GET: 'read', DELETE: 'delete' } as const)[method],
 * };
 * ```
 */
export interface TracedRoute {
  readonly route: string;
  readonly component: string;
  readonly operationOf: (method: string) => TracedOperation | undefined;
  /**
   * Run the handler with the request's span as the active context: for users' own code, whose spans (and their
   * libraries') find their parent through OpenTelemetry's context manager. The runtime's own handlers leave it
   * off and reach the span through the request context's `trace` (runtime/telemetry/context-manager.ts says why).
   */
  readonly userCode?: boolean;
}

/**
 * One request's server span, started: the trace context its work joins, the context users' code runs in, and how
 * it ends.
 */
export interface ServerSpan {
  /**
   * The trace context of the request's work — the span's, with the RU tally its Cosmos DB calls add to when it
   * records; undefined when nothing continues (no provider): an untraced request allocates nothing for it.
   */
  readonly trace: Context | undefined;
  /** The context users' code runs in (`TracedRoute.userCode`). */
  readonly active: Context;
  /** End the span with the answer's status (500 for a throw, named by `error`) and the caller it admitted. */
  end(status: number, caller: TracedCaller | undefined, error?: unknown): void;
}

/**
 * Start one OpenTelemetry server span for a request: `<METHOD> api/<route template>`, child of the host's trace; at
 * its end the method, route, status, component, operation, tenant, caller `oid` and the RU its Cosmos DB calls
 * charged. A 5xx (or a handler that throws) marks the span as an error; a 4xx is the client's answer, not the
 * server's fault. When no provider records (tracing off, or the trace not sampled) nothing of the request is read.
 *
 * @example
 * ```ts
 * const span = startServerSpan(route, request.method, invocation);
 * span.end(200, { tenant: 'contoso', user: 'u1' });
 * ```
 */
export function startServerSpan(
  route: TracedRoute,
  requestMethod: string | undefined,
  invocation: InvocationTrace | undefined,
): ServerSpan {
  const template = `api/${route.route}`;
  const parent = invocationParent(invocation);
  // A host always sends a method; a hand-made request may not (tracing never fails a request).
  const method = (requestMethod ?? 'GET').toUpperCase();
  // No attributes at the start: the samplers used (Application Insights' by trace id, dev's keep-all) never read
  // them, and a span that is not sampled would have them copied and checked for nothing. A recorded span gets
  // all of them at once when the request is answered.
  const span = tracer().startSpan(`${method} ${template}`, SERVER_SPAN, parent);
  if (!span.isRecording()) {
    // Not sampled (or no provider): the children see this span's context, so they are not sampled either.
    const own = span.spanContext();
    // The no-op tracer (no provider) hands back its parent's span context, or none: nothing to continue.
    const continued = isSpanContextValid(own) && own !== trace.getSpanContext(parent);
    const unsampled = continued ? trace.setSpan(parent, span) : parent;
    return {
      trace: continued ? unsampled : undefined,
      active: unsampled,
      end: () => {
        span.end();
      },
    };
  }
  const charge: RequestCharge = { ru: 0 };
  const recording = withCharge(trace.setSpan(parent, span), charge);
  return {
    trace: recording,
    active: recording,
    end: (status, caller, error) => {
      finish(span, route, method, template, status, charge, caller);
      if (error !== undefined)
        span.setAttribute(A.errorType, error instanceof Error ? error.name : 'Error');
      span.end();
    },
  };
}

const SERVER_SPAN = { kind: SpanKind.SERVER } as const;

/** The span's attributes, set in one call once the request is answered (DESIGN §2, "Traces"). */
function finish(
  span: Span,
  route: TracedRoute,
  method: string,
  template: string,
  status: number,
  charge: RequestCharge,
  caller: TracedCaller | undefined,
): void {
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
