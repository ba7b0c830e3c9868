import { domainOf } from '../../../contract/domains/domains.js';
import { jsonResponse, problemResponse } from '../../http/response.js';
import { claimDomain } from './domain-claims.js';
import { noDomain, owning, publicDomain } from './domain-operations.js';
import type { StoredDomain } from './domain-store.js';
import { type Actor, type DomainsApi, nowOf, recordMemberAudit } from '../members-api.js';

/**
 * `POST api/tenant/domains/{domain}/verify` by an Owner: resolves `_atakora.<domain>`'s TXT records and, when one is
 * the domain's value, claims the domain for the organization (one organization per verified domain: the claim is
 * created once, so of two organizations verifying at once one gets 409 `domain-taken`) → 200 the domain,
 * `verified`. 409 `domain-txt-missing`, 503 `dns-unavailable` (nothing changed).
 *
 * @example
 * ```ts
 * // POST /api/tenant/domains/contoso.com/verify → 200 { "domain": "contoso.com", "status": "verified", … }
 * ```
 */
export function verifyDomain(api: DomainsApi, actor: Actor, tenant: string, name: string) {
  return owning(actor, tenant, 'verifies domains', async () => {
    const parsed = domainOf(name);
    const found = parsed.ok ? await api.domains.read(tenant, parsed.domain) : undefined;
    if (!found) return noDomain(tenant, name);
    const d = found.value;
    const records = await api.resolveTxt(d.txt.name);
    if (records === 'unreachable')
      return problemResponse('dns-unavailable', `The DNS lookup of ${d.txt.name} failed: retry.`, {
        headers: { 'Retry-After': '30' },
      });
    if (!records.includes(d.txt.value))
      return problemResponse(
        'domain-txt-missing',
        `No TXT record ${d.txt.name} with the value ${d.txt.value} was found: publish it and verify again.`,
        { txt: d.txt },
      );
    if ((await claimDomain(api.domains, d.domain, tenant)) === 'taken')
      return problemResponse('domain-taken', `Another organization has verified ${d.domain}.`);
    const now = nowOf(api).toISOString();
    const { missingSince: _gone, ...rest } = d;
    const verified: StoredDomain = {
      ...rest,
      status: 'verified',
      verifiedOn: d.verifiedOn && d.status === 'verified' ? d.verifiedOn : now,
      checkedOn: now,
    };
    const written = await api.domains.replace(verified, found.etag);
    if (written === 'missing') {
      await api.domains.release(d.domain, tenant);
      return noDomain(tenant, name);
    }
    if (written === 'changed')
      return problemResponse('conflict', `${d.domain} changed meanwhile: verify again.`);
    if (d.status !== 'verified')
      await recordMemberAudit(api, actor, tenant, 'domain.verified', d.domain);
    return jsonResponse(200, publicDomain(written.value));
  });
}
