/**
 * The people's doors beside SCIM provisioning in the reference model (scim-provisioning.ts; DESIGN §2, "One life per
 * organization, person and subscription"): a person comes into an organization through its linked directory's
 * first request, SCIM's link on sign-in, its verified domain's auto-join or an accepted invitation, and goes out by
 * an Owner's removal, by leaving or by SCIM — each door asking the one life (model/lives/membership-life.ts through
 * `standsOutside`): whom an Owner removed or SCIM deprovisioned, no door lets back in but an Owner's invitation or
 * SCIM's re-activation.
 */
import { enter, type MembershipLife } from '../../model/lives/membership-life.js';
import {
  barNames,
  instantOf,
  joined,
  lifeKey,
  type ModelPerson,
  namedByDirectory,
  type ModelScimUser,
  organizationDeleted,
  revokedTo,
  type ScimModelState,
  type Step,
  standsOutside,
  verifiedEmail,
  withExit,
  withMember,
} from './scim-provisioning.js';

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();
const refused = (s: ScimModelState, status: number, problem?: string): Step => ({
  expected: { status, ...(problem !== undefined ? { problem } : {}) },
  state: s,
});

/**
 * `s` after `p`'s first request to `org` joined them through the directory it links (theirs), when it admits them:
 * SCIM decides for the people it provisions — an active user of `org` naming them is linked and admits them
 * through SCIM (not a second identity beside it), one only inactive keeps them out ({@link standsOutside}).
 */
function throughDirectory(
  s: ScimModelState,
  p: ModelPerson,
  org: string,
): ScimModelState | undefined {
  if (p.tid === undefined || s.directories?.get(org) !== p.tid) return undefined;
  // An organization its Owner deleted admits nobody through its directory (SCIM's link still runs: {@link requestAs}).
  if (organizationDeleted(s, org)) return undefined;
  if (!standsOutside(s, org, p, 'directory')) return undefined;
  const scim = throughScim(s, p, [org]);
  return scim.member === org ? scim.state : joined(s, org, p, 'directory');
}

/** One active user that matches `p` on sign-in: its organization and userName. */
type Candidate = readonly [org: string, userName: string];

/**
 * The active users of `orgs` that match `p` on sign-in, in the order the runtime tries them: by their verified e-mail
 * in the organization that verified its domain, then by externalId (their object id) or userName (their user
 * principal name) in the organizations linking their directory — each unlinked, or linked to `p` already.
 */
function candidates(s: ScimModelState, p: ModelPerson, orgs: readonly string[]): Candidate[] {
  const email = verifiedEmail(p);
  const holder = email ? s.domains.get(domainOf(email)) : undefined;
  const open = (u: ModelScimUser) => u.active && (u.linked === undefined || u.linked === p.oid);
  const usersOf = (org: string) => [...(s.users.get(org) ?? new Map<string, ModelScimUser>())];
  const byEmail: Candidate[] =
    holder !== undefined && email !== undefined && orgs.includes(holder)
      ? usersOf(holder)
          .filter(([name, u]) => name === email && open(u))
          .map(([name]) => [holder, name] as const)
      : [];
  const byObject: Candidate[] = orgs
    .filter((org) => p.tid !== undefined && s.directories?.get(org) === p.tid)
    .flatMap((org) =>
      usersOf(org)
        .filter(([name, u]) => namedByDirectory(s, org, p, name, u) && open(u))
        .map(([name]) => [org, name] as const),
    );
  return [...byEmail, ...byObject];
}

/**
 * `s` after SCIM's link on `p`'s sign-in, over `orgs`: each matching user, in order, linked to them (also when they
 * are barred: the link is who they are) until one admits them — a member already there, or one through SCIM unless
 * barred. `member`: the organization they are a member of through it, if any.
 */
function throughScim(
  s: ScimModelState,
  p: ModelPerson,
  orgs: readonly string[],
): { state: ScimModelState; member?: string } {
  let state = s;
  const seen = new Set<string>();
  for (const [org, name] of candidates(s, p, orgs)) {
    const u = state.users.get(org)?.get(name);
    // The same user found twice (e-mail and externalId): the runtime's second try finds it changed.
    if (!u || seen.has(`${org}|${name}`)) continue;
    seen.add(`${org}|${name}`);
    const users = new Map(state.users);
    users.set(org, new Map(users.get(org) ?? []).set(name, { ...u, linked: p.oid }));
    state = { ...state, users };
    if (state.members.get(org)?.has(p.oid)) return { state, member: org };
    // Linked, never a member of an organization its Owner deleted: the next user is tried (scim-link.ts).
    if (organizationDeleted(state, org)) continue;
    if (standsOutside(state, org, p, 'scim'))
      return { state: joined(state, org, p, 'scim'), member: org };
  }
  return { state };
}

/**
 * A request of `p` acting in `org` (`GET api/tenant` naming it): 200 for a member — their first request joins them
 * through the directory the organization links (theirs), else through SCIM's link — else 403 `not-a-member`. In an
 * organization its Owner deleted a member is 403 `tenant-suspended` and a first request joins nobody (403
 * `not-a-member`; SCIM's link of their user is still written — who they are — as scim-link.ts writes it).
 *
 * @example
 * ```ts
 * const { expected, state } = requestAs(s, kim, 'acme'); // 200, kim a member through SCIM
 * ```
 */
export function requestAs(s: ScimModelState, p: ModelPerson, org: string): Step {
  if (s.members.get(org)?.has(p.oid))
    return organizationDeleted(s, org)
      ? refused(s, 403, 'tenant-suspended')
      : { expected: { status: 200 }, state: s };
  const directory = throughDirectory(s, p, org);
  if (directory) return { expected: { status: 200 }, state: directory };
  const scim = throughScim(s, p, [org]);
  if (scim.member !== undefined) return { expected: { status: 200 }, state: scim.state };
  return refused(scim.state, 403, 'not-a-member');
}

/**
 * `GET api/me/tenants` by `p`: their first join runs — the organization linking their directory, else the first
 * organization whose SCIM links them — then the organizations they belong to, sorted.
 *
 * @example
 * ```ts
 * const { orgs, state } = mine(s, kim); // orgs: ['acme']
 * ```
 */
export function mine(
  s: ScimModelState,
  p: ModelPerson,
  orgs: readonly string[],
): { readonly orgs: string[]; readonly state: ScimModelState } {
  const linking = [...(s.directories ?? new Map<string, string>())].find(
    ([, tid]) => tid === p.tid,
  );
  const org = linking?.[0];
  // Their directory's organization first (a member there already: nothing more to join), else SCIM's link.
  const next =
    org !== undefined && s.members.get(org)?.has(p.oid)
      ? s
      : ((org !== undefined ? throughDirectory(s, p, org) : undefined) ??
        throughScim(s, p, orgs).state);
  return {
    orgs: [...next.members]
      .filter(([, m]) => m.has(p.oid))
      .map(([o]) => o)
      .sort(),
    state: next,
  };
}

/**
 * `POST api/tenants/{org}/join` by `p` (the organization's verified domain with `join: 'auto'`): 403
 * `email-not-verified`, 404 `not-found` (its domain does not admit the e-mail — an erased organization's: its domains went
 * with it), 409 `already-a-member`, 403 `member-barred`,
 * else 201 a member through the domain.
 *
 * @example
 * ```ts
 * joinByDomain(s, kim, 'acme').expected; // { status: 201 }
 * ```
 */
export function joinByDomain(s: ScimModelState, p: ModelPerson, org: string): Step {
  const email = verifiedEmail(p);
  if (email === undefined) return refused(s, 403, 'email-not-verified');
  if (s.domains.get(domainOf(email)) !== org || !s.autoJoin?.has(org))
    return refused(s, 404, 'not-found');
  if (organizationDeleted(s, org)) return refused(s, 403, 'tenant-suspended');
  if (s.members.get(org)?.has(p.oid)) return refused(s, 409, 'already-a-member');
  if (!standsOutside(s, org, p, 'domain')) return refused(s, 403, 'member-barred');
  return { expected: { status: 201 }, state: joined(s, org, p, 'domain') };
}

/**
 * `DELETE api/tenant/members/{oid}` by `by` in `org`: a member leaving (their own id: outside), or an Owner removing
 * one (barred, the invitations to them closed); 403 `access-denied` for anyone else, 404 for a non-member, 409
 * `last-owner`.
 *
 * @example
 * ```ts
 * removeMember(s, 'ada', 'acme', 'kim').expected; // { status: 204 }
 * ```
 */
export function removeMember(s: ScimModelState, by: string, org: string, oid: string): Step {
  const roles = s.members.get(org)?.get(by);
  if (!roles) return refused(s, 403, 'not-a-member');
  if (organizationDeleted(s, org)) return refused(s, 403, 'tenant-suspended');
  const theirs = s.members.get(org)?.get(oid);
  if (!theirs) return refused(s, 404, 'not-found');
  const leaving = by === oid;
  if (!leaving && !roles.includes('Owner')) return refused(s, 403, 'access-denied');
  const others = [...(s.members.get(org) ?? new Map<string, readonly string[]>())].filter(
    ([o, r]) => o !== oid && r.includes('Owner'),
  );
  if (theirs.includes('Owner') && others.length === 0) return refused(s, 409, 'last-owner');
  const email = s.emails?.get(lifeKey(org, oid));
  const out = withExit(s, org, oid, leaving ? 'left' : 'removed');
  return { expected: { status: 204 }, state: leaving ? out : revokedTo(out, org, email) };
}

/**
 * `POST api/tenant/invitations { email: p.email, roles: ['Member'] }` by `by` (an Owner or an Admin of `org`): 201
 * and an open invitation, 409 `already-a-member` (a member joined with that e-mail), 409 `invitation-exists`.
 *
 * @example
 * ```ts
 * invite(s, 'ada', 'acme', kim).expected; // { status: 201 }
 * ```
 */
export function invite(s: ScimModelState, by: string, org: string, p: ModelPerson): Step {
  const roles = s.members.get(org)?.get(by);
  if (!roles) return refused(s, 403, 'not-a-member');
  if (organizationDeleted(s, org)) return refused(s, 403, 'tenant-suspended');
  if (!roles.includes('Owner') && !roles.includes('Admin')) return refused(s, 403, 'access-denied');
  const email = p.email.toLowerCase();
  const member = [...(s.members.get(org)?.keys() ?? [])].some(
    (oid) => s.emails?.get(lifeKey(org, oid)) === email,
  );
  if (member) return refused(s, 409, 'already-a-member');
  if (s.invitations?.has(lifeKey(org, email))) return refused(s, 409, 'invitation-exists');
  return {
    expected: { status: 201 },
    state: {
      ...s,
      invitations: new Map(s.invitations).set(lifeKey(org, email), by),
      invitedOn: new Map(s.invitedOn).set(lifeKey(org, email), instantOf(s)),
    },
  };
}

/**
 * `POST api/invitations/accept` by `p` of the open invitation of `org` to their e-mail: 410 (none open), 403
 * `invitation-email-mismatch` (their token proves no such e-mail), 403 `member-barred` (put out, and its sender is
 * no Owner now: it stays open), else 201 — a member through the invitation, their bar lifted.
 *
 * @example
 * ```ts
 * accept(s, kim, 'acme').expected; // { status: 201 }
 * ```
 */
export function accept(s: ScimModelState, p: ModelPerson, org: string): Step {
  const key = lifeKey(org, p.email.toLowerCase());
  const sender = s.invitations?.get(key);
  if (sender === undefined) return refused(s, 410, 'invitation-expired');
  if (verifiedEmail(p) === undefined) return refused(s, 403, 'invitation-email-mismatch');
  if (organizationDeleted(s, org)) return refused(s, 403, 'tenant-suspended');
  const invitations = new Map(s.invitations);
  invitations.delete(key);
  const sentOn = s.invitedOn?.get(key);
  const invitedOn = new Map(s.invitedOn);
  invitedOn.delete(key);
  if (s.members.get(org)?.has(p.oid))
    return { expected: { status: 201 }, state: { ...s, invitations, invitedOn } };
  const byOwner = s.members.get(org)?.get(sender)?.includes('Owner') === true;
  const entry = {
    door: 'invitation',
    byOwner,
    ...(sentOn !== undefined ? { sentOn } : {}),
  } as const;
  if (!enter(lifeAt(s, org, p), entry).ok) return refused(s, 403, 'member-barred');
  const lifted = withMember(s, org, p.oid, undefined, { state: 'outside' });
  return {
    expected: { status: 201 },
    state: joined(
      unbarredByEmail({ ...lifted, invitations, invitedOn }, org, p),
      org,
      p,
      'invitation',
    ),
  };
}

/**
 * Where `p` stands in `org` as an invitation asks: the latest bar naming them (their object id, or the verified
 * e-mail a bar keeps) with its time, else barred without a time when the organization's SCIM holds them only as
 * inactive, else outside.
 */
function lifeAt(s: ScimModelState, org: string, p: ModelPerson): MembershipLife {
  const names = barNames(s, org, p);
  const kept = (k: string) => names.includes(s.emails?.get(k) ?? '');
  const bars = [...(s.lives ?? new Map<string, MembershipLife>())].filter(
    ([k, life]) =>
      life.state === 'barred' &&
      (k === lifeKey(org, p.oid) || (k.startsWith(`${org}|`) && kept(k))),
  );
  const latest = bars
    .map(([, life]) => life)
    .sort((a, b) =>
      (b.state === 'barred' ? (b.since ?? '') : '').localeCompare(
        a.state === 'barred' ? (a.since ?? '') : '',
      ),
    )[0];
  if (latest) return latest;
  return standsOutside(s, org, p, 'invitation')
    ? { state: 'outside' }
    : { state: 'barred', by: 'deprovisioned' };
}

/**
 * `s` with the bars of `org` that keep `p`'s verified e-mail — or, while `org` links their directory, their user
 * principal name — lifted (another account of theirs, or a DELETE's bar on their name: re-admitted).
 */
function unbarredByEmail(s: ScimModelState, org: string, p: ModelPerson): ScimModelState {
  const names = barNames(s, org, p);
  let next = s;
  for (const [k, life] of s.lives ?? new Map<string, MembershipLife>())
    if (
      life.state === 'barred' &&
      k.startsWith(`${org}|`) &&
      names.includes(s.emails?.get(k) ?? '')
    )
      next = withMember(next, org, k.slice(org.length + 1), undefined, { state: 'outside' });
  return next;
}

/**
 * `PUT api/tenant/directory { tid }` by the Owner `by` of `org`, their directory's administrator: 200 and the link
 * (their directory's users join on their first request); `DELETE` (`tid` undefined): 204, unlinked; 403
 * `tenant-suspended` once deleted, `not-a-member` once erased.
 *
 * @example
 * ```ts
 * linkDirectory(s, 'acme', 'home-dir').expected; // { status: 200 }
 * ```
 */
export function linkDirectory(s: ScimModelState, org: string, tid: string | undefined): Step {
  // An erased organization's Owner is no member of it (its memberships went with it).
  if (s.erased?.has(org)) return refused(s, 403, 'not-a-member');
  if (organizationDeleted(s, org)) return refused(s, 403, 'tenant-suspended');
  const directories = new Map(s.directories);
  if (tid === undefined) directories.delete(org);
  else directories.set(org, tid);
  return { expected: { status: tid === undefined ? 204 : 200 }, state: { ...s, directories } };
}
