/**
 * Trace sampling is not the client's to steer: Application Insights' sampler decides by a hash of the trace id, and
 * the trace id of a request's server span comes from its `traceparent`. With a chosen id every request was recorded
 * (or none); under ClientProofSampler the decision is drawn over a trace id the process picks, so the same chosen
 * ids give exactly the same decisions as any others — shown by construction with an injected id source, no
 * statistics and no flakiness.
 */
import { createHash } from 'node:crypto';
import { ApplicationInsightsSampler } from '@azure/monitor-opentelemetry-exporter';
import { type Context, ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { BasicTracerProvider, type Sampler, SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { ClientProofSampler } from '../../../src/runtime/telemetry/client-proof-sampler.js';

/** The context a `traceparent` of `traceId` (sampled flag as sent) makes: a remote parent. */
const remoteParent = (traceId: string, sampled: boolean): Context =>
  trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId: '00f067aa0ba902b7',
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });

const recorded = (sampler: Sampler, parent: Context, traceId: string): boolean =>
  sampler.shouldSample(parent, traceId, 'GET api/notes', SpanKind.SERVER, {}, []).decision ===
  SamplingDecision.RECORD_AND_SAMPLED;

const idOf = (n: number) => createHash('sha256').update(String(n)).digest('hex').slice(0, 32);

/** Trace ids a client can choose so that Application Insights' sampler at 50 % keeps all, or none. */
function chosenIds(inner: Sampler): { always: string; never: string } {
  let always: string | undefined;
  let never: string | undefined;
  for (let n = 0; !(always && never); n++) {
    const id = idOf(n);
    if (recorded(inner, remoteParent(id, false), id)) always ??= id;
    else never ??= id;
  }
  return { always: always!, never: never! };
}

describe('ClientProofSampler', () => {
  const inner = new ApplicationInsightsSampler(0.5);
  const { always, never } = chosenIds(inner);

  it('without it, a chosen traceparent records 200 of 200 requests, or 0 of 200', () => {
    let kept = 0;
    let lost = 0;
    for (let i = 0; i < 200; i++) {
      if (recorded(inner, remoteParent(always, false), always)) kept++;
      if (recorded(inner, remoteParent(never, true), never)) lost++;
    }
    expect([kept, lost]).toEqual([200, 0]);
  });

  it('with it, the decisions do not depend on the incoming trace id or sampled flag', () => {
    const decisions = (incoming: string, sampled: boolean): boolean[] => {
      let n = 1000;
      // The same draws for every client: whatever differs in the decisions would be the client's doing.
      const sampler = new ClientProofSampler(inner, () => idOf(n++));
      return Array.from({ length: 200 }, () =>
        recorded(sampler, remoteParent(incoming, sampled), incoming),
      );
    };
    const a = decisions(always, true);
    expect(decisions(never, true)).toEqual(a);
    expect(decisions(never, false)).toEqual(a);
    expect(decisions(idOf(7), false)).toEqual(a);
    const kept = a.filter(Boolean).length;
    // The process's own draws at 50 %: neither all nor none of 200.
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(200);
  });

  it('never hands the incoming trace id to the sampler it wraps; a local parent is followed', () => {
    const seen: string[] = [];
    const spy: Sampler = {
      shouldSample: (...args: Parameters<Sampler['shouldSample']>) => {
        seen.push(args[1]);
        return inner.shouldSample(...args);
      },
      toString: () => 'spy',
    };
    const sampler = new ClientProofSampler(spy);
    for (let i = 0; i < 50; i++) recorded(sampler, remoteParent(always, true), always);
    expect(seen.filter((id) => id === always)).toEqual([]);
    expect(new Set(seen).size).toBe(50);

    // Under a recorded server span of the process, its children are recorded with it (one trace, whole).
    const provider = new BasicTracerProvider({
      sampler: new ClientProofSampler(new ApplicationInsightsSampler(1)),
    });
    const tracer = provider.getTracer('t');
    const server = tracer.startSpan(
      'GET api/notes',
      { kind: SpanKind.SERVER },
      remoteParent(never, false),
    );
    expect(server.isRecording()).toBe(true);
    expect(server.spanContext().traceId).toBe(never);
    const child = tracer.startSpan(
      'cosmosdb',
      { kind: SpanKind.CLIENT },
      trace.setSpan(ROOT_CONTEXT, server),
    );
    expect(child.isRecording()).toBe(true);
    child.end();
    server.end();
  });
});
