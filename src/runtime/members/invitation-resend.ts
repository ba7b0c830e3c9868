import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import {
  type CreatedInvitation,
  INVITATION_LIFETIME_MS,
  mayInvite,
  OWNER_ROLE,
} from '../../contract/members.js';
import { jsonResponse, problemResponse } from '../http/response.js';
import { claimInvitationEmail, mailInvitation } from './mail/invitation-mail.js';
import { acceptLink } from './accept-link.js';
import { newInvitationToken } from './invitation-token.js';
import {
  type Actor,
  byOwnerOrAdmin,
  type MembersApi,
  nowOf,
  recordMemberAudit,
} from './members-api.js';
import { publicInvitation, type StoredInvitation } from './member-store.js';
import { MAX_VOID_TOKENS } from './member-items.js';

const noInvitation = (tenant: string, id: string) =>
  problemResponse('not-found', `Organization ${tenant} has no open invitation ${id}.`);

/**
 * `POST api/tenant/invitations/{id}/resend` (an Owner or an Admin who may send its roles: only an Owner resends an
 * Owner's invitation) → 200 `{ …invitation, acceptUrl }`: a new token (the old one answers 410 from now on), a new
 * 7-day lifetime, the resender its sender, and — with `tenants.email` — the e-mail sent again (counted in the day's
 * `invitationsPerDay`; 429 `invitation-limit` past it, nothing changed) with its `delivery`. 404 for no open
 * invitation; 409 `write-contention` when an acceptance or a revoke wrote it meanwhile.
 *
 * @example
 * ```ts
 * // POST /api/tenant/invitations/k3x9qa7b2c1d/resend → 200 { "acceptUrl": "https://…/?invitation=…", "delivery": { "status": "sent", … } }
 * ```
 */
export function resendInvitation(
  api: MembersApi,
  actor: Actor,
  tenant: string,
  id: string,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  return byOwnerOrAdmin(actor, tenant, 'manages its invitations', async () => {
    const found = await api.store.readInvitation(tenant, id);
    if (!found || found.value.acceptedBy !== undefined) return noInvitation(tenant, id);
    if (!mayInvite(actor.roles, found.value.roles))
      return problemResponse(
        'access-denied',
        `Only an ${OWNER_ROLE} of ${tenant} resends an invitation as ${OWNER_ROLE}.`,
        { rules: [`roles: ['${OWNER_ROLE}']`] },
      );
    const over = await claimInvitationEmail(api, tenant);
    if (over) return over;
    const { token, hash } = newInvitationToken(tenant, id);
    const now = nowOf(api);
    // The resender is who invites now: the preview names them, not the first sender.
    const { delivery: _previous, inviterName: _first, ...rest } = found.value;
    const renewed: StoredInvitation = {
      ...rest,
      invitedBy: actor.userId,
      ...(actor.name !== undefined ? { inviterName: actor.name.slice(0, 200) } : {}),
      expiresOn: new Date(now.getTime() + INVITATION_LIFETIME_MS).toISOString(),
      tokenHash: hash,
      // The link before is void: its preview says so (410), as a used one's does.
      voidTokenHashes: [...(rest.voidTokenHashes ?? []), rest.tokenHash].slice(-MAX_VOID_TOKENS),
    };
    const written = await api.store.replaceInvitation(renewed, found.etag);
    if (written === 'missing') return noInvitation(tenant, id);
    if (written === 'changed')
      return problemResponse(
        'write-contention',
        `Invitation ${id} changed while it was being resent: read it again and retry.`,
      );
    await recordMemberAudit(api, actor, tenant, 'invitation.resent', id, {
      email: written.value.email,
      roles: written.value.roles,
    });
    const acceptUrl = acceptLink(request, token, api.sites);
    const answer: CreatedInvitation = {
      ...publicInvitation(await mailInvitation(api, actor, written, acceptUrl)),
      acceptUrl,
    };
    return jsonResponse(200, answer, { 'Cache-Control': 'no-store' });
  });
}
