import type { HttpResponseInit } from '@azure/functions';
import { DEFAULT_INVITATIONS_PER_DAY } from '../../../contract/members.js';
import { invitationLimit, sendInvitation, utcDayOf } from '../../email/invitation-delivery.js';
import type { Actor, MembersApi } from '../members-api.js';
import { nowOf } from '../members-api.js';
import type { StoredInvitation, Tagged } from '../member-store.js';
import { invitationOperationId, retryQueuedEmail } from './invitation-mail-retry.js';

/**
 * With `tenants.email`: count one invitation e-mail of `tenant` today, or the 429 `invitation-limit` when its
 * `invitationsPerDay` are spent (nothing then is created or sent). Without e-mail: nothing to count.
 *
 * @example
 * ```ts
 * const over = await claimInvitationEmail(api, tenant);
 * if (over) return over;
 * ```
 */
export async function claimInvitationEmail(
  api: MembersApi,
  tenant: string,
): Promise<HttpResponseInit | undefined> {
  if (!api.mailer) return undefined;
  const bound = api.mailer.email.invitationsPerDay ?? DEFAULT_INVITATIONS_PER_DAY;
  const now = nowOf(api);
  return (await api.store.claimEmail(tenant, utcDayOf(now), bound))
    ? undefined
    : invitationLimit(tenant, bound, now);
}

/**
 * With `tenants.email`: send the invitation e-mail (the organization's name from its record, the inviter's name or
 * e-mail, the roles, the expiry, `acceptUrl`) and record `delivery` on the invitation at the version written —
 * what the invitation is now. A failed send is recorded, never thrown: the invitation stays open for a resend. A send
 * Azure's limits refused for now is recorded `queued` and tried again after `Retry-After`, as the same operation
 * (./invitation-mail-retry.ts).
 *
 * @example
 * ```ts
 * const now = await mailInvitation(api, actor, written, acceptUrl); // now.value.delivery.status: 'sent'
 * ```
 */
export async function mailInvitation(
  api: MembersApi,
  actor: Actor,
  written: Tagged<StoredInvitation>,
  acceptUrl: string,
): Promise<StoredInvitation> {
  const mailer = api.mailer;
  if (!mailer) return written.value;
  const invitation = written.value;
  const record = await api.admin.read(invitation.tenant);
  const mail = {
    to: invitation.email,
    organization: record?.record.name ?? invitation.tenant,
    inviter: actor.name ?? actor.email ?? actor.userId,
    roles: invitation.roles,
    expiresOn: invitation.expiresOn,
    acceptUrl,
  };
  const { tenant, id, tokenHash } = invitation;
  const delivery = await sendInvitation(mailer, mail, () => nowOf(api), {
    operationId: invitationOperationId(tenant, id, tokenHash),
  });
  const delivered: StoredInvitation = { ...invitation, delivery };
  // Accepted or revoked meanwhile: the e-mail went (or not) all the same; the answer says so, the store keeps
  // what the acceptance or the revoke made of it.
  await api.store.replaceInvitation(delivered, written.etag);
  if (delivery.status === 'queued')
    retryQueuedEmail(api, { tenant, id, tokenHash, mail }, delivery, 1);
  return delivered;
}
