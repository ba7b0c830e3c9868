import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue } from '../../model/plan.js';

/**
 * A customer sign-in (`auth.signInAudience: 'customers'`) without tenants by membership: every customer of an
 * external tenant carries that tenant's `tid`, so a tenant taken from the token would put every customer's data in
 * one tenant — any customer would read every other's. Organizations (`tenants: { by: 'membership' }`) make the
 * tenant what the caller is a member of (DESIGN §2, "Customer sign-in").
 *
 * @example
 * ```ts
 * customerSignInIssues(config); // [{ severity: 'error', code: 'AUTH_CUSTOMERS_NEED_MEMBERSHIP', … }] without membership
 * ```
 */
export function customerSignInIssues(config: NormalizedConfig): PlanIssue[] {
  if (!config.auth.customers || config.tenants?.membership) return [];
  return [
    {
      severity: 'error',
      code: 'AUTH_CUSTOMERS_NEED_MEMBERSHIP',
      path: ['config', 'tenants'],
      message:
        "auth.signInAudience 'customers' signs everyone in through one external tenant, so every caller's tid " +
        'is the same: without tenants by membership every customer would share one tenant and read the ' +
        "others' data.",
      resolution:
        "Add tenants: { by: 'membership', createTenants: 'any-user', plans: { free: {} }, defaultPlan: 'free' } " +
        '(customers create organizations and invite each other; docs/tenants.md#organizations-tenants-by-membership).',
    },
  ];
}
