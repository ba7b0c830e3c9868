import type { TenantRecord } from '../../../contract/tenants.js';
import { organizationLifeOf } from '../../../model/lives/organization-life.js';

/**
 * The `detail` of 403 `tenant-suspended` for an organization that is not active, naming who can end it: a caller
 * told "the operator" for a suspension its own Owner can lift (by paying, or by undeleting) would wait on the wrong
 * person (model/lives/organization-life.ts names the places).
 *
 * @example
 * ```ts
 * suspendedDetail({ id: 'acme', plan: 'pro', status: 'suspended', suspendedBy: 'billing' });
 * // 'Organization acme is suspended for its billing: …'
 * ```
 */
export function suspendedDetail(record: TenantRecord): string {
  const life = organizationLifeOf(record);
  if (life === 'suspended-by-billing')
    return (
      `Organization ${record.id} is suspended for its billing: this API serves it again once its subscription is ` +
      'paid (an Owner settles it in the billing portal, or in Azure under "Manage account" for a Marketplace purchase).'
    );
  if (life === 'deleted')
    return (
      `Organization ${record.id} was deleted by an Owner: this API serves it again if an Owner restores it ` +
      '(POST api/tenant/undelete) before it is erased.'
    );
  return `Organization ${record.id} is suspended: this API serves it again once the operator resumes it.`;
}
