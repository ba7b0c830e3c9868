import { randomUUID } from 'node:crypto';
import type { HttpResponseInit } from '@azure/functions';
import { SCIM_ROUTES, SCIM_SCHEMAS } from '../../../contract/scim/scim.js';
import { recordAudit } from '../../audit/record-audit.js';
import { readJsonObject } from '../../http/body.js';
import { emptyResponse } from '../../http/response.js';
import { auditActor, nowOf } from '../members-api.js';
import { type ScimApi, scimActor } from './scim-api.js';
import type { ScimGroup } from './scim-items.js';
import { grant } from './scim-membership.js';
import { type PatchOperation, patchOperations } from './scim-patch.js';
import { scimError, scimJson } from './scim-response.js';
import type { ScimCall } from './scim-serve.js';
import { scimQuery } from './scim-filter.js';

/** How many members one group may hold (each change re-reads its members' roles). */
const MAX_GROUP_MEMBERS = 1000;

const locationOf = (call: ScimCall, id: string) =>
  `${new URL(call.request.url).origin}/api/${SCIM_ROUTES.group.replace('{id}', encodeURIComponent(id))}`;

/** A group as SCIM shows it (RFC 7643 §4.2); `excludedAttributes=members` (Entra asks so) leaves them out. */
function groupResource(g: ScimGroup, call: ScimCall): Record<string, unknown> {
  const excluded = (new URL(call.request.url).searchParams.get('excludedAttributes') ?? '')
    .toLowerCase()
    .split(',')
    .map((s) => s.trim());
  return {
    schemas: [SCIM_SCHEMAS.group],
    id: g.id,
    displayName: g.displayName,
    ...(g.externalId !== undefined ? { externalId: g.externalId } : {}),
    ...(excluded.includes('members') ? {} : { members: g.members.map((value) => ({ value })) }),
    meta: {
      resourceType: 'Group',
      created: g.created,
      lastModified: g.lastModified,
      location: locationOf(call, g.id),
    },
  };
}

const notFound = (id: string) => scimError(404, `No group ${id} is provisioned here.`);

/** The member ids of a `members` value (`[{ value }]`), or undefined when it is not one. */
function memberIds(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return undefined;
  const ids = v.map((m: unknown) =>
    m && typeof m === 'object' ? (m as Record<string, unknown>)['value'] : undefined,
  );
  return ids.every((x): x is string => typeof x === 'string') ? ids : undefined;
}

/**
 * A group's members and name after a PatchOp: `add`/`remove` of `members` (`[{ value }]`), a `remove` with the
 * filtered path `members[value eq "…"]`, `replace` of `displayName` or `members` (Learn, "Develop a SCIM endpoint":
 * Entra's group PATCH requests).
 */
function applyGroupPatch(
  g: ScimGroup,
  operations: readonly PatchOperation[],
): ScimGroup | { detail: string } {
  let members = [...g.members];
  let displayName = g.displayName;
  for (const o of operations) {
    const path = (o.path ?? '').trim();
    const filtered = /^members\[value eq "([^"]+)"\]$/i.exec(path);
    if (filtered) {
      if (o.op === 'remove') members = members.filter((m) => m !== filtered[1]);
      continue;
    }
    if (path === '' && o.value && typeof o.value === 'object' && !Array.isArray(o.value)) {
      const v = o.value as Record<string, unknown>;
      if (typeof v['displayName'] === 'string') displayName = v['displayName'];
      const ids = memberIds(v['members']);
      if (v['members'] !== undefined && ids) members = o.op === 'add' ? [...members, ...ids] : ids;
      continue;
    }
    if (path.toLowerCase() === 'displayname') {
      if (typeof o.value !== 'string' || !o.value.trim())
        return { detail: 'displayName is a string.' };
      displayName = o.value.trim();
      continue;
    }
    if (path.toLowerCase() !== 'members') continue;
    const ids = memberIds(o.value);
    if (!ids) return { detail: 'members is a list of { value }.' };
    if (o.op === 'add') members = [...members, ...ids];
    else if (o.op === 'replace') members = ids;
    else members = o.value === undefined ? [] : members.filter((m) => !ids.includes(m));
  }
  const unique = [...new Set(members)];
  if (unique.length > MAX_GROUP_MEMBERS)
    return { detail: `A group holds at most ${String(MAX_GROUP_MEMBERS)} members.` };
  return { ...g, displayName, members: unique };
}

/** Every linked user among `ids` gets the roles their groups grant now (`grant`, through the membership operations). */
async function regrant(api: ScimApi, call: ScimCall, ids: Iterable<string>): Promise<void> {
  for (const id of new Set(ids)) {
    const user = await api.scim.readUser(call.tenant, id);
    if (user) await grant(api, call.token.id, user.value);
  }
}

async function createGroup(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  const body = await readJsonObject(call.request);
  if (!body.ok) return body.response;
  const b = body.value;
  const displayName = typeof b['displayName'] === 'string' ? b['displayName'].trim() : '';
  if (!displayName || displayName.length > 256)
    return scimError(400, 'A group has a displayName (a string of up to 256).', 'invalidValue');
  const members = memberIds(b['members']);
  if (!members) return scimError(400, 'members is a list of { value }.', 'invalidValue');
  if ((await api.scim.groups(call.tenant, displayName, 0, 1)).total > 0)
    return scimError(409, `A group ${displayName} is provisioned already.`, 'uniqueness');
  const now = nowOf(api).toISOString();
  const group: ScimGroup = {
    tenant: call.tenant,
    id: randomUUID(),
    displayName,
    members: [...new Set(members)],
    created: now,
    lastModified: now,
    ...(typeof b['externalId'] === 'string' ? { externalId: b['externalId'] } : {}),
  };
  const made = await api.scim.createGroup(group);
  if (made === 'exists') return scimError(409, `The group ${group.id} exists.`, 'uniqueness');
  await regrant(api, call, group.members);
  await audit(api, call, 'scim.group-created', group.id, { displayName: { to: displayName } });
  return scimJson(201, groupResource(made.value, call), { Location: locationOf(call, group.id) });
}

const audit = (
  api: ScimApi,
  call: ScimCall,
  action: 'scim.group-created' | 'scim.group-updated' | 'scim.group-deleted',
  target: string,
  changes: Record<string, unknown>,
) =>
  recordAudit(api, {
    tenant: call.tenant,
    actor: auditActor(scimActor(call.token.id)),
    action,
    target,
    changes,
  });

async function patchGroup(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  const body = await readJsonObject(call.request);
  if (!body.ok) return body.response;
  const ops = patchOperations(body.value);
  if (!ops.ok) return scimError(400, ops.detail, 'invalidSyntax');
  for (let attempt = 1; attempt <= 3; attempt++) {
    const found = await api.scim.readGroup(call.tenant, call.id);
    if (!found) return notFound(call.id);
    const patched = applyGroupPatch(found.value, ops.operations);
    if ('detail' in patched) return scimError(400, patched.detail, 'invalidValue');
    const next = { ...patched, lastModified: nowOf(api).toISOString() };
    const stored = await api.scim.replaceGroup(next, found.etag);
    if (stored === 'missing') return notFound(call.id);
    if (stored === 'changed') continue;
    const before = found.value.members;
    const renamed = before.length > 0 && next.displayName !== found.value.displayName;
    const touched = renamed
      ? [...before, ...next.members]
      : [
          ...next.members.filter((m) => !before.includes(m)),
          ...before.filter((m) => !next.members.includes(m)),
        ];
    await regrant(api, call, touched);
    await audit(api, call, 'scim.group-updated', call.id, {
      ...(next.displayName !== found.value.displayName
        ? { displayName: { from: found.value.displayName, to: next.displayName } }
        : {}),
      members: { from: before.length, to: next.members.length },
    });
    // Entra accepts 204 for a group PATCH (Learn, "Develop a SCIM endpoint": Update Group responses).
    return emptyResponse(204);
  }
  return scimError(409, `The group ${call.id} changed while it was being written: retry.`);
}

async function deleteGroup(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  const found = await api.scim.readGroup(call.tenant, call.id);
  if (!found) return notFound(call.id);
  await api.scim.removeGroup(call.tenant, call.id);
  await regrant(api, call, found.value.members);
  await audit(api, call, 'scim.group-deleted', call.id, {
    displayName: { from: found.value.displayName },
  });
  return emptyResponse(204);
}

async function listGroups(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  const q = scimQuery(new URL(call.request.url).searchParams, ['displayName']);
  if (!q.ok) return scimError(400, q.detail, 'invalidFilter');
  const { filter, start, count } = q.query;
  const page = await api.scim.groups(call.tenant, filter?.value, start, count);
  return scimJson(200, {
    schemas: [SCIM_SCHEMAS.listResponse],
    totalResults: page.total,
    startIndex: start + 1,
    itemsPerPage: page.items.length,
    Resources: page.items.map((g) => groupResource(g, call)),
  });
}

/**
 * `api/scim/v2/Groups` (GET, POST) and `api/scim/v2/Groups/{id}` (GET, PATCH, DELETE): a group whose `displayName`
 * equals a declared role grants it to its linked members (never `Owner`); any other is stored and grants nothing.
 *
 * @example
 * ```ts
 * const answer = await scimGroups(api, call);
 * ```
 */
export async function scimGroups(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  if (call.id === '')
    return call.method === 'POST' ? createGroup(api, call) : listGroups(api, call);
  if (call.method === 'GET') {
    const found = await api.scim.readGroup(call.tenant, call.id);
    return found ? scimJson(200, groupResource(found.value, call)) : notFound(call.id);
  }
  return call.method === 'PATCH' ? patchGroup(api, call) : deleteGroup(api, call);
}
