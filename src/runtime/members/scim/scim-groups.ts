import { randomUUID } from 'node:crypto';
import type { HttpResponseInit } from '@azure/functions';
import { SCIM_ROUTES } from '../../../contract/scim/scim.js';
import { recordAudit } from '../../audit/record-audit.js';
import { emptyResponse } from '../../http/response.js';
import { auditActor, nowOf } from '../members-api.js';
import { type ScimApi, scimActor } from './scim-api.js';
import { listAnswer, locationOf, resourceAnswer, resourceRoutes, whereOf } from './scim-answer.js';
import { scimQuery } from './scim-filter.js';
import { groupResource, withGroupBody } from './scim-group-body.js';
import {
  groupBodyOf,
  notFoundGroup,
  patchGroup,
  regrant,
  replaceGroup,
} from './scim-group-write.js';
import type { ScimGroup } from './scim-items.js';
import { GROUP_SHAPE } from './protocol/scim-path.js';
import { scimError } from './scim-response.js';
import type { ScimCall } from './scim-serve.js';

const shownAt = (call: ScimCall) => (g: ScimGroup) =>
  groupResource(g, locationOf(call, SCIM_ROUTES.group, g.id));

const audit = (
  api: ScimApi,
  call: ScimCall,
  action: 'scim.group-created' | 'scim.group-deleted',
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

/**
 * `POST Groups`: 201 with the group; 409 `uniqueness` for a `displayName` provisioned already (Entra matches groups
 * by it); 400 past {@link MAX_GROUP_MEMBERS} members, before anything is written.
 */
async function createGroup(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  const kept = await groupBodyOf(call);
  if (!kept.ok) return kept.response;
  const now = nowOf(api).toISOString();
  const base: ScimGroup = {
    tenant: call.tenant,
    id: randomUUID(),
    displayName: '',
    members: [],
    created: now,
    lastModified: now,
  };
  const group = withGroupBody(base, kept.body, true);
  if ('refused' in group) return group.refused;
  if ((await api.scim.groups(call.tenant, group.displayName, 0, 1)).total > 0)
    return scimError(409, `A group ${group.displayName} is provisioned already.`, 'uniqueness');
  const made = await api.scim.createGroup(group);
  if (made === 'exists') return scimError(409, `The group ${group.id} exists.`, 'uniqueness');
  await regrant(api, call, group.members);
  await audit(api, call, 'scim.group-created', group.id, {
    displayName: { to: group.displayName },
  });
  const location = locationOf(call, SCIM_ROUTES.group, group.id);
  return resourceAnswer(call, GROUP_SHAPE, 201, groupResource(made.value, location), {
    Location: location,
  });
}

async function deleteGroup(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  const found = await api.scim.readGroup(call.tenant, call.id);
  if (!found) return notFoundGroup(call.id);
  await api.scim.removeGroup(call.tenant, call.id);
  await regrant(api, call, found.value.members);
  await audit(api, call, 'scim.group-deleted', call.id, {
    displayName: { from: found.value.displayName },
  });
  return emptyResponse(204);
}

/** `GET Groups[?filter=displayName eq "…" | externalId eq "…" | id eq "…"]` → a ListResponse. */
async function listGroups(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  const q = scimQuery(new URL(call.request.url).searchParams, ['displayName', 'externalId', 'id']);
  if (!q.ok) return scimError(400, q.detail, 'invalidFilter');
  const { filter, start, count } = q.query;
  const where = whereOf(filter);
  const page = where
    ? await api.scim.groupsWhere(call.tenant, where, { start, count })
    : await api.scim.groups(call.tenant, filter?.value, start, count);
  return listAnswer(call, GROUP_SHAPE, { total: page.total, start }, page.items.map(shownAt(call)));
}

/** `GET Groups/{id}`: 200 with the group, or a SCIM 404. */
async function readGroup(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  const found = await api.scim.readGroup(call.tenant, call.id);
  return found
    ? resourceAnswer(call, GROUP_SHAPE, 200, shownAt(call)(found.value))
    : notFoundGroup(call.id);
}

/**
 * `api/scim/v2/Groups` (GET, POST) and `api/scim/v2/Groups/{id}` (GET, PUT, PATCH, DELETE): a group whose
 * `displayName` equals a declared role grants it to its linked members (never `Owner`); any other is stored and
 * grants nothing; every answer as `attributes`/`excludedAttributes` asks (Entra reads groups with
 * `excludedAttributes=members`).
 *
 * @example
 * ```ts
 * const answer = await scimGroups(api, call);
 * ```
 */
export const scimGroups = resourceRoutes({
  list: listGroups,
  create: createGroup,
  read: readGroup,
  replace: replaceGroup,
  patch: patchGroup,
  remove: deleteGroup,
});
