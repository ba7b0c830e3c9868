import type { HttpRequest } from '@azure/functions';
import { ORGANIZATION_ID, TENANT_SELECT_HEADER } from '../../contract/members.js';
import type { RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import { cosmosErrorResponse } from '../http/cosmos-errors.js';
import { problemResponse } from '../http/response.js';
import type { CallerContext, Passed } from '../pipeline/context.js';
import { pass, refuse } from '../pipeline/stage-list.js';
import { boundTenantRegistry } from '../tenants/registry-binding.js';
import { markLedgerTenant } from '../usage/request-usage.js';
import { FROM_HEADER, FROM_ONLY_MEMBERSHIP, MemberCaller } from './member-caller.js';
import { boundMembers } from './members-binding.js';

/** The organization the request names (`X-Atakora-Tenant`), trimmed; undefined without one. */
function namedOrganization(request: HttpRequest): string | undefined {
  const v = request.headers.get(TENANT_SELECT_HEADER)?.trim();
  return v ? v : undefined;
}

const notAMember = (named: string | undefined) =>
  refuse(
    problemResponse(
      'not-a-member',
      named === undefined
        ? 'You are a member of no organization of this API: create one (POST api/tenants) or accept an invitation.'
        : `You are no member of organization ${JSON.stringify(named.slice(0, 80))}: name one of yours in ` +
            `${TENANT_SELECT_HEADER} (GET api/me/tenants lists them), or ask its Owner for an invitation.`,
    ),
  );

/**
 * Membership (tenants by membership, DESIGN §2): the organization a request acts in — the one it names in
 * `X-Atakora-Tenant`, else the caller's only one (400 `tenant-required` when they belong to none or to several) —
 * checked against the caller's memberships (403 `not-a-member`: a forged header names no organization of theirs)
 * and the registry (403 `tenant-suspended` for a member of a suspended organization). Admitted, the caller becomes a
 * {@link MemberCaller} of that organization with the membership's roles, its record and plan on the context for the
 * limits, and the request counted under it in the usage ledger. Memberships and records are read through this
 * instance's caches (a removal or role change made elsewhere holds within their bound). A route that acts in no
 * organization (`Endpoint.withoutTenant`) passes untouched.
 *
 * @example
 * ```ts
 * const admitted = await admitOrganization(called.ctx, policy.registry);
 * ```
 */
export async function admitOrganization<R>(
  ctx: CallerContext<R>,
  reg: RuntimeTenantRegistry,
): Promise<Passed<CallerContext<R>>> {
  if (ctx.endpoint.withoutTenant) return { ok: true, ctx };
  const members = boundMembers(reg);
  const records = boundTenantRegistry(reg);
  const userId = ctx.caller.id;
  const named = namedOrganization(ctx.request);
  if (!members || !records || userId === undefined) return notAMember(named);
  if (named !== undefined && !ORGANIZATION_ID.test(named)) return notAMember(named);
  try {
    let membership;
    if (named !== undefined) membership = await members.cache.membership(named, userId);
    else {
      const mine = await members.cache.membershipsOf(userId);
      if (mine.length !== 1)
        return refuse(
          problemResponse(
            'tenant-required',
            mine.length === 0
              ? `You belong to no organization: create one (POST api/tenants) or accept an invitation.`
              : `You belong to ${String(mine.length)} organizations: name the one this request acts in with ` +
                  `${TENANT_SELECT_HEADER} (createClient({ tenant }); GET api/me/tenants lists them).`,
            {},
            400,
          ),
        );
      membership = mine[0];
    }
    if (!membership) return notAMember(named);
    const record = await records.get(membership.tenant);
    // A membership of an organization the registry no longer holds admits nothing.
    if (!record) return notAMember(named ?? membership.tenant);
    markLedgerTenant(ctx.request, record.id);
    if (record.status !== 'active')
      return refuse(
        problemResponse(
          'tenant-suspended',
          `Organization ${record.id} is suspended: this API serves it again once the operator resumes it.`,
        ),
      );
    return pass(ctx, {
      caller: new MemberCaller(ctx.caller, membership, named ? FROM_HEADER : FROM_ONLY_MEMBERSHIP),
      registered: {
        record,
        limits: reg.plans[record.plan] ?? reg.plans[reg.defaultPlan] ?? {},
      },
    });
  } catch (e) {
    // The members or the registry unreachable is the service's state: 503/429 with Retry-After.
    const response = cosmosErrorResponse(e, 'the members container');
    if (response) return refuse(response);
    throw e;
  }
}
