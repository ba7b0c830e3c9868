import type { NormalizedConfig } from '../../model/config.js';
import { declaresFeatures, plansWith } from '../../model/plans/plan-features.js';
import type { PlanIssue } from '../../model/plan.js';
import type { PlanComponent } from '../plan-input.js';

/**
 * An access rule's `feature` (a CrudApi's or a FileStore's) must be one a plan includes (model/plans/plan-features.ts
 * `featuresOf`): a rule on a feature no plan has would never apply — a typo that silently takes access away
 * (`ACCESS_FEATURE_UNKNOWN`, one error per rule). Without a tenant registry there are no plans to name it: every
 * rule with a feature is that error. When no plan lists features, every plan has every feature and any name holds.
 *
 * @example
 * ```ts
 * accessFeatureIssues(components, config); // [{ code: 'ACCESS_FEATURE_UNKNOWN', … }] for feature: 'reprots'
 * ```
 */
export function accessFeatureIssues(
  components: readonly PlanComponent[],
  config: NormalizedConfig,
): PlanIssue[] {
  const plans = config.tenants?.plans;
  if (plans && !declaresFeatures(plans)) return [];
  const issues: PlanIssue[] = [];
  for (const c of components) {
    const rules = (c.definition.config as { access?: unknown } | undefined)?.access;
    if (!Array.isArray(rules)) continue;
    rules.forEach((rule: unknown, i) => {
      const feature = (rule as { feature?: unknown } | null)?.feature;
      if (typeof feature !== 'string') return;
      if (plans && plansWith(feature, plans).length > 0) return;
      issues.push({
        severity: 'error',
        code: 'ACCESS_FEATURE_UNKNOWN',
        path: ['components', c.key, 'config', 'access', i, 'feature'],
        components: [c.definition.componentId],
        message: plans
          ? `${c.definition.componentId}'s access rule ${i} applies on plans with feature ` +
            `${JSON.stringify(feature)}, but no plan of tenants.plans (${Object.keys(plans).sort().join(', ')}) ` +
            'lists it: the rule would never apply.'
          : `${c.definition.componentId}'s access rule ${i} applies on plans with feature ` +
            `${JSON.stringify(feature)}, but the backend has no tenants.plans to include it.`,
      });
    });
  }
  return issues;
}
