/**
 * Tenants by membership in the reference model (DESIGN §2, "Tenants by membership"): a tenant is an organization,
 * each request acts in the one it names (`X-Atakora-Tenant`) or the caller's only one, and role rules read the
 * membership's roles. The model-based test (test/model/members.model.test.ts) drives these beside the CRUD model:
 * a request admitted here is answered by the CRUD model as the caller *in the organization* ({@link memberAdmission}'s
 * principal: the organization as its tenant, the membership's roles as its roles — never the token's).
 * - no organization named and none or several memberships → 400 `tenant-required`;
 * - an organization named (or the only one) the caller is no member of → 403 `not-a-member`;
 * - a suspended organization → 403 `tenant-suspended` (for its members only);
 * - an organization whose linked directory is required → 403 `directory-required` for a member signed in from
 *   another directory (directory.ts; an Owner still reaches `api/tenant/directory`);
 * - organizations are created by anyone (`createTenants: 'any-user'`), the creator its Owner;
 * - an Owner or an Admin invites (only an Owner invites an Owner) someone who is no member and has no open
 *   invitation (409 `already-a-member`, `invitation-exists`); the invited person accepts once;
 * - an Owner changes roles or removes a member, a member leaves; the last Owner stays (409 `last-owner`);
 * - an invitation dies with its inviter's right to issue it: a removal or a role change revokes the open invitations
 *   that member may no longer send (410 `invitation-expired` from then on, whatever the member becomes later);
 * - with `tenants.email`, each organization's invitation e-mails (new and resent) are bounded per UTC day: past the
 *   bound, 429 `invitation-limit` and nothing is created or sent;
 * - a resend (by who may send its roles) gives a new token and voids the one before; the resender is its sender;
 * - one membership per person and organization, one way out (member-lives.ts): an Owner's removal bars the person
 *   (its open invitations to them die with it), and only an invitation an Owner sends re-admits them (403
 *   `member-barred` for another's); a member who leaves is barred from nothing;
 * - `tenants.maxOrganizationsPerUser` is counted wherever a person becomes an Owner: creating an organization, an
 *   Owner invitation accepted, a role change (409 `organization-limit`).
 */
import type { Principal } from './backend.js';
import { admitted, entered, exited } from './member-lives.js';
import type { Expected, MembershipState, ModelInvitation, ModelState } from './model-state.js';

export type { MembershipState } from './model-state.js';

const OWNER = 'Owner';
const ADMIN = 'Admin';

/** The roles of `user` in `org`, or undefined when not a member. */
export function rolesIn(s: ModelState, org: string, user: string): readonly string[] | undefined {
  return s.memberships?.get(org)?.get(user);
}

/**
 * The admission of `p` to a route of `org` that only its Owners and Admins take (API keys, agents, join requests,
 * the organization's name): {@link memberAdmission}'s refusal, else 403 `access-denied` for any other role;
 * undefined when admitted.
 *
 * @example
 * ```ts
 * const refused = managerAdmission(s, bob, 'org-one');
 * if (refused) return refused; // 403 access-denied for a Member
 * ```
 */
export function managerAdmission(s: ModelState, p: Principal, org: string): Expected | undefined {
  const a = memberAdmission(s, p, org);
  if (!a.ok) return a.expected;
  if (!a.as.roles.includes(OWNER) && !a.as.roles.includes(ADMIN))
    return { status: 403, problem: 'access-denied' };
  return undefined;
}

/** The organizations `user` belongs to, sorted. */
export function organizationsOf(s: ModelState, user: string): string[] {
  return [...(s.memberships ?? new Map<string, ReadonlyMap<string, readonly string[]>>())]
    .filter(([, members]) => members.has(user))
    .map(([org]) => org)
    .sort();
}

/**
 * Whether `p` may act in the organization a request names (`org`; undefined: none named): the principal the CRUD
 * model answers as — `tid` the organization, `roles` the membership's — or the refusal.
 *
 * @example
 * ```ts
 * const a = memberAdmission(s, eve, 'org-one');
 * if (!a.ok) return a.expected; // 403 not-a-member
 * ```
 */
export function memberAdmission(
  s: ModelState,
  p: Principal,
  org: string | undefined,
  directoryRoute = false,
):
  | { readonly ok: true; readonly as: Principal }
  | { readonly ok: false; readonly expected: Expected } {
  let tenant = org;
  if (tenant === undefined) {
    const mine = organizationsOf(s, p.oid);
    if (mine.length !== 1)
      return { ok: false, expected: { status: 400, problem: 'tenant-required' } };
    tenant = mine[0] ?? '';
  }
  const roles = rolesIn(s, tenant, p.oid);
  const record = s.registry?.get(tenant);
  if (!roles || !record) return { ok: false, expected: { status: 403, problem: 'not-a-member' } };
  if (record.status !== 'active')
    return { ok: false, expected: { status: 403, problem: 'tenant-suspended' } };
  const linked = s.directories?.get(tenant);
  if (
    linked?.requireDirectory &&
    linked.tid !== p.tid &&
    !(directoryRoute && roles.includes(OWNER))
  )
    return { ok: false, expected: { status: 403, problem: 'directory-required' } };
  return { ok: true, as: { ...p, tid: tenant, roles } };
}

function withMembers(
  s: ModelState,
  org: string,
  change: (members: Map<string, readonly string[]>) => void,
): ModelState {
  const memberships = new Map(s.memberships);
  const members = new Map(memberships.get(org) ?? []);
  change(members);
  memberships.set(org, members);
  return { ...s, memberships };
}

/**
 * `POST api/tenants { name, id: org }` by `p`: 201 and `p` its Owner, on the default plan; 409
 * `organization-limit` when `p` owns `max` organizations already (checked first: it says nothing of which ids
 * exist), 409 `conflict` when `org` exists or was erased (a tombstone).
 */
export function createOrganization(
  s: ModelState,
  p: Principal,
  org: string,
  defaultPlan: string,
  max = Infinity,
): { expected: Expected; state: ModelState } {
  if (ownedBy(s, p.oid) >= max)
    return { expected: { status: 409, problem: 'organization-limit' }, state: s };
  // An erased organization's id is a tombstone: taken like a live one's (owner-states.ts).
  if (s.registry?.has(org) || s.tombstones?.has(org))
    return { expected: { status: 409, problem: 'conflict' }, state: s };
  const registry = new Map(s.registry);
  registry.set(org, { plan: defaultPlan, status: 'active' });
  const state = withMembers({ ...s, registry }, org, (m) => m.set(p.oid, [OWNER]));
  return { expected: { status: 201 }, state: entered(state, org, p.oid, 'created') };
}

/** How many organizations `user` owns. */
function ownedBy(s: ModelState, user: string): number {
  return [...(s.memberships ?? new Map<string, ReadonlyMap<string, readonly string[]>>())].filter(
    ([, members]) => members.get(user)?.includes(OWNER),
  ).length;
}

/** Whether a member with `mine` may send an invitation for `roles` (an Owner any, an Admin all but Owner). */
function mayGrant(mine: readonly string[], roles: readonly string[]): boolean {
  return mine.includes(OWNER) || (mine.includes(ADMIN) && !roles.includes(OWNER));
}

/**
 * `POST api/tenant/invitations { email: <invitee>@example.com, roles }` by `p` in `org`: 201 and an open invitation
 * (the last of `state.invitations`), or the admission's or the rules' refusal; 409 `already-a-member` when the
 * invitee is a member, 409 `invitation-exists` when an invitation to them is still open.
 */
export function invite(
  s: ModelState,
  p: Principal,
  org: string,
  invitee: string,
  roles: readonly string[],
  perDay?: number,
): { expected: Expected; state: ModelState } {
  const a = memberAdmission(s, p, org);
  if (!a.ok) return { expected: a.expected, state: s };
  if (!mayGrant(a.as.roles, roles))
    return { expected: { status: 403, problem: 'access-denied' }, state: s };
  // Nothing passes silently: a member's address, or one with an invitation still open, is answered with a 409.
  if (rolesIn(s, org, invitee))
    return { expected: { status: 409, problem: 'already-a-member' }, state: s };
  if ((s.invitations ?? []).some((i) => i.open && i.org === org && i.invitee === invitee))
    return { expected: { status: 409, problem: 'invitation-exists' }, state: s };
  const counted = countEmail(s, org, perDay);
  if (!counted) return { expected: { status: 429, problem: 'invitation-limit' }, state: s };
  const sent: ModelInvitation = { org, inviter: p.oid, invitee, roles: [...roles], open: true };
  return {
    expected: { status: 201 },
    state: { ...counted, invitations: [...(s.invitations ?? []), sent] },
  };
}

/** `s` with one more e-mail of `org` counted, or undefined past `perDay` (no bound: `s` as it is). */
function countEmail(
  s: ModelState,
  org: string,
  perDay: number | undefined,
): ModelState | undefined {
  if (perDay === undefined) return s;
  const n = s.emailsSent?.get(org) ?? 0;
  if (n >= perDay) return undefined;
  return { ...s, emailsSent: new Map(s.emailsSent).set(org, n + 1) };
}

/**
 * `POST api/tenant/invitations/{id}/resend` of invitation `index` by `p` in its organization: 200, a new token (the
 * one before answers 410), `p` its sender; the admission's refusal, 403 `access-denied` (not an Owner or an Admin,
 * or an Admin resending an Owner invitation), 404 (not open), 429 `invitation-limit` past the day's bound.
 */
export function resend(
  s: ModelState,
  p: Principal,
  index: number,
  perDay?: number,
): { expected: Expected; state: ModelState } {
  const invitation = s.invitations?.[index];
  if (!invitation) return { expected: { status: 404, problem: 'not-found' }, state: s };
  const a = memberAdmission(s, p, invitation.org);
  if (!a.ok) return { expected: a.expected, state: s };
  if (!a.as.roles.includes(OWNER) && !a.as.roles.includes(ADMIN))
    return { expected: { status: 403, problem: 'access-denied' }, state: s };
  if (!invitation.open) return { expected: { status: 404, problem: 'not-found' }, state: s };
  if (!mayGrant(a.as.roles, invitation.roles))
    return { expected: { status: 403, problem: 'access-denied' }, state: s };
  const counted = countEmail(s, invitation.org, perDay);
  if (!counted) return { expected: { status: 429, problem: 'invitation-limit' }, state: s };
  return {
    expected: { status: 200 },
    state: {
      ...counted,
      invitations: (s.invitations ?? []).map((inv, i) =>
        i === index ? { ...inv, inviter: p.oid, resends: (inv.resends ?? 0) + 1 } : inv,
      ),
    },
  };
}

/** `state` with invitation `index` closed (used or revoked). */
function closed(s: ModelState, index: number): ModelState {
  return {
    ...s,
    invitations: (s.invitations ?? []).map((inv, i) =>
      i === index ? { ...inv, open: false } : inv,
    ),
  };
}

/**
 * After `user`'s roles in `org` became `roles` (undefined: no longer a member): the open invitations they sent that
 * they may no longer send are revoked.
 */
function revokedBeyond(
  s: ModelState,
  org: string,
  user: string,
  roles: readonly string[] | undefined,
): ModelState {
  return {
    ...s,
    invitations: (s.invitations ?? []).map((inv) =>
      inv.open && inv.org === org && inv.inviter === user && !mayGrant(roles ?? [], inv.roles)
        ? { ...inv, open: false }
        : inv,
    ),
  };
}

/**
 * `POST api/invitations/accept` of invitation `index` (of `state.invitations`) by `p` (verified email
 * `<oid>@example.com`): 201 and the membership (roles added to one `p` has), 403 `invitation-email-mismatch` for
 * anyone else, 410 `invitation-expired` once used or revoked — its inviter's removal or demotion revokes it too.
 */
export function accept(
  s: ModelState,
  p: Principal,
  index: number,
  resends = s.invitations?.[index]?.resends ?? 0,
  max = Infinity,
): { expected: Expected; state: ModelState } {
  const invitation = s.invitations?.[index];
  // A token from before a resend is void.
  if (!invitation?.open || resends !== (invitation.resends ?? 0))
    return { expected: { status: 410, problem: 'invitation-expired' }, state: s };
  if (p.oid !== invitation.invitee)
    return { expected: { status: 403, problem: 'invitation-email-mismatch' }, state: s };
  const record = s.registry?.get(invitation.org);
  if (!record)
    return { expected: { status: 410, problem: 'invitation-expired' }, state: closed(s, index) };
  if (record.status !== 'active')
    return { expected: { status: 403, problem: 'tenant-suspended' }, state: s };
  const org = invitation.org;
  // Only an invitation its sender may send as an Owner now re-admits a person an Owner or SCIM put out.
  const byOwner = rolesIn(s, org, invitation.inviter)?.includes(OWNER) === true;
  if (!admitted(s, org, p.oid, { door: 'invitation', byOwner }))
    return { expected: { status: 403, problem: 'member-barred' }, state: s };
  const had = rolesIn(s, org, p.oid);
  if (invitation.roles.includes(OWNER) && !had?.includes(OWNER) && ownedBy(s, p.oid) >= max)
    return { expected: { status: 409, problem: 'organization-limit' }, state: s };
  const joined = withMembers(closed(s, index), org, (m) =>
    m.set(p.oid, [...new Set([...(had ?? []), ...invitation.roles])]),
  );
  const state = had ? joined : entered(joined, org, p.oid, 'invitation');
  return { expected: { status: 201 }, state };
}

/**
 * `PATCH api/tenant/members/{target} { roles }` (or, `roles` undefined, `DELETE`) by `p` in `org`: 200 / 204, or the
 * admission's refusal, 403 `access-denied` (not an Owner, and not leaving), 404 (no such member), 409 `last-owner`.
 */
export function changeMember(
  s: ModelState,
  p: Principal,
  org: string,
  target: string,
  roles: readonly string[] | undefined,
  max = Infinity,
): { expected: Expected; state: ModelState } {
  const a = memberAdmission(s, p, org);
  if (!a.ok) return { expected: a.expected, state: s };
  const theirs = rolesIn(s, org, target);
  if (!theirs) return { expected: { status: 404, problem: 'not-found' }, state: s };
  const leaving = roles === undefined && target === p.oid;
  if (!a.as.roles.includes(OWNER) && !leaving)
    return { expected: { status: 403, problem: 'access-denied' }, state: s };
  const owners = [...(s.memberships?.get(org) ?? new Map())]
    .filter(([, r]) => (r as readonly string[]).includes(OWNER))
    .map(([u]) => u as string);
  const losesOwner = theirs.includes(OWNER) && !(roles ?? []).includes(OWNER);
  if (losesOwner && owners.every((o) => o === target))
    return { expected: { status: 409, problem: 'last-owner' }, state: s };
  // A handoff makes an Owner too: it counts against the organizations the member may own.
  if (roles?.includes(OWNER) && !theirs.includes(OWNER) && ownedBy(s, target) >= max)
    return { expected: { status: 409, problem: 'organization-limit' }, state: s };
  const changed = withMembers(revokedBeyond(s, org, target, roles), org, (m) => {
    if (roles === undefined) m.delete(target);
    else m.set(target, [...roles]);
  });
  if (roles !== undefined) return { expected: { status: 200 }, state: changed };
  // Out: on their own, or put out by an Owner — barred, and the invitations to them still open die.
  const state = leaving
    ? exited(changed, org, target, 'left')
    : exited(revokedTo(changed, org, target), org, target, 'removed');
  return { expected: { status: 204 }, state };
}

/** `s` with the open invitations of `org` to `invitee` closed (revoked by the removal that barred them). */
export function revokedTo(s: ModelState, org: string, invitee: string): ModelState {
  return {
    ...s,
    invitations: (s.invitations ?? []).map((inv) =>
      inv.open && inv.org === org && inv.invitee === invitee ? { ...inv, open: false } : inv,
    ),
  };
}

/** The memberships as a plain, sorted list (`org|user` → roles): what the final check compares. */
export function membershipList(m: MembershipState | undefined): [string, readonly string[]][] {
  const out: [string, readonly string[]][] = [];
  for (const [org, members] of m ?? new Map<string, ReadonlyMap<string, readonly string[]>>())
    for (const [user, roles] of members) out.push([`${org}|${user}`, [...roles].sort()]);
  return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
