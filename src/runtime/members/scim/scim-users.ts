import { randomUUID } from 'node:crypto';
import type { HttpResponseInit } from '@azure/functions';
import { SCIM_ROUTES, SCIM_SCHEMAS } from '../../../contract/scim/scim.js';
import { recordAudit } from '../../audit/record-audit.js';
import { readJsonObject } from '../../http/body.js';
import { emptyResponse } from '../../http/response.js';
import { auditActor, nowOf } from '../members-api.js';
import { type ScimApi, scimActor } from './scim-api.js';
import type { ScimUser } from './scim-items.js';
import { afterProvisioned, beforeProvisioned, deprovision } from './scim-membership.js';
import { applyUserPatch, booleanOf, emailsOf, nameOf, patchOperations } from './scim-patch.js';
import { scimError, scimJson } from './scim-response.js';
import type { ScimCall } from './scim-serve.js';
import { scimQuery } from './scim-filter.js';

/** Where a resource lives, for its `meta.location`: the request's origin and the SCIM route. */
const locationOf = (call: ScimCall, route: string, id: string) =>
  `${new URL(call.request.url).origin}/api/${route.replace('{id}', encodeURIComponent(id))}`;

/**
 * A user as SCIM shows it (RFC 7643 §4.1): never the member id it is linked to, nor its organization.
 *
 * @example
 * ```ts
 * userResource(user, 'https://app/api/scim/v2/Users/…');
 * ```
 */
export function userResource(u: ScimUser, location: string): Record<string, unknown> {
  return {
    schemas: [SCIM_SCHEMAS.user],
    id: u.id,
    userName: u.userName,
    ...(u.externalId !== undefined ? { externalId: u.externalId } : {}),
    active: u.active,
    ...(u.displayName !== undefined ? { displayName: u.displayName } : {}),
    ...(u.name ? { name: u.name } : {}),
    emails: u.emails ?? [],
    meta: { resourceType: 'User', created: u.created, lastModified: u.lastModified, location },
  };
}

const notFound = (id: string) => scimError(404, `No user ${id} is provisioned here.`);

/** `GET Users[?filter=userName eq "…"][&startIndex&count]` → a ListResponse (an unknown user: an empty one). */
async function listUsers(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  const q = scimQuery(new URL(call.request.url).searchParams, ['userName']);
  if (!q.ok) return scimError(400, q.detail, 'invalidFilter');
  const { filter, start, count } = q.query;
  const page = await api.scim.users(call.tenant, filter?.value, start, count);
  return scimJson(200, {
    schemas: [SCIM_SCHEMAS.listResponse],
    totalResults: page.total,
    startIndex: start + 1,
    itemsPerPage: page.items.length,
    Resources: page.items.map((u) => userResource(u, locationOf(call, SCIM_ROUTES.user, u.id))),
  });
}

/** `POST Users`: 201 with the user; 409 `uniqueness` for a `userName` provisioned already. */
async function createUser(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  const body = await readJsonObject(call.request);
  if (!body.ok) return body.response;
  const b = body.value;
  const userName = typeof b['userName'] === 'string' ? b['userName'].trim() : '';
  if (!userName || userName.length > 256)
    return scimError(400, 'A user has a userName (a string of up to 256).', 'invalidValue');
  const active = b['active'] === undefined ? true : booleanOf(b['active']);
  if (active === undefined) return scimError(400, 'active is a boolean.', 'invalidValue');
  if ((await api.scim.users(call.tenant, userName, 0, 1)).total > 0)
    return scimError(409, `userName ${userName} is provisioned already.`, 'uniqueness');
  const now = nowOf(api).toISOString();
  const name = nameOf(b['name']);
  const emails = emailsOf(b['emails']);
  const user: ScimUser = {
    tenant: call.tenant,
    id: randomUUID(),
    userName,
    active,
    created: now,
    lastModified: now,
    ...(typeof b['externalId'] === 'string' ? { externalId: b['externalId'] } : {}),
    ...(typeof b['displayName'] === 'string' ? { displayName: b['displayName'] } : {}),
    ...(name ? { name } : {}),
    ...(emails ? { emails } : {}),
  };
  // A user provisioned inactive puts out whom it names (membership-life.ts); an active one lifts their bars.
  const refused = await beforeProvisioned(api, call.token.id, undefined, user);
  if (refused) return refused;
  const made = await api.scim.createUser(user);
  if (made === 'exists') return scimError(409, `The user ${user.id} exists.`, 'uniqueness');
  await afterProvisioned(api, call.token.id, undefined, made.value);
  await recordAudit(api, {
    tenant: call.tenant,
    actor: auditActor(scimActor(call.token.id)),
    action: 'scim.user-created',
    target: user.id,
    changes: { userName: { to: userName }, active: { to: active } },
  });
  const location = locationOf(call, SCIM_ROUTES.user, user.id);
  return scimJson(201, userResource(made.value, location), { Location: location });
}

/** `PATCH Users/{id}` (a PatchOp): 200 with the user; `active: false` removes the membership at once. */
async function patchUser(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  const body = await readJsonObject(call.request);
  if (!body.ok) return body.response;
  const ops = patchOperations(body.value);
  if (!ops.ok) return scimError(400, ops.detail, 'invalidSyntax');
  for (let attempt = 1; attempt <= 3; attempt++) {
    const found = await api.scim.readUser(call.tenant, call.id);
    if (!found) return notFound(call.id);
    const patched = applyUserPatch(found.value, ops.operations);
    if (!patched.ok) return scimError(400, patched.detail, patched.scimType);
    const next: ScimUser = { ...patched.user, lastModified: nowOf(api).toISOString() };
    const taken =
      next.userName.toLowerCase() !== found.value.userName.toLowerCase() &&
      (await api.scim.users(call.tenant, next.userName, 0, 1)).total > 0;
    if (taken)
      return scimError(409, `userName ${next.userName} is provisioned already.`, 'uniqueness');
    // Access ends before the user is stored inactive: a failed removal leaves SCIM's view unchanged, to retry.
    const refused = await beforeProvisioned(api, call.token.id, found.value, next);
    if (refused) return refused;
    const stored = await api.scim.replaceUser(next, found.etag);
    if (stored === 'missing') return notFound(call.id);
    if (stored === 'changed') continue;
    await afterProvisioned(api, call.token.id, found.value, stored.value);
    await recordAudit(api, {
      tenant: call.tenant,
      actor: auditActor(scimActor(call.token.id)),
      action: 'scim.user-updated',
      target: call.id,
      changes: changesOf(found.value, next),
    });
    return scimJson(200, userResource(stored.value, locationOf(call, SCIM_ROUTES.user, call.id)));
  }
  return scimError(409, `The user ${call.id} changed while it was being written: retry.`);
}

/** The attributes a patch changed, as the audit log records them. */
function changesOf(a: ScimUser, b: ScimUser): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const k of ['userName', 'active', 'externalId', 'displayName'] as const)
    if (a[k] !== b[k]) changes[k] = { from: a[k], to: b[k] };
  for (const k of ['name', 'emails'] as const)
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) changes[k] = { to: b[k] };
  return changes;
}

/** `DELETE Users/{id}`: 204; the membership removed first, as a deactivation removes it. */
async function deleteUser(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  const found = await api.scim.readUser(call.tenant, call.id);
  if (!found) return notFound(call.id);
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

/**
 * `api/scim/v2/Users` (GET, POST) and `api/scim/v2/Users/{id}` (GET, PATCH, PUT-less, DELETE) for one
 * organization's token, as Microsoft Entra's provisioning service calls them (Learn, "Develop a SCIM endpoint for
 * user provisioning": GET with `filter=userName eq "…"` → an empty ListResponse for a new user, POST, PATCH
 * `active` "False", DELETE).
 *
 * @example
 * ```ts
 * const answer = await scimUsers(api, call);
 * ```
 */
export async function scimUsers(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  if (call.id === '') return call.method === 'POST' ? createUser(api, call) : listUsers(api, call);
  if (call.method === 'GET') {
    const found = await api.scim.readUser(call.tenant, call.id);
    return found
      ? scimJson(200, userResource(found.value, locationOf(call, SCIM_ROUTES.user, call.id)))
      : notFound(call.id);
  }
  return call.method === 'PATCH' ? patchUser(api, call) : deleteUser(api, call);
}
