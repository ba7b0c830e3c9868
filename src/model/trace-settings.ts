/**
 * App setting that turns on the runtime's trace export, as JSON ({@link TraceSettings}). Apply writes it on every
 * Function App of a backend with `monitoring` on; without it the runtime records nothing (its spans go to the
 * OpenTelemetry API's no-op provider, or to whatever provider a host registered, as `atakora dev` does).
 *
 * @example
 * ```ts
 * // app_settings: { ATAKORA_TRACES: '{"exporter":"azure-monitor","samplingPercentage":25}' }
 * const settings = JSON.parse(process.env[TRACES_SETTING] ?? 'null') as TraceSettings | null;
 * ```
 */
export const TRACES_SETTING = 'ATAKORA_TRACES';

/**
 * The value of {@link TRACES_SETTING}: where spans go and which share of traces is kept. Azure Monitor is reached
 * through `APPLICATIONINSIGHTS_CONNECTION_STRING` with the app's managed identity (local auth is off on the
 * Application Insights component).
 *
 * @example
 * ```ts
 * const settings: TraceSettings = { exporter: 'azure-monitor', samplingPercentage: 25 };
 * ```
 */
export interface TraceSettings {
  readonly exporter: 'azure-monitor';
  /** Share of traces kept, 0–100 (`monitoring.samplingPercentage`); a trace is kept or dropped whole. */
  readonly samplingPercentage: number;
}
