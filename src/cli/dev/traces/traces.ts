import type { ServerResponse } from 'node:http';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { markTelemetryPending } from '../../../runtime/telemetry/pending.js';
import type { TraceStore } from './trace-store.js';
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

/**
 * `ATAKORA_DEV_TRACES=off` in the developer's shell: dev records no spans (no trace view, no OTLP export). For
 * measuring what tracing costs (bench/dev-start.ts) and for a session whose requests must not be kept in memory.
 */
export const DEV_TRACES_SWITCH = 'ATAKORA_DEV_TRACES';

/**
 * Whether `env` switches dev's tracing off ({@link DEV_TRACES_SWITCH}): the worker records nothing and the banner
 * says so rather than print a trace view URL that answers 404.
 *
 * @example
 * ```ts
 * devTracesOff({ ATAKORA_DEV_TRACES: 'off' }); // true
 * ```
 */
export function devTracesOff(env: NodeJS.ProcessEnv): boolean {
  return env[DEV_TRACES_SWITCH]?.trim().toLowerCase() === 'off';
}

/** A dev worker's tracing: the trace view, and how to flush the OTLP export at stop. */
export interface DevTraces {
  /** `http/protobuf`, `http/json`, or undefined without an endpoint. */
  readonly otlp: string | undefined;
  /** Answer `GET /_atakora/traces` (`?format=json`: the same as JSON); true once taken in hand. */
  serve(res: ServerResponse, url: URL): true;
  shutdown(): Promise<void>;
}

interface Started {
  readonly store: TraceStore;
  shutdown(): Promise<void>;
}

/**
 * Start the dev worker's tracing: always the trace view's {@link TraceStore}, and an OTLP over HTTP export when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (or the traces-only variable) is set — `http/protobuf` unless
 * `OTEL_EXPORTER_OTLP_PROTOCOL` says `http/json` (the Aspire dashboard and Jaeger take both), in batches sent within
 * a second. Every trace is kept: dev has little traffic and every request is worth seeing. An unusable setting
 * (gRPC, which needs another transport) is one line on stderr and no export, never a failed start.
 *
 * Returns at once: the OpenTelemetry SDK (and the exporter) load while the worker loads the app's package, not
 * before it — the runtime looks its tracer up in the global registry per span, so a provider registered after the
 * package still gets every span, and a request that arrives before it is registered waits for it (the signal a
 * deployed app's exporter start gives, runtime/telemetry/pending.ts).
 *
 * @example
 * ```ts
 * const traces = startDevTraces(process.env); // the app's name from WEBSITE_SITE_NAME, warnings on stderr
 * ```
 */
export function startDevTraces(
  env: NodeJS.ProcessEnv,
  app = env['WEBSITE_SITE_NAME'] || 'app',
  warn: (line: string) => void = (line) => process.stderr.write(line),
): DevTraces {
  if (devTracesOff(env)) return tracesOff();
  const otlp = otlpProtocol(env, warn);
  const started = startProvider(env, app, otlp).catch((e: unknown) => {
    warn(`atakora dev: traces are not recorded: ${e instanceof Error ? e.message : String(e)}\n`);
    return undefined;
  });
  markTelemetryPending(
    started.finally(() => {
      markTelemetryPending(undefined);
    }),
  );
  return {
    otlp,
    serve(res, url) {
      void started.then((s) => {
        if (!s) {
          offPage(res, 'the OpenTelemetry SDK did not load (see the console)');
          return;
        }
        if (url.searchParams.get('format') === 'json') {
          res.writeHead(200, {
            'content-type': 'application/json',
            'cache-control': 'no-store',
            'x-content-type-options': 'nosniff',
          });
          res.end(JSON.stringify({ app, requests: s.store.requests() }));
          return;
        }
        res.writeHead(200, TRACE_VIEW_HEADERS);
        res.end(traceViewHtml(s.store.requests(), app));
      });
      return true;
    },
    // Flush what the OTLP export holds, but never hold the worker's stop for long on an endpoint that is gone.
    shutdown: () =>
      Promise.race([
        started.then((s) => s?.shutdown()).catch(() => undefined),
        new Promise<void>((done) => setTimeout(done, 2000).unref()),
      ]),
  };
}

/** Register the provider: the SDK, the store and the exporter loaded only now (see {@link startDevTraces}). */
async function startProvider(
  env: NodeJS.ProcessEnv,
  app: string,
  otlp: string | undefined,
): Promise<Started> {
  const [{ BasicTracerProvider, BatchSpanProcessor }, { resourceFromAttributes }, register, store] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/resources'),
      import('../../../runtime/telemetry/register-provider.js'),
      import('./trace-store.js').then(({ TraceStore }) => new TraceStore()),
    ]);
  const processors: SpanProcessor[] = [store];
  const exporter = otlp ? await otlpExporter(otlp) : undefined;
  if (exporter) processors.push(new BatchSpanProcessor(exporter, { scheduledDelayMillis: 500 }));
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env['OTEL_SERVICE_NAME'] || app }),
    spanProcessors: processors,
  });
  // A process that registered a provider already (a test file, a host's own) keeps it; only ours is undone at stop.
  const registered = register.registerTracerProvider(provider);
  return {
    store,
    async shutdown() {
      await provider.shutdown();
      if (registered) register.unregisterTracerProvider();
    },
  };
}

/** The OTLP protocol to export with, or undefined: no endpoint, or one this exporter cannot speak (said once). */
function otlpProtocol(env: NodeJS.ProcessEnv, warn: (line: string) => void): string | undefined {
  if (!env['OTEL_EXPORTER_OTLP_ENDPOINT'] && !env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'])
    return undefined;
  const protocol = (
    env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'] ||
    env['OTEL_EXPORTER_OTLP_PROTOCOL'] ||
    'http/protobuf'
  ).trim();
  if (protocol === 'http/json' || protocol === 'http/protobuf') return protocol;
  warn(
    `atakora dev: traces are not exported: OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported ` +
      '(use http/protobuf or http/json; the trace view works without).\n',
  );
  return undefined;
}

// Loaded only when asked for: a dev start without an endpoint never loads an exporter.
async function otlpExporter(protocol: string): Promise<SpanExporter> {
  if (protocol === 'http/json') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter();
  }
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter();
}

function tracesOff(): DevTraces {
  return {
    otlp: undefined,
    serve(res) {
      offPage(res, `${DEV_TRACES_SWITCH}=off`);
      return true;
    },
    shutdown: () => Promise.resolve(),
  };
}

/** The trace view when nothing is recorded: a 404 that says why, not an empty list that looks like no traffic. */
function offPage(res: ServerResponse, why: string): void {
  res.writeHead(404, {
    'content-type': 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
  });
  res.end(`The trace view is off: ${why}.\n`);
}
