import type { HttpResponseInit } from '@azure/functions';
import { SCIM_ROUTES } from '../../../contract/scim/scim.js';
import { readJsonObject } from '../../http/body.js';
import { nowOf } from '../members-api.js';
import { recordScimAudit, type ScimApi } from './scim-api.js';
import { itemAnswer, type ScimKind } from './scim-answer.js';
import type { ScimUser } from './scim-items.js';
import { afterProvisioned, beforeProvisioned } from './scim-membership.js';
import { applyPatch, patchOperations, type ScimBody } from './protocol/scim-patch.js';
import { USER_SHAPE } from './protocol/scim-path.js';
import { scimError } from './scim-response.js';
import type { ScimCall } from './scim-serve.js';
import { userBody, userResource, withUserBody } from './scim-user-body.js';
import { resourceBody, type ScimFailure } from './protocol/scim-values.js';
import { scimSeatRefusal } from './scim-seat-check.js';

/** The longest `userName` kept. */
const MAX_USER_NAME = 256;

/**
 * A body's `userName` checked (a non-blank string of up to 256), or the SCIM 400 refusing it.
 *
 * @example
 * ```ts
 * const refused = userNameRefusal(kept.body);
 * if (refused) return refused;
 * ```
 */
export function userNameRefusal(body: ScimBody): HttpResponseInit | undefined {
  const n = body['userName'];
  return typeof n === 'string' && n.trim() !== '' && n.length <= MAX_USER_NAME
    ? undefined
    : scimError(400, 'A user has a userName (a string of up to 256).', 'invalidValue');
}

/**
 * A POST's or PUT's body as kept (scim-values.ts `resourceBody`), its `userName` checked, or the SCIM 4xx refusing it.
 *
 * @example
 * ```ts
 * const kept = await userBodyOf(call);
 * if (!kept.ok) return kept.response;
 * ```
 */
export async function userBodyOf(
  call: ScimCall,
): Promise<{ ok: true; body: ScimBody } | { ok: false; response: HttpResponseInit }> {
  const body = await readJsonObject(call.request);
  if (!body.ok) return body;
  const kept = resourceBody(USER_SHAPE, body.value);
  if (!kept.ok) return { ok: false, response: scimError(400, kept.detail, kept.scimType) };
  const refused = userNameRefusal(kept.body);
  return refused ? { ok: false, response: refused } : kept;
}

export const notFoundUser = (id: string) => scimError(404, `No user ${id} is provisioned here.`);

/** Users as the SCIM answers read them (scim-answer.ts). */
export const USER_KIND: ScimKind<ScimUser> = {
  route: SCIM_ROUTES.user,
  shape: USER_SHAPE,
  shown: userResource,
  find: (api, call) => api.scim.readUser(call.tenant, call.id),
  missing: notFoundUser,
};
export const takenUserName = (userName: string) =>
  scimError(409, `userName ${userName} is provisioned already (in any case).`, 'uniqueness');

/** The attributes a write changed, as the audit log records them. */
function changesOf(a: ScimUser, b: ScimUser): Record<string, unknown> {
  const before = userBody(a);
  const after = userBody(b);
  const changes: Record<string, unknown> = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[k]) === JSON.stringify(after[k])) continue;
    changes[k] = ['userName', 'active', 'externalId', 'displayName'].includes(k)
      ? { from: before[k], to: after[k] }
      : { to: after[k] };
  }
  return changes;
}

/**
 * Write the user of the call's URL as `next` makes it from what is stored (a PUT's or a PATCH's result), at the
 * version read — retried when it changed meanwhile: its new `userName` claimed with it (409 `uniqueness` when another
 * user holds it), the membership ended first when it turns inactive (a failed removal changes nothing, to retry) and
 * made what its groups grant when it is active; 200 with the user.
 */
async function writeUser(
  api: ScimApi,
  call: ScimCall,
  next: (found: ScimUser) => ScimUser | { readonly refused: HttpResponseInit },
): Promise<HttpResponseInit> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const found = await api.scim.readUser(call.tenant, call.id);
    if (!found) return notFoundUser(call.id);
    const made = next(found.value);
    if ('refused' in made) return made.refused;
    const user: ScimUser = { ...made, lastModified: nowOf(api).toISOString() };
    // Re-activated with the seats full: a SCIM 402, nothing written — unless whom it names is a member already.
    const seatless =
      !found.value.active && user.active
        ? await scimSeatRefusal(api, call.tenant, user)
        : undefined;
    if (seatless) return seatless;
    // Whom it names put out before it is stored inactive (membership-life.ts): a failed removal changes nothing.
    const refused = await beforeProvisioned(api, call.token.id, found.value, user);
    if (refused) return refused;
    const stored = await api.scim.renameUser(user, found.etag, found.value.userName);
    if (stored === 'missing') return notFoundUser(call.id);
    if (stored === 'taken') return takenUserName(user.userName);
    if (stored === 'changed') continue;
    // Re-activated: the bars of whom it names lifted; active: its membership what its groups grant.
    await afterProvisioned(api, call.token.id, found.value, stored.value);
    await recordScimAudit(
      api,
      call,
      'scim.user-updated',
      call.id,
      changesOf(found.value, stored.value),
    );
    return itemAnswer(call, USER_KIND, 200, stored.value);
  }
  return scimError(409, `The user ${call.id} changed while it was being written: retry.`);
}

/** A failed patch as the SCIM 400 it answers. */
const refusalOf = (f: ScimFailure) => ({ refused: scimError(400, f.detail, f.scimType) });

/**
 * `PUT Users/{id}` (RFC 7644 §3.5.1; Okta updates users so): the user replaced by the body's attributes — what it
 * leaves out is gone, but for `active`, which keeps its state when not sent (the RFC lets a service provider assign
 * a default to an omitted attribute); `id` and `meta` are the service's. 200 with the user.
 *
 * @example
 * ```ts
 * // PUT /api/scim/v2/Users/{id} { "schemas": [...], "userName": "kim@contoso.com", "active": true, ... } → 200
 * ```
 */
export async function replaceUser(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  const kept = await userBodyOf(call);
  if (!kept.ok) return kept.response;
  return writeUser(api, call, (found) =>
    withUserBody(found, {
      ...kept.body,
      ...(kept.body['active'] === undefined && !found.activeUnset ? { active: found.active } : {}),
    }),
  );
}

/**
 * `PATCH Users/{id}` (a PatchOp, RFC 7644 §3.5.2, as Entra and Okta send it): 200 with the user; `active: false`
 * ends the membership at once.
 *
 * @example
 * ```ts
 * // PATCH /api/scim/v2/Users/{id} { "Operations": [{ "op": "Replace", "path": "active", "value": "False" }] } → 200
 * ```
 */
export async function patchUser(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  const body = await readJsonObject(call.request);
  if (!body.ok) return body.response;
  const ops = patchOperations(body.value);
  if (!ops.ok) return scimError(400, ops.detail, 'invalidSyntax');
  return writeUser(api, call, (found) => {
    const applied = applyPatch({ shape: USER_SHAPE, id: call.id }, userBody(found), ops.operations);
    if (!applied.ok) return refusalOf(applied);
    const refused = userNameRefusal(applied.body);
    return refused ? { refused } : withUserBody(found, applied.body);
  });
}
