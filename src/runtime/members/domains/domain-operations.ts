import { randomBytes } from 'node:crypto';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import {
  DOMAIN_TXT_PREFIX,
  domainOf,
  domainTxtName,
  isPublicMailDomain,
  MAX_DOMAINS_PER_ORGANIZATION,
  type OrganizationDomain,
} from '../../../contract/domains/domains.js';
import { ADMIN_ROLE, OWNER_ROLE } from '../../../contract/members.js';
import { readJsonObject } from '../../http/body.js';
import { type FieldError, jsonResponse, problemResponse } from '../../http/response.js';
import type { StoredDomain } from './domain-store.js';
import {
  type Actor,
  type DomainsApi,
  nowOf,
  orUnavailable,
  recordMemberAudit,
} from '../members-api.js';

/** The role a domain's joiners get until an Owner says otherwise: the least a backend declares. */
const DEFAULT_JOIN_ROLE = 'Member';

export const ownersOnly = (tenant: string, what: string) =>
  problemResponse('access-denied', `Only an ${OWNER_ROLE} of ${tenant} ${what}.`, {
    rules: [`roles: ['${OWNER_ROLE}']`],
  });
/** The 404 of a domain the organization does not have. */
export const noDomain = (tenant: string, domain: string) =>
  problemResponse('not-found', `Organization ${tenant} has no domain ${domain}.`);

/** The domain as the API shows it (never its organization: the caller acts in it). */
export function publicDomain(d: StoredDomain): OrganizationDomain {
  const { tenant: _tenant, ...shown } = d;
  return shown;
}

/** `run` for an Owner of `tenant`, else the 403 saying who may `what`. */
export const owning = (
  actor: Actor,
  tenant: string,
  what: string,
  run: () => Promise<HttpResponseInit>,
) =>
  actor.roles.includes(OWNER_ROLE) ? orUnavailable(run) : Promise.resolve(ownersOnly(tenant, what));

/**
 * `POST api/tenant/domains { domain }` by an Owner → 201 `{ domain, status: 'pending', txt: { name, value }, join:
 * 'off', role }`: the TXT record to publish (a fresh random value per organization, so one organization's proof never
 * verifies another's). 400 `validation` (not a domain name), 400 `public-domain`, 409 `conflict` (added already), 400
 * `validation` past {@link MAX_DOMAINS_PER_ORGANIZATION}. A domain another organization verified is added like any
 * other (201 `pending`): it is refused (409 `domain-taken`) only when this organization verifies it — after its own
 * TXT proof — so adding a domain never tells who holds it.
 *
 * @example
 * ```ts
 * // POST /api/tenant/domains { "domain": "Contoso.com" } → 201 { "domain": "contoso.com", "status": "pending", … }
 * ```
 */
export function addDomain(api: DomainsApi, actor: Actor, tenant: string, request: HttpRequest) {
  return owning(actor, tenant, 'adds domains', async () => {
    const body = await readJsonObject(request);
    if (!body.ok) return body.response;
    const unknown: FieldError[] = Object.keys(body.value)
      .filter((k) => k !== 'domain')
      .map((k) => ({
        field: k,
        code: 'unknown',
        message: `${k} is not a field of a domain (domain).`,
      }));
    const parsed = domainOf(body.value['domain']);
    if (!parsed.ok || unknown.length > 0)
      return problemResponse('validation', 'The domain is not valid.', {
        errors: [
          ...unknown,
          ...(parsed.ok ? [] : [{ field: 'domain', code: 'format', message: parsed.reason }]),
        ],
      });
    const { domain } = parsed;
    if (isPublicMailDomain(domain))
      return problemResponse(
        'public-domain',
        `${domain} is a public mail domain: it cannot be an organization's.`,
      );
    // Whether another organization holds the domain is said only after this one proves it (verify's 409
    // `domain-taken`, behind its own TXT record): adding answers alike for every domain, so no organization learns
    // which domains another has verified by adding them.
    const mine = await api.domains.list(tenant);
    if (mine.length >= MAX_DOMAINS_PER_ORGANIZATION)
      return problemResponse(
        'validation',
        `${tenant} has ${String(mine.length)} domains, as many as an organization may: remove one first.`,
        {
          errors: [
            {
              field: 'domain',
              code: 'maxItems',
              message: `At most ${String(MAX_DOMAINS_PER_ORGANIZATION)} domains.`,
            },
          ],
        },
      );
    const stored: StoredDomain = {
      tenant,
      domain,
      status: 'pending',
      txt: {
        name: domainTxtName(domain),
        value: `${DOMAIN_TXT_PREFIX}${randomBytes(18).toString('base64url')}`,
      },
      join: 'off',
      role: api.membership.roles.includes(DEFAULT_JOIN_ROLE)
        ? DEFAULT_JOIN_ROLE
        : (api.membership.roles.at(-1) ?? DEFAULT_JOIN_ROLE),
      createdOn: nowOf(api).toISOString(),
    };
    const made = await api.domains.create(stored);
    if (made === 'exists')
      return problemResponse('conflict', `${tenant} has added ${domain} already.`);
    await recordMemberAudit(api, actor, tenant, 'domain.added', domain);
    return jsonResponse(201, publicDomain(made.value));
  });
}

/**
 * `GET api/tenant/domains` (an Owner or an Admin) → 200 `{ items }`: every domain of the organization.
 *
 * @example
 * ```ts
 * // GET /api/tenant/domains → 200 { "items": [{ "domain": "contoso.com", "status": "verified", … }] }
 * ```
 */
export function listDomains(
  api: DomainsApi,
  actor: Actor,
  tenant: string,
): Promise<HttpResponseInit> {
  return seeing(actor, tenant, async () =>
    jsonResponse(200, { items: (await api.domains.list(tenant)).map(publicDomain) }),
  );
}

/** `run` for an Owner or an Admin of `tenant` (who see its domains), else the 403. */
function seeing(actor: Actor, tenant: string, run: () => Promise<HttpResponseInit>) {
  if (actor.roles.includes(OWNER_ROLE) || actor.roles.includes(ADMIN_ROLE))
    return orUnavailable(run);
  return Promise.resolve(
    problemResponse(
      'access-denied',
      `Only an ${OWNER_ROLE} or an ${ADMIN_ROLE} of ${tenant} sees its domains.`,
      {
        rules: [`roles: ['${OWNER_ROLE}', '${ADMIN_ROLE}']`],
      },
    ),
  );
}

/** `GET api/tenant/domains/{domain}` (an Owner or an Admin) → 200 the domain, 404 when the organization has none such. */
export function readDomain(api: DomainsApi, actor: Actor, tenant: string, name: string) {
  return seeing(actor, tenant, async () => {
    const parsed = domainOf(name);
    const found = parsed.ok ? await api.domains.read(tenant, parsed.domain) : undefined;
    return found ? jsonResponse(200, publicDomain(found.value)) : noDomain(tenant, name);
  });
}

/**
 * `DELETE api/tenant/domains/{domain}` by an Owner → 204: the domain and its claim gone (free for another
 * organization to prove), its joins with it.
 *
 * @example
 * ```ts
 * // DELETE /api/tenant/domains/contoso.com → 204
 * ```
 */
export function removeDomain(api: DomainsApi, actor: Actor, tenant: string, name: string) {
  return owning(actor, tenant, 'removes domains', async () => {
    const parsed = domainOf(name);
    if (!parsed.ok || !(await api.domains.remove(tenant, parsed.domain)))
      return noDomain(tenant, name);
    await api.domains.release(parsed.domain, tenant);
    await recordMemberAudit(api, actor, tenant, 'domain.removed', parsed.domain);
    return { status: 204 };
  });
}
