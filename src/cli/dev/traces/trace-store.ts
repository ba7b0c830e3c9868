import { SpanKind, SpanStatusCode, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** One span as the trace view shows it. */
export interface ViewSpan {
  readonly name: string;
  readonly kind: 'server' | 'client' | 'internal' | 'producer' | 'consumer';
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  /** Milliseconds from the request's start. */
  readonly offsetMs: number;
  readonly durationMs: number;
  readonly error: boolean;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
}

/** One request (a server span) and every span of its trace. */
export interface ViewRequest {
  readonly traceId: string;
  /** ISO time of its start. */
  readonly time: string;
  readonly startMs: number;
  /** `<METHOD> <route template>`. */
  readonly name: string;
  readonly status: number | undefined;
  readonly durationMs: number;
  readonly requestCharge: number;
  readonly tenant: string | undefined;
  readonly component: string | undefined;
  readonly operation: string | undefined;
  readonly user: string | undefined;
  readonly error: boolean;
  /** The request's spans, by start (the server span first); spans ending later (an onChange) join it. */
  readonly spans: ViewSpan[];
}

/** The requests the trace view keeps (DESIGN §2: the last 1,000). */
export const TRACE_VIEW_REQUESTS = 1000;
/** Spans waiting for their request's server span to end (a Cosmos DB call ends before it); the oldest go first. */
const MAX_WAITING_TRACES = 2000;

const KINDS: Record<SpanKind, ViewSpan['kind']> = {
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

const ms = (t: readonly [number, number]) => t[0] * 1000 + t[1] / 1e6;

/**
 * The dev worker's memory of its last {@link TRACE_VIEW_REQUESTS} requests, each with its spans: a span processor
 * (on the worker's tracer provider, beside an OTLP export when one is asked for) that groups ended spans by trace
 * and turns each server span into a request. What it holds are the runtime's spans as exported — the same
 * attributes, so the same promise: no item field, query value, token or secret (docs/observability.md).
 *
 * @example
 * ```ts
 * const store = new TraceStore();
 * new BasicTracerProvider({ spanProcessors: [store] });
 * store.requests()[0]?.name; // 'GET api/notes/{id}'
 * ```
 */
export class TraceStore implements SpanProcessor {
  private readonly kept: ViewRequest[] = [];
  private readonly byTrace = new Map<string, ViewRequest>();
  private readonly waiting = new Map<string, ReadableSpan[]>();

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    const traceId = span.spanContext().traceId;
    const request = this.byTrace.get(traceId);
    if (request) {
      request.spans.push(viewSpan(span, request.startMs));
      return;
    }
    if (span.kind !== SpanKind.SERVER) {
      const list = this.waiting.get(traceId);
      if (list) list.push(span);
      else {
        this.waiting.set(traceId, [span]);
        if (this.waiting.size > MAX_WAITING_TRACES)
          for (const oldest of this.waiting.keys()) {
            this.waiting.delete(oldest);
            break;
          }
      }
      return;
    }
    const startMs = ms(span.startTime);
    const a = span.attributes;
    const str = (k: string) => (typeof a[k] === 'string' ? a[k] : undefined);
    const added: ViewRequest = {
      traceId,
      time: new Date(startMs).toISOString(),
      startMs,
      name: span.name,
      status:
        typeof a['http.response.status_code'] === 'number'
          ? a['http.response.status_code']
          : undefined,
      durationMs: ms(span.duration),
      requestCharge:
        typeof a['db.cosmosdb.request_charge'] === 'number' ? a['db.cosmosdb.request_charge'] : 0,
      tenant: str('atakora.tenant'),
      component: str('atakora.component'),
      operation: str('atakora.operation'),
      user: str('enduser.id'),
      error: span.status.code === SpanStatusCode.ERROR,
      spans: [span, ...(this.waiting.get(traceId) ?? [])]
        .map((s) => viewSpan(s, startMs))
        .sort((x, y) => x.offsetMs - y.offsetMs || (x.kind === 'server' ? -1 : 1)),
    };
    this.waiting.delete(traceId);
    this.kept.push(added);
    this.byTrace.set(traceId, added);
    const dropped = this.kept.length > TRACE_VIEW_REQUESTS ? this.kept.shift() : undefined;
    if (dropped) this.byTrace.delete(dropped.traceId);
  }

  /** The kept requests, newest first. */
  requests(): readonly ViewRequest[] {
    return [...this.kept].reverse();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function viewSpan(s: ReadableSpan, requestStartMs: number): ViewSpan {
  const attributes: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(s.attributes))
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') attributes[k] = v;
  return {
    name: s.name,
    kind: KINDS[s.kind],
    spanId: s.spanContext().spanId,
    parentSpanId: s.parentSpanContext?.spanId,
    offsetMs: ms(s.startTime) - requestStartMs,
    durationMs: ms(s.duration),
    error: s.status.code === SpanStatusCode.ERROR,
    attributes,
  };
}
