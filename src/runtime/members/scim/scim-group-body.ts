import type { HttpResponseInit } from '@azure/functions';
import { MAX_GROUP_MEMBERS, SCIM_SCHEMAS } from '../../../contract/scim/scim.js';
import type { ScimGroup } from './scim-items.js';
import type { ScimBody } from './protocol/scim-patch-apply.js';
import { scimError } from './scim-response.js';

/** The longest group name kept. */
const MAX_GROUP_NAME = 256;

/**
 * A group's attributes as the identity provider wrote them (the body a PATCH applies to): `displayName`, `members`
 * as `[{ value }]` (none: left out), `externalId`.
 *
 * @example
 * ```ts
 * groupBody(group); // { displayName: 'Admin', members: [{ value: '…' }], externalId: 'obj-1' }
 * ```
 */
export function groupBody(g: ScimGroup): ScimBody {
  return {
    displayName: g.displayName,
    ...(g.members.length > 0 ? { members: g.members.map((value) => ({ value })) } : {}),
    ...(g.externalId !== undefined ? { externalId: g.externalId } : {}),
  };
}

/** The member ids of a kept `members` value, each once, in the order given. */
const memberIds = (v: unknown): string[] =>
  Array.isArray(v)
    ? [
        ...new Set(
          v.flatMap((m: unknown) => {
            const value =
              m && typeof m === 'object' ? (m as Record<string, unknown>)['value'] : undefined;
            return typeof value === 'string' ? [value] : [];
          }),
        ),
      ]
    : [];

/**
 * `base` with the attributes of a kept body (a POST's, PUT's or PATCH's), or the SCIM 400 refusing it: a
 * `displayName` (a non-blank string of up to 256), and at most {@link MAX_GROUP_MEMBERS} members — past it only a
 * group that held more before the bound may stay there, never grow (`strict`, a PUT or a POST: never past it).
 *
 * @example
 * ```ts
 * const next = withGroupBody(found, applied.body, false);
 * if ('refused' in next) return next.refused;
 * ```
 */
export function withGroupBody(
  base: ScimGroup,
  body: ScimBody,
  strict: boolean,
): ScimGroup | { readonly refused: HttpResponseInit } {
  const displayName = body['displayName'];
  if (
    typeof displayName !== 'string' ||
    displayName.trim() === '' ||
    displayName.length > MAX_GROUP_NAME
  )
    return {
      refused: scimError(400, 'A group has a displayName (a string of up to 256).', 'invalidValue'),
    };
  const members = memberIds(body['members']);
  if (members.length > MAX_GROUP_MEMBERS && (strict || members.length > base.members.length))
    return {
      refused: scimError(
        400,
        `A group holds at most ${String(MAX_GROUP_MEMBERS)} members; this write would hold ${String(members.length)}.`,
        'invalidValue',
      ),
    };
  const { externalId: _x, ...own } = base;
  const externalId = body['externalId'];
  return {
    ...own,
    displayName,
    members,
    ...(typeof externalId === 'string' ? { externalId } : {}),
  };
}

/**
 * A group as SCIM shows it (RFC 7643 §4.2).
 *
 * @example
 * ```ts
 * groupResource(group, 'https://app/api/scim/v2/Groups/…');
 * ```
 */
export function groupResource(g: ScimGroup, location: string): Record<string, unknown> {
  return {
    schemas: [SCIM_SCHEMAS.group],
    id: g.id,
    ...groupBody(g),
    meta: { resourceType: 'Group', created: g.created, lastModified: g.lastModified, location },
  };
}
