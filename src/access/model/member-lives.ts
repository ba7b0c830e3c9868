/**
 * A person's membership life in the reference model (DESIGN §2, "One life per organization, person and
 * subscription"): the doors of membership.ts, joins.ts and directory.ts read it from model/lives/membership-life.ts
 * — the one table the runtime's doors ask too — and keep each person's life per organization in
 * `ModelState.lives` (`org|user` → member through a door, or barred; absent: outside).
 * - every door admits a person outside; a member is no one's to admit again;
 * - an Owner's removal or SCIM's deprovisioning bars them: no domain join, join request or directory's first request
 *   admits them, until an Owner's invitation (accepted) or SCIM's re-activation;
 * - a member who leaves is outside again: every door admits them as anyone.
 */
import {
  type BarredBy,
  enter,
  leave,
  lifeOf,
  type MembershipDoor,
  type MembershipEntry,
  type MembershipExit,
  type MembershipLife,
} from '../../model/lives/membership-life.js';
import type { ModelState } from './model-state.js';

const key = (org: string, user: string) => `${org}|${user}`;
const OUTSIDE: MembershipLife = { state: 'outside' };

/**
 * `user`'s life in `org`: outside when the organization is gone (an erased organization's lives went with it).
 *
 * @example
 * ```ts
 * lifeIn(s, 'org-one', 'bob'); // { state: 'member', via: 'invitation' }
 * ```
 */
export function lifeIn(s: ModelState, org: string, user: string): MembershipLife {
  if (!s.registry?.has(org)) return OUTSIDE;
  const life = s.lives?.get(key(org, user));
  if (life?.state === 'member' && !s.memberships?.get(org)?.has(user)) return OUTSIDE;
  return life ?? (s.memberships?.get(org)?.has(user) ? lifeOf({}, undefined) : OUTSIDE);
}

/** `s` with `user`'s life in `org` set (outside: forgotten). */
function withLife(s: ModelState, org: string, user: string, life: MembershipLife): ModelState {
  const lives = new Map(s.lives);
  if (life.state === 'outside') lives.delete(key(org, user));
  else lives.set(key(org, user), life);
  return { ...s, lives };
}

/**
 * Whether `entry` admits `user` into `org` (model/lives/membership-life.ts `enter`, a member aside: each door answers
 * that its own way first).
 *
 * @example
 * ```ts
 * if (!admitted(s, 'org-one', 'bob', { door: 'domain' })) return { status: 403, problem: 'member-barred' };
 * ```
 */
export function admitted(
  s: ModelState,
  org: string,
  user: string,
  entry: MembershipEntry,
): boolean {
  const life = lifeIn(s, org, user);
  return life.state === 'member' || enter(life, entry).ok;
}

/**
 * `s` after `user` came into `org` through `door` (a bar they passed is lifted).
 *
 * @example
 * ```ts
 * const next = entered(s, 'org-one', 'kim', 'domain');
 * ```
 */
export function entered(
  s: ModelState,
  org: string,
  user: string,
  door: MembershipDoor,
): ModelState {
  return withLife(s, org, user, { state: 'member', via: door });
}

/**
 * `s` after `user` went out of `org` by `exit` (removed, deprovisioned: barred; left: outside).
 *
 * @example
 * ```ts
 * const next = exited(s, 'org-one', 'bob', 'removed');
 * ```
 */
export function exited(s: ModelState, org: string, user: string, exit: MembershipExit): ModelState {
  const life = lifeIn(s, org, user);
  const after = leave(life.state === 'member' ? life : lifeOf({}, undefined), exit);
  return withLife(s, org, user, after);
}

/**
 * The people barred from each organization still there, sorted `org|user by` (what the final check compares with
 * the runtime's bars).
 *
 * @example
 * ```ts
 * barList(s); // ['org-one|bob removed']
 * ```
 */
export function barList(s: ModelState): string[] {
  return [...(s.lives ?? new Map<string, MembershipLife>())]
    .filter(([k, l]) => l.state === 'barred' && s.registry?.has(k.split('|')[0] ?? ''))
    .map(([k, l]) => `${k} ${(l as { by: BarredBy }).by}`)
    .sort();
}

/**
 * The door each member came in by, sorted `org|user via` (what the final check compares with the member items'
 * `via`).
 *
 * @example
 * ```ts
 * viaList(s); // ['org-one|alice created', 'org-one|bob invitation']
 * ```
 */
export function viaList(s: ModelState): string[] {
  const out: string[] = [];
  for (const [org, members] of s.memberships ?? new Map<string, ReadonlyMap<string, unknown>>())
    for (const user of members.keys()) {
      const life = lifeIn(s, org, user);
      if (life.state === 'member') out.push(`${org}|${user} ${life.via}`);
    }
  return out.sort();
}
