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

/**
 * HTTP 401 answers in 5 minutes above which the SCIM app's `alert-<app>-unauthorized` fires (metric `Http401`,
 * Total; Learn, "Supported metrics - Microsoft.Web/sites"). No legitimate caller makes 401s in numbers: Entra's
 * provisioning service sends the token set in a directory on a cycle about every 40 minutes, so a revoked one fails
 * in cycles far apart, while a client guessing tokens passes 20 in 5 minutes within seconds. Fixed, not a
 * `monitoring.alerting` knob: only the SCIM app has this alert (docs/security.md, the SCIM app's threat model).
 *
 * @example
 * ```ts
 * SCIM_UNAUTHORIZED_THRESHOLD; // 20
 * ```
 */
export const SCIM_UNAUTHORIZED_THRESHOLD = 20;

/**
 * The metric alerts the SCIM app gets with `monitoring.alerting` on: a Function App's two and the HTTP 401 alert.
 *
 * @example
 * ```ts
 * const usd = SCIM_APP_ALERTS * USD_PER_METRIC_ALERT; // $0.30 a month
 * ```
 */
export const SCIM_APP_ALERTS = FUNCTION_APP_ALERTS + 1;
