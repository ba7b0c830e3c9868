/**
 * The SCIM protocol in the reference model (DESIGN §2, "Organizations that enterprises can buy": SCIM as Entra and
 * Okta send it; "One life per organization, person and subscription": `userName` unique under concurrency, a group of
 * at most 1,000 members on every write). What one organization's token may do to its users and groups, and what each
 * GET must show after it — every attribute a write set kept exactly, none it removed left behind:
 * - `userName` is unique per organization without regard to case (RFC 7643 §4.1.1, `caseExact: false`): a POST, PUT
 *   or PATCH taking another user's name is 409 `uniqueness`; a rename or a DELETE frees the old name at once;
 * - PUT replaces a User or a Group (RFC 7644 §3.5.1): what it leaves out is gone, `userName`/`displayName` required;
 * - a group holds at most {@link MODEL_MAX_GROUP_MEMBERS}: a POST, PUT or PATCH `add` that would hold more is 400
 *   and changes nothing (a group already past it from before the bound only shrinks);
 * - another organization's user or group is 404 to a token, as one that does not exist.
 * The model-based test (test/model/scim-protocol.model.test.ts) drives these beside the real runtime.
 */
import type { Expected } from './model-state.js';

/** The bound of a group's members on every write. */
export const MODEL_MAX_GROUP_MEMBERS = 1000;

/** A provisioned user as SCIM shows it: the attributes the model's writes set. */
export interface ModelUser {
  readonly userName: string;
  readonly externalId?: string;
  readonly displayName?: string;
  readonly title?: string;
}

/** A provisioned group: its name, `externalId` and how many members it holds. */
export interface ModelGroup {
  readonly displayName: string;
  readonly externalId?: string;
  readonly members: number;
}

/** One organization's users and groups, by the handle the test names them with. */
export interface ScimResourcesState {
  readonly users: ReadonlyMap<string, ModelUser>;
  readonly groups: ReadonlyMap<string, ModelGroup>;
}

type Step = { readonly expected: Expected; readonly state: ScimResourcesState };

const taken = (s: ScimResourcesState, userName: string, except?: string) =>
  [...s.users].some(
    ([h, u]) => h !== except && u.userName.toLowerCase() === userName.toLowerCase(),
  );

const withUser = (s: ScimResourcesState, handle: string, u: ModelUser | undefined) => {
  const users = new Map(s.users);
  if (u) users.set(handle, u);
  else users.delete(handle);
  return { ...s, users };
};

const withGroup = (s: ScimResourcesState, handle: string, g: ModelGroup | undefined) => {
  const groups = new Map(s.groups);
  if (g) groups.set(handle, g);
  else groups.delete(handle);
  return { ...s, groups };
};

/** `POST Users` (`handle` names the new user): 201, or 409 when another user holds the name in any case. */
export function createUser(s: ScimResourcesState, handle: string, u: ModelUser): Step {
  if (taken(s, u.userName)) return { expected: { status: 409 }, state: s };
  return { expected: { status: 201 }, state: withUser(s, handle, u) };
}

/** `PUT Users/{id}`: the user becomes exactly `u`; 404 for none, 409 for another user's name. */
export function replaceUser(s: ScimResourcesState, handle: string, u: ModelUser): Step {
  if (!s.users.has(handle)) return { expected: { status: 404 }, state: s };
  if (taken(s, u.userName, handle)) return { expected: { status: 409 }, state: s };
  return { expected: { status: 200 }, state: withUser(s, handle, u) };
}

/**
 * `PATCH Users/{id}` setting (a value) or removing (undefined) one attribute: 200; 404 for none; 409 for another
 * user's name; 400 for removing `userName` (required).
 */
export function patchUser(
  s: ScimResourcesState,
  handle: string,
  attribute: keyof ModelUser,
  value: string | undefined,
): Step {
  const u = s.users.get(handle);
  if (!u) return { expected: { status: 404 }, state: s };
  if (attribute === 'userName') {
    if (value === undefined) return { expected: { status: 400 }, state: s };
    if (taken(s, value, handle)) return { expected: { status: 409 }, state: s };
  }
  const { [attribute]: _gone, ...rest } = u;
  const next = (value === undefined ? rest : { ...rest, [attribute]: value }) as ModelUser;
  return { expected: { status: 200 }, state: withUser(s, handle, next) };
}

/** `DELETE Users/{id}`: 204 (its name free again), or 404. */
export function deleteUser(s: ScimResourcesState, handle: string): Step {
  if (!s.users.has(handle)) return { expected: { status: 404 }, state: s };
  return { expected: { status: 204 }, state: withUser(s, handle, undefined) };
}

/** `POST Groups` with `g.members` members: 201, or 400 past the bound (nothing written). */
export function createGroup(s: ScimResourcesState, handle: string, g: ModelGroup): Step {
  if (g.members > MODEL_MAX_GROUP_MEMBERS) return { expected: { status: 400 }, state: s };
  return { expected: { status: 201 }, state: withGroup(s, handle, g) };
}

/** `PUT Groups/{id}`: the group becomes exactly `g`; 404 for none, 400 past the bound. */
export function replaceGroup(s: ScimResourcesState, handle: string, g: ModelGroup): Step {
  if (!s.groups.has(handle)) return { expected: { status: 404 }, state: s };
  if (g.members > MODEL_MAX_GROUP_MEMBERS) return { expected: { status: 400 }, state: s };
  return { expected: { status: 200 }, state: withGroup(s, handle, g) };
}

/** `PATCH Groups/{id}` adding `added` new members: 204, or 400 when the group would grow past the bound. */
export function addMembers(s: ScimResourcesState, handle: string, added: number): Step {
  const g = s.groups.get(handle);
  if (!g) return { expected: { status: 404 }, state: s };
  const members = g.members + added;
  if (added > 0 && members > MODEL_MAX_GROUP_MEMBERS)
    return { expected: { status: 400 }, state: s };
  return { expected: { status: 204 }, state: withGroup(s, handle, { ...g, members }) };
}

/** `PATCH Groups/{id}` setting (a value) or removing (undefined) the group's `externalId`: 204, or 404. */
export function patchGroupExternalId(
  s: ScimResourcesState,
  handle: string,
  externalId: string | undefined,
): Step {
  const g = s.groups.get(handle);
  if (!g) return { expected: { status: 404 }, state: s };
  const { externalId: _gone, ...rest } = g;
  const next = externalId === undefined ? rest : { ...rest, externalId };
  return { expected: { status: 204 }, state: withGroup(s, handle, next) };
}

/** `DELETE Groups/{id}`: 204, or 404. */
export function deleteGroup(s: ScimResourcesState, handle: string): Step {
  if (!s.groups.has(handle)) return { expected: { status: 404 }, state: s };
  return { expected: { status: 204 }, state: withGroup(s, handle, undefined) };
}
