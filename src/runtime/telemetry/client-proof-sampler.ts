import { randomBytes } from 'node:crypto';
import { type Attributes, type Context, type Link, type SpanKind, trace } from '@opentelemetry/api';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace-base';

/** 32 lowercase hex digits from the process's CSPRNG: a trace id no client chose. */
const freshTraceId = (): string => randomBytes(16).toString('hex');

/**
 * A sampler whose decision no client can steer: a span whose parent came from outside the process (the request's
 * `traceparent`, through the host) or that has none is decided by `inner` over a fresh random trace id, never the
 * incoming one — Application Insights' sampler decides by a hash of the trace id it is given, so a chosen id made
 * every request recorded (or none). The span keeps its trace id and parent (it still joins the caller's trace);
 * only the decision is the process's own. A span under a local parent is `inner`'s as before (it follows the
 * parent), so a request's spans are recorded together or not at all.
 *
 * @example
 * ```ts
 * const sampler = new ClientProofSampler(new ApplicationInsightsSampler(0.25));
 * ```
 */
export class ClientProofSampler implements Sampler {
  constructor(
    private readonly inner: Sampler,
    private readonly traceIdForDecision: () => string = freshTraceId,
  ) {}

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const parent = trace.getSpanContext(context);
    const local = parent !== undefined && trace.isSpanContextValid(parent) && !parent.isRemote;
    return this.inner.shouldSample(
      context,
      local ? traceId : this.traceIdForDecision(),
      spanName,
      spanKind,
      attributes,
      links,
    );
  }

  toString(): string {
    return `ClientProofSampler{${this.inner.toString()}}`;
  }
}
