import type { PlanIssue, ResourcePlan } from '../../model/plan.js';

/**
 * A `TENANT_PLAN_REMOVED` warning for each tenant plan the base plan declares and this one does not: the plan
 * cannot read the registry, so it cannot tell whether a record still names the plan — it says what happens to
 * those that do (they get `tenants.defaultPlan`'s limits, never none; `atakora tenant list` and `GET api/tenants`
 * name them) and how to move them. Nothing when the new plan has no registry (every limit goes with it).
 *
 * @example
 * ```ts
 * tenantPlanRemovals(before, after).map((i) => i.details?.plan); // ['legacy']
 * ```
 */
export function tenantPlanRemovals(before: ResourcePlan, after: ResourcePlan): PlanIssue[] {
  const now = after.tenantPlans?.plans;
  if (!now) return [];
  const declared = new Set(now.map((p) => p.plan));
  const fallback = now.find((p) => p.isDefault)?.plan ?? '';
  return (before.tenantPlans?.plans ?? [])
    .filter((p) => !declared.has(p.plan))
    .map((p) => ({
      severity: 'warning',
      code: 'TENANT_PLAN_REMOVED',
      message:
        `Tenant plan ${JSON.stringify(p.plan)} is no longer declared: a registry record naming it gets the default ` +
        `plan ${JSON.stringify(fallback)}'s limits from this deploy on (never none).`,
      path: ['tenants', 'plans', p.plan],
      resolution:
        `Move its tenants first (atakora tenant list shows each record's plan; atakora tenant set <entry> <tid> ` +
        `--plan <plan>), or keep declaring ${JSON.stringify(p.plan)}.`,
      details: { plan: p.plan, appliedPlan: fallback },
    }));
}
