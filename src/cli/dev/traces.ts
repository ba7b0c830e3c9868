import type { ServerResponse } from 'node:http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  registerTracerProvider,
  unregisterTracerProvider,
} from '../../runtime/telemetry/register-provider.js';
import { TraceStore } from './trace-store.js';
import { TRACE_VIEW_HEADERS, traceViewHtml } from './trace-view.js';

export { TRACE_VIEW_PATH } from './trace-view.js';

/**
 * The OpenTelemetry variables a dev worker passes on from the developer's shell (the OTLP exporter reads them:
 * the endpoint, `/v1/traces` appended unless the traces-only one is given; the protocol; headers such as an API
 * key; the service name).
 */
export const OTEL_VARIABLES = [
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  'OTEL_EXPORTER_OTLP_HEADERS',
  'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
  'OTEL_SERVICE_NAME',
] as const;

/** A dev worker's tracing: the trace view's memory, and how to flush the OTLP export at stop. */
export interface DevTraces {
  readonly store: TraceStore;
  /** `http/protobuf`, `http/json`, or undefined without an endpoint. */
  readonly otlp: string | undefined;
  /** Answer `GET /_atakora/traces` (`?format=json`: the same as JSON); true once answered. */
  serve(res: ServerResponse, url: URL): true;
  shutdown(): Promise<void>;
}

/**
 * Register the dev worker's tracer provider before the package loads (the runtime looks its tracer up in the
 * global registry, so its spans come here): always the trace view's {@link TraceStore}, and an OTLP over HTTP
 * export when `OTEL_EXPORTER_OTLP_ENDPOINT` (or the traces-only variable) is set — `http/protobuf` unless
 * `OTEL_EXPORTER_OTLP_PROTOCOL` says `http/json` (the Aspire dashboard and Jaeger take both), in batches sent within
 * a second. Every trace is kept: dev has little traffic and every request is worth seeing. An unusable setting
 * (gRPC, which needs another transport) is one line on stderr and no export, never a failed start.
 *
 * @example
 * ```ts
 * const traces = await startDevTraces(process.env); // the app's name from WEBSITE_SITE_NAME, warnings on stderr
 * ```
 */
export async function startDevTraces(
  env: NodeJS.ProcessEnv,
  app = env['WEBSITE_SITE_NAME'] || 'app',
  warn: (line: string) => void = (line) => process.stderr.write(line),
): Promise<DevTraces> {
  const store = new TraceStore();
  const processors: SpanProcessor[] = [store];
  const otlp = await otlpExporter(env, warn);
  if (otlp) processors.push(new BatchSpanProcessor(otlp.exporter, { scheduledDelayMillis: 500 }));
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env['OTEL_SERVICE_NAME'] || app }),
    spanProcessors: processors,
  });
  // A process that registered a provider already (a test file, a host's own) keeps it; only ours is undone at stop.
  const registered = registerTracerProvider(provider);
  return {
    store,
    otlp: otlp?.protocol,
    serve(res, url) {
      if (url.searchParams.get('format') === 'json') {
        res.writeHead(200, {
          'content-type': 'application/json',
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        });
        res.end(JSON.stringify({ app, requests: store.requests() }));
        return true;
      }
      res.writeHead(200, TRACE_VIEW_HEADERS);
      res.end(traceViewHtml(store.requests(), app));
      return true;
    },
    // Flush what the OTLP export holds, but never hold the worker's stop for long on an endpoint that is gone.
    async shutdown() {
      await Promise.race([
        provider.shutdown().catch(() => undefined),
        new Promise<void>((done) => setTimeout(done, 2000).unref()),
      ]);
      if (registered) unregisterTracerProvider();
    },
  };
}

async function otlpExporter(
  env: NodeJS.ProcessEnv,
  warn: (line: string) => void,
): Promise<{ exporter: SpanExporter; protocol: string } | undefined> {
  if (!env['OTEL_EXPORTER_OTLP_ENDPOINT'] && !env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'])
    return undefined;
  const protocol = (
    env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'] ||
    env['OTEL_EXPORTER_OTLP_PROTOCOL'] ||
    'http/protobuf'
  ).trim();
  // Loaded only when asked for: a dev start without an endpoint never loads an exporter.
  if (protocol === 'http/json') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    return { exporter: new OTLPTraceExporter(), protocol };
  }
  if (protocol === 'http/protobuf') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
    return { exporter: new OTLPTraceExporter(), protocol };
  }
  warn(
    `atakora dev: traces are not exported: OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported ` +
      '(use http/protobuf or http/json; the trace view works without).\n',
  );
  return undefined;
}
