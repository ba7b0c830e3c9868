import type { LogAnalyticsWorkspace } from '../azurerm-types.js';
import type { DiagnosticFact } from '../../pure/resources/resource-facts.js';
import { azurerm } from '../cdk-modules.js';
import { named, type ProvisionContext } from '../provision-context.js';

/**
 * Where monitoring leaves its Log Analytics workspace in the provision context's `constructs` (its main construct,
 * under its own key, is Application Insights): a resource planned after monitoring — the SCIM app — reads it in its
 * `finalize` to send its logs to the same workspace.
 *
 * @example
 * ```ts
 * ctx.constructs.set(workspaceKey('monitoring:shared'), workspace);
 * ```
 */
export function workspaceKey(monitoringKey: string): string {
  return `${monitoringKey}#workspace`;
}

/** One diagnostic setting: its Terraform name, Azure name, the resource it watches and what it sends. */
export interface DiagnosticSettingParts {
  /** The Terraform logical name (the plan's `deploys` entry). */
  readonly id: string;
  /** The setting's name in Azure (unique per watched resource). */
  readonly name: string;
  readonly targetResourceId: string;
  readonly workspace: LogAnalyticsWorkspace;
  readonly fact: DiagnosticFact;
  /** Resource-specific tables where the service records the choice (Cosmos DB). */
  readonly dedicated?: boolean;
}

/**
 * A resource's logs and metrics to the backend's Log Analytics workspace: the one way both monitoring (for every
 * planned resource whose facts declare `diagnostics`) and the SCIM app (its own app) make a diagnostic setting.
 *
 * @example
 * ```ts
 * addDiagnosticSetting(ctx, { id, name: `diag-${app.name}`, targetResourceId: app.id, workspace, fact });
 * ```
 */
export function addDiagnosticSetting(ctx: ProvisionContext, p: DiagnosticSettingParts): void {
  const { MonitorDiagnosticSetting } = azurerm('monitor-diagnostic-setting');
  named(
    new MonitorDiagnosticSetting(ctx.scope, p.id, {
      name: p.name,
      targetResourceId: p.targetResourceId,
      logAnalyticsWorkspaceId: p.workspace.id,
      // Resource-specific tables where the service records the choice (Cosmos DB). Elsewhere it is left out: App
      // Service sites return no destination type, so "Dedicated" would differ on every plan
      // (terraform-provider-azurerm#22406), and the attribute is Optional+Computed
      // (monitor_diagnostic_setting_resource.go@v4.55.0), so omitting it reads back clean.
      ...(p.dedicated ? { logAnalyticsDestinationType: 'Dedicated' } : {}),
      ...(p.fact.allLogs ? { enabledLog: [{ categoryGroup: 'allLogs' }] } : {}),
      enabledMetric: p.fact.metrics.map((category) => ({ category })),
    }),
    p.id,
  );
}
