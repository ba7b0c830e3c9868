import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { ORGANIZATION_ID, TENANT_SELECT_HEADER } from '../../contract/members.js';
import type { RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import type { TenantAdmission, TenantSource } from '../caller/tenant-source.js';
import { cosmosErrorResponse } from '../http/cosmos-errors.js';
import { problemResponse } from '../http/response.js';
import { planLimits } from '../tenants/plan-limits.js';
import { billingDoorOpen, organizationLifeOf } from '../../model/lives/organization-life.js';
import type { RegistryCache } from '../tenants/registry-cache.js';
import type { MembersApi } from './members-api.js';
import type { UsageMeter } from '../usage/usage-meter.js';
import { directoryRequired } from './directory/directory-admission.js';
import { firstJoin } from './first-join.js';
import { suspendedDetail } from './life/suspended-detail.js';

/** Where a member's organization came from, for the messages that name it. */
const FROM_HEADER = `the ${TENANT_SELECT_HEADER} header`;
const FROM_ONLY_MEMBERSHIP = 'your only organization';

/** The organization the request names (`X-Atakora-Tenant`), trimmed; undefined without one. */
function namedOrganization(request: Pick<HttpRequest, 'headers'>): string | undefined {
  const v = request.headers.get(TENANT_SELECT_HEADER)?.trim();
  return v ? v : undefined;
}

const refused = (response: HttpResponseInit, ledgerTenant?: string): TenantAdmission =>
  ledgerTenant === undefined ? { ok: false, response } : { ok: false, response, ledgerTenant };

const notAMember = (named: string | undefined): TenantAdmission =>
  refused(
    problemResponse(
      'not-a-member',
      named === undefined
        ? 'You are a member of no organization of this API: create one (POST api/tenants) or accept an invitation.'
        : `You are no member of organization ${JSON.stringify(named.slice(0, 80))}: name one of yours in ` +
            `${TENANT_SELECT_HEADER} (GET api/me/tenants lists them), or ask its Owner for an invitation.`,
    ),
  );

const severalOrNone = (count: number): TenantAdmission =>
  refused(
    problemResponse(
      'tenant-required',
      count === 0
        ? `You belong to no organization: create one (POST api/tenants) or accept an invitation.`
        : `You belong to ${String(count)} organizations: name the one this request acts in with ` +
            `${TENANT_SELECT_HEADER} (createClient({ tenant }); GET api/me/tenants lists them).`,
      {},
      400,
    ),
  );

/**
 * Tenants by membership as a {@link TenantSource} (DESIGN §2): the organization a request acts in — the one it names
 * in `X-Atakora-Tenant`, else the caller's only one (400 `tenant-required` when they belong to none or to several) —
 * checked against the caller's memberships (403 `not-a-member`: a forged header names no organization of theirs) and
 * the registry (403 `tenant-suspended` for a member of an organization not active, but on the billing doors its
 * place opens: organization-life.ts `billingDoorOpen`). Admitted, the caller acts in that
 * organization with the membership's roles (`Caller.actingAs`), its record and plan on the caller for the limits,
 * and the request counted under it in the usage ledger. Memberships and records are read through this instance's
 * caches, made once at start (a removal or role change made elsewhere holds within their bound). A route that acts
 * in no organization (`withoutTenant`) passes untouched. An outsider's tries to join are bounded (first-join.ts):
 * kept for the cache's bound, and held to the per-user rate of the no-tenant routes through `meter`.
 *
 * @example
 * ```ts
 * const source = membershipTenants(policy.registry, members, registry, meter);
 * ```
 */
export function membershipTenants(
  reg: RuntimeTenantRegistry,
  members: MembersApi | undefined,
  records: RegistryCache | undefined,
  meter?: UsageMeter,
): TenantSource {
  return {
    async admit(caller, request, route) {
      if (route?.withoutTenant) return { ok: true, caller };
      const userId = caller.id;
      const named = namedOrganization(request);
      if (!members || !records || userId === undefined) return notAMember(named);
      if (named !== undefined && !ORGANIZATION_ID.test(named)) return notAMember(named);
      try {
        let membership;
        // A user who belongs nowhere yet may join on their first request (first-join.ts): the one named, else theirs.
        const joiner = {
          userId,
          directory: caller.directory,
          email: caller.email,
          upn: caller.account?.upn,
        };
        const scope = { members, records, registry: reg, meter };
        if (named !== undefined)
          membership =
            (await members.cache.membership(named, userId)) ??
            (await firstJoin(scope, joiner, named));
        else {
          const mine = await members.cache.membershipsOf(userId);
          membership = mine.length === 0 ? await firstJoin(scope, joiner, undefined) : mine[0];
          if (mine.length > 1 || !membership) return severalOrNone(mine.length);
        }
        if (membership && 'refused' in membership) return refused(membership.refused);
        if (!membership) return notAMember(named);
        const record = await records.get(membership.tenant);
        // A membership of an organization the registry no longer holds admits nothing.
        if (!record) return notAMember(named ?? membership.tenant);
        // Not active: closed, but for the billing doors its place opens (organization-life.ts): an Owner pays to
        // come back from billing's suspension, or manages what a deleted organization still pays for.
        if (!billingDoorOpen(organizationLifeOf(record), route?.billingDoor, membership.roles))
          return refused(problemResponse('tenant-suspended', suspendedDetail(record)), record.id);
        const required = directoryRequired(
          record,
          caller.directory,
          membership.roles,
          route?.directoryRoute === true,
        );
        if (required) return refused(required, record.id);
        return {
          ok: true,
          caller: caller.actingAs(membership, named ? FROM_HEADER : FROM_ONLY_MEMBERSHIP, {
            record,
            limits: planLimits(reg, record.plan).limits,
          }),
          ledgerTenant: record.id,
        };
      } catch (e) {
        // The members or the registry unreachable is the service's state: 503/429 with Retry-After.
        const response = cosmosErrorResponse(e, 'the members container');
        if (response) return refused(response);
        throw e;
      }
    },
  };
}
