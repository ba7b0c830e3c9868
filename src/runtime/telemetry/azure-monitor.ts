import { ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import {
  ApplicationInsightsSampler,
  type AzureMonitorExporterOptions,
  AzureMonitorTraceExporter,
} from '@azure/monitor-opentelemetry-exporter';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { registerTracerProvider } from './register-provider.js';
import { ClientProofSampler } from './client-proof-sampler.js';

/** What {@link startAzureMonitor} needs: where, as whom, which share of traces, under which name. */
export interface AzureMonitorOptions {
  /** The Application Insights connection string (`APPLICATIONINSIGHTS_CONNECTION_STRING`). */
  readonly connectionString: string;
  /** 0–100: the share of traces kept, decided per trace id as Application Insights' other SDKs decide it. */
  readonly samplingPercentage: number;
  /** `service.name`: Application Insights' cloud role (the Function App's name). */
  readonly serviceName: string;
  /** Default: the app's system-assigned identity, which holds Monitoring Metrics Publisher on the component. */
  readonly credential?: TokenCredential;
  /** More of the exporter's options (a host's TLS settings, a test's loopback stand-in). */
  readonly exporter?: Omit<AzureMonitorExporterOptions, 'connectionString' | 'credential'>;
}

/** A started export: flush before the worker goes away. */
export interface StartedExport {
  shutdown(): Promise<void>;
}

/**
 * Export the runtime's spans to Application Insights with the Azure Monitor OpenTelemetry exporter, authenticated
 * by Entra ID (the component has local auth off, so an instrumentation key alone is refused), sampled by
 * Application Insights' own sampler (fixed percentage by trace id, recording the sample rate so that its counts
 * are scaled back: `itemCount`) over a trace id the process draws for each request, never the client's, in batches. Only spans: no metrics, logs or auto-instrumentation are loaded
 * (they would add cold start, and an HTTP instrumentation would record URLs — item ids, SAS query strings).
 *
 * @example
 * ```ts
 * startAzureMonitor({ connectionString, samplingPercentage: 25, serviceName: 'func-shop-prod' });
 * ```
 */
export function startAzureMonitor(options: AzureMonitorOptions): StartedExport | undefined {
  const exporter = new AzureMonitorTraceExporter({
    ...options.exporter,
    connectionString: options.connectionString,
    credential: options.credential ?? new ManagedIdentityCredential(),
  });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    // Decided by the process, not by the trace id a client sent (runtime/telemetry/client-proof-sampler.ts).
    sampler: new ClientProofSampler(
      new ApplicationInsightsSampler(options.samplingPercentage / 100),
    ),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  return registerTracerProvider(provider) ? { shutdown: () => provider.shutdown() } : undefined;
}
