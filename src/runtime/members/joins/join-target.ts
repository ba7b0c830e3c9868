import { emailDomainOf } from '../../../contract/enterprise/joins.js';
import type { TenantRecord } from '../../../contract/tenants.js';
import type { StoredDomain } from '../domains/domain-store.js';
import type { DomainsApi } from '../members-api.js';
import type { JoinRequestStore } from './join-request-store.js';

/** The members API with verified domains and join requests: what the join routes need. */
export type JoinsApi = DomainsApi & { readonly joins: JoinRequestStore };

/** The organization a verified e-mail may join: its record and the verified domain that admits the e-mail. */
export interface JoinTarget {
  readonly tenant: string;
  readonly record: TenantRecord;
  readonly domain: StoredDomain & { readonly join: 'request' | 'auto' };
}

/**
 * The one organization `email` (a *verified* e-mail) may join, found through the global domain claims — at most
 * three point reads (the claim, the domain, the record), never a scan of organizations: the e-mail's domain exactly
 * (a subdomain is a domain of its own, verified on its own), claimed by an organization that has it `verified` with
 * `join` not `off`. Undefined otherwise — the caller then learns nothing of which organizations exist. A domain the
 * daily re-check made `unverified` has its claim released, so it admits nobody from then on.
 *
 * @example
 * ```ts
 * const target = await joinTargetOf(api, 'kim@contoso.com'); // { tenant: 'acme-k3x9qa', domain: { join: 'auto', role: 'Member', … }, … }
 * ```
 */
export async function joinTargetOf(
  api: Pick<JoinsApi, 'domains' | 'admin'>,
  email: string,
): Promise<JoinTarget | undefined> {
  const name = emailDomainOf(email);
  if (name === undefined) return undefined;
  const claim = await api.domains.claimOf(name);
  if (!claim) return undefined;
  const found = await api.domains.read(claim.value, name);
  const domain = found?.value;
  if (!domain || domain.status !== 'verified' || domain.join === 'off') return undefined;
  const record = await api.admin.read(claim.value);
  if (!record) return undefined;
  return { tenant: claim.value, record: record.record, domain: { ...domain, join: domain.join } };
}
