import type { ApplicationInsights, MonitorActionGroup } from '../../kit/cdktf/azurerm-types.js';
import type { PlannedResource } from '../../model/plan.js';
import type { BackendProvisioner, FunctionAppConstruct } from '../../kit/cdktf/provisioner.js';
import { named, regional, type ProvisionContext } from '../../kit/cdktf/provision-context.js';
import { workspaceKey } from '../../kit/cdktf/monitoring/diagnostic-setting.js';
import {
  actionGroupKey,
  addFunctionAppAlerts,
} from '../../kit/cdktf/monitoring/function-app-alerts.js';
import { METRICS_PUBLISHER_ROLE, monitoringNames, type MergedMonitoringConfig } from './type.js';
import { addDiagnosticSettings } from './diagnostics-provision.js';
import { azurerm } from '../../kit/cdktf/cdk-modules.js';
import { mergedConfigOf } from '../types.js';

/**
 * Monitoring in a stack. `provision` (before the Function Apps) creates the Log Analytics workspace and the
 * workspace-based Application Insights component with local (key) auth off; the Function App provisioner
 * then reads its connection string. `finalize` (after them) grants each Function App identity Monitoring
 * Metrics Publisher on Application Insights and adds the error and latency alerts per Function App.
 *
 * @example
 * ```ts
 * const insights = monitoringProvisioner.provision(ctx, plan.resources.find((r) => r.key === 'monitoring:shared')!);
 * ```
 */
export const monitoringProvisioner: BackendProvisioner = {
  provision(ctx, resource) {
    const { ApplicationInsights } = azurerm('application-insights');
    const { LogAnalyticsWorkspace } = azurerm('log-analytics-workspace');
    const c = mergedMonitoring(resource);
    const names = monitoringNames(ctx.config.backendId);
    const workspace = named(
      new LogAnalyticsWorkspace(ctx.scope, names.workspace, {
        ...regional(ctx, c.workspaceName),
        sku: 'PerGB2018',
        retentionInDays: c.retentionDays,
      }),
      names.workspace,
    );
    // The SCIM app, planned after monitoring, sends its own diagnostic setting here (kit/cdktf/monitoring/diagnostic-setting.ts).
    ctx.constructs.set(workspaceKey(resource.key), workspace);
    return named(
      new ApplicationInsights(ctx.scope, names.appInsights, {
        ...regional(ctx, c.appInsightsName),
        applicationType: 'web',
        workspaceId: workspace.id,
        retentionInDays: c.retentionDays,
        samplingPercentage: c.samplingPercentage,
        // Telemetry is accepted only from Entra ID-authenticated senders (the Function Apps' identities).
        localAuthenticationDisabled: true,
      }),
      names.appInsights,
    );
  },
  finalize(ctx, resource) {
    const { LogAnalyticsWorkspace } = azurerm('log-analytics-workspace');
    const { RoleAssignment } = azurerm('role-assignment');
    const c = mergedMonitoring(resource);
    const names = monitoringNames(ctx.config.backendId);
    const insights = ctx.constructs.get(resource.key) as ApplicationInsights;
    const group =
      c.alerting.enabled && c.alerting.emails.length > 0 && c.functionApps.length > 0
        ? actionGroup(ctx, c)
        : undefined;
    // The SCIM app's alerts (its finalize runs after this one) notify the same receivers.
    if (group) ctx.constructs.set(actionGroupKey(resource.key), group);
    for (const key of c.functionApps) {
      const app = ctx.constructs.get(key) as FunctionAppConstruct | undefined;
      if (!app) continue;
      named(
        new RoleAssignment(ctx.scope, names.publisher(key), {
          scope: insights.id,
          roleDefinitionName: METRICS_PUBLISHER_ROLE,
          principalId: app.identity.principalId,
          principalType: 'ServicePrincipal',
        }),
        names.publisher(key),
      );
      if (c.alerting.enabled) addAlerts(ctx, c, key, app, group);
    }
    const workspace = ctx.scope.node.tryFindChild(names.workspace);
    if (workspace instanceof LogAnalyticsWorkspace) addDiagnosticSettings(ctx, workspace);
  },
};

/** The error and latency alerts of one serving Function App, at the configured thresholds. */
function addAlerts(
  ctx: ProvisionContext,
  c: MergedMonitoringConfig,
  key: string,
  app: FunctionAppConstruct,
  group: MonitorActionGroup | undefined,
): void {
  const names = monitoringNames(ctx.config.backendId);
  addFunctionAppAlerts(ctx, {
    ids: { errors: names.errorAlert(key), latency: names.latencyAlert(key) },
    appName: ctx.plan.resources.find((r) => r.key === key)?.name ?? key,
    resourceKey: key,
    appId: app.id,
    errorThreshold: c.alerting.errorThreshold,
    latencyThreshold: c.alerting.latencyThreshold,
    group,
  });
}

/** One action group for the backend's alerts: email receivers from `monitoring.alerting.emails`. */
function actionGroup(ctx: ProvisionContext, c: MergedMonitoringConfig): MonitorActionGroup {
  const { MonitorActionGroup } = azurerm('monitor-action-group');
  const names = monitoringNames(ctx.config.backendId);
  return named(
    new MonitorActionGroup(ctx.scope, names.actionGroup, {
      name: `ag-${c.appInsightsName}`.slice(0, 260),
      resourceGroupName: ctx.resourceGroupName,
      // Azure caps the short name (shown in SMS and email subjects) at 12 characters.
      shortName: ctx.config.backendId.replace(/[^A-Za-z0-9]/g, '').slice(0, 12) || 'atakora',
      emailReceiver: c.alerting.emails.map((emailAddress, i) => ({
        name: `email-${i + 1}`,
        emailAddress,
        useCommonAlertSchema: true,
      })),
      tags: { ...ctx.tags },
    }),
    names.actionGroup,
  );
}

/** A backend-level resource's config is the one its own type wrote into the plan (JSON by contract). */
function mergedMonitoring(resource: PlannedResource): MergedMonitoringConfig {
  return mergedConfigOf('monitoring', resource);
}
