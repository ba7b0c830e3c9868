import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import {
  type Membership,
  memberChangeRefusal,
  OWNER_ROLE,
  rolesIssues,
} from '../../contract/members.js';
import { readJsonObject } from '../http/body.js';
import { emptyResponse, jsonResponse, problemResponse, refused } from '../http/response.js';
import { revokeSentBeyond, revokeSentTo } from './invitation-lifecycle.js';
import type { MembershipExit } from '../../model/lives/membership-life.js';
import { bar, unbar } from './life/member-life.js';
import { ownerBound } from './owners/owner-bound.js';
import {
  type Actor,
  listPage,
  type MembersApi,
  orUnavailable,
  recordMemberAudit,
} from './members-api.js';
import { seatFreed } from './seats/seats.js';

/** A membership's fields a GET body holds: a PATCH may send them back unchanged (read-modify-write). */
const READ_ONLY = ['id', 'tenant', 'userId', 'email', 'addedOn', 'via'];
/** Writes retried when another writer changed the membership between our read and our write. */
const MAX_WRITE_ATTEMPTS = 3;

/** How a member goes out: on their own (`left`), taken by SCIM (`deprovisioned`), or by an Owner (`removed`). */
const exitOf = (actor: Actor, userId: string): MembershipExit =>
  actor.userId === userId ? 'left' : actor.via === 'scim' ? 'deprovisioned' : 'removed';

const notMember = (tenant: string, userId: string) =>
  problemResponse('not-found', `${userId} is no member of organization ${tenant}.`);

/**
 * `GET api/tenant/members`: one page of the organization's members by id, `{ items, continuationToken }` — any
 * member may read it.
 *
 * @example
 * ```ts
 * // GET /api/tenant/members  X-Atakora-Tenant: acme-k3x9qa → { "items": [{ "userId": "u-1", "roles": ["Owner"], … }], … }
 * ```
 */
export function listMembers(
  api: MembersApi,
  tenant: string,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  return orUnavailable(() =>
    listPage(request, (limit, token) => api.store.members(tenant, limit, token)),
  );
}

/** The roles a PATCH body asks for, or the 400 naming what is wrong. */
async function rolesOfBody(
  api: MembersApi,
  request: HttpRequest,
  userId: string,
): Promise<{ ok: true; roles: string[] } | { ok: false; response: HttpResponseInit }> {
  const body = await readJsonObject(request);
  if (!body.ok) return body;
  const b = body.value;
  if (b['userId'] !== undefined && b['userId'] !== userId)
    return refused('id-immutable', `The body names another member than the URL (${userId}).`);
  const unknown = Object.keys(b)
    .filter((k) => k !== 'roles' && !READ_ONLY.includes(k))
    .map((k) => ({
      field: k,
      code: 'unknown',
      message: `${k} is not a field of a membership change (roles).`,
    }));
  const issues = [
    ...unknown,
    ...(b['roles'] === undefined
      ? [{ field: 'roles', code: 'required', message: 'roles is required.' }]
      : rolesIssues(b['roles'], api.membership.roles)),
  ];
  if (issues.length > 0)
    return refused('validation', 'The membership change is not valid.', {
      errors: issues,
    });
  return { ok: true, roles: b['roles'] as string[] };
}

/** The refusal of a change the rules do not allow (403 access-denied, 409 last-owner), else undefined. */
async function refusalOf(
  api: MembersApi,
  actor: Actor,
  target: Membership,
  roles: readonly string[] | undefined,
): Promise<HttpResponseInit | undefined> {
  // Owners are counted only when the change takes the role from one (the common change reads nothing more).
  const losesOwner = target.roles.includes(OWNER_ROLE) && !(roles ?? []).includes(OWNER_ROLE);
  const owners = losesOwner ? await api.store.owners(target.tenant) : [];
  const refused = memberChangeRefusal(actor, target.userId, roles, owners);
  if (refused === 'forbidden')
    return problemResponse(
      'access-denied',
      roles === undefined
        ? `Only an ${OWNER_ROLE} of ${target.tenant} removes another member (any member may leave).`
        : `Only an ${OWNER_ROLE} of ${target.tenant} changes a member's roles.`,
      { operation: roles === undefined ? 'delete' : 'update', rules: [`roles: ['${OWNER_ROLE}']`] },
    );
  if (refused === 'last-owner') return lastOwner(target);
  return undefined;
}

const lastOwner = (target: Membership) =>
  problemResponse(
    'last-owner',
    `${target.userId} is the last ${OWNER_ROLE} of ${target.tenant}: make another member an ${OWNER_ROLE} ` +
      'first (PATCH api/tenant/members/{userId} { "roles": ["Owner"] }).',
  );

/**
 * After a change that took the Owner role from someone: when a concurrent change took the last other Owner too, no
 * Owner is left — the change is undone and answered 409 `last-owner` (each racer undoes its own, so both Owners
 * stay).
 */
async function ownersKept(api: MembersApi, previous: Membership): Promise<boolean> {
  if (!previous.roles.includes(OWNER_ROLE)) return true;
  if ((await api.store.owners(previous.tenant)).length > 0) return true;
  const now = await api.store.read(previous.tenant, previous.userId);
  if (now) await api.store.replace(previous, now.etag);
  else await api.store.create(previous);
  api.cache.forget(previous.tenant, previous.userId);
  return false;
}

/**
 * `PATCH api/tenant/members/{userId}` `{ roles }`: an Owner replaces a member's roles (declared roles and `Owner`);
 * 403 `access-denied` for anyone else, 409 `last-owner` when it would leave no Owner, 409 `organization-limit` when
 * it would make the member an Owner of more organizations than `tenants.maxOrganizationsPerUser`, 404 for a
 * non-member. Holds
 * on this instance at once, elsewhere within the cache's bound; the member's open invitations the new roles no
 * longer grant are revoked.
 *
 * @example
 * ```ts
 * // PATCH /api/tenant/members/u-2 { "roles": ["Admin"] } → 200 { "userId": "u-2", "roles": ["Admin"], … }
 * ```
 */
export async function updateMember(
  api: MembersApi,
  actor: Actor,
  tenant: string,
  userId: string,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  const asked = await rolesOfBody(api, request, userId);
  if (!asked.ok) return asked.response;
  return orUnavailable(async () => {
    for (let attempt = 1; ; attempt++) {
      const found = await api.store.read(tenant, userId);
      if (!found) return notMember(tenant, userId);
      const refused = await refusalOf(api, actor, found.value, asked.roles);
      if (refused) return refused;
      // Making someone an Owner counts against the organizations they may own (a handoff is a way in too).
      const becomesOwner =
        asked.roles.includes(OWNER_ROLE) && !found.value.roles.includes(OWNER_ROLE);
      const over = becomesOwner
        ? await ownerBound(api, userId, userId === actor.userId, tenant)
        : undefined;
      if (over) return over;
      const next: Membership = { ...found.value, roles: asked.roles };
      const stored = await api.store.replace(next, found.etag);
      if (stored === 'missing') return notMember(tenant, userId);
      if (stored !== 'changed') {
        api.cache.forget(tenant, userId);
        if (!asked.roles.includes(OWNER_ROLE) && !(await ownersKept(api, found.value)))
          return lastOwner(found.value);
        await revokeSentBeyond(api, tenant, userId, asked.roles);
        api.onChanged?.(tenant, userId);
        await recordMemberAudit(api, actor, tenant, 'member.roles-changed', userId, {
          roles: { from: found.value.roles, to: asked.roles },
        });
        return jsonResponse(200, stored.value);
      }
      if (attempt >= MAX_WRITE_ATTEMPTS)
        return problemResponse(
          'write-contention',
          `The membership of ${userId} changed while it was being written: read it again and retry.`,
        );
    }
  });
}

/**
 * `DELETE api/tenant/members/{userId}`: an Owner removes a member, or a member leaves (their own id); 409
 * `last-owner` for the last Owner, 403 for anyone else, 404 for a non-member. The member's requests to the
 * organization are refused at once on this instance (within the cache's bound elsewhere), their realtime
 * connections to it are closed and the invitations they sent and nobody accepted are revoked. A member an Owner
 * removes (or SCIM deprovisions: the SCIM token acts through here) is barred first (model/lives/membership-life.ts):
 * no domain join, join request or directory sign-in admits them again, and the invitations to them still open die
 * — only an Owner's new invitation or SCIM's re-activation does. A member who leaves is not barred.
 *
 * @example
 * ```ts
 * // DELETE /api/tenant/members/u-2 → 204
 * ```
 */
export function removeMember(
  api: MembersApi,
  actor: Actor,
  tenant: string,
  userId: string,
): Promise<HttpResponseInit> {
  return orUnavailable(async () => {
    for (let attempt = 1; ; attempt++) {
      const found = await api.store.read(tenant, userId);
      if (!found) return notMember(tenant, userId);
      const refused = await refusalOf(api, actor, found.value, undefined);
      if (refused) return refused;
      const exit = exitOf(actor, userId);
      // Barred (as the life's way out leads) before the membership goes, so no door lets them back in between the two
      // writes (member-life.ts).
      const barred = await bar(api, found.value, exit);
      const removed = await api.store.remove(tenant, userId, found.etag);
      if (removed === 'missing') return notMember(tenant, userId);
      if (removed === 'removed') {
        api.cache.forget(tenant, userId);
        if (!(await ownersKept(api, found.value))) {
          if (barred) await unbar(api, tenant, userId, []);
          return lastOwner(found.value);
        }
        await revokeSentBeyond(api, tenant, userId, undefined);
        // An invitation to them sent before they were barred is no Owner's new word: it dies with the membership.
        if (barred && found.value.email !== undefined)
          await revokeSentTo(api, tenant, found.value.email);
        // Their seat given back (members/seats/seats.ts), a per-seat subscription's quantity with it.
        await seatFreed(api, tenant);
        api.onChanged?.(tenant, userId);
        await recordMemberAudit(api, actor, tenant, 'member.removed', userId, {
          roles: { from: found.value.roles },
          ...(found.value.via !== undefined ? { via: found.value.via } : {}),
          exit,
        });
        return emptyResponse(204);
      }
      if (attempt >= MAX_WRITE_ATTEMPTS)
        return problemResponse(
          'write-contention',
          `The membership of ${userId} changed while it was being removed: retry.`,
        );
    }
  });
}
