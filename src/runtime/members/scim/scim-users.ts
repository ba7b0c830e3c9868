import { randomUUID } from 'node:crypto';
import type { HttpResponseInit } from '@azure/functions';
import { SCIM_ROUTES } from '../../../contract/scim/scim.js';
import { recordAudit } from '../../audit/record-audit.js';
import { emptyResponse } from '../../http/response.js';
import { auditActor, nowOf } from '../members-api.js';
import { type ScimApi, scimActor } from './scim-api.js';
import { listAnswer, locationOf, resourceAnswer, resourceRoutes, whereOf } from './scim-answer.js';
import type { ScimPage } from './scim-docs.js';
import { type ScimFilter, scimQuery } from './scim-filter.js';
import type { ScimUser } from './scim-items.js';
import { afterProvisioned, beforeProvisioned, deprovision } from './scim-membership.js';
import { USER_SHAPE } from './protocol/scim-path.js';
import { asScim, scimError } from './scim-response.js';
import type { ScimCall } from './scim-serve.js';
import { userResource, withUserBody } from './scim-user-body.js';
import {
  notFoundUser,
  patchUser,
  replaceUser,
  takenUserName,
  userBodyOf,
} from './scim-user-write.js';
import { seatLimitOf, seatsFull } from '../seats/seats.js';

const shownAt = (call: ScimCall) => (u: ScimUser) =>
  userResource(u, locationOf(call, SCIM_ROUTES.user, u.id));

/** The users an e-mail filter finds: those with an e-mail of that value (and type), without regard to case. */
async function byEmail(
  api: ScimApi,
  tenant: string,
  f: ScimFilter,
  at: { start: number; count: number },
): Promise<ScimPage<ScimUser>> {
  const same = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();
  const found = (await api.scim.usersByEmail(tenant, f.value))
    .map((t) => t.value)
    .filter((u) =>
      (u.emails ?? []).some(
        (e) => same(e.value, f.value) && (f.type === undefined || same(e.type, f.type)),
      ),
    )
    .sort((a, b) => a.id.localeCompare(b.id));
  return { items: found.slice(at.start, at.start + at.count), total: found.length };
}

/**
 * `GET Users[?filter=…][&startIndex&count]` → a ListResponse: `userName eq`, `externalId eq`, `id eq` or
 * `emails[type eq "work"].value eq` (an unknown user: an empty one).
 */
async function listUsers(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  const q = scimQuery(new URL(call.request.url).searchParams, [
    'userName',
    'externalId',
    'id',
    'emails.value',
  ]);
  if (!q.ok) return scimError(400, q.detail, 'invalidFilter');
  const { filter, start, count } = q.query;
  const at = { start, count };
  const where = whereOf(filter);
  const page =
    filter?.attribute === 'emails.value'
      ? await byEmail(api, call.tenant, filter, at)
      : where
        ? await api.scim.usersWhere(call.tenant, where, at)
        : await api.scim.users(call.tenant, filter?.value, start, count);
  return listAnswer(call, USER_SHAPE, { total: page.total, start }, page.items.map(shownAt(call)));
}

/** `POST Users`: 201 with the user (active unless sent otherwise); 409 `uniqueness` for a `userName` taken in any case. */
async function createUser(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  const kept = await userBodyOf(call);
  if (!kept.ok) return kept.response;
  const now = nowOf(api).toISOString();
  const base: ScimUser = {
    tenant: call.tenant,
    id: randomUUID(),
    userName: String(kept.body['userName']),
    active: true,
    created: now,
    lastModified: now,
    provisionedBy: call.token.id,
  };
  const user = withUserBody(base, { active: true, ...kept.body });
  // An active user is a person the organization admits: with its seats full, a SCIM 402 (members/seats/seats.ts).
  const full = user.active ? await seatsFull(api, call.tenant) : undefined;
  if (full) return asScim(seatLimitOf(api, call.tenant, full, false));
  // A user provisioned inactive puts out whom it names (membership-life.ts), unless its userName is another's.
  if (!user.active && (await api.scim.users(call.tenant, user.userName, 0, 1)).total > 0)
    return takenUserName(user.userName);
  const refused = await beforeProvisioned(api, call.token.id, undefined, user);
  if (refused) return refused;
  const made = await api.scim.createUser(user);
  if (made === 'taken') return takenUserName(user.userName);
  if (made === 'exists') return scimError(409, `The user ${user.id} exists.`, 'uniqueness');
  // An active one lifts the bars of whom it names, and links nobody yet (a first sign-in does).
  await afterProvisioned(api, call.token.id, undefined, made.value);
  await recordAudit(api, {
    tenant: call.tenant,
    actor: auditActor(scimActor(call.token.id)),
    action: 'scim.user-created',
    target: user.id,
    changes: { userName: { to: user.userName }, active: { to: user.active } },
  });
  const location = locationOf(call, SCIM_ROUTES.user, user.id);
  return resourceAnswer(call, USER_SHAPE, 201, userResource(made.value, location), {
    Location: location,
  });
}

/** `DELETE Users/{id}`: 204; the membership removed first, as a deactivation removes it; the `userName` free again. */
async function deleteUser(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  const found = await api.scim.readUser(call.tenant, call.id);
  if (!found) return notFoundUser(call.id);
  const refused = await deprovision(api, call.token.id, found.value);
  if (refused) return refused;
  await api.scim.removeUser(call.tenant, call.id);
  await recordAudit(api, {
    tenant: call.tenant,
    actor: auditActor(scimActor(call.token.id)),
    action: 'scim.user-deleted',
    target: call.id,
    changes: { userName: { from: found.value.userName } },
  });
  return emptyResponse(204);
}

/** `GET Users/{id}`: 200 with the user, or a SCIM 404. */
async function readUser(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  const found = await api.scim.readUser(call.tenant, call.id);
  return found
    ? resourceAnswer(call, USER_SHAPE, 200, shownAt(call)(found.value))
    : notFoundUser(call.id);
}

/**
 * `api/scim/v2/Users` (GET, POST) and `api/scim/v2/Users/{id}` (GET, PUT, PATCH, DELETE) for one organization's
 * token, as Microsoft Entra's provisioning service (Learn, "Tutorial: Develop and plan provisioning for a SCIM
 * endpoint": GET with `filter=userName eq "…"` → an empty ListResponse for a new user, POST, PATCH `active`
 * "False", DELETE) and Okta (PUT) call them; every answer as `attributes`/`excludedAttributes` asks.
 *
 * @example
 * ```ts
 * const answer = await scimUsers(api, call);
 * ```
 */
export const scimUsers = resourceRoutes({
  list: listUsers,
  create: createUser,
  read: readUser,
  replace: replaceUser,
  patch: patchUser,
  remove: deleteUser,
});
