import type { MonitorActionGroup } from '../azurerm-types.js';
import { azurerm } from '../cdk-modules.js';
import { named, type ProvisionContext } from '../provision-context.js';

/** Metric namespace of Function Apps (App Service sites). */
const SITES_NAMESPACE = 'Microsoft.Web/sites';

/**
 * Where monitoring leaves its action group (the `monitoring.alerting.emails` receivers) in the provision context's
 * `constructs`, when it makes one: the SCIM app's alerts, made after monitoring's, notify the same receivers.
 *
 * @example
 * ```ts
 * ctx.constructs.get(actionGroupKey('monitoring:shared')) as MonitorActionGroup | undefined;
 * ```
 */
export function actionGroupKey(monitoringKey: string): string {
  return `${monitoringKey}#action-group`;
}

/** One Function App's alerts: their Terraform names, the app, the thresholds and who is told. */
export interface FunctionAppAlertParts {
  /** Terraform logical names of the two alerts every app has (the plan's `deploys` entries). */
  readonly ids: { readonly errors: string; readonly latency: string };
  /** The app's Azure name: the alerts are `alert-<app>-errors`, `-latency` (and `-unauthorized`). */
  readonly appName: string;
  /** The planned resource the app is, named in the descriptions. */
  readonly resourceKey: string;
  readonly appId: string;
  /** HTTP 5xx responses in 5 minutes above which the error alert fires. */
  readonly errorThreshold: number;
  /** Average response time in milliseconds above which the latency alert fires. */
  readonly latencyThreshold: number;
  /**
   * The HTTP 401 alert, where the app has one (the SCIM app): its Terraform name and the 401 responses in 5 minutes
   * above which it fires.
   */
  readonly unauthorized?: { readonly id: string; readonly threshold: number };
  readonly group: MonitorActionGroup | undefined;
}

/** What differs between an app's alerts; scope, 1-minute evaluation, 5-minute window and receivers are shared. */
interface AlertSpec {
  readonly id: string;
  readonly suffix: 'errors' | 'latency' | 'unauthorized';
  readonly description: string;
  readonly severity: number;
  readonly metricName: string;
  readonly aggregation: 'Total' | 'Average';
  readonly threshold: number;
}

/**
 * A Function App's metric alerts: HTTP 5xx responses over the error threshold in 5 minutes (severity 1), the average
 * response time over the latency threshold over 5 minutes (severity 2) and, where `unauthorized` is given, HTTP
 * 401 responses over the unauthorized threshold in 5 minutes (severity 2: someone guessing tokens), each evaluated
 * every minute and resolved when the metric falls back (`auto_mitigate`). The serving apps' (monitoring's
 * `finalize`) and the SCIM app's (with the 401 alert).
 *
 * @example
 * ```ts
 * addFunctionAppAlerts(ctx, { ids, appName, resourceKey: 'scim:shared', appId: app.id, errorThreshold: 5,
 *   latencyThreshold: 1000, unauthorized: { id: names.unauthorizedAlert, threshold: 20 }, group: undefined });
 * ```
 */
export function addFunctionAppAlerts(ctx: ProvisionContext, p: FunctionAppAlertParts): void {
  const specs: AlertSpec[] = [
    {
      id: p.ids.errors,
      suffix: 'errors',
      description: `More than ${p.errorThreshold} HTTP 5xx responses from ${p.appName} in 5 minutes`,
      severity: 1,
      metricName: 'Http5xx',
      aggregation: 'Total',
      threshold: p.errorThreshold,
    },
    {
      id: p.ids.latency,
      suffix: 'latency',
      description: `Average response time of ${p.appName} above ${p.latencyThreshold} ms over 5 minutes`,
      severity: 2,
      metricName: 'HttpResponseTime',
      aggregation: 'Average',
      // HttpResponseTime is reported in seconds; the config's threshold is in milliseconds.
      threshold: p.latencyThreshold / 1000,
    },
  ];
  if (p.unauthorized)
    specs.push({
      id: p.unauthorized.id,
      suffix: 'unauthorized',
      description:
        `More than ${p.unauthorized.threshold} HTTP 401 responses from ${p.appName} in 5 minutes: ` +
        'tokens being guessed, or a client holding a revoked one',
      severity: 2,
      // Http401 ("Http 401", Count, Total): Learn, "Supported metrics - Microsoft.Web/sites".
      metricName: 'Http401',
      aggregation: 'Total',
      threshold: p.unauthorized.threshold,
    });
  for (const spec of specs) addAlert(ctx, p, spec);
}

function addAlert(ctx: ProvisionContext, p: FunctionAppAlertParts, spec: AlertSpec): void {
  const { MonitorMetricAlert } = azurerm('monitor-metric-alert');
  named(
    new MonitorMetricAlert(ctx.scope, spec.id, {
      resourceGroupName: ctx.resourceGroupName,
      scopes: [p.appId],
      frequency: 'PT1M',
      windowSize: 'PT5M',
      autoMitigate: true,
      tags: { ...ctx.tags },
      ...(p.group ? { action: [{ actionGroupId: p.group.id }] } : {}),
      name: `alert-${p.appName}-${spec.suffix}`,
      description: `${spec.description} (${p.resourceKey}).`,
      severity: spec.severity,
      criteria: [
        {
          metricNamespace: SITES_NAMESPACE,
          metricName: spec.metricName,
          aggregation: spec.aggregation,
          operator: 'GreaterThan',
          threshold: spec.threshold,
        },
      ],
    }),
    spec.id,
  );
}
