import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { parentOf } from '../runtime/support/spans.js';

/**
 * The Cosmos DB spans of a run that are not the child of a request's server span in the same trace, by name and
 * what they were under: the runtime passes each request's span to its calls (runtime/telemetry/request-trace.ts),
 * and a path that forgets it (a relation's peer, a cascade, a children page) leaves orphans here.
 */
export function untracedCalls(spans: readonly ReadableSpan[]): string[] {
  const servers = new Map(
    spans.filter((s) => s.kind === SpanKind.SERVER).map((s) => [s.spanContext().spanId, s]),
  );
  return spans
    .filter((s) => s.kind === SpanKind.CLIENT)
    .filter((c) => {
      const parent = servers.get(parentOf(c) ?? '');
      return parent?.spanContext().traceId !== c.spanContext().traceId;
    })
    .map((c) => `${c.name} under ${parentOf(c) ?? 'nothing'}`);
}
