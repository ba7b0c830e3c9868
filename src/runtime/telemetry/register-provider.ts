import { context, propagation, trace, type TracerProvider } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OnDemandContextManager } from './context-manager.js';

/**
 * Make `provider` the process's tracer provider, with what spans need around it: an `AsyncLocalStorage` context
 * manager that is on only while code needs an active context (users' handlers, whose spans find their request
 * across `await`s; runtime/telemetry/context-manager.ts), and the W3C Trace Context propagator (an invocation joins
 * the host's trace through its `traceparent`). Returns false, registering nothing, when a provider is registered
 * already (a host or a test chose one: theirs is kept).
 *
 * @example
 * ```ts
 * const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
 * registerTracerProvider(provider); // true
 * ```
 */
export function registerTracerProvider(provider: TracerProvider): boolean {
  if (!trace.setGlobalTracerProvider(provider)) return false;
  context.setGlobalContextManager(new OnDemandContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return true;
}

/**
 * Undo {@link registerTracerProvider}: the process has no tracer provider, context manager or propagator again, so
 * another may be registered (a dev worker's stop; a test file's end in a shared process).
 *
 * @example
 * ```ts
 * if (registerTracerProvider(provider)) onStop(unregisterTracerProvider);
 * ```
 */
export function unregisterTracerProvider(): void {
  trace.disable();
  context.disable();
  propagation.disable();
}
