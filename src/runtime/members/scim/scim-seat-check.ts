import type { HttpResponseInit } from '@azure/functions';
import { seatLimitOf, seatsFull } from '../seats/seats.js';
import type { ScimApi } from './scim-api.js';
import { type ScimUser, matchEmailsOf } from './scim-items.js';
import { asScim } from './scim-response.js';

/**
 * Whether `user` names a person who is a member of `tenant` already: its linked person, its `externalId` (Entra's
 * object id, a member's id), or one of its addresses a member's e-mail.
 */
async function namesMember(api: ScimApi, tenant: string, user: ScimUser): Promise<boolean> {
  for (const id of new Set([user.userId, user.externalId]))
    if (id !== undefined && (await api.store.read(tenant, id))) return true;
  const emails = matchEmailsOf(user);
  return (
    emails.length > 0 && ((await api.store.membersWithEmails?.(tenant, emails)) ?? []).length > 0
  );
}

/**
 * The SCIM 402 `seat-limit` for `user` made active — provisioned, or re-activated — when the organization's seats are
 * full and it names nobody who is a member already (members/seats/seats.ts: a member holds their seat, and is answered
 * as with seats free — the user stored, their first request or grant finding the membership); undefined otherwise.
 * Only a promise: the admission itself still reserves its seat (`seatMember`).
 *
 * @example
 * ```ts
 * const refused = await scimSeatRefusal(api, call.tenant, user);
 * if (refused) return refused;
 * ```
 */
export async function scimSeatRefusal(
  api: ScimApi,
  tenant: string,
  user: ScimUser,
): Promise<HttpResponseInit | undefined> {
  const full = await seatsFull(api, tenant);
  if (!full || (await namesMember(api, tenant, user))) return undefined;
  return asScim(seatLimitOf(api, tenant, full, false));
}
