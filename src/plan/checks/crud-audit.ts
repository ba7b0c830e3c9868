import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue } from '../../model/plan.js';
import type { PlanComponent } from '../plan-input.js';

/**
 * A CrudApi with `audit: true` needs organizations: its entries go to the organizations' audit log (the shared
 * `audit` container), which only tenants by membership keep (`CRUD_AUDIT_NEEDS_MEMBERSHIP`, one error per CrudApi,
 * naming whether the backend has no tenants at all or a registry of directories).
 *
 * @example
 * ```ts
 * crudAuditIssues(components, config); // [{ code: 'CRUD_AUDIT_NEEDS_MEMBERSHIP', … }] without membership
 * ```
 */
export function crudAuditIssues(
  components: readonly PlanComponent[],
  config: NormalizedConfig,
): PlanIssue[] {
  if (config.tenants?.membership) return [];
  const has = config.tenants
    ? 'has a registry of directories, which keeps no audit log'
    : 'has no tenants, so no audit log';
  const issues: PlanIssue[] = [];
  for (const c of components) {
    if (c.definition.componentType !== 'CrudApi') continue;
    if ((c.definition.config as { audit?: unknown } | undefined)?.audit !== true) continue;
    issues.push({
      severity: 'error',
      code: 'CRUD_AUDIT_NEEDS_MEMBERSHIP',
      path: ['components', c.key, 'config', 'audit'],
      components: [c.definition.componentId],
      message:
        `CrudApi ${c.definition.componentId} says audit: true, but the backend ${has}: item changes are ` +
        "recorded in the organizations' audit log, kept with tenants by membership only.",
      resolution:
        "Give the backend tenants by membership (tenants: { by: 'membership', plans: { … } }), or remove " +
        'audit: true.',
    });
  }
  return issues;
}
