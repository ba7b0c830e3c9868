/**
 * The agent grant's life through the exits the membership routes do not hold, in the reference model (DESIGN §2,
 * "Agents that sign in to an organization" and "One life per organization, person and subscription"): SCIM's
 * deprovisioning and re-activation of the person, and the daily erase of an organization its Owner deleted — pure
 * answers over {@link ModelState}, beside agent-grants.ts (whose `grantsFollowMembers` every step ends with, so a
 * grant dies with the membership it stood on), as test/model/agents.model.test.ts drives them:
 * - SCIM of an organization: 401 once it is erased (its tokens went with it), 403 while it is not active (deleted by
 *   its Owner, suspended), 402 on a plan without `scim` (its feature), else served;
 * - a user made inactive (`PATCH active false`) or deleted deprovisions the member whose address is its `userName`:
 *   removed and barred, their open invitations revoked — the last Owner stays (409 `last-owner`, the user unchanged);
 *   a person it names who is no member is barred too. Their grants die with the membership;
 * - a user made active again, or provisioned anew, lifts the bar and admits nobody (the user is linked to no one):
 *   the person is outside; an Owner's invitation then makes a **new** membership, on which no grant of the old one
 *   stands — the old grant never comes back, the person connects the agent again;
 * - an Owner's delete refuses the organization's grants (refresh `invalid_grant`, access token 403
 *   `tenant-suspended`), an undelete before `deleteOn` serves them again as they were (nothing of them changed:
 *   organization-life.ts's `deleted` is a place an Owner comes back from);
 * - the erase at or after `deleteOn` (owner-states.ts `eraseDue`): the memberships, invitations and record gone, a
 *   tombstone — every grant of it dies with its membership (refresh `invalid_grant`, access token 401
 *   `agent-token-invalid`), and the undelete after it is 403 `access-denied` (its Owner's membership went too).
 */
import { reactivate } from '../../model/lives/membership-life.js';
import { featuresOf } from '../../model/plans/plan-features.js';
import type { AgentServer } from './agent-grants.js';
import { lifeIn, exited } from './member-lives.js';
import { revokedTo, rolesIn } from './membership.js';
import type { Expected, ModelState } from './model-state.js';
import { eraseDue } from './owner-states.js';

const OWNER = 'Owner';

/** A step's answer and the state after it. */
export interface Moved {
  readonly expected: Expected;
  readonly state: ModelState;
}

/**
 * Why SCIM of `org` is refused now (its status), or undefined when it is served: 401 erased, 403 not active, 402 a
 * plan without `scim`.
 *
 * @example
 * ```ts
 * scimRefusal(s, server, 'acme'); // undefined
 * ```
 */
export function scimRefusal(s: ModelState, server: AgentServer, org: string): number | undefined {
  const record = s.registry?.get(org);
  if (!record || s.tombstones?.has(org)) return 401;
  if (record.status !== 'active' || record.deleteOn !== undefined) return 403;
  return featuresOf(server.plans[record.plan], server.plans).has('scim') ? undefined : 402;
}

/** What SCIM did to a person's user: made it `active` or not (deleted counts as not), served with `status`. */
export interface ScimUserChange {
  readonly active: boolean;
  /** The answer that serves it: 200 a PATCH, 201 a provisioning (`POST`, active), 204 a delete. */
  readonly status: number;
}

/**
 * SCIM's user of `org` whose `userName` is `user`'s address changed, or SCIM's refusal (scimRefusal) with nothing
 * changed. Made inactive (`PATCH active false`) or deleted: `user` out and barred (`deprovisioned`), the invitations
 * still open to them revoked; 409 for the last Owner, nothing changed. Made active (`PATCH active true`) or
 * provisioned: a bar of theirs lifted; nobody admitted.
 *
 * @example
 * ```ts
 * const off = scimUserSet(s, server, 'acme', 'bob', { active: false, status: 200 });
 * off.state.memberships?.get('acme')?.has('bob'); // false
 * scimUserSet(s, server, 'acme', 'bob', { active: true, status: 201 }).expected; // { status: 201 }
 * ```
 */
export function scimUserSet(
  s: ModelState,
  server: AgentServer,
  org: string,
  user: string,
  change: ScimUserChange,
): Moved {
  const refused = scimRefusal(s, server, org);
  if (refused !== undefined) return { expected: { status: refused }, state: s };
  return (change.active ? reactivated : deprovisioned)(s, org, user, change.status);
}

/** `user` out of `org` and barred, their open invitations revoked; 409 for the last Owner. */
function deprovisioned(s: ModelState, org: string, user: string, status: number): Moved {
  const roles = rolesIn(s, org, user);
  const owners = [...(s.memberships?.get(org) ?? new Map<string, readonly string[]>())].filter(
    ([, r]) => r.includes(OWNER),
  );
  if (roles?.includes(OWNER) && owners.every(([u]) => u === user))
    return { expected: { status: 409 }, state: s };
  const memberships = new Map(s.memberships);
  const members = new Map(memberships.get(org));
  members.delete(user);
  memberships.set(org, members);
  const out = revokedTo({ ...s, memberships }, org, user);
  return { expected: { status }, state: exited(out, org, user, 'deprovisioned') };
}

/** A bar of `user`'s in `org` lifted; nobody admitted. */
function reactivated(s: ModelState, org: string, user: string, status: number): Moved {
  const life = lifeIn(s, org, user);
  if (life.state !== 'barred') return { expected: { status }, state: s };
  const lives = new Map(s.lives);
  if (reactivate(life).state === 'outside') lives.delete(`${org}|${user}`);
  return { expected: { status }, state: { ...s, lives } };
}

/**
 * The daily erase at `now` (ms) over the agents' state: owner-states.ts `eraseDue` (the model holds no items), the
 * organizations erased sorted.
 *
 * @example
 * ```ts
 * const { state, erased } = erasedAt(s, now); // erased: ['acme']
 * ```
 */
export function erasedAt(
  s: ModelState,
  now: number,
): { readonly state: ModelState; readonly erased: readonly string[] } {
  return eraseDue({ entities: [], multi: true }, s, now);
}
