import type {
  LogAnalyticsWorkspace,
  MonitorActionGroup,
} from '../../../kit/cdktf/azurerm-types.js';
import type { FunctionAppConstruct } from '../../../kit/cdktf/provisioner.js';
import type { ProvisionContext } from '../../../kit/cdktf/provision-context.js';
import {
  addDiagnosticSetting,
  workspaceKey,
} from '../../../kit/cdktf/monitoring/diagnostic-setting.js';
import {
  actionGroupKey,
  addFunctionAppAlerts,
} from '../../../kit/cdktf/monitoring/function-app-alerts.js';
import { FUNCTION_APP_DIAGNOSTICS } from '../../../kit/pure/resources/function-app-monitoring.js';
import { AtakoraFault } from '../../../model/fault.js';
import type { PlannedResource } from '../../../model/plan.js';
import { scimAppNames, type MergedScimAppConfig } from './scim-type.js';

/**
 * The SCIM app's monitoring, as the serving app has it: its platform logs and metrics to monitoring's Log Analytics
 * workspace (a diagnostic setting sending what the serving app's sends, `FUNCTION_APP_DIAGNOSTICS`), and with
 * alerting on its own HTTP 5xx and latency alerts (`alert-<app>-errors`, `alert-<app>-latency`) at monitoring's
 * thresholds and an HTTP 401 alert (`alert-<app>-unauthorized`, more than `SCIM_UNAUTHORIZED_THRESHOLD` in 5
 * minutes: someone guessing SCIM tokens), told to monitoring's receivers. Made here, not by monitoring: the SCIM app
 * is planned after monitoring, and its app exists only in its own `finalize`, after monitoring's.
 *
 * @example
 * ```ts
 * scimMonitoring(ctx, resource, config, app);
 * ```
 */
export function scimMonitoring(
  ctx: ProvisionContext,
  resource: PlannedResource,
  c: MergedScimAppConfig,
  app: FunctionAppConstruct,
): void {
  if (!c.monitoring) return;
  const names = scimAppNames(ctx.config.backendId);
  const workspace = ctx.constructs.get(workspaceKey(c.monitoring)) as
    | LogAnalyticsWorkspace
    | undefined;
  if (!workspace)
    throw new AtakoraFault(`the SCIM app ${resource.name} finds no workspace of ${c.monitoring}.`, {
      details: { path: ['resources', resource.key] },
    });
  addDiagnosticSetting(ctx, {
    id: names.diagnostics,
    name: `diag-${resource.name}`,
    targetResourceId: app.id,
    workspace,
    fact: FUNCTION_APP_DIAGNOSTICS,
  });
  if (!c.alerts) return;
  addFunctionAppAlerts(ctx, {
    ids: { errors: names.errorAlert, latency: names.latencyAlert },
    appName: resource.name,
    resourceKey: resource.key,
    appId: app.id,
    errorThreshold: c.alerts.errorThreshold,
    latencyThreshold: c.alerts.latencyThreshold,
    unauthorized: { id: names.unauthorizedAlert, threshold: c.alerts.unauthorizedThreshold },
    group: ctx.constructs.get(actionGroupKey(c.monitoring)) as MonitorActionGroup | undefined,
  });
}
