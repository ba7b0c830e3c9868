import type { LogAnalyticsWorkspace } from '../../kit/cdktf/azurerm-types.js';
import { named, type ProvisionContext } from '../../kit/cdktf/provision-context.js';
import { factsOf } from '../facts.js';
import { diagnosticTargets, diagnosticTfName } from './diagnostics.js';
import { monitoringNames } from './type.js';
import { azurerm } from '../../kit/cdktf/cdk-modules.js';

/**
 * Route every planned resource's logs and metrics to the backend's Log Analytics workspace (resource-specific
 * tables where the type records the choice). Runs in monitoring's `finalize`, after every resource exists.
 *
 * @example
 * ```ts
 * addDiagnosticSettings(ctx, workspace);
 * ```
 */
export function addDiagnosticSettings(
  ctx: ProvisionContext,
  workspace: LogAnalyticsWorkspace,
): void {
  const { MonitorDiagnosticSetting } = azurerm('monitor-diagnostic-setting');
  const base = monitoringNames(ctx.config.backendId).appInsights;
  for (const t of diagnosticTargets(ctx.plan.resources, factsOf)) {
    const target = ctx.constructs.get(t.resourceKey) as { id: string } | undefined;
    const planned = ctx.plan.resources.find((r) => r.key === t.resourceKey);
    if (!target || !planned) continue;
    const id = diagnosticTfName(base, t);
    named(
      new MonitorDiagnosticSetting(ctx.scope, id, {
        name: `diag-${planned.name}${t.subResource ? `-${t.subResource.replace('Services', '')}` : ''}`,
        targetResourceId: t.subResource ? `${target.id}/${t.subResource}/default` : target.id,
        logAnalyticsWorkspaceId: workspace.id,
        // Resource-specific tables where the service records the choice (Cosmos DB). Elsewhere it is left out: App
        // Service sites return no destination type, so "Dedicated" would differ on every plan
        // (terraform-provider-azurerm#22406), and the attribute is Optional+Computed
        // (monitor_diagnostic_setting_resource.go@v4.55.0), so omitting it reads back clean.
        ...(planned.type === 'cosmos' ? { logAnalyticsDestinationType: 'Dedicated' } : {}),
        ...(t.allLogs ? { enabledLog: [{ categoryGroup: 'allLogs' }] } : {}),
        enabledMetric: t.metrics.map((category) => ({ category })),
      }),
      id,
    );
  }
}
