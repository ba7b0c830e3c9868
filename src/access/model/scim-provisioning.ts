/**
 * SCIM provisioning in the reference model (DESIGN §2, "Organizations that enterprises can buy"): a SCIM token is a
 * principal of its own, scoped to exactly one organization, and it may only create, deactivate, reactivate and
 * delete that organization's provisioned users — which are memberships once their person signs in. The
 * model-based test (test/model/scim.model.test.ts) drives these beside the real runtime:
 * - a SCIM request without a live token (never issued, revoked) → 401; a token acts in its own organization only:
 *   another organization's user is 404 to it, as one that does not exist;
 * - `POST Users { userName }` → 201, or 409 `uniqueness` for a userName its organization provisioned already;
 * - a person signing in is a member of the organization that provisioned an *active* user whose userName is their
 *   *verified* e-mail on a domain that organization verified (never by an unverified e-mail, never on a domain
 *   another organization or nobody verified), linked to that person from then on;
 * - `PATCH active false` (or "False") and `DELETE` end the linked person's membership at once (their next request
 *   is 403 `not-a-member`); the last Owner stays (409); `PATCH active true` gives it back.
 */
import type { Expected } from './model-state.js';

/** A provisioned user: active or not, and the person (object id) it is linked to once they signed in. */
export interface ModelScimUser {
  readonly active: boolean;
  readonly linked?: string;
}

/** What SCIM provisioning keeps: live tokens, users per organization, memberships, verified domains. */
export interface ScimModelState {
  /** Live tokens by name → their organization. */
  readonly tokens: ReadonlyMap<string, string>;
  /** Per organization, its users by userName (lower case). */
  readonly users: ReadonlyMap<string, ReadonlyMap<string, ModelScimUser>>;
  /** Per organization, its members (object id → roles). */
  readonly members: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;
  /** Verified domain → the organization that verified it. */
  readonly domains: ReadonlyMap<string, string>;
}

/** A person signing in: object id, e-mail, whether their token proves it. */
export interface ModelPerson {
  readonly oid: string;
  readonly email: string;
  readonly verified: boolean;
}

type Step = { readonly expected: Expected; readonly state: ScimModelState };

const withUser = (
  s: ScimModelState,
  org: string,
  userName: string,
  u: ModelScimUser | undefined,
) => {
  const users = new Map(s.users);
  const mine = new Map(users.get(org) ?? []);
  if (u) mine.set(userName, u);
  else mine.delete(userName);
  users.set(org, mine);
  return { ...s, users };
};

const withMember = (
  s: ScimModelState,
  org: string,
  oid: string,
  roles: readonly string[] | undefined,
) => {
  const members = new Map(s.members);
  const mine = new Map(members.get(org) ?? []);
  if (roles) mine.set(oid, roles);
  else mine.delete(oid);
  members.set(org, mine);
  return { ...s, members };
};

/** The organization a SCIM token acts in, or undefined (401). */
export const scimOrganization = (s: ScimModelState, token: string): string | undefined =>
  s.tokens.get(token);

/** `POST api/scim/v2/Users { userName }` with `token`. */
export function provisionUser(s: ScimModelState, token: string, userName: string): Step {
  const org = scimOrganization(s, token);
  if (!org) return { expected: { status: 401 }, state: s };
  const key = userName.toLowerCase();
  if (s.users.get(org)?.has(key)) return { expected: { status: 409 }, state: s };
  return { expected: { status: 201 }, state: withUser(s, org, key, { active: true }) };
}

/** Whether taking `oid`'s membership of `org` would leave it without an Owner. */
const lastOwner = (s: ScimModelState, org: string, oid: string): boolean => {
  const members = s.members.get(org);
  if (!members?.get(oid)?.includes('Owner')) return false;
  return ![...members].some(([o, roles]) => o !== oid && roles.includes('Owner'));
};

/** `PATCH api/scim/v2/Users/{id}` setting `active` (the user named by its userName in the token's organization, or in another one). */
export function setActive(
  s: ScimModelState,
  token: string,
  userOrg: string,
  userName: string,
  active: boolean,
): Step {
  const org = scimOrganization(s, token);
  if (!org) return { expected: { status: 401 }, state: s };
  const key = userName.toLowerCase();
  const user = org === userOrg ? s.users.get(org)?.get(key) : undefined;
  if (!user) return { expected: { status: 404 }, state: s };
  let next: ScimModelState = s;
  if (user.linked !== undefined && user.active && !active) {
    if (lastOwner(s, org, user.linked)) return { expected: { status: 409 }, state: s };
    next = withMember(next, org, user.linked, undefined);
  }
  if (user.linked !== undefined && active && !next.members.get(org)?.has(user.linked))
    next = withMember(next, org, user.linked, ['Member']);
  return { expected: { status: 200 }, state: withUser(next, org, key, { ...user, active }) };
}

/** `DELETE api/scim/v2/Users/{id}`. */
export function deleteUser(
  s: ScimModelState,
  token: string,
  userOrg: string,
  userName: string,
): Step {
  const org = scimOrganization(s, token);
  if (!org) return { expected: { status: 401 }, state: s };
  const key = userName.toLowerCase();
  const user = org === userOrg ? s.users.get(org)?.get(key) : undefined;
  if (!user) return { expected: { status: 404 }, state: s };
  let next: ScimModelState = s;
  if (user.linked !== undefined && next.members.get(org)?.has(user.linked)) {
    if (lastOwner(s, org, user.linked)) return { expected: { status: 409 }, state: s };
    next = withMember(next, org, user.linked, undefined);
  }
  return { expected: { status: 204 }, state: withUser(next, org, key, undefined) };
}

/** `DELETE api/tenant/scim-tokens/{id}` by the organization's Owner: the token admits nothing from then on. */
export function revokeToken(s: ScimModelState, token: string): ScimModelState {
  const tokens = new Map(s.tokens);
  tokens.delete(token);
  return { ...s, tokens };
}

/**
 * A request of `p` acting in `org` (`GET api/tenant` naming it): 200 for a member — a provisioned, active, unlinked
 * user matching their verified e-mail on a domain `org` verified makes them one first — else 403 `not-a-member`.
 */
export function requestAs(s: ScimModelState, p: ModelPerson, org: string): Step {
  if (s.members.get(org)?.has(p.oid)) return { expected: { status: 200 }, state: s };
  const email = p.email.toLowerCase();
  const domain = email.slice(email.lastIndexOf('@') + 1);
  const user = s.users.get(org)?.get(email);
  const matches =
    p.verified &&
    s.domains.get(domain) === org &&
    user?.active === true &&
    (user.linked === undefined || user.linked === p.oid);
  if (!matches) return { expected: { status: 403, problem: 'not-a-member' }, state: s };
  const linked = withUser(s, org, email, { ...user, linked: p.oid });
  return { expected: { status: 200 }, state: withMember(linked, org, p.oid, ['Member']) };
}
