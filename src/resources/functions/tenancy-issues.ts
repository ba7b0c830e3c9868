import type { PlanIssue } from '../../model/plan.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';

/** What the tenancy checks read of the backend config (auth on/off, a trusted gateway header). */
interface TenancyConfig {
  readonly auth: { readonly enabled: boolean };
  readonly tenancy: { readonly trustGatewayHeader: boolean };
}

/**
 * What the plan says about the CRUD runtime's tenant isolation: each CrudApi declared `tenancy: 'shared'`
 * (every caller sees and changes every item: the opt-out must be visible), and isolated CrudApis that no
 * caller can reach because, with `auth: 'none'` and no trusted gateway, the runtime has no tenant to
 * confine them to (it never trusts a principal header that nothing vouches for).
 *
 * @example
 * ```ts
 * const issues = tenancyIssues(entities, config); // [{ severity: 'warning', code: 'CRUD_TENANCY_SHARED', … }]
 * ```
 */
export function tenancyIssues(entities: readonly RuntimeEntity[], config: TenancyConfig | undefined): PlanIssue[] {
  const issues: PlanIssue[] = [];
  for (const e of entities) {
    if (e.tenancy === 'shared') {
      issues.push({
        severity: 'warning', code: 'CRUD_TENANCY_SHARED', components: [e.componentId], path: ['components', e.componentId, 'config', 'tenancy'],
        message: `${e.componentId}: tenancy 'shared': every signed-in caller, of any tenant, can read and change every ${e.entityName}.`,
      });
    }
  }
  const isolated = entities.filter((e) => e.tenancy !== 'shared').map((e) => e.componentId);
  if (config && !config.auth.enabled && !config.tenancy.trustGatewayHeader && isolated.length > 0) {
    issues.push({
      severity: 'warning', code: 'CRUD_TENANT_UNAVAILABLE', components: isolated, path: ['config', 'auth'],
      message: `${isolated.join(', ')} ${isolated.length === 1 ? 'is' : 'are'} confined to the caller's tenant, but with auth: 'none' no caller has one: every request is refused with 403 tenant-required.`,
    });
  }
  return issues;
}
