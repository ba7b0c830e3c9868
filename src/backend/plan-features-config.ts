import type { TenantPlan } from '../model/config.js';
import { AtakoraError } from '../model/errors.js';
import { FEATURE_NAME } from '../model/plans/plan-features.js';

/**
 * Check every plan's `features` (DESIGN §2, "Plans that package the product"): a list of names, each a built-in or
 * the application's, lower case (`^[a-z][a-z0-9-]{0,39}$`), none twice — PLAN_FEATURES_INVALID naming the plan,
 * the entry and the fix. A name is data a 402 problem, a log line and `GET api/tenant` carry as written, so it is
 * held to one shape here rather than escaped everywhere.
 *
 * @example
 * ```ts
 * checkPlanFeatures({ free: {}, pro: { features: ['audit', 'reports'] } }); // passes
 * checkPlanFeatures({ pro: { features: ['audit', 'audit'] } });            // throws PLAN_FEATURES_INVALID
 * ```
 */
export function checkPlanFeatures(plans: Readonly<Record<string, TenantPlan>>): void {
  for (const [name, plan] of Object.entries(plans)) {
    const features: unknown = plan.features;
    if (features === undefined) continue;
    const path = ['config', 'tenants', 'plans', name, 'features'];
    if (!Array.isArray(features))
      fail(`tenants.plans.${name}.features must be a list of feature names.`, path);
    const seen = new Set<string>();
    (features as unknown[]).forEach((feature, i) => {
      if (typeof feature !== 'string' || !FEATURE_NAME.test(feature))
        fail(
          `tenants.plans.${name}.features[${i}] ${JSON.stringify(feature)} is not a feature name (lower case, a ` +
            'letter first, then letters, digits or -, at most 40 characters).',
          [...path, i],
        );
      if (seen.has(feature))
        fail(`tenants.plans.${name}.features names ${JSON.stringify(feature)} twice.`, [
          ...path,
          i,
        ]);
      seen.add(feature);
    });
  }
}

function fail(message: string, path: (string | number)[]): never {
  throw new AtakoraError('PLAN_FEATURES_INVALID', message, { path });
}
