import type { LogAnalyticsWorkspace } from '../../kit/cdktf/azurerm-types.js';
import type { ProvisionContext } from '../../kit/cdktf/provision-context.js';
import { addDiagnosticSetting } from '../../kit/cdktf/monitoring/diagnostic-setting.js';
import { factsOf } from '../facts.js';
import { diagnosticTargets, diagnosticTfName } from './diagnostics.js';
import { monitoringNames } from './type.js';

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
  const base = monitoringNames(ctx.config.backendId).appInsights;
  for (const t of diagnosticTargets(ctx.plan.resources, factsOf)) {
    const target = ctx.constructs.get(t.resourceKey) as { id: string } | undefined;
    const planned = ctx.plan.resources.find((r) => r.key === t.resourceKey);
    if (!target || !planned) continue;
    addDiagnosticSetting(ctx, {
      id: diagnosticTfName(base, t),
      name: `diag-${planned.name}${t.subResource ? `-${t.subResource.replace('Services', '')}` : ''}`,
      targetResourceId: t.subResource ? `${target.id}/${t.subResource}/default` : target.id,
      workspace,
      fact: t,
      dedicated: planned.type === 'cosmos',
    });
  }
}
