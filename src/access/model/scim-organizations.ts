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
