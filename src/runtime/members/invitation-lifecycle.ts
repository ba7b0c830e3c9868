import type { HttpResponseInit } from '@azure/functions';
import { mayInvite } from '../../contract/members.js';
import { emptyResponse, problemResponse } from '../http/response.js';
import { type MembersApi, nowOf } from './members-api.js';
import type { StoredInvitation } from './member-store.js';

/**
 * Whether the member who sent `invitation` may still send it now: a member of its organization whose current roles
 * grant its roles (contract/members.ts `mayInvite`: an Owner any, an Admin all but Owner). An invitation dies with
 * its inviter's right to issue it — a removed or demoted Admin's alt address must not bring them back.
 *
 * @example
 * ```ts
 * if (!(await inviterMayStillSend(api, inv))) return expired('Its sender may no longer invite…');
 * ```
 */
export async function inviterMayStillSend(
  api: MembersApi,
  invitation: Pick<StoredInvitation, 'tenant' | 'invitedBy' | 'roles'>,
): Promise<boolean> {
  const inviter = await api.store.read(invitation.tenant, invitation.invitedBy);
  return inviter !== undefined && mayInvite(inviter.value.roles, invitation.roles);
}

/**
 * After `userId`'s roles in `tenant` became `roles` (undefined: removed or left): the open invitations they sent
 * that those roles no longer grant are revoked, each only at the version read (one an acceptance marked since is
 * the acceptance's, and that acceptance re-checks the inviter itself). Returns how many were revoked.
 *
 * @example
 * ```ts
 * await revokeSentBeyond(api, 'acme-k3x9qa', 'u-2', ['Member']); // u-2's Admin and Member invitations die
 * ```
 */
export async function revokeSentBeyond(
  api: MembersApi,
  tenant: string,
  userId: string,
  roles: readonly string[] | undefined,
): Promise<number> {
  let revoked = 0;
  for (const { value, etag } of await api.store.invitationsBy(tenant, userId)) {
    if (mayInvite(roles ?? [], value.roles)) continue;
    if ((await api.store.deleteInvitationIf(tenant, value.id, etag)) !== 'removed') continue;
    await keepClosed(api, value, 'revoked');
    revoked++;
  }
  return revoked;
}

/**
 * The open invitations of `tenant` to `email` revoked (each at the version read, so an acceptance that marked one
 * first keeps it): what a removal does to the invitations sent before it, so only an invitation an Owner sends after
 * it re-admits the person (model/lives/membership-life.ts). Returns how many were revoked.
 *
 * @example
 * ```ts
 * await revokeSentTo(api, 'acme-k3x9qa', 'kim@contoso.com');
 * ```
 */
export async function revokeSentTo(
  api: MembersApi,
  tenant: string,
  email: string,
): Promise<number> {
  let revoked = 0;
  for (const open of (await api.store.invitationsTo?.(tenant, email.toLowerCase())) ?? []) {
    const found = await api.store.readInvitation(tenant, open.id);
    if (!found || found.value.acceptedBy !== undefined) continue;
    if ((await api.store.deleteInvitationIf(tenant, open.id, found.etag)) !== 'removed') continue;
    await keepClosed(api, found.value, 'revoked');
    revoked++;
  }
  return revoked;
}

/**
 * Keep what the preview needs of an invitation that closed (its token's hash, why) and give its address's hold
 * back: written once the revoke's conditional delete won (nothing is written for a revoke that lost its race), or
 * once an acceptance marked it. A
 * crash between the delete and this write leaves a revoked token that the preview answers 404 instead of 410 —
 * never one that answers 200.
 *
 * @example
 * ```ts
 * await keepClosed(api, invitation, 'revoked');
 * ```
 */
export async function keepClosed(
  api: MembersApi,
  invitation: Pick<StoredInvitation, 'tenant' | 'id' | 'tokenHash'> & { readonly email?: string },
  reason: 'accepted' | 'revoked',
): Promise<void> {
  await api.store.closeInvitation?.({
    tenant: invitation.tenant,
    id: invitation.id,
    tokenHash: invitation.tokenHash,
    reason,
    closedOn: nowOf(api).toISOString(),
  });
  // Its address is free for a new invitation (invitation-address.ts).
  if (invitation.email !== undefined)
    await api.store.addresses?.release(invitation.tenant, invitation.email, invitation.id);
}

const noInvitation = (tenant: string, id: string) =>
  problemResponse('not-found', `Organization ${tenant} has no open invitation ${id}.`);

/** Reads a revoke retries when an acceptance or another revoke wrote the invitation between its read and delete. */
const REVOKE_ATTEMPTS = 3;

/**
 * `DELETE api/tenant/invitations/{id}` once the caller may: the invitation deleted only at the version read, so a
 * revoke and an acceptance serialize — 204 when the revoke won (the acceptance then answers 410), 409
 * `invitation-accepted` when an acceptance marked it first (that person joins: remove them instead), 404 when no
 * such invitation is open.
 *
 * @example
 * ```ts
 * return revokeOpenInvitation(api, 'acme-k3x9qa', 'k3x9qa7b2c1d'); // 204
 * ```
 */
export async function revokeOpenInvitation(
  api: MembersApi,
  tenant: string,
  id: string,
): Promise<HttpResponseInit> {
  for (let attempt = 1; ; attempt++) {
    const found = await api.store.readInvitation(tenant, id);
    if (!found) return noInvitation(tenant, id);
    if (found.value.acceptedBy !== undefined)
      return problemResponse(
        'invitation-accepted',
        `Invitation ${id} was accepted before the revoke: remove the member instead ` +
          `(DELETE api/tenant/members/${found.value.acceptedBy}).`,
      );
    const deleted = await api.store.deleteInvitationIf(tenant, id, found.etag);
    if (deleted === 'removed') {
      await keepClosed(api, found.value, 'revoked');
      return emptyResponse(204);
    }
    if (deleted === 'missing') return noInvitation(tenant, id);
    if (attempt >= REVOKE_ATTEMPTS)
      return problemResponse(
        'write-contention',
        `Invitation ${id} changed while it was being revoked: read it again and retry.`,
      );
  }
}
