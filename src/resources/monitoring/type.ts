import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue, PlannedDeploy, PlannedResource } from '../../model/plan.js';
import type { BackendResourceType } from '../../kit/pure/resources/backend-resource-type.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import { check, resourceName } from '../../kit/pure/names/naming.js';
import { type IngestionEstimate, ingestionEstimate } from './ingestion.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import { diagnosticDeploys } from './diagnostics.js';
import { monitoringFacts } from './facts.js';
import { asJsonObject } from '../../kit/pure/resources/resource-type.js';
import {
  FUNCTION_APP_ALERTS,
  USD_PER_METRIC_ALERT,
} from '../../kit/pure/resources/function-app-monitoring.js';

/** Key of the one monitoring resource a backend gets. */
export const MONITORING_KEY = 'monitoring:shared';

/** The merged `monitoring` config in the plan. */
export interface MergedMonitoringConfig {
  /** Log Analytics workspace name (`monitoring.workspaceName` or the naming rules). */
  workspaceName: string;
  /** Workspace-based Application Insights component name. */
  appInsightsName: string;
  retentionDays: number;
  samplingPercentage: number;
  alerting: {
    enabled: boolean;
    errorThreshold: number;
    latencyThreshold: number;
    emails: string[];
  };
  /** Keys of the planned Function Apps that report to Application Insights, sorted. */
  functionApps: string[];
  /** The telemetry's ingestion a month at `samplingPercentage`, an estimate at an assumed traffic (./ingestion.ts). */
  ingestion: IngestionEstimate;
}

/**
 * Role each Function App identity gets on Application Insights (local auth is off, so telemetry is
 * sent by identity).
 */
export const METRICS_PUBLISHER_ROLE = 'Monitoring Metrics Publisher';

/**
 * The Terraform logical names of the monitoring resource's parts (shared by plan and apply).
 *
 * @example
 * ```ts
 * monitoringNames('backend').errorAlert('functions:shared'); // 'backend_monitoring_shared_alert_functions_shared_errors'
 * ```
 */
export function monitoringNames(backendId: string) {
  const base = tfName(backendId, MONITORING_KEY);
  return {
    workspace: tfName(base, 'workspace'),
    appInsights: base,
    publisher: (functionsKey: string) => tfName(base, 'publisher', functionsKey),
    errorAlert: (functionsKey: string) => tfName(base, 'alert', functionsKey, 'errors'),
    latencyAlert: (functionsKey: string) => tfName(base, 'alert', functionsKey, 'latency'),
    actionGroup: tfName(base, 'action-group'),
  };
}

/**
 * Monitoring, a backend-level resource: when `config.monitoring.enabled`, one `monitoring:shared` with a
 * Log Analytics workspace, workspace-based Application Insights (local auth off), a Monitoring Metrics
 * Publisher role per Function App identity and, with alerting on, an error (HTTP 5xx) and a latency alert
 * per Function App. Its consumers are the components that run on a Function App.
 *
 * @example
 * ```ts
 * const { resources } = monitoringType.plan(
 *   planned,
 *   normalizeConfig({ monitoring: { enabled: true, retentionDays: 90 } }),
 *   factsOf,
 * );
 * resources[0]?.key; // 'monitoring:shared'
 * ```
 */
export const monitoringType: BackendResourceType = {
  type: 'monitoring',
  facts: monitoringFacts,
  plan(resources, config, factsOf) {
    if (!config.monitoring.enabled) return { resources: [], issues: [] };
    const issues: PlanIssue[] = [];
    const apps = resources
      .filter((r) => r.type === 'functions')
      .sort((a, b) => compare(a.key, b.key));
    const consumers = [...new Set(apps.flatMap((a) => a.consumers))].sort(compare);
    const workspace = workspaceName(config, issues);
    const insights = resourceName('monitoring', 'appi', undefined, config, monitoringFacts.name);
    issues.push(...insights.issues);
    const m = config.monitoring;
    const merged: MergedMonitoringConfig = {
      workspaceName: workspace,
      appInsightsName: insights.name,
      retentionDays: m.retentionDays,
      samplingPercentage: m.samplingPercentage,
      alerting: {
        enabled: m.alerting.enabled,
        errorThreshold: m.alerting.errorThreshold,
        latencyThreshold: m.alerting.latencyThreshold,
        emails: [...m.alerting.emails],
      },
      functionApps: apps.map((a) => a.key),
      ingestion: ingestionEstimate(apps.length, m.samplingPercentage),
    };
    const names = monitoringNames(config.backendId);
    const deploys: PlannedDeploy[] = [
      { terraformType: 'azurerm_log_analytics_workspace', name: names.workspace },
      { terraformType: 'azurerm_application_insights', name: names.appInsights },
    ];
    if (merged.alerting.enabled && merged.alerting.emails.length > 0 && apps.length > 0) {
      deploys.push({ terraformType: 'azurerm_monitor_action_group', name: names.actionGroup });
    }
    for (const key of merged.functionApps) {
      deploys.push({ terraformType: 'azurerm_role_assignment', name: names.publisher(key) });
      if (merged.alerting.enabled) {
        deploys.push({
          terraformType: 'azurerm_monitor_metric_alert',
          name: names.errorAlert(key),
        });
        deploys.push({
          terraformType: 'azurerm_monitor_metric_alert',
          name: names.latencyAlert(key),
        });
      }
    }
    deploys.push(...diagnosticDeploys(names.appInsights, resources, factsOf));
    // Alerts are billed per monitored series (kit/pure/resources/function-app-monitoring.ts); ingestion is estimated
    // from the traffic and sampling (./ingestion.ts). The SCIM app prices its own alerts (it is planned after this).
    const alerts = merged.alerting.enabled ? FUNCTION_APP_ALERTS * apps.length : 0;
    const usd = merged.ingestion.usdPerMonth + alerts * USD_PER_METRIC_ALERT;
    const planned: PlannedResource = {
      key: MONITORING_KEY,
      type: 'monitoring',
      name: workspace,
      compatibility: 'monitoring',
      config: asJsonObject(merged),
      consumers,
      deploys,
      estimatedMonthlyUsd: Math.round(usd * 100) / 100,
    };
    return { resources: [planned], issues };
  },
};

/** The workspace name: the user's as written (checked against Azure's rule), else from the naming rules. */
function workspaceName(config: NormalizedConfig, issues: PlanIssue[]): string {
  const given = config.monitoring.workspaceName;
  if (given === undefined) {
    const named = resourceName('monitoring', 'log', undefined, config, monitoringFacts.name);
    issues.push(...named.issues);
    return named.name;
  }
  // Log Analytics accepts upper case; the shared rule is written in lower case, so check case-insensitively.
  const problem = check(given.toLowerCase(), monitoringFacts.name);
  if (problem) {
    issues.push({
      severity: 'error',
      code: 'NAME_INVALID',
      path: ['config', 'monitoring', 'workspaceName'],
      message: `The Log Analytics workspace name "${given}" ${problem}.`,
    });
  }
  return given;
}
