import { type Context, context } from '@opentelemetry/api';
import { telemetryPending } from '../../telemetry/pending.js';
import { startServerSpan } from '../../telemetry/request-span.js';
import { userCode } from '../../telemetry/user-code.js';
import type { Outcome, RequestContext, TraceFrame } from '../context.js';
import { NOTHING } from '../stage-list.js';

type Next = (adds: { trace?: Context | undefined }) => Promise<Outcome>;

/**
 * Trace: one OpenTelemetry server span around the rest of the request (runtime/telemetry/request-span.ts), when
 * the route asks for one (`endpoint.trace`): its trace context on the request context (`ctx.trace`) for every
 * later stage and Cosmos DB call to join, and, once the request is answered, its status and the caller the caller
 * stage resolved. A route of users' code (`userCode`) runs with the span's context active.
 *
 * @example
 * ```ts
 * StageList.of<RequestContext>().wrap(trace);
 * ```
 */
export function trace(ctx: RequestContext, next: Next): Promise<Outcome> {
  const frame = ctx.endpoint.trace;
  if (!frame) return next(NOTHING);
  return traced(ctx, frame, next);
}

async function traced(ctx: RequestContext, frame: TraceFrame, next: Next): Promise<Outcome> {
  // A cold start's first requests wait for the trace export to load (only while it does, only when it is on).
  const pending = telemetryPending();
  if (pending) await pending;
  const span = startServerSpan(frame, ctx.request.method, ctx.invocation);
  const outcome = await (frame.userCode
    ? context.with(userCode(span.active), () => next({ trace: span.trace }))
    : next({ trace: span.trace }));
  const seen = outcome.ctx.caller;
  let caller;
  try {
    // Tracing never fails a request: a fault here only leaves the caller's attributes out.
    caller = seen && frame.caller ? frame.caller(seen) : undefined;
  } catch {
    caller = undefined;
  }
  if ('failed' in outcome) span.end(500, caller, outcome.failed);
  else span.end(outcome.ctx.operationStatus ?? outcome.response.status ?? 200, caller);
  return outcome;
}
