import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { InvitationPreview } from '../../contract/members.js';
import { jsonResponse, problemResponse } from '../http/response.js';
import { INVITATION_PARAM } from './accept-link.js';
import { inviterMayStillSend } from './invitation-lifecycle.js';
import { invitationOfToken, tokenHash, tokenMatches } from './invitation-token.js';
import { type MembersApi, nowOf, orUnavailable } from './members-api.js';

/** Headers of an answer about a token: kept by no cache on the way (RFC 9111 `no-store`), never by a referrer. */
const PRIVATE = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' };

/** A well-formed hash no token has: what an unknown token is compared with, so it costs what a known one does. */
const NO_HASH = tokenHash('');

const unknown = () =>
  problemResponse(
    'not-found',
    'No invitation has this token: check the link, or ask for a new one.',
  );
const gone = (detail: string) => problemResponse('invitation-expired', detail);

/**
 * `c…@example.com`: the first character of the address's local part, then the domain — enough for the invitee to
 * recognize their address, too little for someone holding a stolen link to learn it.
 *
 * @example
 * ```ts
 * emailHint('carol@example.com'); // 'c…@example.com'
 * ```
 */
export function emailHint(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '…';
  return `${email.charAt(0)}…${email.slice(at)}`;
}

/**
 * `GET api/invitations/preview?invitation=<token>` (no sign-in; bounded per client address): what a landing page
 * shows before the invitee signs in — `{ organization: { id, name }, invitedBy: { name }, roles, expiresOn,
 * emailHint }`. 410 `invitation-expired` for a token of an invitation used, revoked, expired, sent again (a resend
 * voids the link before it), or whose sender may no longer send it; 404 `not-found` for anything else (a malformed token, one this API never issued, a wrong secret
 * for a real invitation: nothing tells an id that exists from one that does not). The token is checked by its
 * SHA-256 in constant time, and an unknown one is hashed and compared as a known one is.
 *
 * @example
 * ```ts
 * // GET /api/invitations/preview?invitation=acme-k3x9qa.k3x9qa7b2c1d.… → 200 { "organization": { "id": "acme-k3x9qa", "name": "Acme" }, … }
 * ```
 */
export function previewInvitation(
  api: MembersApi,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  const token = new URL(request.url).searchParams.get(INVITATION_PARAM) ?? '';
  const named = invitationOfToken(token);
  if (!named) {
    tokenMatches(token.slice(0, 200), NO_HASH);
    return Promise.resolve(unknown());
  }
  return orUnavailable(async () => {
    const found = (await api.store.readInvitation(named.tenant, named.id))?.value;
    if (!found) {
      const closed = await api.store.readClosedInvitation?.(named.tenant, named.id);
      return tokenMatches(token, closed?.tokenHash ?? NO_HASH)
        ? gone(`The invitation was ${closed?.reason ?? 'used'}: ask for a new one.`)
        : unknown();
    }
    if (!tokenMatches(token, found.tokenHash))
      return (found.voidTokenHashes ?? []).some((h) => tokenMatches(token, h))
        ? gone('The invitation was sent again: this link is void, the latest one works.')
        : unknown();
    if (found.acceptedBy !== undefined) return gone('The invitation was used: ask for a new one.');
    if (Date.parse(found.expiresOn) <= nowOf(api).getTime())
      return gone(`The invitation expired on ${found.expiresOn}: ask for a new one.`);
    const record = await api.admin.read(found.tenant);
    if (!record) return gone(`The organization no longer exists.`);
    if (!(await inviterMayStillSend(api, found)))
      return gone('The member who sent the invitation may no longer send it: ask for a new one.');
    const preview: InvitationPreview = {
      organization: { id: found.tenant, name: record.record.name ?? found.tenant },
      invitedBy: { name: found.inviterName ?? 'A member' },
      roles: found.roles,
      expiresOn: found.expiresOn,
      emailHint: emailHint(found.email),
    };
    return jsonResponse(200, preview, PRIVATE);
  });
}
