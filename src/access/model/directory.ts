/**
 * Directory sign-in per organization in the reference model (DESIGN §2, "Organizations that enterprises can buy"):
 * an Owner signed in from a Microsoft Entra directory links it to their organization; that directory's users become
 * members on their first request to it; `requireDirectory` refuses its members signed in from anywhere else.
 * - `PUT api/tenant/directory { tid, role?, requireDirectory? }`: the admission (an Owner still reaches it under
 *   `requireDirectory`), 403 `access-denied` for a non-Owner, 400 `validation` for a bad body (a role the backend
 *   does not declare, `Owner` included), 403 `directory-not-yours` for a `tid` other than the caller's own, 403
 *   `directory-admin-required` when the caller's token carries no directory role that can consent for it (`wids`:
 *   contract/enterprise/directory.ts `DIRECTORY_CONSENT_ROLES`), 409 `directory-taken` when another organization
 *   holds that directory or this one links another; 200 the link.
 * - `GET`: Owners and Admins, 404 when none is linked; `DELETE`: an Owner, 204 (none linked too).
 * - A directory's user joins on a request naming the organization — or naming none when they belong to none, or
 *   `GET api/me/tenants` — as the link's role, once; never a person the organization barred (an Owner removed them:
 *   member-lives.ts), who stays out until an Owner invites them again (a member who left joins again).
 * - The promised window: the model is the instance that serves every request, where a link admits a user refused
 *   before it on their next request, at once. Another instance keeps an outsider's refusal for the membership
 *   cache's bound (30 s; 1 s under `atakora dev`: runtime/members/join-misses.ts), so there the join may come that
 *   much later (test/runtime/outsider-cost.test.ts); a removal holds at once everywhere it did before.
 */
import type { Principal } from './backend.js';
import { memberAdmission, organizationsOf, rolesIn } from './membership.js';
import { admitted, entered } from './member-lives.js';
import { mayLinkDirectory } from '../../model/entra-claims.js';
import type { Expected, ModelDirectory, ModelState } from './model-state.js';

const OWNER = 'Owner';

/** The organization linked to directory `tid` (one at most), if any. */
function organizationOf(s: ModelState, tid: string): string | undefined {
  for (const [org, d] of s.directories ?? new Map<string, ModelDirectory>())
    if (d.tid === tid) return org;
  return undefined;
}

/**
 * `s` after `p`'s request naming `org` (undefined: none) joined them through their directory: unchanged unless the
 * organization they act in links `p.tid`, is active and `p` is no member of it yet.
 *
 * @example
 * ```ts
 * model.state = joinByDirectory(model.state, bob, 'org-one');
 * ```
 */
export function joinByDirectory(s: ModelState, p: Principal, org: string | undefined): ModelState {
  let target = org;
  if (target === undefined) {
    if (organizationsOf(s, p.oid).length > 0) return s;
    target = organizationOf(s, p.tid);
  }
  return joinedThrough(s, p, target);
}

/**
 * `s` after `p`'s `GET api/me/tenants` ran their first join: the organization linked to their directory, whatever
 * organizations they belong to already.
 *
 * @example
 * ```ts
 * model.state = joinOwnDirectory(model.state, ada);
 * ```
 */
export function joinOwnDirectory(s: ModelState, p: Principal): ModelState {
  return joinedThrough(s, p, organizationOf(s, p.tid));
}

/** `s` with `p` a member of `target` through its linked directory, when it links theirs and admits them. */
function joinedThrough(s: ModelState, p: Principal, target: string | undefined): ModelState {
  if (target === undefined || rolesIn(s, target, p.oid)) return s;
  const linked = s.directories?.get(target);
  if (!linked || linked.tid !== p.tid || s.registry?.get(target)?.status !== 'active') return s;
  if (!admitted(s, target, p.oid, { door: 'directory' })) return s;
  const memberships = new Map(s.memberships);
  memberships.set(target, new Map(memberships.get(target) ?? []).set(p.oid, [linked.role]));
  return entered({ ...s, memberships }, target, p.oid, 'directory');
}

/** What a PUT asks: the directory (the caller's own, or another), its role and whether it is required. */
export interface DirectoryLink {
  readonly tid: string;
  readonly role?: string;
  readonly requireDirectory?: boolean;
}

/**
 * `PUT api/tenant/directory` by `p` in `org` (after {@link joinByDirectory}): the expected answer and state.
 *
 * @example
 * ```ts
 * const { expected, state } = linkDirectory(s, alice, 'org-one', { tid: alice.tid }, ['Admin', 'Member']);
 * ```
 */
export function linkDirectory(
  s: ModelState,
  p: Principal,
  org: string,
  link: DirectoryLink,
  declaredRoles: readonly string[],
): { expected: Expected; state: ModelState } {
  const a = memberAdmission(s, p, org, true);
  if (!a.ok) return { expected: a.expected, state: s };
  if (!a.as.roles.includes(OWNER))
    return { expected: { status: 403, problem: 'access-denied' }, state: s };
  const role = link.role ?? 'Member';
  if (!declaredRoles.includes(role))
    return { expected: { status: 400, problem: 'validation' }, state: s };
  if (link.tid !== p.tid)
    return { expected: { status: 403, problem: 'directory-not-yours' }, state: s };
  if (!mayLinkDirectory(p.wids ?? []))
    return { expected: { status: 403, problem: 'directory-admin-required' }, state: s };
  const holder = organizationOf(s, link.tid);
  const mine = s.directories?.get(org);
  if ((holder !== undefined && holder !== org) || (mine && mine.tid !== link.tid))
    return { expected: { status: 409, problem: 'directory-taken' }, state: s };
  const linked: ModelDirectory = {
    tid: link.tid,
    role,
    requireDirectory: link.requireDirectory ?? false,
  };
  return {
    expected: { status: 200, body: linked },
    state: { ...s, directories: new Map(s.directories).set(org, linked) },
  };
}

/**
 * `GET` (`unlink` false) or `DELETE api/tenant/directory` by `p` in `org` (after {@link joinByDirectory}).
 *
 * @example
 * ```ts
 * const { expected } = directoryOf(s, alice, 'org-one', false); // 200 { tid, role, requireDirectory }
 * ```
 */
export function directoryOf(
  s: ModelState,
  p: Principal,
  org: string,
  unlink: boolean,
): { expected: Expected; state: ModelState } {
  const a = memberAdmission(s, p, org, true);
  if (!a.ok) return { expected: a.expected, state: s };
  const allowed = unlink ? [OWNER] : [OWNER, 'Admin'];
  if (!a.as.roles.some((r) => allowed.includes(r)))
    return { expected: { status: 403, problem: 'access-denied' }, state: s };
  const linked = s.directories?.get(org);
  if (!unlink)
    return {
      expected: linked ? { status: 200, body: linked } : { status: 404, problem: 'not-found' },
      state: s,
    };
  const directories = new Map(s.directories);
  directories.delete(org);
  return { expected: { status: 204 }, state: { ...s, directories } };
}
