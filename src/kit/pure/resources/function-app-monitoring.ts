import type { DiagnosticFact } from './resource-facts.js';

/**
 * What a Function App (Microsoft.Web/sites, kind functionapp) sends to the backend's Log Analytics workspace: every
 * log category through the `allLogs` category group (FunctionAppLogs and the App Service categories the site
 * supports: Learn, "Supported log categories - Microsoft.Web/sites",
 * https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/microsoft-web-sites-logs) and every
 * platform metric (`AllMetrics`, "Supported metrics - Microsoft.Web/sites"). Shared by the serving app's facts and the
 * SCIM app, which creates its own setting (it is planned after monitoring), so the two send the same.
 *
 * @example
 * ```ts
 * FUNCTION_APP_DIAGNOSTICS.metrics; // ['AllMetrics']
 * ```
 */
export const FUNCTION_APP_DIAGNOSTICS: DiagnosticFact = Object.freeze({
  allLogs: true,
  metrics: Object.freeze(['AllMetrics']),
});

/**
 * Metric alerts are billed per monitored time series (https://azure.microsoft.com/pricing/details/monitor/): one
 * metric of one app is one series.
 *
 * @example
 * ```ts
 * const usd = FUNCTION_APP_ALERTS * USD_PER_METRIC_ALERT; // one app's alerts a month
 * ```
 */
export const USD_PER_METRIC_ALERT = 0.1;

/**
 * The metric alerts each Function App gets with `monitoring.alerting` on: HTTP 5xx over the error threshold and the
 * average response time over the latency threshold.
 *
 * @example
 * ```ts
 * FUNCTION_APP_ALERTS; // 2
 * ```
 */
export const FUNCTION_APP_ALERTS = 2;
