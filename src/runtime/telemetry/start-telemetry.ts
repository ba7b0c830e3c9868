import { TRACES_SETTING, type TraceSettings } from '../../model/trace-settings.js';
import { markTelemetryPending } from './pending.js';

/** The app setting the platform fills with the Application Insights component's connection string. */
export const INSIGHTS_CONNECTION_SETTING = 'APPLICATIONINSIGHTS_CONNECTION_STRING';

/** What {@link startTelemetry} did: exported to Azure Monitor, or nothing (and why). */
export type TelemetryStart =
  | {
      readonly exporter: 'azure-monitor';
      readonly samplingPercentage: number;
      shutdown(): Promise<void>;
    }
  | { readonly exporter: 'none'; readonly reason: string };

/** The part of `@azure/functions`' `app` used to flush spans when the worker stops. */
export interface TelemetryHooks {
  readonly hook?: { appTerminate?(handler: () => Promise<void>): unknown };
}

/**
 * Start the trace export the app settings ask for: with `ATAKORA_TRACES` (apply writes it when `monitoring` is on)
 * and `APPLICATIONINSIGHTS_CONNECTION_STRING`, spans go to Application Insights (runtime/telemetry/azure-monitor.ts,
 * a file of its own loaded only then: without tracing the worker never loads the SDK). Returns at once, so the
 * package's `main` has no top-level await (a `require()` of it still works); requests that arrive while the
 * exporter loads wait for it (`telemetryPending`). A malformed setting or an exporter that will not start is one
 * JSON line on the console and no tracing, never a failed start: telemetry must not take the API down.
 *
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * startTelemetry(process.env, app);
 * startRuntime(app, process.env);
 * ```
 */
export function startTelemetry(
  env: Readonly<Record<string, string | undefined>>,
  hooks: TelemetryHooks = {},
): Promise<TelemetryStart> {
  const raw = env[TRACES_SETTING]?.trim();
  if (!raw) return Promise.resolve({ exporter: 'none', reason: `${TRACES_SETTING} is not set` });
  const settings = parseTraceSettings(raw);
  if (typeof settings === 'string') return Promise.resolve(notStarted(settings));
  const connectionString = env[INSIGHTS_CONNECTION_SETTING]?.trim();
  if (!connectionString)
    return Promise.resolve(
      notStarted(
        `${TRACES_SETTING} asks for Azure Monitor but ${INSIGHTS_CONNECTION_SETTING} is not set`,
      ),
    );
  const started = startAzureMonitorLater(connectionString, settings, env, hooks);
  markTelemetryPending(
    started.finally(() => {
      markTelemetryPending(undefined);
    }),
  );
  return started;
}

async function startAzureMonitorLater(
  connectionString: string,
  settings: TraceSettings,
  env: Readonly<Record<string, string | undefined>>,
  hooks: TelemetryHooks,
): Promise<TelemetryStart> {
  try {
    const { startAzureMonitor } = await import('./atakora-telemetry.js');
    const started = startAzureMonitor({
      connectionString,
      samplingPercentage: settings.samplingPercentage,
      serviceName: env['WEBSITE_SITE_NAME']?.trim() || 'atakora-runtime',
    });
    if (!started) return notStarted('another tracer provider is registered already');
    hooks.hook?.appTerminate?.(() => started.shutdown());
    return {
      exporter: 'azure-monitor',
      samplingPercentage: settings.samplingPercentage,
      shutdown: () => started.shutdown(),
    };
  } catch (e) {
    return notStarted(`the exporter did not start: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * `ATAKORA_TRACES` read: `{ exporter: 'azure-monitor', samplingPercentage: 0–100 }`, or why not.
 *
 * @example
 * ```ts
 * parseTraceSettings('{"exporter":"azure-monitor","samplingPercentage":25}'); // { exporter: 'azure-monitor', samplingPercentage: 25 }
 * parseTraceSettings('{}'); // 'ATAKORA_TRACES.exporter must be "azure-monitor"'
 * ```
 */
export function parseTraceSettings(raw: string): TraceSettings | string {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return `${TRACES_SETTING} is not JSON`;
  }
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (v['exporter'] !== 'azure-monitor')
    return `${TRACES_SETTING}.exporter must be "azure-monitor"`;
  const p = v['samplingPercentage'];
  if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 100)
    return `${TRACES_SETTING}.samplingPercentage must be a number from 0 to 100`;
  return { exporter: 'azure-monitor', samplingPercentage: p };
}

function notStarted(reason: string): TelemetryStart {
  // No invocation context exists at startup; the worker forwards console output to the app's logs.
  console.error(
    JSON.stringify({
      component: 'runtime',
      operation: 'telemetry',
      outcome: 'not_started',
      message: `Traces are not exported: ${reason}.`,
    }),
  );
  return { exporter: 'none', reason };
}
