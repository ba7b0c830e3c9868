import type { Context } from '@opentelemetry/api';

// The trace context of each request a server span is recording, by the request object the handler gets. Weak:
// gone with the request.
const byRequest = new WeakMap<object, Context>();

/**
 * The trace context of a request's work: its server span (and the RU tally its Cosmos DB calls add to), when
 * one is recording; undefined otherwise. How the runtime's own code reaches its request's span: passed along, not
 * found through an active context (runtime/telemetry/context-manager.ts says what entering one costs).
 *
 * @example
 * ```ts
 * const access = { ...ctx, cosmos: tracedPolicy(ctx.cosmos, request), access: scope.value };
 * ```
 */
export function requestTrace(request: object): Context | undefined {
  return byRequest.get(request);
}

/**
 * Record `ctx` as the trace context of `request` (the server span's, runtime/telemetry/request-span.ts).
 *
 * @example
 * ```ts
 * traceRequest(request, withCharge(trace.setSpan(parent, span), charge));
 * ```
 */
export function traceRequest(request: object, ctx: Context): void {
  byRequest.set(request, ctx);
}

/**
 * A request the runtime makes for itself on behalf of `from` (a parent's first children page) continues its trace.
 *
 * @example
 * ```ts
 * return carryTrace(request, plainRequest('GET', request.url, request.headers, query));
 * ```
 */
export function carryTrace<T extends object>(from: object, to: T): T {
  const ctx = byRequest.get(from);
  if (ctx) byRequest.set(to, ctx);
  return to;
}

/**
 * `policy` with the request's trace context, which its Cosmos DB calls' spans join (`callCosmos`); the same
 * object when the request is not traced, so an untraced request allocates nothing.
 *
 * @example
 * ```ts
 * await callCosmos(tracedPolicy(ctx.cosmos, request), (abortSignal) => container.item(id, pk).read({ abortSignal }));
 * ```
 */
export function tracedPolicy<P extends { readonly trace?: Context }>(
  policy: P,
  request: object,
): P {
  const ctx = byRequest.get(request);
  return ctx ? { ...policy, trace: ctx } : policy;
}
