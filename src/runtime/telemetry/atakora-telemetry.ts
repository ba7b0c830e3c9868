/**
 * The trace exporter's entry: what a Function App package carries as `atakora-telemetry.js` beside `index.js`
 * (packaging/esm-package.ts `TELEMETRY_FILE`), bundled on its own so that only an app exporting traces loads the
 * Azure Monitor exporter and the SDK. start-telemetry.ts imports it by this name, in the package and in the sources.
 *
 * @example
 * ```ts
 * const { startAzureMonitor } = await import('./atakora-telemetry.js');
 * ```
 */
export {
  startAzureMonitor,
  type AzureMonitorOptions,
  type StartedExport,
} from './azure-monitor.js';
