import { SCIM_SCHEMAS } from '../../../contract/scim/scim.js';
import type { ScimEmail, ScimUser } from './scim-items.js';
import type { ScimBody } from './protocol/scim-patch-apply.js';
import { USER_SHAPE } from './protocol/scim-path.js';

const ordered = (body: ScimBody): ScimBody =>
  Object.fromEntries(
    [
      ...USER_SHAPE.core.attributes.map((a) => a.name),
      ...USER_SHAPE.extensions.map((e) => e.id),
    ].flatMap((k) => (body[k] === undefined ? [] : [[k, body[k]]])),
  );

/**
 * A user's attributes as the identity provider wrote them (the body a PATCH applies to and a GET shows): `active`
 * left out when a PATCH removed it.
 *
 * @example
 * ```ts
 * userBody(user); // { userName: 'ada@contoso.com', active: true, emails: [...], title: 'Engineer' }
 * ```
 */
export function userBody(u: ScimUser): ScimBody {
  return ordered({
    userName: u.userName,
    ...(u.name ? { name: u.name } : {}),
    ...(u.displayName !== undefined ? { displayName: u.displayName } : {}),
    ...(u.activeUnset ? {} : { active: u.active }),
    ...(u.emails && u.emails.length > 0 ? { emails: u.emails } : {}),
    ...(u.externalId !== undefined ? { externalId: u.externalId } : {}),
    ...u.more,
  });
}

/**
 * `base` with the attributes of `body` (a POST's, a PUT's or a PATCH's result; sanitized, `userName` checked): its
 * own fields — id, organization, link, token, times — kept. Without `active`, the user keeps the state `base` has and
 * SCIM shows none (a PATCH removed it): a removal never grants nor ends access by itself.
 *
 * @example
 * ```ts
 * const next = withUserBody(found, applied.body);
 * ```
 */
export function withUserBody(base: ScimUser, body: ScimBody): ScimUser {
  const { userName, externalId, displayName, active, name, emails, ...more } = body;
  const {
    externalId: _x,
    displayName: _d,
    name: _n,
    emails: _e,
    more: _m,
    activeUnset: _u,
    ...own
  } = base;
  return {
    ...own,
    userName: String(userName),
    active: typeof active === 'boolean' ? active : base.active,
    ...(typeof active === 'boolean' ? {} : { activeUnset: true as const }),
    ...(typeof externalId === 'string' ? { externalId } : {}),
    ...(typeof displayName === 'string' ? { displayName } : {}),
    ...(name ? { name } : {}),
    ...(Array.isArray(emails) ? { emails: emails as ScimEmail[] } : {}),
    ...(Object.keys(more).length > 0 ? { more } : {}),
  };
}

/**
 * A user as SCIM shows it (RFC 7643 §4.1): its attributes, `schemas` naming the enterprise extension when it holds
 * some, `meta`; never the member it is linked to, nor its organization.
 *
 * @example
 * ```ts
 * userResource(user, 'https://app/api/scim/v2/Users/…');
 * ```
 */
export function userResource(u: ScimUser, location: string): Record<string, unknown> {
  const body = userBody(u);
  return {
    schemas: [
      SCIM_SCHEMAS.user,
      ...USER_SHAPE.extensions.map((e) => e.id).filter((id) => body[id] !== undefined),
    ],
    id: u.id,
    ...body,
    meta: { resourceType: 'User', created: u.created, lastModified: u.lastModified, location },
  };
}
