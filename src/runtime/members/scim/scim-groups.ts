import { randomUUID } from 'node:crypto';
import type { HttpResponseInit } from '@azure/functions';
import { emptyResponse } from '../../http/response.js';
import { nowOf } from '../members-api.js';
import { recordScimAudit, type ScimApi } from './scim-api.js';
import { itemAnswer, listItems, readItem, resourceRoutes } from './scim-answer.js';
import { withGroupBody } from './scim-group-body.js';
import {
  GROUP_KIND,
  groupBodyOf,
  notFoundGroup,
  patchGroup,
  regrant,
  replaceGroup,
} from './scim-group-write.js';
import type { ScimGroup } from './scim-items.js';
import { scimError } from './scim-response.js';
import type { ScimCall } from './scim-serve.js';

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
  await recordScimAudit(api, call, 'scim.group-created', group.id, {
    displayName: { to: group.displayName },
  });
  return itemAnswer(call, GROUP_KIND, 201, made.value);
}

async function deleteGroup(api: ScimApi, call: ScimCall): Promise<HttpResponseInit> {
  const found = await api.scim.readGroup(call.tenant, call.id);
  if (!found) return notFoundGroup(call.id);
  await api.scim.removeGroup(call.tenant, call.id);
  await regrant(api, call, found.value.members);
  await recordScimAudit(api, call, 'scim.group-deleted', call.id, {
    displayName: { from: found.value.displayName },
  });
  return emptyResponse(204);
}

/**
 * `GET Groups[?filter=displayName eq "…" | externalId eq "…" | id eq "…"]` → a ListResponse; `POST Groups/.search`
 * and the root's search answer through it too (scim-search.ts).
 *
 * @example
 * ```ts
 * const groupsSearch = searchOf(listGroups);
 * ```
 */
export const listGroups = listItems(
  GROUP_KIND,
  ['displayName', 'externalId', 'id'],
  ({ scim }, tenant, { filter, start, count }, where) =>
    where
      ? scim.groupsWhere(tenant, where, { start, count })
      : scim.groups(tenant, filter?.value, start, count),
);

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
  read: readItem(GROUP_KIND),
  replace: replaceGroup,
  patch: patchGroup,
  remove: deleteGroup,
});
