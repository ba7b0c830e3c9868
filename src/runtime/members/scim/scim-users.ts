import { randomUUID } from 'node:crypto';
import type { HttpResponseInit } from '@azure/functions';
import { emptyResponse } from '../../http/response.js';
import type { Tagged } from '../member-store.js';
import { nowOf } from '../members-api.js';
import { recordScimAudit, type ScimApi } from './scim-api.js';
import { itemAnswer, listItems, readItem, resourceRoutes } from './scim-answer.js';
import type { ScimPage } from './scim-docs.js';
import type { ScimFilter } from './scim-filter.js';
import type { ScimUser } from './scim-items.js';
import {
  afterProvisioned,
  beforeProvisioned,
  deprovision,
  removeNamed,
} from './scim-membership.js';
import { scimError } from './scim-response.js';
import type { ScimCall } from './scim-serve.js';
import { withUserBody } from './scim-user-body.js';
import {
  notFoundUser,
  patchUser,
  USER_KIND,
  replaceUser,
  takenUserName,
  userBodyOf,
} from './scim-user-write.js';
import { scimSeatRefusal } from './scim-seat-check.js';

/** The users an e-mail filter finds: those with an e-mail of that value (and type), without regard to case. */
async function byEmail(
  scim: ScimApi['scim'],
  tenant: string,
  f: ScimFilter,
  at: { start: number; count: number },
): Promise<ScimPage<ScimUser>> {
  const same = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();
  const found = (await scim.usersByEmail(tenant, f.value))
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
 * `emails[type eq "work"].value eq` (an unknown user: an empty one). `POST Users/.search` and the root's search
 * answer through it too (scim-search.ts).
 *
 * @example
 * ```ts
 * const usersSearch = searchOf(listUsers);
 * ```
 */
export const listUsers = listItems(
  USER_KIND,
  ['userName', 'externalId', 'id', 'emails.value'],
  ({ scim }, tenant, { filter, start, count }, where) =>
    filter?.attribute === 'emails.value'
      ? byEmail(scim, tenant, filter, { start, count })
      : where
        ? scim.usersWhere(tenant, where, { start, count })
        : scim.users(tenant, filter?.value, start, count),
);

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
  // An active user is a person the organization admits: with its seats full, a SCIM 402 — unless a member already.
  const seatless = user.active ? await scimSeatRefusal(api, call.tenant, user) : undefined;
  if (seatless) return seatless;
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
  await recordScimAudit(api, call, 'scim.user-created', user.id, {
    userName: { to: user.userName },
    active: { to: user.active },
  });
  return itemAnswer(call, USER_KIND, 201, made.value);
}

/** `DELETE Users/{id}`: 204; the membership removed first, as a deactivation removes it; the `userName` free again. */
async function deleteUser(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  const found = await api.scim.readUser(call.tenant, call.id);
  if (!found) return notFoundUser(call.id);
  const refused = await deprovision(api, call.token.id, found.value);
  if (refused) return refused;
  const last = await storedInactive(api, found);
  await api.scim.removeUser(call.tenant, call.id);
  // Looked for again once gone, as last stored: a door whose membership landed meanwhile is found now (the user's
  // addresses are barred already, and a door landing later finds its user gone: scim-membership.ts).
  await removeNamed(api, call.token.id, last);
  await recordScimAudit(api, call, 'scim.user-deleted', call.id, {
    userName: { from: found.value.userName },
  });
  return emptyResponse(204);
}

/**
 * The user stored inactive at the version last read before it is removed, read again while a first sign-in linked it
 * meanwhile: a link is written only to an active user at the version it read (scim-link.ts), so from this write on
 * no link can land, and the user returned names everyone its DELETE must look for — a person SCIM knows only by user
 * principal name (no e-mail to bar) is known by the link alone.
 */
async function storedInactive(api: ScimApi, found: Tagged<ScimUser>): Promise<ScimUser> {
  let at = found;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const stored = await api.scim.replaceUser({ ...at.value, active: false }, at.etag);
    if (typeof stored === 'object') return stored.value;
    const again =
      stored === 'changed' ? await api.scim.readUser(at.value.tenant, at.value.id) : undefined;
    if (!again) return at.value;
    at = again;
  }
  return at.value;
}

/**
 * `api/scim/v2/Users` (GET, POST) and `api/scim/v2/Users/{id}` (GET, PUT, PATCH, DELETE) for one organization's
 * token, as Microsoft Entra's provisioning service (Learn, "Tutorial: Develop and plan provisioning for a SCIM
 * endpoint": GET with `filter=userName eq "…"` → an empty ListResponse for a new user, POST, PATCH `active`
 * "False", DELETE) and Okta (PUT) call them; every answer as `attributes`/`excludedAttributes` asks. A user made
 * active (POST, or re-activated by PUT or PATCH) with the organization's seats full is a SCIM 402 `seat-limit` —
 * unless it names a member already (their id, `externalId` or e-mail: scim-seat-check.ts), who holds a seat.
 *
 * @example
 * ```ts
 * const answer = await scimUsers(api, call);
 * ```
 */
export const scimUsers = resourceRoutes({
  list: listUsers,
  create: createUser,
  read: readItem(USER_KIND),
  replace: replaceUser,
  patch: patchUser,
  remove: deleteUser,
});
