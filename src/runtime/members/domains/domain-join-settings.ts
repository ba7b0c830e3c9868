import type { HttpRequest } from '@azure/functions';
import { DOMAIN_JOINS, domainOf } from '../../../contract/domains/domains.js';
import { OWNER_ROLE } from '../../../contract/members.js';
import { readJsonObject } from '../../http/body.js';
import { type FieldError, jsonResponse, problemResponse } from '../../http/response.js';
import { noDomain, owning, publicDomain } from './domain-operations.js';
import type { StoredDomain } from './domain-store.js';
import { type Actor, type DomainsApi, recordMemberAudit } from '../members-api.js';

/**
 * `PATCH api/tenant/domains/{domain} { join?, role? }` by an Owner → 200 the domain: who may join through it (`off`,
 * `request`, `auto`) and as which declared role — never `Owner` (an address the domain's mail admins create would
 * own the organization).
 *
 * @example
 * ```ts
 * // PATCH /api/tenant/domains/contoso.com { "join": "auto", "role": "Member" } → 200 { …, "join": "auto" }
 * ```
 */
export function updateDomain(
  api: DomainsApi,
  actor: Actor,
  tenant: string,
  name: string,
  request: HttpRequest,
) {
  return owning(actor, tenant, 'sets who joins through its domains', async () => {
    const body = await readJsonObject(request);
    if (!body.ok) return body.response;
    const b = body.value;
    const errors: FieldError[] = Object.keys(b)
      .filter((k) => k !== 'join' && k !== 'role')
      .map((k) => ({
        field: k,
        code: 'unknown',
        message: `${k} is not a field of a domain's join (join, role).`,
      }));
    if (b['join'] !== undefined && !DOMAIN_JOINS.includes(b['join'] as never))
      errors.push({
        field: 'join',
        code: 'enum',
        message: `join must be one of ${DOMAIN_JOINS.join(', ')}.`,
      });
    if (
      b['role'] !== undefined &&
      !(typeof b['role'] === 'string' && api.membership.roles.includes(b['role']))
    )
      errors.push({
        field: 'role',
        code: 'enum',
        message: `role must be one of ${api.membership.roles.join(', ')} (never ${OWNER_ROLE}).`,
      });
    if (errors.length > 0)
      return problemResponse('validation', "The domain's join is not valid.", { errors });
    const parsed = domainOf(name);
    const found = parsed.ok ? await api.domains.read(tenant, parsed.domain) : undefined;
    if (!found) return noDomain(tenant, name);
    const next: StoredDomain = {
      ...found.value,
      ...(b['join'] !== undefined ? { join: b['join'] as StoredDomain['join'] } : {}),
      ...(b['role'] !== undefined ? { role: b['role'] as string } : {}),
    };
    const written = await api.domains.replace(next, found.etag);
    if (written === 'missing') return noDomain(tenant, name);
    if (written === 'changed')
      return problemResponse('conflict', `${found.value.domain} changed meanwhile: retry.`);
    await recordMemberAudit(api, actor, tenant, 'domain.updated', found.value.domain, {
      join: { from: found.value.join, to: next.join },
      role: { from: found.value.role, to: next.role },
    });
    return jsonResponse(200, publicDomain(written.value));
  });
}
