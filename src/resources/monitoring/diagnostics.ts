import type { PlannedDeploy, PlannedResource } from '../../model/plan.js';
import type { ResourceFacts } from '../../kit/pure/resources/resource-facts.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';

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

/**
 * Every diagnostic setting monitoring adds for the backend's resources: what each planned resource's type
 * declares in its facts (`diagnostics`, from Azure Monitor's "supported logs/metrics" reference), in plan order.
 *
 * @example
 * ```ts
 * diagnosticTargets(plan.resources, factsOf); // [{ resourceKey: 'cosmos:shared', allLogs: true, metrics: ['Requests'] }, …]
 * ```
 */
export function diagnosticTargets(
  resources: readonly PlannedResource[],
  factsOf: (type: string) => ResourceFacts,
): DiagnosticTarget[] {
  return resources.flatMap((r) =>
    (factsOf(r.type).diagnostics?.(r) ?? []).map(
      (d): DiagnosticTarget => ({ resourceKey: r.key, ...d }),
    ),
  );
}

/**
 * Terraform logical name of a diagnostic setting.
 *
 * @example
 * ```ts
 * diagnosticTfName('backend_monitoring_shared', {
 *   resourceKey: 'storage:shared',
 *   subResource: 'blobServices',
 *   allLogs: true,
 *   metrics: [],
 * });
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
 * deploys.push(...diagnosticDeploys('backend_monitoring_shared', resources, factsOf));
 * ```
 */
export function diagnosticDeploys(
  monitoringTfName: string,
  resources: readonly PlannedResource[],
  factsOf: (type: string) => ResourceFacts,
): PlannedDeploy[] {
  return diagnosticTargets(resources, factsOf).map((t) => ({
    terraformType: 'azurerm_monitor_diagnostic_setting',
    name: diagnosticTfName(monitoringTfName, t),
  }));
}
