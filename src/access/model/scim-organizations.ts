/**
 * An organization's deletion beside SCIM provisioning and a person's doors, in the reference model (DESIGN §2,
 * "Organizations their Owners run" and "One life per organization, person and subscription"): `DELETE api/tenant` by
 * an Owner closes the organization — every door admits nobody, its members are 403 `tenant-suspended`, SCIM is 403 —
 * with a `deleteOn` `deleteAfterDays` ahead; `POST api/tenant/undelete` by an Owner before then opens it again, its
 * memberships, SCIM users, links and bars as they were. Each move is organization-life.ts's table (model/lives), as
 * the runtime's Owner routes read it. The model-based test: test/model/scim-deletion.model.test.ts.
 */
import { organizationNext } from '../../model/lives/organization-life.js';
import { organizationDeleted, type ScimModelState, type Step } from './scim-provisioning.js';

/** One day, in ms: `tenants.deleteAfterDays` counts these. */
const DAY_MS = 86_400_000;

const answer = (s: ScimModelState, status: number, problem?: string): Step => ({
  expected: { status, ...(problem !== undefined ? { problem } : {}) },
  state: s,
});

/**
 * `DELETE api/tenant` by `by` in `org` at `now` (ms): 202 and the organization deleted until `days` ahead; 403
 * `not-a-member` outside it, 403 `tenant-suspended` once deleted (the admission), 403 `access-denied` for a non-Owner.
 *
 * @example
 * ```ts
 * deleteOrganization(s, 'ada', 'acme', now, 30).state.deleted?.get('acme'); // now + 30 days
 * ```
 */
export function deleteOrganization(
  s: ScimModelState,
  by: string,
  org: string,
  now: number,
  days: number,
): Step {
  const roles = s.members.get(org)?.get(by);
  if (!roles) return answer(s, 403, 'not-a-member');
  if (organizationDeleted(s, org)) return answer(s, 403, 'tenant-suspended');
  if (!roles.includes('Owner')) return answer(s, 403, 'access-denied');
  const moved = organizationNext({ life: 'active' }, 'owner-deletes', now);
  if (!moved.ok) return answer(s, 403, moved.refusal);
  const deleted = new Map(s.deleted).set(org, now + days * DAY_MS);
  return { expected: { status: 202 }, state: { ...s, deleted } };
}

/**
 * `POST api/tenant/undelete` naming `org`, by `by` at `now` (ms): 200 and the organization open again, everything in
 * it as it was; 403 `access-denied` to anyone not its Owner (their membership read, not the admission), 409
 * `organization-not-deleted` for an active one, 410 `organization-deletion-final` from `deleteOn` on.
 *
 * @example
 * ```ts
 * undeleteOrganization(s, 'ada', 'acme', now).expected; // { status: 200 }
 * ```
 */
export function undeleteOrganization(
  s: ScimModelState,
  by: string,
  org: string,
  now: number,
): Step {
  if (!s.members.get(org)?.get(by)?.includes('Owner')) return answer(s, 403, 'access-denied');
  const deleteOn = s.deleted?.get(org);
  const moved = organizationNext(
    { life: deleteOn === undefined ? 'active' : 'deleted', deleteOn },
    'owner-undeletes',
    now,
  );
  if (!moved.ok)
    return answer(s, moved.refusal === 'organization-deletion-final' ? 410 : 409, moved.refusal);
  const deleted = new Map(s.deleted);
  deleted.delete(org);
  return { expected: { status: 200 }, state: { ...s, deleted } };
}

/** `m` without the entries whose key is `org`'s (`org|…`), or whose value is `org` when `byValue`. */
function without<V>(m: ReadonlyMap<string, V> | undefined, org: string, byValue = false) {
  return new Map(
    [...(m ?? new Map<string, V>())].filter(([k, v]) =>
      byValue ? v !== org : !k.startsWith(`${org}|`),
    ),
  );
}

/**
 * The daily erase at `now` (ms): every organization whose deletion is due (organization-life.ts `erase-due`: deleted,
 * `deleteOn` at or before `now`) loses everything its `members` partition and global claims held — memberships,
 * the bars and the e-mails they keep, invitations, its SCIM tokens and users, its verified domains (their joins),
 * its directory link — and becomes a tombstone (`erased`): its members are nobody's, an Owner's undelete is 403
 * `access-denied`, SCIM is 401, an acceptance 410, a domain join 404, a first request 403 `not-a-member`. One
 * undeleted before `now`, or not yet due, is kept as it is. The organizations erased, sorted.
 *
 * @example
 * ```ts
 * const { state, erased } = eraseDue(s, deleteOn); // erased: ['acme']
 * ```
 */
export function eraseDue(
  s: ScimModelState,
  now: number,
): { readonly state: ScimModelState; readonly erased: readonly string[] } {
  const erased = [...(s.deleted ?? new Map<string, number>())]
    .filter(([, deleteOn]) => organizationNext({ life: 'deleted', deleteOn }, 'erase-due', now).ok)
    .map(([org]) => org)
    .sort();
  let state = s;
  for (const org of erased) {
    const members = new Map(state.members);
    members.delete(org);
    const users = new Map(state.users);
    users.delete(org);
    const deleted = new Map(state.deleted);
    deleted.delete(org);
    const directories = new Map(state.directories);
    directories.delete(org);
    const autoJoin = new Set(state.autoJoin);
    autoJoin.delete(org);
    state = {
      ...state,
      tokens: without(state.tokens, org, true),
      users,
      members,
      domains: without(state.domains, org, true),
      lives: without(state.lives, org),
      emails: without(state.emails, org),
      autoJoin,
      directories,
      invitations: without(state.invitations, org),
      invitedOn: without(state.invitedOn, org),
      deleted,
      erased: new Set(state.erased).add(org),
    };
  }
  return { state, erased };
}
