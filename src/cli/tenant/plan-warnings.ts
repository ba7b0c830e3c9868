import { planWarningOf } from '../../contract/tenant-plan-warning.js';
import type { TenantRecord } from '../../contract/tenants.js';
import type { TenantsConfig } from '../../model/config.js';

/**
 * One warning line per record naming a plan `tenants` no longer declares (renamed, removed, or an imported
 * record's): what `atakora tenant list` prints on stderr after the table (or the JSON), so the operator sees which
 * tenants get `defaultPlan`'s limits instead of their own.
 *
 * @example
 * ```ts
 * for (const line of undeclaredPlanLines(records, backend.config.tenants)) io.err(line);
 * // 'warning: tenant contoso: Plan "legacy" is not one of the backend's tenants.plans (free, pro): …'
 * ```
 */
export function undeclaredPlanLines(
  records: readonly TenantRecord[],
  tenants: Pick<TenantsConfig, 'plans' | 'defaultPlan'> | undefined,
): string[] {
  if (!tenants) return [];
  const plans = Object.keys(tenants.plans);
  const lines: string[] = [];
  for (const r of records) {
    const warning = planWarningOf(plans, tenants.defaultPlan, r.plan);
    if (warning) lines.push(`warning: tenant ${r.id}: ${warning.message}\n`);
  }
  return lines;
}
