import type { PlannedDeploy, PlannedResource } from '../../model/plan.js';
import { tfName } from '../../kit/pure/terraform-names.js';

/**
 * One diagnostic setting to plan and create: the planned resource it watches, an optional sub-resource
 * (a storage account's blob/queue/table service), and what it sends to the Log Analytics workspace.
 */
export interface DiagnosticTarget {
  readonly resourceKey: string;
  readonly subResource?: 'blobServices' | 'queueServices' | 'tableServices';
  /** Send the `allLogs` category group (absent where the resource type has no log categories). */
  readonly allLogs: boolean;
  readonly metrics: readonly string[];
}

// Categories per resource type, from Azure Monitor's "supported logs/metrics" reference
// (https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/logs-index):
// Cosmos DB accounts export metrics under the category "Requests"; storage accounts and their services under
// "Transaction" (and "Capacity"), and the account itself has no log categories; App Service sites, Key Vaults
// and Front Door profiles take "AllMetrics". Every type here with logs supports the `allLogs` category group.
const STORAGE_METRICS = ['Capacity', 'Transaction'] as const;

/**
 * Every diagnostic setting monitoring adds for the backend's resources: each owned Cosmos DB account,
 * storage account (and its blob, queue and table services), Function App, Key Vault and Front Door profile.
 *
 * @example
 * ```ts
 * diagnosticTargets(plan.resources); // [{ resourceKey: 'cosmos:shared', allLogs: true, metrics: ['Requests'] }, …]
 * ```
 */
export function diagnosticTargets(resources: readonly PlannedResource[]): DiagnosticTarget[] {
  const out: DiagnosticTarget[] = [];
  for (const r of resources) {
    switch (r.type) {
      case 'cosmos':
        // An existing account belongs to the deployment that owns it (and its diagnostics).
        if (!r.config['existing']) out.push({ resourceKey: r.key, allLogs: true, metrics: ['Requests'] });
        break;
      case 'storage':
        out.push({ resourceKey: r.key, allLogs: false, metrics: STORAGE_METRICS });
        for (const sub of ['blobServices', 'queueServices', 'tableServices'] as const) out.push({ resourceKey: r.key, subResource: sub, allLogs: true, metrics: STORAGE_METRICS });
        break;
      case 'functions':
      case 'keyvault':
      case 'cdn':
        out.push({ resourceKey: r.key, allLogs: true, metrics: ['AllMetrics'] });
        break;
      default:
        break;
    }
  }
  return out;
}

/**
 * Terraform logical name of a diagnostic setting.
 *
 * @example
 * ```ts
 * diagnosticTfName('backend_monitoring_shared', { resourceKey: 'storage:shared', subResource: 'blobServices', allLogs: true, metrics: [] });
 * // 'backend_monitoring_shared_diag_storage_shared_blobServices'
 * ```
 */
export function diagnosticTfName(monitoringTfName: string, t: DiagnosticTarget): string {
  return tfName(monitoringTfName, 'diag', t.resourceKey, ...(t.subResource ? [t.subResource] : []));
}

/**
 * The planned deploys of {@link diagnosticTargets}.
 *
 * @example
 * ```ts
 * deploys.push(...diagnosticDeploys('backend_monitoring_shared', resources));
 * ```
 */
export function diagnosticDeploys(monitoringTfName: string, resources: readonly PlannedResource[]): PlannedDeploy[] {
  return diagnosticTargets(resources).map((t) => ({ terraformType: 'azurerm_monitor_diagnostic_setting', name: diagnosticTfName(monitoringTfName, t) }));
}
