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
  /** Terraform logical names of the two alerts (the plan's `deploys` entries). */
  readonly ids: { readonly errors: string; readonly latency: string };
  /** The app's Azure name: the alerts are `alert-<app>-errors` and `alert-<app>-latency`. */
  readonly appName: string;
  /** The planned resource the app is, named in the descriptions. */
  readonly resourceKey: string;
  readonly appId: string;
  /** HTTP 5xx responses in 5 minutes above which the error alert fires. */
  readonly errorThreshold: number;
  /** Average response time in milliseconds above which the latency alert fires. */
  readonly latencyThreshold: number;
  readonly group: MonitorActionGroup | undefined;
}

/**
 * A Function App's two metric alerts: HTTP 5xx responses over the error threshold in 5 minutes (severity 1) and the
 * average response time over the latency threshold over 5 minutes (severity 2), evaluated every minute, resolved
 * when the metric falls back (`auto_mitigate`). The serving apps' (monitoring's `finalize`) and the SCIM app's.
 *
 * @example
 * ```ts
 * addFunctionAppAlerts(ctx, { ids, appName, resourceKey: 'scim:shared', appId: app.id, errorThreshold: 5,
 *   latencyThreshold: 1000, group: undefined });
 * ```
 */
export function addFunctionAppAlerts(ctx: ProvisionContext, p: FunctionAppAlertParts): void {
  const { MonitorMetricAlert } = azurerm('monitor-metric-alert');
  const common = {
    resourceGroupName: ctx.resourceGroupName,
    scopes: [p.appId],
    frequency: 'PT1M',
    windowSize: 'PT5M',
    autoMitigate: true,
    tags: { ...ctx.tags },
    ...(p.group ? { action: [{ actionGroupId: p.group.id }] } : {}),
  };
  named(
    new MonitorMetricAlert(ctx.scope, p.ids.errors, {
      ...common,
      name: `alert-${p.appName}-errors`,
      description:
        `More than ${p.errorThreshold} HTTP 5xx responses from ${p.appName} in 5 minutes ` +
        `(${p.resourceKey}).`,
      severity: 1,
      criteria: [
        {
          metricNamespace: SITES_NAMESPACE,
          metricName: 'Http5xx',
          aggregation: 'Total',
          operator: 'GreaterThan',
          threshold: p.errorThreshold,
        },
      ],
    }),
    p.ids.errors,
  );
  named(
    new MonitorMetricAlert(ctx.scope, p.ids.latency, {
      ...common,
      name: `alert-${p.appName}-latency`,
      description:
        `Average response time of ${p.appName} above ${p.latencyThreshold} ms over 5 minutes ` +
        `(${p.resourceKey}).`,
      severity: 2,
      // HttpResponseTime is reported in seconds; the config's threshold is in milliseconds.
      criteria: [
        {
          metricNamespace: SITES_NAMESPACE,
          metricName: 'HttpResponseTime',
          aggregation: 'Average',
          operator: 'GreaterThan',
          threshold: p.latencyThreshold / 1000,
        },
      ],
    }),
    p.ids.latency,
  );
}
