import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import {
  type CreatedInvitation,
  INVITATION_LIFETIME_MS,
  mayInvite,
  normalizedEmail,
  OWNER_ROLE,
  ADMIN_ROLE,
  rolesIssues,
} from '../../contract/members.js';
import { readJsonObject } from '../http/body.js';
import { hasInvisibleCharacters } from '../../contract/text/invisible-text.js';
import { type FieldError, jsonResponse, problemResponse, refused } from '../http/response.js';
import { acceptLink } from './accept-link.js';
import { revokeOpenInvitation } from './invitation-lifecycle.js';
import { newInvitationToken } from './invitation-token.js';
import {
  type Actor,
  byOwnerOrAdmin,
  listPage,
  type MembersApi,
  nowOf,
  recordMemberAudit,
} from './members-api.js';
import { publicInvitation, type StoredInvitation } from './member-store.js';
import { claimInvitationEmail, mailInvitation } from './mail/invitation-mail.js';
import { seatLimitOf, seatsFull } from './seats/seats.js';

/** Headers of an answer carrying a token: never kept by a cache on the way (RFC 9111 `no-store`). */
const NO_STORE = { 'Cache-Control': 'no-store' };

/** `run` for an Owner or an Admin of `tenant`, else the 403. */
const managing = (actor: Actor, tenant: string, run: () => Promise<HttpResponseInit>) =>
  byOwnerOrAdmin(actor, tenant, 'manages its invitations', run);

const noInvitation = (tenant: string, id: string) =>
  problemResponse('not-found', `Organization ${tenant} has no open invitation ${id}.`);

/**
 * The 409 for an invitation that would pass silently: `email` is a member's already (`already-a-member`: accepting
 * would merge roles unsaid — change their roles instead), or an invitation to it is still open (`invitation-exists`:
 * revoke it first, or let it expire); undefined when neither. An `HttpResponseInit` so the caller can answer it.
 */
async function alreadyAsked(
  api: MembersApi,
  tenant: string,
  email: string,
  now: Date,
): Promise<HttpResponseInit | undefined> {
  if (await api.store.hasMemberWithEmail?.(tenant, email))
    return problemResponse(
      'already-a-member',
      `${email} is a member of ${tenant} already: change their roles (PATCH api/tenant/members/{userId}) instead.`,
    );
  const open = (await api.store.invitationsTo?.(tenant, email)) ?? [];
  const live = open.find((i) => Date.parse(i.expiresOn) > now.getTime());
  if (live) return invitationExists(email, live.id);
  return undefined;
}

/**
 * 409 `invitation-exists` naming the open invitation `id` to `email`: one invitation per address and organization
 * (the second of two at once gets this too) — send it again (its resend route: a new link, the old one void) or
 * revoke it; nothing was created or sent.
 */
const invitationExists = (email: string, id: string) =>
  problemResponse(
    'invitation-exists',
    `An invitation to ${email} is open already (${id}): send it again (POST api/tenant/invitations/${id}/resend) ` +
      `or revoke it (DELETE api/tenant/invitations/${id}) before inviting again.`,
    { invitation: id, resend: `tenant/invitations/${id}/resend` },
  );

/**
 * Hold `email`'s one invitation in `tenant` for `id` (invitation-address.ts): undefined when held, else the 409
 * naming the invitation that holds it (an invitation is live while it is open and unexpired).
 */
async function holdAddress(
  api: MembersApi,
  tenant: string,
  email: string,
  id: string,
): Promise<HttpResponseInit | undefined> {
  const addresses = api.store.addresses;
  if (!addresses) return undefined;
  const now = nowOf(api);
  const held = await addresses.hold(tenant, email, id, now, async (other) => {
    const found = (await api.store.readInvitation(tenant, other))?.value;
    if (found) return found.acceptedBy === undefined && Date.parse(found.expiresOn) > now.getTime();
    // Gone: closed (accepted, revoked) is over; never written is its request still writing it, or a crash.
    return (await api.store.readClosedInvitation?.(tenant, other)) ? false : 'missing';
  });
  return held === 'held' ? undefined : invitationExists(email, held.held);
}

/** The invitation a POST body asks for, or the 400 naming what is wrong. */
async function invitationOfBody(
  api: MembersApi,
  request: HttpRequest,
): Promise<
  { ok: true; email: string; roles: string[] } | { ok: false; response: HttpResponseInit }
> {
  const body = await readJsonObject(request);
  if (!body.ok) return body;
  const b = body.value;
  const email = normalizedEmail(b['email']);
  const unsafe = typeof b['email'] === 'string' && hasInvisibleCharacters(b['email'].trim());
  const errors: FieldError[] = [
    ...Object.keys(b)
      .filter((k) => k !== 'email' && k !== 'roles')
      .map((k) => ({
        field: k,
        code: 'unknown',
        message: `${k} is not a field of an invitation (email, roles).`,
      })),
    ...(email === undefined
      ? [
          {
            field: 'email',
            code: unsafe ? 'pattern' : 'format',
            message: unsafe
              ? 'email holds a control, bidirectional or zero-width character: an address never does.'
              : 'email must be an email address.',
          },
        ]
      : []),
    ...(b['roles'] === undefined
      ? [{ field: 'roles', code: 'required', message: 'roles is required (a list, may be empty).' }]
      : rolesIssues(b['roles'], api.membership.roles)),
  ];
  if (errors.length > 0 || email === undefined)
    return refused('validation', 'The invitation is not valid.', { errors });
  return { ok: true, email, roles: b['roles'] as string[] };
}

/**
 * `POST api/tenant/invitations` `{ email, roles }` (an Owner or an Admin; only an Owner invites an Owner) → 201
 * `{ id, email, roles, invitedBy, createdOn, expiresOn, acceptUrl }`: the `acceptUrl` carries a single-use token,
 * shown this once (`Cache-Control: no-store`) and stored only as its SHA-256; it expires after 7 days.
 *
 * @example
 * ```ts
 * // POST /api/tenant/invitations { "email": "bob@example.com", "roles": ["Member"] } → 201 { "acceptUrl": "https://app.contoso.com/?invitation=…", … }
 * ```
 */
export function createInvitation(
  api: MembersApi,
  actor: Actor,
  tenant: string,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  return managing(actor, tenant, async () => {
    const asked = await invitationOfBody(api, request);
    if (!asked.ok) return asked.response;
    if (!mayInvite(actor.roles, asked.roles))
      return problemResponse(
        'access-denied',
        `Only an ${OWNER_ROLE} of ${tenant} invites an ${OWNER_ROLE} (an ${ADMIN_ROLE} invites the other roles).`,
        { rules: [`roles: ['${OWNER_ROLE}']`] },
      );
    const taken = await alreadyAsked(api, tenant, asked.email, nowOf(api));
    if (taken) return taken;
    // The seats full (members/seats/seats.ts): nobody is promised a seat there is not — 402 before anything is written.
    const full = await seatsFull(api, tenant);
    if (full) return seatLimitOf(api, tenant, full, actor.roles.includes(OWNER_ROLE));
    const { id, token, hash } = newInvitationToken(tenant);
    // One invitation per address, whatever races it: the address is held for this one before anything is written.
    const held = await holdAddress(api, tenant, asked.email, id);
    if (held) return held;
    // Counted only for an invitation that will be written: a 409 spends none of the day's e-mails.
    const over = await claimInvitationEmail(api, tenant);
    if (over) {
      await api.store.addresses?.release(tenant, asked.email, id);
      return over;
    }
    return created(api, actor, tenant, request, { ...asked, id, token, hash });
  });
}

/** The invitation written and, with `tenants.email`, e-mailed: the 201. */
async function created(
  api: MembersApi,
  actor: Actor,
  tenant: string,
  request: HttpRequest,
  asked: { email: string; roles: string[]; id: string; token: string; hash: string },
): Promise<HttpResponseInit> {
  const now = nowOf(api);
  const { id, token, hash } = asked;
  const stored: StoredInvitation = {
    id,
    tenant,
    email: asked.email,
    roles: asked.roles,
    invitedBy: actor.userId,
    createdOn: now.toISOString(),
    expiresOn: new Date(now.getTime() + INVITATION_LIFETIME_MS).toISOString(),
    tokenHash: hash,
    ...(actor.name !== undefined ? { inviterName: actor.name.slice(0, 200) } : {}),
  };
  const written = await api.store.createInvitation(stored);
  // The invited address and roles; never the token (nor its hash).
  await recordMemberAudit(api, actor, tenant, 'invitation.created', id, {
    email: asked.email,
    roles: asked.roles,
  });
  const acceptUrl = acceptLink(request, token, api.sites);
  const answer: CreatedInvitation = {
    ...publicInvitation(await mailInvitation(api, actor, written, acceptUrl)),
    acceptUrl,
  };
  const path = new URL(request.url).pathname.replace(/\/+$/, '');
  return jsonResponse(201, answer, { ...NO_STORE, Location: `${path}/${id}` });
}

/**
 * `GET api/tenant/invitations` (an Owner or an Admin): one page of the organization's invitations not yet accepted
 * (expired ones too, so they can be revoked), never their tokens.
 *
 * @example
 * ```ts
 * // GET /api/tenant/invitations → { "items": [{ "id": "k3x9qa7b2c1d", "email": "bob@example.com", … }], … }
 * ```
 */
export function listInvitations(
  api: MembersApi,
  actor: Actor,
  tenant: string,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  return managing(actor, tenant, () =>
    listPage(request, async (limit, token) => {
      const { items, next } = await api.store.invitations(tenant, limit, token);
      return { items: items.map(publicInvitation), next };
    }),
  );
}

/**
 * `GET api/tenant/invitations/{id}` (an Owner or an Admin): the open invitation, or 404.
 *
 * @example
 * ```ts
 * // GET /api/tenant/invitations/k3x9qa7b2c1d → 200 { "id": "k3x9qa7b2c1d", … }
 * ```
 */
export function readInvitation(
  api: MembersApi,
  actor: Actor,
  tenant: string,
  id: string,
): Promise<HttpResponseInit> {
  return managing(actor, tenant, async () => {
    const found = await api.store.readInvitation(tenant, id);
    if (!found || found.value.acceptedBy !== undefined) return noInvitation(tenant, id);
    return jsonResponse(200, publicInvitation(found.value));
  });
}

/**
 * `DELETE api/tenant/invitations/{id}` (an Owner or an Admin): the invitation is revoked — its token answers 410
 * `invitation-expired` from now on; 409 `invitation-accepted` when an acceptance won the race (they serialize on
 * the invitation's ETag).
 *
 * @example
 * ```ts
 * // DELETE /api/tenant/invitations/k3x9qa7b2c1d → 204
 * ```
 */
export function revokeInvitation(
  api: MembersApi,
  actor: Actor,
  tenant: string,
  id: string,
): Promise<HttpResponseInit> {
  return managing(actor, tenant, async () => {
    const answer = await revokeOpenInvitation(api, tenant, id);
    if (answer.status === 204)
      await recordMemberAudit(api, actor, tenant, 'invitation.revoked', id);
    return answer;
  });
}
