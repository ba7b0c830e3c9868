import { SpanKind } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import {
  registerTracerProvider,
  unregisterTracerProvider,
} from '../../../src/runtime/telemetry/register-provider.js';

/** A process-wide tracer provider for one test file: every span ends in `spans()`; `stop()` unregisters it. */
export interface RecordedSpans {
  spans(): ReadableSpan[];
  reset(): void;
  /** Wait until every exporter has sent what it was handed. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Register a provider that records every span in memory (and hands each to `extra` exporters too), as a host
 * would register its own. Test files share a process (isolate: false): call `stop()` in afterAll.
 */
export function recordSpans(...extra: SpanExporter[]): RecordedSpans {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [memory, ...extra].map((e) => new SimpleSpanProcessor(e)),
  });
  if (!registerTracerProvider(provider))
    throw new Error('a tracer provider is registered already (a test file did not stop its own)');
  return {
    spans: () => memory.getFinishedSpans(),
    reset: () => memory.reset(),
    flush: () => provider.forceFlush(),
    async stop() {
      await provider.shutdown();
      unregisterTracerProvider();
    },
  };
}

/** A span's parent span id (SDK 2.x names it `parentSpanContext`). */
export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

/**
 * The Cosmos DB (client) spans that are not the child of a request's server span in the same trace, by name and
 * what they were under: the runtime passes each request's span to its calls (runtime/telemetry/request-trace.ts),
 * and a path that forgets it (a relation's peer, a cascade, a children page) leaves orphans here.
 */
export function untracedCalls(spans: readonly ReadableSpan[]): string[] {
  const servers = new Map(
    spans.filter((s) => s.kind === SpanKind.SERVER).map((s) => [s.spanContext().spanId, s]),
  );
  return spans
    .filter((s) => s.kind === SpanKind.CLIENT)
    .filter(
      (c) => servers.get(parentOf(c) ?? '')?.spanContext().traceId !== c.spanContext().traceId,
    )
    .map((c) => `${c.name} under ${parentOf(c) ?? 'nothing'}`);
}

/** The principal header App Service would inject for a signed-in caller. */
export function principalHeaders(claims: Record<string, string>): Record<string, string> {
  const value = {
    auth_typ: 'aad',
    claims: Object.entries(claims).map(([typ, val]) => ({ typ, val })),
  };
  return { 'x-ms-client-principal': Buffer.from(JSON.stringify(value)).toString('base64') };
}
