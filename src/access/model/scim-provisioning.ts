/**
 * SCIM provisioning in the reference model (DESIGN §2, "Organizations that enterprises can buy" and "One life per
 * organization, person and subscription"): a SCIM token is a principal of its own, scoped to exactly one
 * organization, and it may only create, deactivate, reactivate and delete that organization's provisioned users —
 * which decide the memberships of the people they name. The model-based test (test/model/scim.model.test.ts) drives
 * these beside the real runtime, with the people's other doors (scim-people.ts):
 * - a SCIM request without a live token (never issued, revoked) → 401; a token acts in its own organization only:
 *   another organization's user is 404 to it, as one that does not exist;
 * - `POST Users { userName, externalId?, active? }` → 201, or 409 `uniqueness` for a userName its organization
 *   provisioned already;
 * - a person signing in is a member of the organization that provisioned an *active* user whose userName is their
 *   *verified* e-mail on a domain that organization verified, or whose `externalId` is their object id while it
 *   links their directory — linked to that person from then on;
 * - a user made inactive (`PATCH active false`, provisioned inactive) or deleted deprovisions every member it
 *   names, however they joined — the linked person, the member whose verified e-mail is its userName, the member
 *   whose object id is its externalId (with a linked directory): removed at once and barred (member-lives.ts), the
 *   last Owner kept (409); a person it holds only as inactive is barred from every door but an Owner's invitation;
 * - a user made active (provisioned, re-activated) lifts the bars of the people it names; a linked, active user's
 *   person not a member (nor barred) is made one.
 */
import {
  leave,
  lifeOf,
  type MembershipDoor,
  type MembershipExit,
  type MembershipLife,
} from '../../model/lives/membership-life.js';
import type { Expected } from './model-state.js';

/** A provisioned user: active or not, its externalId, and the person (object id) it is linked to once they signed in. */
export interface ModelScimUser {
  readonly active: boolean;
  readonly linked?: string;
  readonly externalId?: string;
}

/** What SCIM provisioning and the people's doors keep. */
export interface ScimModelState {
  /** Live tokens by name → their organization. */
  readonly tokens: ReadonlyMap<string, string>;
  /** Per organization, its users by userName (lower case). */
  readonly users: ReadonlyMap<string, ReadonlyMap<string, ModelScimUser>>;
  /** Per organization, its members (object id → roles). */
  readonly members: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;
  /** Verified domain → the organization that verified it. */
  readonly domains: ReadonlyMap<string, string>;
  /** Each person's life per organization (`org|oid`): a member through a door, barred; absent: outside. */
  readonly lives?: ReadonlyMap<string, MembershipLife>;
  /** The verified e-mail each member joined with (`org|oid`; a bar keeps it: the address is kept out too). */
  readonly emails?: ReadonlyMap<string, string>;
  /** The organizations whose verified domain admits its verified e-mails at once (`join: 'auto'`). */
  readonly autoJoin?: ReadonlySet<string>;
  /** The directory (tid) each organization links. */
  readonly directories?: ReadonlyMap<string, string>;
  /** Open invitations: `org|email` → who sent it. */
  readonly invitations?: ReadonlyMap<string, string>;
  /** When each open invitation was sent (`org|email` → {@link instantOf} the step that sent it). */
  readonly invitedOn?: ReadonlyMap<string, string>;
  /** The model's clock: the step the run is at (its instants only order the steps). */
  readonly step?: number;
  /**
   * The organizations their Owner deleted (scim-organizations.ts), each with its `deleteOn` (ms): closed to every
   * door and to SCIM until an Owner restores it before then.
   */
  readonly deleted?: ReadonlyMap<string, number>;
  /**
   * The organizations the daily erase took (scim-organizations.ts `eraseDue`): tombstones — nothing of them left,
   * no door, token or Owner's route admits anyone, and their id is never an organization again.
   */
  readonly erased?: ReadonlySet<string>;
}

/**
 * Whether `org` is one its Owner deleted (DESIGN §2, "One life per organization…"): no door admits anyone into it,
 * its members are 403 `tenant-suspended`, SCIM is 403 — until an Owner undeletes it.
 *
 * @example
 * ```ts
 * organizationDeleted({ ...s, deleted: new Map([['acme', t]]) }, 'acme'); // true
 * ```
 */
export const organizationDeleted = (s: Pick<ScimModelState, 'deleted'>, org: string): boolean =>
  s.deleted?.has(org) === true;

/**
 * The instant of the step `s` is at, as the life table reads times (ISO 8601): one second a step from the epoch —
 * an order, not a date. A bar and an invitation of one step are of one instant.
 *
 * @example
 * ```ts
 * instantOf({ ...s, step: 3 }); // '1970-01-01T00:00:03.000Z'
 * ```
 */
export const instantOf = (s: Pick<ScimModelState, 'step'>): string =>
  new Date((s.step ?? 0) * 1000).toISOString();

/**
 * A person signing in: object id, e-mail, whether their token proves it, their directory, and the user principal
 * name their directory gives them (`upn`, else `preferred_username`) — the `userName` Entra's provisioning sends.
 */
export interface ModelPerson {
  readonly oid: string;
  readonly email: string;
  readonly verified: boolean;
  readonly tid?: string;
  readonly upn?: string;
}

/**
 * Whether the user `name`d so (`u`) is `p`'s by their directory: `org` links their directory, and the user's
 * externalId is their object id or its userName their user principal name (Entra's default mapping).
 */
export const namedByDirectory = (
  s: ScimModelState,
  org: string,
  p: ModelPerson,
  name: string,
  u: ModelScimUser,
): boolean =>
  p.tid !== undefined &&
  s.directories?.get(org) === p.tid &&
  (u.externalId === p.oid || (p.upn !== undefined && name === p.upn.toLowerCase()));

/**
 * The addresses a bar of `org` may keep `p` by: their verified e-mail, and — while `org` links their directory — the
 * user principal name SCIM names a directory user by (a DELETE's bar on its userName outlives the user).
 */
export function barNames(s: ScimModelState, org: string, p: ModelPerson): string[] {
  const upn =
    p.tid !== undefined && s.directories?.get(org) === p.tid ? p.upn?.toLowerCase() : undefined;
  return [verifiedEmail(p), upn].filter((n) => n !== undefined);
}

export type Step = { readonly expected: Expected; readonly state: ScimModelState };

export const lifeKey = (org: string, oid: string) => `${org}|${oid}`;

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

/**
 * `s` after the member `oid` of `org` went out by `exit`, into the life the table's `leave` leads to (barred, or
 * outside); a member without a recorded door is read as lifeOf reads a membership that keeps none.
 */
export function withExit(
  s: ScimModelState,
  org: string,
  oid: string,
  exit: MembershipExit,
): ScimModelState {
  const life = s.lives?.get(lifeKey(org, oid));
  const member = life?.state === 'member' ? life : lifeOf({}, undefined);
  const after = leave(member, exit);
  // A bar keeps when it was written: an invitation sent before it lifts nothing (membership-life.ts `enter`).
  const barred = after.state === 'barred' ? { ...after, since: instantOf(s) } : after;
  return withMember(s, org, oid, undefined, barred);
}

/**
 * `s` with `oid` a member of `org` as `roles` through `door` (their verified e-mail kept), or — `roles` undefined —
 * out of it into `after` (barred, or outside).
 */
export function withMember(
  s: ScimModelState,
  org: string,
  oid: string,
  roles: readonly string[] | undefined,
  life: MembershipLife,
  email?: string,
): ScimModelState {
  const members = new Map(s.members);
  const mine = new Map(members.get(org) ?? []);
  if (roles) mine.set(oid, roles);
  else mine.delete(oid);
  members.set(org, mine);
  const lives = new Map(s.lives);
  if (life.state === 'outside') lives.delete(lifeKey(org, oid));
  else lives.set(lifeKey(org, oid), life);
  const emails = new Map(s.emails);
  if (roles && email !== undefined) emails.set(lifeKey(org, oid), email);
  else if (roles || life.state === 'outside') emails.delete(lifeKey(org, oid));
  return { ...s, members, lives, emails };
}

/** `s` with `oid` a member of `org` through `door`, as the default role (a bar they passed lifted). */
export function joined(
  s: ScimModelState,
  org: string,
  p: ModelPerson,
  door: MembershipDoor,
): ScimModelState {
  return withMember(s, org, p.oid, ['Member'], { state: 'member', via: door }, verifiedEmail(p));
}

/** The e-mail a person's token proves, if any. */
export const verifiedEmail = (p: ModelPerson): string | undefined =>
  p.verified ? p.email.toLowerCase() : undefined;

/** The organization a SCIM token acts in, or undefined (401). */
export const scimOrganization = (s: ScimModelState, token: string): string | undefined =>
  s.tokens.get(token);

/** Whether taking `oid`'s membership of `org` would leave it without an Owner. */
const lastOwner = (s: ScimModelState, org: string, oid: string): boolean => {
  const members = s.members.get(org);
  if (!members?.get(oid)?.includes('Owner')) return false;
  return ![...members].some(([o, roles]) => o !== oid && roles.includes('Owner'));
};

/**
 * The members of `org` a user names, however they joined: the person it is linked to, the member whose verified
 * e-mail is its userName, and — the organization linking a directory — the member whose object id is its
 * externalId.
 */
function personsOf(s: ScimModelState, org: string, userName: string, u: ModelScimUser): string[] {
  const members = s.members.get(org) ?? new Map<string, readonly string[]>();
  const found = new Set<string>(u.linked !== undefined && members.has(u.linked) ? [u.linked] : []);
  for (const oid of members.keys())
    if (s.emails?.get(lifeKey(org, oid)) === userName) found.add(oid);
  if (u.externalId !== undefined && s.directories?.has(org) && members.has(u.externalId))
    found.add(u.externalId);
  return [...found];
}

/** `s` after the people `u` names were deprovisioned, or the 409 of a last Owner among them. */
function deprovisioned(
  s: ScimModelState,
  org: string,
  userName: string,
  u: ModelScimUser,
): ScimModelState | 'last-owner' {
  let next = s;
  for (const oid of personsOf(s, org, userName, u)) {
    if (lastOwner(next, org, oid)) return 'last-owner';
    next = withExit(next, org, oid, 'deprovisioned');
    next = revokedTo(next, org, s.emails?.get(lifeKey(org, oid)));
  }
  // Its address barred from the user's own state, member or not (a door in flight finds it; it outlives a DELETE),
  // keyed by the address itself; and the invitations open to it die too (sent before, they never re-admit).
  const key = lifeKey(org, userName);
  const lives = new Map(next.lives).set(key, {
    state: 'barred',
    by: 'deprovisioned',
    since: instantOf(s),
  });
  const emails = new Map(next.emails).set(key, userName);
  // And its externalId, the object id the linked directory's sign-in carries: barred by id (no address kept), so a
  // directory user whose token proves none of the addresses it names is kept out once the user is gone as well.
  const objectId = u.externalId;
  if (objectId !== undefined && s.directories?.has(org) && !next.members.get(org)?.has(objectId))
    lives.set(lifeKey(org, objectId), {
      state: 'barred',
      by: 'deprovisioned',
      since: instantOf(s),
    });
  return revokedTo({ ...next, lives, emails }, org, userName);
}

/** `s` with the open invitations of `org` to `email` closed. */
export function revokedTo(
  s: ScimModelState,
  org: string,
  email: string | undefined,
): ScimModelState {
  if (email === undefined || !s.invitations?.has(lifeKey(org, email))) return s;
  const invitations = new Map(s.invitations);
  invitations.delete(lifeKey(org, email));
  const invitedOn = new Map(s.invitedOn);
  invitedOn.delete(lifeKey(org, email));
  return { ...s, invitations, invitedOn };
}

/** `s` after the user was made active: the bars of the people it names lifted. */
function reactivated(
  s: ScimModelState,
  org: string,
  userName: string,
  u: ModelScimUser,
): ScimModelState {
  const ids = new Set([u.linked, u.externalId].filter((x) => x !== undefined));
  const lives = new Map(s.lives);
  const emails = new Map(s.emails);
  for (const [k, life] of s.lives ?? new Map<string, MembershipLife>()) {
    const [o, oid] = k.split('|') as [string, string];
    if (o !== org || life.state !== 'barred') continue;
    if (!ids.has(oid) && s.emails?.get(k) !== userName) continue;
    lives.delete(k);
    emails.delete(k);
  }
  return { ...s, lives, emails };
}

/** `s` after SCIM made its user's membership what it says: a linked, active user's person a member (not barred). */
function granted(s: ScimModelState, org: string, u: ModelScimUser): ScimModelState {
  if (!u.active || u.linked === undefined || s.members.get(org)?.has(u.linked)) return s;
  if (s.lives?.get(lifeKey(org, u.linked))?.state === 'barred') return s;
  return withMember(s, org, u.linked, ['Member'], { state: 'member', via: 'scim' });
}

/** `POST api/scim/v2/Users { userName, externalId?, active? }` with `token`. */
export function provisionUser(
  s: ScimModelState,
  token: string,
  userName: string,
  options: { readonly externalId?: string; readonly active?: boolean } = {},
): Step {
  const org = scimOrganization(s, token);
  if (!org) return { expected: { status: 401 }, state: s };
  // A deleted organization's provisioning waits (scim-serve.ts: 403 while it is not active), nothing written.
  if (organizationDeleted(s, org)) return { expected: { status: 403 }, state: s };
  const key = userName.toLowerCase();
  if (s.users.get(org)?.has(key)) return { expected: { status: 409 }, state: s };
  const user: ModelScimUser = {
    active: options.active ?? true,
    ...(options.externalId !== undefined ? { externalId: options.externalId } : {}),
  };
  if (!user.active) {
    const out = deprovisioned(s, org, key, user);
    if (out === 'last-owner') return { expected: { status: 409 }, state: s };
    return { expected: { status: 201 }, state: withUser(out, org, key, user) };
  }
  return {
    expected: { status: 201 },
    state: withUser(reactivated(s, org, key, user), org, key, user),
  };
}

/**
 * The user a request on `Users/{id}` names, as the token sees it: 401 without a live token, 404 for a user of
 * another organization (or none) — the one reading of an item route's target, for the PATCH and the DELETE.
 */
function namedUser(
  s: ScimModelState,
  token: string,
  userOrg: string,
  userName: string,
): { readonly org: string; readonly key: string; readonly user: ModelScimUser } | Step {
  const org = scimOrganization(s, token);
  if (!org) return { expected: { status: 401 }, state: s };
  if (organizationDeleted(s, org)) return { expected: { status: 403 }, state: s };
  const key = userName.toLowerCase();
  const user = org === userOrg ? s.users.get(org)?.get(key) : undefined;
  return user ? { org, key, user } : { expected: { status: 404 }, state: s };
}

/** `PATCH api/scim/v2/Users/{id}` setting `active` (the user named by its userName in the token's organization, or in another one). */
export function setActive(
  s: ScimModelState,
  token: string,
  userOrg: string,
  userName: string,
  active: boolean,
): Step {
  const named = namedUser(s, token, userOrg, userName);
  if ('expected' in named) return named;
  const { org, key, user } = named;
  const next = { ...user, active };
  let state: ScimModelState = s;
  if (user.active && !active) {
    const out = deprovisioned(s, org, key, user);
    if (out === 'last-owner') return { expected: { status: 409 }, state: s };
    state = out;
  }
  if (active && !user.active) state = reactivated(state, org, key, next);
  return { expected: { status: 200 }, state: withUser(granted(state, org, next), org, key, next) };
}

/** `DELETE api/scim/v2/Users/{id}`: the people it names deprovisioned, then the user gone. */
export function deleteUser(
  s: ScimModelState,
  token: string,
  userOrg: string,
  userName: string,
): Step {
  const named = namedUser(s, token, userOrg, userName);
  if ('expected' in named) return named;
  const { org, key, user } = named;
  const out = deprovisioned(s, org, key, user);
  if (out === 'last-owner') return { expected: { status: 409 }, state: s };
  return { expected: { status: 204 }, state: withUser(out, org, key, undefined) };
}

/** `DELETE api/tenant/scim-tokens/{id}` by the organization's Owner: the token admits nothing from then on. */
export function revokeToken(s: ScimModelState, token: string): ScimModelState {
  const tokens = new Map(s.tokens);
  tokens.delete(token);
  return { ...s, tokens };
}

/**
 * Whether `p` may come into `org` through a door that lifts no bar: not barred (by their object id, or by the
 * address a bar keeps: their verified e-mail, or their user principal name while `org` links their directory), and — but through SCIM's own door — not held by the organization's SCIM only as
 * inactive users (by userName = their verified e-mail, or — while it links their directory — externalId = their
 * object id or userName = their user principal name).
 */
export function standsOutside(
  s: ScimModelState,
  org: string,
  p: ModelPerson,
  door?: MembershipDoor,
): boolean {
  if (s.lives?.get(lifeKey(org, p.oid))?.state === 'barred') return false;
  const email = verifiedEmail(p);
  const names = barNames(s, org, p);
  for (const [k, life] of s.lives ?? new Map<string, MembershipLife>()) {
    const kept = s.emails?.get(k);
    if (life.state === 'barred' && k.startsWith(`${org}|`) && kept && names.includes(kept))
      return false;
  }
  if (door === 'scim') return true;
  const users = [...(s.users.get(org) ?? new Map<string, ModelScimUser>())].filter(
    ([name, u]) => (email !== undefined && name === email) || namedByDirectory(s, org, p, name, u),
  );
  return users.length === 0 || users.some(([, u]) => u.active);
}
