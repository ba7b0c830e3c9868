import type { HttpResponseInit } from '@azure/functions';
import { SCIM_ROUTES } from '../../../contract/scim/scim.js';
import { readJsonObject } from '../../http/body.js';
import { emptyResponse } from '../../http/response.js';
import { nowOf } from '../members-api.js';
import { recordScimAudit, type ScimApi } from './scim-api.js';
import { itemAnswer, type ScimKind } from './scim-answer.js';
import { groupBody, groupResource, withGroupBody } from './scim-group-body.js';
import type { ScimGroup } from './scim-items.js';
import { grant } from './scim-membership.js';
import { applyPatch, patchOperations, type ScimBody } from './protocol/scim-patch.js';
import { GROUP_SHAPE } from './protocol/scim-path.js';
import { scimError } from './scim-response.js';
import type { ScimCall } from './scim-serve.js';
import { resourceBody } from './protocol/scim-values.js';

/**
 * A POST's or PUT's body as kept (its members bounded by the group's own rule, scim-group-body.ts), or the SCIM 4xx.
 *
 * @example
 * ```ts
 * const kept = await groupBodyOf(call);
 * if (!kept.ok) return kept.response;
 * ```
 */
export async function groupBodyOf(
  call: ScimCall,
): Promise<{ ok: true; body: ScimBody } | { ok: false; response: HttpResponseInit }> {
  const body = await readJsonObject(call.request);
  if (!body.ok) return body;
  const kept = resourceBody(GROUP_SHAPE, body.value, ['members']);
  return kept.ok ? kept : { ok: false, response: scimError(400, kept.detail, kept.scimType) };
}

export const notFoundGroup = (id: string) => scimError(404, `No group ${id} is provisioned here.`);

/** Groups as the SCIM answers read them (scim-answer.ts). */
export const GROUP_KIND: ScimKind<ScimGroup> = {
  route: SCIM_ROUTES.group,
  shape: GROUP_SHAPE,
  shown: groupResource,
  find: (api, call) => api.scim.readGroup(call.tenant, call.id),
  missing: notFoundGroup,
};

/**
 * Every linked user among `ids` gets the roles their groups grant now (`grant`, through the membership operations):
 * one query finds the linked ones, however many members a group holds.
 *
 * @example
 * ```ts
 * await regrant(api, call, group.members);
 * ```
 */
export async function regrant(api: ScimApi, call: ScimCall, ids: Iterable<string>): Promise<void> {
  for (const user of await api.scim.linkedUsers(call.tenant, [...new Set(ids)]))
    await grant(api, call.token.id, user);
}

/** The members whose roles a change of `before` into `after` may change: all of both when a role group is renamed. */
function touched(before: ScimGroup, after: ScimGroup): string[] {
  if (before.members.length > 0 && after.displayName !== before.displayName)
    return [...before.members, ...after.members];
  return [
    ...after.members.filter((m) => !before.members.includes(m)),
    ...before.members.filter((m) => !after.members.includes(m)),
  ];
}

/**
 * Write the group of the call's URL as `next` makes it from what is stored, at the version read (retried when it
 * changed meanwhile), then regrant the members it touched and audit it. A PATCH answers 204 (Learn, "Tutorial:
 * Develop and plan provisioning for a SCIM endpoint": "Update to the group PATCH request should yield an HTTP 204"),
 * or 200 with the group when `attributes`/`excludedAttributes` asks for it (RFC 7644 §3.5.2: "MUST return a 200 OK if
 * the attributes parameter is specified"); a PUT 200 with the group.
 */
async function writeGroup(
  api: ScimApi,
  call: ScimCall,
  next: (found: ScimGroup) => ScimGroup | { readonly refused: HttpResponseInit },
): Promise<HttpResponseInit> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const found = await api.scim.readGroup(call.tenant, call.id);
    if (!found) return notFoundGroup(call.id);
    const made = next(found.value);
    if ('refused' in made) return made.refused;
    const stored = await api.scim.replaceGroup(
      { ...made, lastModified: nowOf(api).toISOString() },
      found.etag,
    );
    if (stored === 'missing') return notFoundGroup(call.id);
    if (stored === 'changed') continue;
    const before = found.value;
    await regrant(api, call, touched(before, stored.value));
    await recordScimAudit(api, call, 'scim.group-updated', call.id, {
      ...(stored.value.displayName !== before.displayName
        ? { displayName: { from: before.displayName, to: stored.value.displayName } }
        : {}),
      ...(stored.value.externalId !== before.externalId
        ? { externalId: { from: before.externalId, to: stored.value.externalId } }
        : {}),
      members: { from: before.members.length, to: stored.value.members.length },
    });
    const params = new URL(call.request.url).searchParams;
    const shown =
      call.method === 'PUT' || params.has('attributes') || params.has('excludedAttributes');
    if (!shown) return emptyResponse(204);
    return itemAnswer(call, GROUP_KIND, 200, stored.value);
  }
  return scimError(409, `The group ${call.id} changed while it was being written: retry.`);
}

/**
 * `PUT Groups/{id}` (RFC 7644 §3.5.1): the group replaced by the body's `displayName`, `externalId` and `members`
 * (left out: none), never past {@link MAX_GROUP_MEMBERS}; 200 with the group.
 *
 * @example
 * ```ts
 * // PUT /api/scim/v2/Groups/{id} { "schemas": [...], "displayName": "Admin", "members": [{ "value": "…" }] } → 200
 * ```
 */
export async function replaceGroup(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  const kept = await groupBodyOf(call);
  if (!kept.ok) return kept.response;
  return writeGroup(api, call, (found) => withGroupBody(found, kept.body, true));
}

/**
 * `PATCH Groups/{id}` (a PatchOp as Entra and Okta send it: members added and removed by value or by
 * `members[value eq "…"]`, `displayName` and `externalId` replaced or removed, no-path replaces): a group never grows
 * past {@link MAX_GROUP_MEMBERS}, refused before anything is written.
 *
 * @example
 * ```ts
 * // PATCH /api/scim/v2/Groups/{id} { "Operations": [{ "op": "Add", "path": "members", "value": [{ "value": "…" }] }] } → 204
 * ```
 */
export async function patchGroup(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  const body = await readJsonObject(call.request);
  if (!body.ok) return body.response;
  const ops = patchOperations(body.value);
  if (!ops.ok) return scimError(400, ops.detail, 'invalidSyntax');
  return writeGroup(api, call, (found) => {
    const target = { shape: GROUP_SHAPE, id: call.id, unbounded: ['members'] };
    const applied = applyPatch(target, groupBody(found), ops.operations);
    if (!applied.ok) return { refused: scimError(400, applied.detail, applied.scimType) };
    return withGroupBody(found, applied.body, false);
  });
}
