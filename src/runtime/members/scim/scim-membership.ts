import type { HttpResponseInit } from '@azure/functions';
import { type Membership, membershipId, OWNER_ROLE } from '../../../contract/members.js';
import { recordAudit } from '../../audit/record-audit.js';
import { plainRequest } from '../../http/plain-request.js';
import { removeMember, updateMember } from '../member-operations.js';
import { auditActor, nowOf } from '../members-api.js';
import { type ScimApi, scimActor } from './scim-api.js';
import type { ScimUser } from './scim-items.js';
import { isFull, type SeatsFull, seatLimitOf, seatMember } from '../seats.js';
import { asScim } from './scim-response.js';

/** The role a provisioned user holds outside every role group: `Member` when declared, else the last declared. */
export function defaultRole(api: ScimApi): string {
  const roles = api.membership.roles;
  return roles.includes('Member') ? 'Member' : (roles[roles.length - 1] ?? 'Member');
}

/**
 * The roles a provisioned user's groups grant: each group whose `displayName` equals a declared role (never
 * `Owner`: ownership is given in the app, by an Owner), else the default role.
 *
 * @example
 * ```ts
 * await groupRoles(api, 'acme', scimUserId); // ['Admin']
 * ```
 */
export async function groupRoles(
  api: ScimApi,
  tenant: string,
  scimUserId: string,
): Promise<string[]> {
  const declared = api.membership.roles;
  const names = (await api.scim.groupsOf(tenant, scimUserId)).map((g) => g.displayName);
  const granted = declared.filter((r) => r !== OWNER_ROLE && names.includes(r));
  return granted.length > 0 ? granted : [defaultRole(api)];
}

/**
 * A provisioned user's membership ends: the membership operations' own removal (member-operations.ts
 * `removeMember`, acting as the SCIM token) — refused at once on this instance, their realtime connections to the
 * organization closed, their open invitations revoked, `member.removed` recorded `via: 'scim'`. A user never linked
 * (or already gone) has nothing to remove: undefined. The last Owner stays (the removal's 409 `last-owner`).
 *
 * @example
 * ```ts
 * const refused = await deprovision(api, tokenId, user);
 * if (refused) return refused;
 * ```
 */
export async function deprovision(
  api: ScimApi,
  tokenId: string,
  user: ScimUser,
): Promise<HttpResponseInit | undefined> {
  if (user.userId === undefined) return undefined;
  const removed = await removeMember(api, scimActor(tokenId), user.tenant, user.userId);
  return removed.status === 204 || removed.status === 404 ? undefined : removed;
}

/**
 * A linked, active user's membership made what SCIM says: created when missing (`member.added`), its roles set to
 * what the groups grant through the membership operations' own change (`updateMember`: an Owner stays an Owner).
 *
 * @example
 * ```ts
 * await grant(api, tokenId, user);
 * ```
 */
export async function grant(
  api: ScimApi,
  tokenId: string,
  user: ScimUser,
): Promise<HttpResponseInit | undefined> {
  const userId = user.userId;
  if (userId === undefined || !user.active) return undefined;
  const tenant = user.tenant;
  const roles = await groupRoles(api, tenant, user.id);
  const found = await api.store.read(tenant, userId);
  if (!found) {
    const made = await addMembership(api, tokenId, user, userId, roles);
    return 'full' in made ? asScim(seatLimitOf(api, tenant, made.full, false)) : undefined;
  }
  const next = found.value.roles.includes(OWNER_ROLE) ? [OWNER_ROLE, ...roles] : roles;
  if (sameRoles(next, found.value.roles)) return undefined;
  const request = plainRequest({
    method: 'PATCH',
    url: `https://in-process.invalid/api/tenant/members/${encodeURIComponent(userId)}`,
    headers: new Headers({ 'content-type': 'application/json' }),
    query: new URLSearchParams(),
    params: { userId },
    body: JSON.stringify({ roles: next }),
  });
  const changed = await updateMember(api, scimActor(tokenId), tenant, userId, request);
  return changed.status === 200 || changed.status === 404 ? undefined : changed;
}

const sameRoles = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((r) => b.includes(r));

/**
 * A membership for a provisioned user who signed in (or was reactivated): created, this instance's cache told,
 * `member.added` recorded `via: 'scim'`. The membership, or the one already there.
 *
 * @example
 * ```ts
 * const m = await addMembership(api, tokenId, user, caller.id, ['Member']);
 * ```
 */
export async function addMembership(
  api: ScimApi,
  tokenId: string | undefined,
  user: ScimUser,
  userId: string,
  roles: readonly string[],
  email?: string,
): Promise<Membership | { readonly full: SeatsFull }> {
  const tenant = user.tenant;
  const membership: Membership = {
    id: membershipId(tenant, userId),
    tenant,
    userId,
    roles,
    addedOn: nowOf(api).toISOString(),
    ...(email !== undefined ? { email } : {}),
  };
  // A seat first (members/seats.ts): past the plan's members nobody is made a member.
  const made = await seatMember(api, membership);
  if (isFull(made)) return made;
  if (made === 'exists') return (await api.store.read(tenant, userId))?.value ?? membership;
  api.cache.forget(tenant, userId);
  const by = tokenId ?? user.provisionedBy;
  await recordAudit(api, {
    tenant,
    // The token that acts, else (a first sign-in) the one that provisioned the user: `scim:<token id>`.
    actor: auditActor(by !== undefined ? scimActor(by) : { userId: 'scim', via: 'scim' }),
    action: 'member.added',
    target: userId,
    changes: { roles: { to: roles }, scimUser: { to: user.id } },
  });
  return made.value;
}
