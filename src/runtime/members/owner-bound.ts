import type { HttpResponseInit } from '@azure/functions';
import { DEFAULT_MAX_ORGANIZATIONS_PER_USER, OWNER_ROLE } from '../../contract/members.js';
import { problemResponse } from '../http/response.js';
import type { MembersApi } from './members-api.js';

/** How many organizations `userId` owns (one query over their memberships). */
async function ownedBy(api: MembersApi, userId: string): Promise<number> {
  return (await api.store.membershipsOf(userId)).filter((m) => m.roles.includes(OWNER_ROLE)).length;
}

/**
 * 409 `organization-limit` when `userId` owns `tenants.maxOrganizationsPerUser` organizations already and would
 * become an Owner of one more — counted wherever a user becomes an Owner (DESIGN §2): creating an organization, an
 * accepted invitation as Owner, a role change that makes them one (`you`: the caller is that user). Undefined when
 * the bound leaves room. Never counts the operator (who creates organizations for others).
 *
 * @example
 * ```ts
 * const over = await ownerBound(api, creator.userId, true);
 * if (over) return over;
 * ```
 */
export async function ownerBound(
  api: MembersApi,
  userId: string,
  you: boolean,
): Promise<HttpResponseInit | undefined> {
  const max = api.membership.maxOrganizationsPerUser ?? DEFAULT_MAX_ORGANIZATIONS_PER_USER;
  if ((await ownedBy(api, userId)) < max) return undefined;
  return problemResponse(
    'organization-limit',
    you
      ? `You own ${String(max)} organizations, as many as one user may (tenants.maxOrganizationsPerUser): delete ` +
          'one you no longer need, or hand one to another Owner, before owning another.'
      : `${userId} owns ${String(max)} organizations, as many as one user may (tenants.maxOrganizationsPerUser): ` +
          'they cannot be made an Owner of another.',
    { limit: max },
  );
}
