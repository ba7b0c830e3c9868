/**
 * Joins by verified domain in the reference model (DESIGN §2, "Organizations that enterprises can buy"), beside the
 * memberships of membership.ts:
 * - a user whose *verified* e-mail is on a domain exactly (`<user>@<domain>`; a subdomain is another domain) may join
 *   the one organization holding that domain verified with `join` `auto` (a member at once, the domain's role) or
 *   `request` (pending until an Owner or an Admin approves — the domain's role then — or declines);
 * - an unverified e-mail never joins (403 `email-not-verified`) and sees nothing to join;
 * - an organization that does not admit the caller's domain (another domain, `join: 'off'`, a domain gone
 *   unverified, no such organization) answers 404, whatever exists;
 * - a suspended organization refuses (403 `tenant-suspended`); a member gets 409 `already-a-member`, a pending
 *   requester 409 `join-request-exists`;
 * - a request whose domain no longer admits joins when approved is dropped: 410 `join-request-expired`;
 * - a person an Owner removed (member-lives.ts: barred) sees nothing to join and is refused 403 `member-barred` —
 *   joining at once, asking, or approved — until an Owner invites them again.
 */
import type { Principal } from './backend.js';
import { managerAdmission, memberAdmission, rolesIn } from './membership.js';
import { admitted, entered } from './member-lives.js';
import type { Expected, ModelDomain, ModelState } from './model-state.js';

const OWNER = 'Owner';
const key = (org: string, user: string) => `${org}|${user}`;

/** The domain of `email` (`<user>@<domain>`), lower case. */
const domainOf = (email: string): string => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/** The organization's domain that holds `domain` verified (its claim), if any. */
const holderOf = (s: ModelState, domain: string): ModelDomain | undefined =>
  [...(s.domains?.values() ?? [])].find((d) => d.domain === domain && d.verified);

/** The organization `email` may join and the domain admitting it, if any. */
function targetOf(
  s: ModelState,
  email: string,
): { org: string; domain: string; d: ModelDomain } | undefined {
  const domain = domainOf(email);
  const d = holderOf(s, domain);
  if (!d || d.join === 'off' || !s.registry?.has(d.org)) return undefined;
  return { org: d.org, domain, d };
}

/**
 * `GET api/me/joinable` by `p` (e-mail `email`, `verified` or not): 200 `{ items }` — the organization its domain
 * admits when active and `p` is not a member, with the domain, join mode, role and whether `p`'s request is pending.
 *
 * @example
 * ```ts
 * joinable(s, kim, 'kim@example.com', true).expected; // { status: 200, body: { items: [{ id: 'org-one', … }] } }
 * ```
 */
export function joinable(
  s: ModelState,
  p: Principal,
  email: string,
  verified: boolean,
): {
  expected: Expected;
  items: { id: string; domain: string; join: string; role: string; pending: boolean }[];
} {
  const t = verified ? targetOf(s, email) : undefined;
  const door = t?.d.join === 'auto' ? 'domain' : 'join-request';
  const items =
    t &&
    s.registry?.get(t.org)?.status === 'active' &&
    !rolesIn(s, t.org, p.oid) &&
    admitted(s, t.org, p.oid, { door })
      ? [
          {
            id: t.org,
            domain: t.domain,
            join: t.d.join,
            role: t.d.role,
            pending: s.joinRequests?.has(key(t.org, p.oid)) ?? false,
          },
        ]
      : [];
  return { expected: { status: 200 }, items };
}

/** `s` with `user` a member of `org` as `role` through `door` (never merged: only a non-member joins). */
function added(
  s: ModelState,
  org: string,
  user: string,
  role: string,
  door: 'domain' | 'join-request',
): ModelState {
  const memberships = new Map(s.memberships);
  memberships.set(org, new Map(memberships.get(org) ?? []).set(user, [role]));
  return entered({ ...s, memberships }, org, user, door);
}

/**
 * `POST api/tenants/{org}/join` by `p`: 201 and a member (`auto`), 202 and a pending request (`request`), or the
 * refusal — in this order: 403 `email-not-verified`, 404 (the organization does not admit the e-mail's domain), 403
 * `tenant-suspended`, 409 `already-a-member`, 403 `member-barred`, 409 `join-request-exists` — all before the seats,
 * whose 402 `seat-limit` comes last (plan-seats.ts: a pending requester asking again is never told to pay).
 *
 * @example
 * ```ts
 * const { expected, state } = join(s, kim, 'kim@example.com', true, 'org-one');
 * ```
 */
export function join(
  s: ModelState,
  p: Principal,
  email: string,
  verified: boolean,
  org: string,
): { expected: Expected; state: ModelState } {
  if (!verified) return { expected: { status: 403, problem: 'email-not-verified' }, state: s };
  const t = targetOf(s, email);
  if (!t || t.org !== org) return { expected: { status: 404, problem: 'not-found' }, state: s };
  if (s.registry?.get(org)?.status !== 'active')
    return { expected: { status: 403, problem: 'tenant-suspended' }, state: s };
  if (rolesIn(s, org, p.oid))
    return { expected: { status: 409, problem: 'already-a-member' }, state: s };
  if (!admitted(s, org, p.oid, { door: t.d.join === 'auto' ? 'domain' : 'join-request' }))
    return { expected: { status: 403, problem: 'member-barred' }, state: s };
  if (t.d.join === 'auto')
    return { expected: { status: 201 }, state: added(s, org, p.oid, t.d.role, 'domain') };
  if (s.joinRequests?.has(key(org, p.oid)))
    return { expected: { status: 409, problem: 'join-request-exists' }, state: s };
  const joinRequests = new Map(s.joinRequests).set(key(org, p.oid), t.domain);
  return { expected: { status: 202 }, state: { ...s, joinRequests } };
}

/**
 * `POST api/tenant/join-requests/{requester}/approve|decline` by `p` in `org`: the admission's refusal, 403
 * `access-denied` (neither Owner nor Admin), 404 (no pending request), then the request is gone and — declined —
 * 204; approved: 410 `join-request-expired` when its domain no longer admits joins to `org`, 409 `already-a-member`,
 * else 201 and a member with the domain's role.
 *
 * @example
 * ```ts
 * const { expected, state } = answer(s, alice, 'org-one', 'kim', true); // 201
 * ```
 */
export function answer(
  s: ModelState,
  p: Principal,
  org: string,
  requester: string,
  approve: boolean,
): { expected: Expected; state: ModelState } {
  const refused = managerAdmission(s, p, org);
  if (refused) return { expected: refused, state: s };
  const domain = s.joinRequests?.get(key(org, requester));
  if (domain === undefined) return { expected: { status: 404, problem: 'not-found' }, state: s };
  const joinRequests = new Map(s.joinRequests);
  joinRequests.delete(key(org, requester));
  const taken: ModelState = { ...s, joinRequests };
  if (!approve) return { expected: { status: 204 }, state: taken };
  const d = s.domains?.get(key(org, domain));
  if (!d?.verified || d.join === 'off')
    return { expected: { status: 410, problem: 'join-request-expired' }, state: taken };
  if (rolesIn(s, org, requester))
    return { expected: { status: 409, problem: 'already-a-member' }, state: taken };
  if (!admitted(s, org, requester, { door: 'join-request' }))
    return { expected: { status: 403, problem: 'member-barred' }, state: taken };
  return { expected: { status: 201 }, state: added(taken, org, requester, d.role, 'join-request') };
}

/**
 * `PATCH api/tenant/domains/{domain} { join, role }` by `p` in `org`: the admission's refusal, 403 `access-denied`
 * (not an Owner), 404 (not the organization's domain), else 200 and the domain's join and role set.
 *
 * @example
 * ```ts
 * const { expected, state } = setJoin(s, alice, 'org-one', 'example.com', 'auto', 'Member');
 * ```
 */
export function setJoin(
  s: ModelState,
  p: Principal,
  org: string,
  domain: string,
  joinMode: ModelDomain['join'],
  role: string,
): { expected: Expected; state: ModelState } {
  const a = memberAdmission(s, p, org);
  if (!a.ok) return { expected: a.expected, state: s };
  if (!a.as.roles.includes(OWNER))
    return { expected: { status: 403, problem: 'access-denied' }, state: s };
  const d = s.domains?.get(key(org, domain));
  if (!d) return { expected: { status: 404, problem: 'not-found' }, state: s };
  const domains = new Map(s.domains).set(key(org, domain), { ...d, join: joinMode, role });
  return { expected: { status: 200 }, state: { ...s, domains } };
}

/**
 * The fixtures the model test sets up outside the API: `domain` verified by `org` (`'taken'` when another
 * organization holds it verified: nothing changes), or — `lapse` — its TXT record gone for 3 days, so the daily
 * re-check made it unverified and released it.
 *
 * @example
 * ```ts
 * const { state } = verifiedDomain(s, 'org-one', 'example.com');
 * ```
 */
export function verifiedDomain(
  s: ModelState,
  org: string,
  domain: string,
): { outcome: 'claimed' | 'taken'; state: ModelState } {
  const held = holderOf(s, domain);
  if (held && held.org !== org) return { outcome: 'taken', state: s };
  const kept = s.domains?.get(key(org, domain));
  const domains = new Map(s.domains).set(key(org, domain), {
    org,
    domain,
    verified: true,
    join: kept?.join ?? 'off',
    role: kept?.role ?? 'Member',
  });
  return { outcome: 'claimed', state: { ...s, domains } };
}

/**
 * `s` after the daily re-check unverified `domain` (its record gone for 3 days): its holder's joins stop.
 *
 * @example
 * ```ts
 * const after = lapsed(s, 'example.com');
 * ```
 */
export function lapsed(s: ModelState, domain: string): ModelState {
  const d = holderOf(s, domain);
  if (!d) return s;
  return { ...s, domains: new Map(s.domains).set(key(d.org, domain), { ...d, verified: false }) };
}

/**
 * The pending join requests as a sorted list of `org|user` (what the final check compares).
 *
 * @example
 * ```ts
 * joinRequestList(s); // ['org-one|mal']
 * ```
 */
export function joinRequestList(s: ModelState): string[] {
  return [...(s.joinRequests?.keys() ?? [])].sort();
}
