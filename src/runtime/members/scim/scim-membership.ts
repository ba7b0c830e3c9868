import type { HttpResponseInit } from '@azure/functions';
import { type Membership, OWNER_ROLE } from '../../../contract/members.js';
import { recordAudit } from '../../audit/record-audit.js';
import { plainRequest } from '../../http/plain-request.js';
import { revokeSentTo } from '../invitation-lifecycle.js';
import { removeMember, updateMember } from '../member-operations.js';
import { auditActor, nowOf } from '../members-api.js';
import { SCIM_ACTOR, type ScimApi, scimActor } from './scim-api.js';
import { matchEmailsOf, type ScimUser } from './scim-items.js';
import { isFull, type SeatsFull, seatFreed, seatLimitOf, seatMember } from '../seats/seats.js';
import { asScim } from './scim-response.js';
import {
  admits,
  admittedMembership,
  barAddresses,
  barredMeanwhile,
  unbar,
} from '../life/member-life.js';
import { linkedDirectoryOf } from './linked-directory.js';
import { closedMeanwhile, organizationOpen } from '../life/organization-open.js';

/** The role a provisioned user holds outside every role group: `Member` when declared, else the last declared. */
export function defaultRole(api: ScimApi): string {
  const roles = api.membership.roles;
  return roles.includes('Member') ? 'Member' : (roles[roles.length - 1] ?? 'Member');
}

/**
 * The roles a provisioned user's groups grant: each group whose `displayName` equals a declared role (never
 * `Owner`: ownership is given in the app, by an Owner), else the default role.
 *
 * @example
 * ```ts
 * await groupRoles(api, 'acme', scimUserId); // ['Admin']
 * ```
 */
export async function groupRoles(
  api: ScimApi,
  tenant: string,
  scimUserId: string,
): Promise<string[]> {
  const declared = api.membership.roles;
  const names = (await api.scim.groupsOf(tenant, scimUserId)).map((g) => g.displayName);
  const granted = declared.filter((r) => r !== OWNER_ROLE && names.includes(r));
  return granted.length > 0 ? granted : [defaultRole(api)];
}

/**
 * The members of `user`'s organization SCIM names with it, however they joined (DESIGN §2): the person it is linked
 * to (`userId`), the member whose verified e-mail is its `userName`, or one of its `emails` on a domain the
 * organization verified, and — when the organization links a directory — the member whose object id is its
 * `externalId`.
 *
 * @example
 * ```ts
 * await personsOf(api, user); // ['u-kim']
 * ```
 */
export async function personsOf(api: ScimApi, user: ScimUser): Promise<string[]> {
  const tenant = user.tenant;
  const found = new Set<string>(user.userId !== undefined ? [user.userId] : []);
  const addresses = await addressesOf(api, user);
  for (const m of (await api.store.membersWithEmails?.(tenant, addresses)) ?? [])
    found.add(m.userId);
  for (const x of await directoryObjectsOf(api, user))
    if (await api.store.read(tenant, x)) found.add(x);
  return [...found];
}

/**
 * The object id `user` names a person by in its organization's linked directory: its `externalId` when the
 * organization links one (DESIGN §2: "`externalId` = their object id in the linked directory"), else none.
 *
 * @example
 * ```ts
 * await directoryObjectsOf(api, user); // ['0b6f2c1e-…']
 * ```
 */
export async function directoryObjectsOf(api: ScimApi, user: ScimUser): Promise<string[]> {
  const x = user.externalId;
  if (x === undefined) return [];
  return linkedDirectoryOf((await api.admin.read(user.tenant))?.record) !== undefined ? [x] : [];
}

/**
 * The addresses by which `user` names a person (lower case): its `userName` when it is an address, and those of its
 * `emails` on a domain the organization verified.
 *
 * @example
 * ```ts
 * await addressesOf(api, user); // ['kim@contoso.com']
 * ```
 */
export async function addressesOf(api: ScimApi, user: ScimUser): Promise<string[]> {
  const verified = new Set(
    ((await api.domains?.list(user.tenant)) ?? [])
      .filter((d) => d.status === 'verified')
      .map((d) => d.domain),
  );
  const name = user.userName.trim().toLowerCase();
  return matchEmailsOf(user).filter(
    (e) => e === name || verified.has(e.slice(e.lastIndexOf('@') + 1)),
  );
}

/**
 * The people SCIM names with `user` lose their membership: each of {@link personsOf} removed through the membership
 * operations' own removal (member-operations.ts `removeMember`, acting as the SCIM token) — barred first
 * (model/lives/membership-life.ts: no domain, join request or directory re-admits them until SCIM re-activates them
 * or an Owner invites them), refused at once on this instance, their realtime connections to the organization
 * closed, their open invitations revoked, `member.removed` recorded `via: 'scim'`. Nobody to remove: undefined. The
 * last Owner stays (the removal's 409 `last-owner`).
 *
 * @example
 * ```ts
 * const refused = await deprovision(api, tokenId, user);
 * if (refused) return refused;
 * ```
 */
export async function deprovision(
  api: ScimApi,
  tokenId: string,
  user: ScimUser,
): Promise<HttpResponseInit | undefined> {
  const refused = await removeNamed(api, tokenId, user);
  if (refused) return refused;
  const addresses = await addressesOf(api, user);
  // Bars from the user's own state, then a second look: a door whose membership landed after the first look is
  // found now, and one landing later finds the bar when it re-asks the life (member-life.ts `barredMeanwhile`).
  await barAddresses(api, user.tenant, addresses, await directoryObjectsOf(api, user));
  const again = await removeNamed(api, tokenId, user);
  if (again) return again;
  // The invitations still open to the addresses it names die too, member or not: an invitation sent before a
  // deprovisioning never re-admits (model/lives/membership-life.ts) — only an Owner's new one does.
  for (const address of addresses) await revokeSentTo(api, user.tenant, address);
  return undefined;
}

/**
 * Each member {@link personsOf} finds removed (acting as the SCIM token: deprovisioned, barred by the removal), or the
 * refusal of one (409 `last-owner`); undefined once none is left.
 *
 * @example
 * ```ts
 * const refused = await removeNamed(api, tokenId, user);
 * ```
 */
export async function removeNamed(
  api: ScimApi,
  tokenId: string,
  user: ScimUser,
): Promise<HttpResponseInit | undefined> {
  for (const userId of await personsOf(api, user)) {
    const removed = await removeMember(api, scimActor(tokenId), user.tenant, userId);
    if (removed.status !== 204 && removed.status !== 404) return removed;
  }
  return undefined;
}

/**
 * What SCIM's write of a user does to the people it names, before the write is stored: a user made inactive
 * (`active: false`, or provisioned inactive) deprovisions them ({@link deprovision}) — by its names before the write
 * and, when the same write renames it, by its new ones too; access ends before SCIM's view changes, so a failed
 * removal leaves it unchanged, to retry. `before`: the user as it was (undefined: new).
 *
 * @example
 * ```ts
 * const refused = await beforeProvisioned(api, tokenId, found.value, next);
 * if (refused) return refused;
 * ```
 */
export async function beforeProvisioned(
  api: ScimApi,
  tokenId: string,
  before: ScimUser | undefined,
  after: ScimUser,
): Promise<HttpResponseInit | undefined> {
  const deactivated = !after.active && (before === undefined || before.active);
  if (!deactivated) return undefined;
  const refused = await deprovision(api, tokenId, before ?? after);
  if (refused || before === undefined || !renamed(before, after)) return refused;
  // Renamed in the same write (one PATCH of `userName`/`emails` and `active: false`): whom the new name names is put
  // out too — its addresses barred, its invitations revoked — as the rename then the deactivation would.
  return deprovision(api, tokenId, after);
}

/** Whether a write changes the names by which a user names a person (`userName`, the e-mails it matches). */
const renamed = (a: ScimUser, b: ScimUser): boolean =>
  a.userName.trim().toLowerCase() !== b.userName.trim().toLowerCase() ||
  matchEmailsOf(a).join('\n') !== matchEmailsOf(b).join('\n');

/**
 * What SCIM's write of a user does once it is stored: a user made active — provisioned, or re-activated — lifts the
 * bars of the people it names (model/lives/membership-life.ts `reactivate`: SCIM re-admits who SCIM put out); an
 * active, linked user's membership is then made what its groups say ({@link grant}).
 *
 * @example
 * ```ts
 * await afterProvisioned(api, tokenId, found.value, stored.value);
 * ```
 */
export async function afterProvisioned(
  api: ScimApi,
  tokenId: string,
  before: ScimUser | undefined,
  after: ScimUser,
): Promise<void> {
  if (!after.active) {
    // Looked for again once stored inactive: a door in flight whose membership landed after the first look
    // (beforeProvisioned) is found now, and one landing later sees the inactive user when it re-asks the life
    // (member-life.ts `barredMeanwhile`) — a deactivation racing a door ends with the person out.
    if (before === undefined || before.active) await removeNamed(api, tokenId, after);
    return;
  }
  if (before === undefined || !before.active) {
    const emails = matchEmailsOf(after);
    const ids = [after.userId, after.externalId].filter((id) => id !== undefined);
    for (const id of ids.length > 0 ? ids : [undefined]) await unbar(api, after.tenant, id, emails);
  }
  await grant(api, tokenId, after);
}

/**
 * A linked, active user's membership made what SCIM says: created when missing (`member.added`), its roles set to
 * what the groups grant through the membership operations' own change (`updateMember`: an Owner stays an Owner).
 *
 * @example
 * ```ts
 * await grant(api, tokenId, user);
 * ```
 */
export async function grant(
  api: ScimApi,
  tokenId: string,
  user: ScimUser,
): Promise<HttpResponseInit | undefined> {
  const userId = user.userId;
  if (userId === undefined || !user.active) return undefined;
  const tenant = user.tenant;
  const roles = await groupRoles(api, tenant, user.id);
  const found = await api.store.read(tenant, userId);
  if (!found) {
    const made = await addMembership(api, tokenId, user, userId, roles);
    return made && 'full' in made ? asScim(seatLimitOf(api, tenant, made.full, false)) : undefined;
  }
  const next = found.value.roles.includes(OWNER_ROLE) ? [OWNER_ROLE, ...roles] : roles;
  if (sameRoles(next, found.value.roles)) return undefined;
  const request = plainRequest({
    method: 'PATCH',
    url: `https://in-process.invalid/api/tenant/members/${encodeURIComponent(userId)}`,
    headers: new Headers({ 'content-type': 'application/json' }),
    query: new URLSearchParams(),
    params: { userId },
    body: JSON.stringify({ roles: next }),
  });
  const changed = await updateMember(api, scimActor(tokenId), tenant, userId, request);
  return changed.status === 200 || changed.status === 404 ? undefined : changed;
}

const sameRoles = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((r) => b.includes(r));

/**
 * A membership for a provisioned user who signed in (or was reactivated): created, this instance's cache told,
 * `member.added` recorded `via: 'scim'`. The membership, or the one already there.
 *
 * @example
 * ```ts
 * const m = await addMembership(api, tokenId, user, caller.id, ['Member']);
 * ```
 */
export async function addMembership(
  api: ScimApi,
  tokenId: string | undefined,
  user: ScimUser,
  userId: string,
  roles: readonly string[],
  email?: string,
): Promise<Membership | { readonly full: SeatsFull } | undefined> {
  const tenant = user.tenant;
  const addedOn = nowOf(api).toISOString();
  const membership = admittedMembership({ tenant, userId, email, roles, addedOn }, 'scim');
  // Barred (an Owner removed them, SCIM deprovisioned them): only SCIM's re-activation lifts it, before this.
  const person = { userId, email };
  if ((await admits(api, tenant, person, { door: 'scim' })) === 'barred')
    return (await api.store.read(tenant, userId))?.value;
  // No door into an organization its Owner deleted (or erased): a provisioned user's first request joins nothing.
  if (!organizationOpen((await api.admin.read(tenant))?.record))
    return (await api.store.read(tenant, userId))?.value;
  // A seat first (members/seats/seats.ts): a member already is found before it, whatever the seats; past the plan's
  // members nobody is made a member.
  const made = await seatMember(api, membership);
  if (isFull(made)) return made;
  if (made === 'exists') return (await api.store.read(tenant, userId))?.value ?? membership;
  api.cache.forget(tenant, userId);
  if (await barredMeanwhile(api, membership, made.etag, { door: 'scim' })) return undefined;
  if (await closedMeanwhile(api, membership, made.etag)) return undefined;
  if (await unlinkedMeanwhile(api, user, userId, made.etag)) return undefined;
  const by = tokenId ?? user.provisionedBy;
  await recordAudit(api, {
    tenant,
    // The token that acts, else (a first sign-in) the one that provisioned the user: `scim:<token id>`.
    actor: auditActor(by !== undefined ? scimActor(by) : SCIM_ACTOR),
    action: 'member.added',
    target: userId,
    changes: { roles: { to: roles }, scimUser: { to: user.id }, via: membership.via },
  });
  return made.value;
}

/**
 * Whether SCIM's user `user` (linked to `userId`, whose membership was just written at `etag`) was deleted, deactivated or linked to
 * someone else meanwhile — then the membership is taken back (at the version written, its seat given back). A DELETE
 * that looked for its people before this write landed cannot find a person known only by the link (scim-users.ts
 * stores the user inactive first), so the write re-reads the user it stands on.
 */
async function unlinkedMeanwhile(
  api: ScimApi,
  user: ScimUser,
  userId: string,
  etag: string,
): Promise<boolean> {
  const still = await api.scim.readUser(user.tenant, user.id);
  if (still?.value.active && still.value.userId === userId) return false;
  const removed = await api.store.remove(user.tenant, userId, etag);
  api.cache.forget(user.tenant, userId);
  if (removed === 'removed') await seatFreed(api, user.tenant);
  return true;
}
