import type { HttpResponseInit } from '@azure/functions';
import { INVITATION_LIFETIME_MS, OWNER_ROLE } from '../../contract/members.js';
import { admits, memberBarred, type Person } from './life/member-life.js';
import type { StoredInvitation } from './member-items.js';
import type { MembersApi } from './members-api.js';
import { ownerBound } from './owners/owner-bound.js';

// What an invitation's acceptance asks before it admits (who may not take it), and what it undoes when it is refused
// after its mark (organization-operations.ts `acceptInvitation`).

/**
 * Why `user` may not take `inv` before it is marked (the invitation then stays open): 403 `member-barred` when an
 * Owner or SCIM put them out — by their user id or an address a bar keeps, whatever address the invitation went to
 * — and its sender is no Owner now or sent it before the bar (only an Owner's invitation sent since re-admits them:
 * model/lives/membership-life.ts), 409 `organization-limit` when it would make them an Owner of one organization
 * more than they may own. Undefined when nothing stands in the way.
 *
 * @example
 * ```ts
 * const refused = await refusedToJoin(api, { userId: 'u-9', email: 'kim@contoso.com' }, invitation);
 * if (refused) return refused;
 * ```
 */
export async function refusedToJoin(
  api: MembersApi,
  user: Person,
  inv: Pick<StoredInvitation, 'tenant' | 'invitedBy' | 'roles' | 'expiresOn'>,
): Promise<HttpResponseInit | undefined> {
  // The common acceptance reads the bars only (point reads): who sent it, and the acceptor's membership, only when
  // they decide something.
  const anyone = await admits(api, inv.tenant, user, { door: 'invitation' });
  const mine =
    anyone === 'barred' || inv.roles.includes(OWNER_ROLE)
      ? (await api.store.read(inv.tenant, user.userId))?.value
      : undefined;
  if (anyone === 'barred' && !mine) {
    const sender = await api.store.read(inv.tenant, inv.invitedBy);
    const byOwner = sender?.value.roles.includes(OWNER_ROLE) === true;
    // Sent (or last resent) when its 7 days began: an Owner's word given before the bar lifts nothing.
    const sentOn = new Date(Date.parse(inv.expiresOn) - INVITATION_LIFETIME_MS).toISOString();
    const entry = { door: 'invitation', byOwner, sentOn } as const;
    if ((await admits(api, inv.tenant, user, entry)) === 'barred') return memberBarred(inv.tenant);
  }
  const becomesOwner = inv.roles.includes(OWNER_ROLE) && !mine?.roles.includes(OWNER_ROLE);
  return becomesOwner ? ownerBound(api, user.userId, true, inv.tenant) : undefined;
}

/**
 * The acceptance's mark taken off `inv` (at the version the acceptance wrote: a revoke since stands), so an
 * acceptance refused after the mark leaves the invitation open as before it — listed, revocable, expiring on its
 * day, taking no seat until its invitee accepts again.
 *
 * @example
 * ```ts
 * await unmark(api, { ...invitation, etag });
 * ```
 */
export async function unmark(
  api: MembersApi,
  inv: StoredInvitation & { readonly etag: string },
): Promise<void> {
  const { acceptedBy: _mark, etag, ...open } = inv;
  await api.store.replaceInvitation(open, etag);
}
