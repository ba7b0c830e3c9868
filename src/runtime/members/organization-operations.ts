import { randomBytes } from 'node:crypto';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import {
  MAX_ORGANIZATION_NAME,
  type Membership,
  organizationIdFrom,
  organizationIdIssue,
  OWNER_ROLE,
} from '../../contract/members.js';
import { newTenantRecord, type TenantRecord } from '../../contract/tenants.js';
import { readJsonObject } from '../http/body.js';
import { type FieldError, jsonResponse, problemResponse, refused } from '../http/response.js';
import { recordAudit } from '../audit/record-audit.js';
import { auditActor, type MembersApi, nowOf, orUnavailable, pageResponse } from './members-api.js';
import { ownerBound, releaseOwnerHold } from './owners/owner-bound.js';
import { firstJoin } from './first-join.js';
import { admittedMembership, barNamesOf, unbar } from './life/member-life.js';
import { closedMeanwhile, notActive, organizationClosed } from './life/organization-open.js';
import type { StoredInvitation } from './member-items.js';
import { inviterMayStillSend, keepClosed } from './invitation-lifecycle.js';
import { refusedToJoin, unmark } from './invitation-acceptance.js';
import { invitationOfToken, tokenMatches } from './invitation-token.js';
import { onPage } from '../tenants/tenants-operations.js';
import { isFull, seatLimitOf, seatMember } from './seats/seats.js';
import { type MyTenant } from '../../contract/members.js';

/**
 * Who calls a route that needs no organization: their identity, verified email (when the token proves one), token's
 * `tid` and user principal name (caller/principal-name.ts: a linked directory's first join on `GET api/me/tenants`).
 */
export interface SignedInUser {
  readonly userId: string;
  readonly email?: string;
  readonly directory?: string;
  readonly upn?: string;
}

/** Random lower-case letters and digits (an organization id's suffix). */
function suffix(): string {
  return [...randomBytes(6)].map((b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');
}

/** Generated ids tried before giving up (a collision of 36^6 suffixes is already rare). */
const ID_ATTEMPTS = 5;

/** The organization a POST body asks for, or the 400 naming what is wrong. */
async function organizationOfBody(
  request: HttpRequest,
  extra: readonly string[],
): Promise<
  | { ok: true; name: string; id: string | undefined; body: Readonly<Record<string, unknown>> }
  | { ok: false; response: HttpResponseInit }
> {
  const body = await readJsonObject(request);
  if (!body.ok) return body;
  const b = body.value;
  const { name, id } = b;
  const errors: FieldError[] = Object.keys(b)
    .filter((k) => k !== 'name' && k !== 'id' && !extra.includes(k))
    .map((k) => ({
      field: k,
      code: 'unknown',
      message: `${k} is not a field of an organization (name, id).`,
    }));
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_ORGANIZATION_NAME)
    errors.push({
      field: 'name',
      // Too long is its own code: a form tells a person what to change (elements/forms/field-errors.ts).
      code: typeof name === 'string' && name.trim() !== '' ? 'maxLength' : 'required',
      message: `name is required: the organization's display name (at most ${String(MAX_ORGANIZATION_NAME)} characters).`,
    });
  const idIssue = id === undefined ? undefined : organizationIdIssue(id);
  if (idIssue) errors.push(idIssue);
  if (errors.length > 0 || typeof name !== 'string')
    return refused('validation', 'The organization is not valid.', { errors });
  return { ok: true, name: name.trim(), id: typeof id === 'string' ? id : undefined, body: b };
}

/**
 * `POST api/tenants` with tenants by membership: a new organization `{ name, id? }` (id generated from the name
 * unless given) on the default plan — or, for the operator's `TenantAdmin`, the plan and status the body names
 * (`operatorFields` checked by the caller) — whose creator is its first `Owner`. 201 with the record, `Location` and
 * `ETag`; 409 `organization-limit` when the creator owns `tenants.maxOrganizationsPerUser` organizations already
 * (the operator is not bound; checked before the id, so the answer says nothing of which ids exist); 409 `conflict`
 * for a given id that exists.
 *
 * @example
 * ```ts
 * // POST /api/tenants { "name": "Acme" } → 201 { "id": "acme-k3x9qa", "plan": "free", "status": "active", "name": "Acme", … }
 * ```
 */
export async function createOrganization(
  api: MembersApi,
  creator: SignedInUser,
  request: HttpRequest,
  operator?: {
    readonly fields: readonly string[];
    readonly check: (body: Readonly<Record<string, unknown>>) => FieldError[];
  },
): Promise<HttpResponseInit> {
  const asked = await organizationOfBody(request, operator?.fields ?? []);
  if (!asked.ok) return asked.response;
  const issues = operator?.check(asked.body) ?? [];
  if (issues.length > 0)
    return problemResponse('validation', 'The organization is not valid.', { errors: issues });
  return orUnavailable(async () => {
    const now = nowOf(api).toISOString();
    let stored: Awaited<ReturnType<MembersApi['admin']['create']>> = 'exists';
    let record: TenantRecord | undefined;
    for (
      let attempt = 0;
      stored === 'exists' && attempt < (asked.id ? 1 : ID_ATTEMPTS);
      attempt++
    ) {
      const id = asked.id ?? organizationIdFrom(asked.name, suffix());
      // The creator's room held for this id before it is created (nothing said of which ids exist), back if taken.
      const over = operator ? undefined : await ownerBound(api, creator.userId, true, id);
      if (over) return over;
      record = newTenantRecord(
        id,
        { ...asked.body, name: asked.name },
        api.registry.defaultPlan,
        now,
      );
      stored = await api.admin.create(record);
      if (stored === 'exists' && !operator) await releaseOwnerHold(api, creator.userId, id);
    }
    if (stored === 'exists' || !record)
      return problemResponse(
        'conflict',
        `Organization ${asked.id ?? ''} exists already: choose another id.`,
      );
    const { userId, email } = creator;
    const owner = admittedMembership(
      { tenant: record.id, userId, email, roles: [OWNER_ROLE], addedOn: now },
      'created',
    );
    await seatMember(api, owner); // The creator's seat (seats/seats.ts): every plan has one at least.
    api.cache.forget(record.id, creator.userId);
    api.forgetRecord?.(record.id);
    await recordAudit(api, {
      tenant: record.id,
      actor: auditActor(creator),
      action: 'organization.created',
      target: record.id,
      changes: {
        ...(record.name !== undefined ? { name: record.name } : {}),
        plan: record.plan,
        status: record.status,
      },
    });
    // The creator is its first member: the door every membership is audited by (tenant events' `member.added`).
    await recordAudit(api, {
      tenant: record.id,
      actor: auditActor(creator),
      action: 'member.added',
      target: creator.userId,
      changes: { roles: { to: owner.roles }, via: owner.via },
    });
    const path = new URL(request.url).pathname.replace(/\/+$/, '');
    return jsonResponse(201, stored.record, {
      ...(stored.etag ? { ETag: stored.etag } : {}),
      Location: `${path}/${encodeURIComponent(record.id)}`,
    });
  });
}

/**
 * `GET api/me/tenants`: one page of the organizations the caller belongs to (`$first`/`limit`, `$after`/
 * `continuationToken` as every list), with their roles in each, by id — `{ items, continuationToken }` — read from
 * the store, not the cache (what the caller just joined or left shows at once), the page's records in one query.
 * The first page runs the caller's first join (first-join.ts: their linked directory's organization, or the one that
 * provisioned them through SCIM), so a page that starts here shows it on its first call.
 *
 * @example
 * ```ts
 * // GET /api/me/tenants?$first=20 → { "items": [{ "id": "acme-k3x9qa", "name": "Acme", "plan": "free", "status": "active", "roles": ["Owner"] }], "continuationToken": null }
 * ```
 */
export function myTenants(
  api: MembersApi,
  user: SignedInUser,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  return onPage(request, (page) =>
    orUnavailable(async () => {
      if (page.token === undefined) await joinFirst(api, user);
      const { items: memberships, next } = await api.store.membershipsPage(
        user.userId,
        page.limit,
        page.token,
      );
      const records = new Map(
        (await api.admin.readMany(memberships.map((m) => m.tenant))).map((r) => [r.id, r]),
      );
      const items: MyTenant[] = [];
      for (const m of memberships) {
        const r = records.get(m.tenant);
        // A membership of an organization the registry no longer has grants nothing, and is not listed.
        if (!r) continue;
        items.push({
          id: r.id,
          ...(r.name !== undefined ? { name: r.name } : {}),
          plan: r.plan,
          status: r.status,
          ...(r.deleteOn !== undefined && r.status === 'suspended' ? { deleteOn: r.deleteOn } : {}),
          roles: m.roles,
        });
      }
      return pageResponse(items, next);
    }),
  );
}

/**
 * The first join a signed-in user's own page runs (`GET api/me/tenants`): a linked directory's organization, or
 * the one whose SCIM provisioned them — the joins a request to that organization would make (first-join.ts; the
 * route is held to the caller's per-user rate already, and a try that found nothing is remembered).
 */
async function joinFirst(api: MembersApi, user: SignedInUser): Promise<void> {
  const records = { get: async (id: string) => (await api.admin.read(id))?.record };
  const { userId, directory, email, upn } = user;
  const joiner = { userId, directory, email, upn };
  await firstJoin({ members: api, records, registry: api.registry }, joiner, undefined);
}

const expired = (detail: string) => problemResponse('invitation-expired', detail);

/**
 * `POST api/invitations/accept` `{ token }`: the caller joins the invitation's organization with its roles → 201
 * the membership. 410 `invitation-expired` for a token that is no open invitation's (used, revoked, older than 7
 * days, malformed, or of an organization that is gone); 403 `invitation-email-mismatch` when the caller's verified
 * email is not the invited one (the invitation stays open); 403 `tenant-suspended` for a suspended organization.
 * Single use: the first acceptance marks it (conditionally on its ETag), so two at once cannot both join, nor a
 * revoke and an acceptance both succeed. Once marked, the inviter is checked again: an invitation whose sender is
 * no longer a member who may grant its roles dies (410, deleted), however it raced their removal or demotion.
 * A caller who is a member already (they joined by another door after it was sent) gets 201 with the invitation's
 * roles added to theirs, whatever the seats: their membership is read before a seat is reserved
 * (members/seats/seats.ts `seatMember`), so a full organization answers them as one with seats free. 402 `seat-limit`
 * (the invitation kept, to accept once a seat frees) only for a caller who is no member, last.
 *
 * @example
 * ```ts
 * // POST /api/invitations/accept { "token": "acme-k3x9qa.k3x9qa7b2c1d.…" } → 201 { "tenant": "acme-k3x9qa", "roles": ["Member"], … }
 * ```
 */
export async function acceptInvitation(
  api: MembersApi,
  user: SignedInUser,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  const body = await readJsonObject(request);
  if (!body.ok) return body.response;
  const token = body.value['token'];
  const named = invitationOfToken(token);
  if (!named || typeof token !== 'string')
    return expired('The token is no invitation token this API issued.');
  return orUnavailable(async () => {
    for (;;) {
      const found = await api.store.readInvitation(named.tenant, named.id);
      const inv = found?.value;
      if (!found || !inv || !tokenMatches(token, inv.tokenHash))
        return expired('The invitation was used or revoked: ask for a new one.');
      if (inv.acceptedBy !== undefined && inv.acceptedBy !== user.userId)
        return expired('The invitation was used: ask for a new one.');
      if (inv.acceptedBy === undefined && Date.parse(inv.expiresOn) <= nowOf(api).getTime())
        return expired(`The invitation expired on ${inv.expiresOn}: ask for a new one.`);
      if (user.email === undefined || user.email !== inv.email)
        return problemResponse(
          'invitation-email-mismatch',
          user.email === undefined
            ? 'The invitation names an email, and your sign-in proves none: sign in with the invited account.'
            : 'The invitation was sent to another email than your verified one: sign in with the invited account.',
        );
      // Read beside the record (an acceptance racing a revoke stays as quick as it was): who may not take it.
      const [record, refused] = await Promise.all([
        api.admin.read(inv.tenant),
        inv.acceptedBy === undefined ? refusedToJoin(api, user, inv) : undefined,
      ]);
      if (!record) return expired(`Organization ${inv.tenant} no longer exists.`);
      if (record.record.status !== 'active')
        return notActive(inv.tenant, record.record, 'accept the invitation once it is resumed.');
      let etag = found.etag;
      if (inv.acceptedBy === undefined) {
        if (refused) return refused;
        const marked = await api.store.replaceInvitation(
          { ...inv, acceptedBy: user.userId },
          found.etag,
        );
        if (marked === 'missing') return expired('The invitation was revoked: ask for a new one.');
        // Someone accepted or revoked it between our read and our write: read it again.
        if (marked === 'changed') continue;
        etag = marked.etag;
      }
      // Checked after the mark: a removal or demotion that committed before it is seen here, and one that
      // commits after it finds the invitation marked (its revocation leaves a marked one to this check).
      if (!(await inviterMayStillSend(api, inv))) {
        await keepClosed(api, inv, 'revoked');
        await api.store.deleteInvitation(inv.tenant, inv.id);
        return expired(
          'The member who sent the invitation may no longer send it (removed, or their roles changed): ask an ' +
            'Owner or an Admin for a new one.',
        );
      }
      return joined(api, user, { ...inv, etag }, request);
    }
  });
}

/** The membership an accepted invitation gives (its roles added to an existing membership), then the invitation gone. */
async function joined(
  api: MembersApi,
  user: SignedInUser,
  invitationOf: StoredInvitation & { readonly etag: string },
  request: HttpRequest,
): Promise<HttpResponseInit> {
  const { tenant, roles, id: invitation, tokenHash } = invitationOf;
  const now = nowOf(api).toISOString();
  const { userId, email: address } = user;
  const fresh = admittedMembership(
    { tenant, userId, email: address, roles, addedOn: now },
    'invitation',
  );
  let membership: Membership = fresh;
  // The roles held before (a member already): the log records a change of roles, not an addition.
  let before: readonly string[] | undefined;
  // A member already is `exists` before any seat is reserved (members/seats/seats.ts): their roles merged, full or not.
  // Else a seat: past the plan's members, 402 and the invitation kept for when one frees.
  const created = await seatMember(api, fresh);
  if (isFull(created)) {
    // Refused, the invitation is open again as it was: the Owner's to see, revoke and let expire, and the invitee's
    // to accept once a seat frees — never a mark that hides it, outlives its expiry and takes a seat later.
    await unmark(api, invitationOf);
    return seatLimitOf(api, tenant, created.full, false);
  }
  // Asked again after the write: of the Owner's delete and this acceptance at once, the delete stands — and the
  // invitation is open again as it was, as the delete first would have left it (its mark would hide it from the
  // Owner, outlive its expiry and a deprovisioning's revocation, and admit its invitee after the undelete).
  if (created !== 'exists' && (await closedMeanwhile(api, fresh, created.etag))) {
    await unmark(api, invitationOf);
    return organizationClosed(tenant);
  }
  // New: an Owner's invitation (refusedToJoin let it through) re-admits a barred person, the bar lifted.
  // Every address a bar may name them by: their verified e-mail, and their user principal name where the
  // organization links their directory (a SCIM DELETE's bar on it would outlive this admission).
  if (created !== 'exists')
    await unbar(api, tenant, user.userId, await barNamesOf(api, tenant, user));
  else {
    const existing = await api.store.read(tenant, user.userId);
    if (existing) {
      before = existing.value.roles;
      const merged = [...new Set([...existing.value.roles, ...roles])];
      membership = { ...existing.value, roles: merged };
      if (merged.length !== existing.value.roles.length)
        await api.store.replace(membership, existing.etag);
    }
  }
  const email = user.email ? { email: user.email } : {};
  await keepClosed(api, { tenant, id: invitation, tokenHash, ...email }, 'accepted');
  await api.store.deleteInvitation(tenant, invitation);
  api.cache.forget(tenant, user.userId);
  const actor = auditActor(user);
  await recordAudit(api, { tenant, actor, action: 'invitation.accepted', target: invitation });
  if (before === undefined || before.length !== membership.roles.length)
    await recordAudit(api, {
      tenant,
      actor,
      action: before === undefined ? 'member.added' : 'member.roles-changed',
      target: user.userId,
      changes: {
        roles: { ...(before ? { from: before } : {}), to: membership.roles },
        ...(before === undefined ? { via: fresh.via } : {}),
      },
    });
  const members = new URL(request.url).pathname.replace(
    /invitations\/accept\/?$/,
    'tenant/members',
  );
  return jsonResponse(201, membership, {
    Location: `${members}/${encodeURIComponent(user.userId)}`,
  });
}
