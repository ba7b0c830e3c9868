import type { TenantsConfig } from '../model/config.js';
import { AtakoraError } from '../model/errors.js';
import { declaresFeatures, plansWith } from '../model/plans/plan-features.js';

/**
 * `tenants.scimApp: true` checked: the SCIM app serves SCIM, which only tenants by membership have and only a plan
 * with `scim` (or plans declaring no features: every feature) offers. Anything else would plan an app serving nothing,
 * so it is the config error TENANTS_SCIM_APP_INVALID naming the fix. Returns `true` (the normalized value).
 *
 * @example
 * ```ts
 * checkScimApp({ by: 'membership', plans: { free: {} }, defaultPlan: 'free', scimApp: true }); // true
 * ```
 */
export function checkScimApp(tenants: TenantsConfig): true {
  if (tenants.by !== 'membership')
    throw new AtakoraError(
      'TENANTS_SCIM_APP_INVALID',
      'tenants.scimApp plans an app serving SCIM, which only tenants by membership have, but tenants.by is not ' +
        "'membership'.",
      {
        path: ['config', 'tenants', 'scimApp'],
        resolution:
          "Add by: 'membership' to tenants (organizations users join), or remove scimApp.",
      },
    );
  if (declaresFeatures(tenants.plans) && plansWith('scim', tenants.plans).length === 0)
    throw new AtakoraError(
      'TENANTS_SCIM_APP_INVALID',
      "tenants.scimApp plans an app serving SCIM, but no plan of tenants.plans has the feature 'scim': it would " +
        'serve no organization.',
      {
        path: ['config', 'tenants', 'scimApp'],
        resolution:
          "Add 'scim' to the features of the plans that provision by SCIM, or remove scimApp.",
      },
    );
  return true;
}
