import type { HttpResponseInit } from '@azure/functions';
import { type Membership, membershipId } from '../../../contract/members.js';
import {
  enter,
  type MembershipDoor,
  type MembershipEntry,
  type MembershipExit,
  type MembershipLife,
} from '../../../model/lives/membership-life.js';
import { barOnExit, membershipThrough } from '../../../model/lives/membership-record.js';
import { linkedDirectoryOf } from '../scim/linked-directory.js';
import { problemResponse } from '../../http/response.js';
import { type MembersApi, nowOf } from '../members-api.js';
import { seatFreed } from '../seats/seats.js';

/**
 * Who a door is about to admit: their user id, the verified e-mail their sign-in proves, and the directory their
 * token comes from (`tid`), if any.
 */
export interface Person {
  readonly userId: string;
  readonly email?: string | undefined;
  readonly directory?: string | undefined;
  /** Their user principal name (caller/principal-name.ts), matched only where the organization links `directory`. */
  readonly upn?: string | undefined;
}

const emailsOf = (p: Person): string[] => (p.email === undefined ? [] : [p.email.toLowerCase()]);

/**
 * The membership `door` admits a person with: its id (the organization's and the person's), their e-mail when they
 * have one, their roles, and the door the life table writes (model/lives/membership-record.ts `membershipThrough`) —
 * what every door hands to members/seats/seats.ts `seatMember`.
 *
 * @example
 * ```ts
 * admittedMembership({ tenant: 'acme', userId: 'u-9', email: undefined, roles: ['Member'], addedOn: now }, 'domain').via; // 'domain'
 * ```
 */
export function admittedMembership(
  m: {
    readonly tenant: string;
    readonly userId: string;
    readonly email: string | undefined;
    readonly roles: readonly string[];
    readonly addedOn: string;
  },
  door: MembershipDoor,
): Membership {
  return membershipThrough(
    {
      id: membershipId(m.tenant, m.userId),
      tenant: m.tenant,
      userId: m.userId,
      ...(m.email !== undefined ? { email: m.email } : {}),
      roles: [...m.roles],
      addedOn: m.addedOn,
    },
    door,
  );
}

/**
 * 403 `member-barred`: the person was removed from (or deprovisioned by) the organization, and only an Owner's new
 * invitation — or their identity provider re-activating them — admits them again.
 *
 * @example
 * ```ts
 * if (verdict === 'barred') return memberBarred('acme');
 * ```
 */
export const memberBarred = (tenant: string): HttpResponseInit =>
  problemResponse(
    'member-barred',
    `You were removed from organization ${tenant}: only a new invitation from one of its Owners (or your ` +
      'identity provider re-activating you) admits you again.',
  );

/**
 * Whether `entry` admits `person` into `tenant` as far as their life there says (model/lives/membership-life.ts):
 * `'admit'`, or `'barred'` (removed or deprovisioned, and the entry lifts no bar). A membership already there is
 * the door's own answer (each door looks it up first), so only the bars are read here: one query of the
 * organization's partition. Nothing is written: a door that admits past a bar (an Owner's invitation) lifts it once
 * its membership is made ({@link unbar}).
 *
 * @example
 * ```ts
 * if ((await admits(api, tenant, { userId, email }, { door: 'domain' })) === 'barred') return memberBarred(tenant);
 * ```
 */
export async function admits(
  api: MembersApi,
  tenant: string,
  person: Person,
  entry: MembershipEntry,
): Promise<'admit' | 'barred'> {
  return enter(await standing(api, tenant, person, entry.door !== 'scim'), entry).ok
    ? 'admit'
    : 'barred';
}

/**
 * Where a person who is no member stands in `tenant`: `barred` when a bar names them, or when the organization's
 * SCIM provisioning knows them only as inactive — by an address it provisions (`userName`, `emails`) equal to their
 * verified e-mail, or — when the organization links their directory — by `externalId` equal to their object id or
 * `userName` equal to their user principal name (SCIM decides for the people it provisions: a user provisioned
 * inactive never joins through the directory, nor a domain) — asked of every door but SCIM's own (`askScim`: SCIM's door admits through the active user it links);
 * `outside` otherwise.
 */
async function standing(
  api: MembersApi,
  tenant: string,
  person: Person,
  askScim: boolean,
): Promise<MembershipLife> {
  const found =
    (await api.store.bars?.find(tenant, person.userId, await barNamesOf(api, tenant, person))) ??
    [];
  // The latest bar naming them (by id or address): an invitation must have been sent since it.
  const latest = [...found].sort((a, b) => b.barredOn.localeCompare(a.barredOn))[0];
  // Barred since the bar's time: an Owner's invitation sent before it lifts nothing (membership-life.ts `enter`).
  if (latest) return { state: 'barred', by: latest.by, since: latest.barredOn };
  return askScim && (await provisionedInactive(api, tenant, person))
    ? { state: 'barred', by: 'deprovisioned' }
    : { state: 'outside' };
}

/**
 * The addresses a bar may name `person` by in `tenant`: their verified e-mail, and — where the organization links
 * their directory — their user principal name, the `userName` Entra provisions them by (a deprovisioning bars the
 * addresses its user names, member or not and past a DELETE: scim-membership.ts `deprovision`), so a directory user
 * whose token proves no e-mail is kept out by it too — and an Owner's invitation that admits them lifts it.
 *
 * @example
 * ```ts
 * await barNamesOf(api, 'acme', { userId: 'u-9', directory: 'tid-1', upn: 'Dee@Contoso.com' }); // ['dee@contoso.com']
 * ```
 */
export async function barNamesOf(
  api: MembersApi,
  tenant: string,
  person: Person,
): Promise<string[]> {
  const emails = emailsOf(person);
  const upn = person.upn?.toLowerCase();
  const tid = person.directory?.toLowerCase();
  if (!upn || !tid || !api.scim || emails.includes(upn)) return emails;
  const linked = linkedDirectoryOf((await api.admin.read(tenant))?.record) === tid;
  return linked ? [...emails, upn] : emails;
}

/** Whether SCIM provisioned `person` in `tenant` and every user of theirs it holds is inactive. */
async function provisionedInactive(
  api: MembersApi,
  tenant: string,
  person: Person,
): Promise<boolean> {
  const scim = api.scim;
  if (!scim) return false;
  const byEmail = person.email ? await scim.usersByEmail(tenant, person.email) : [];
  const tid = person.directory?.toLowerCase();
  const linked = tid ? linkedDirectoryOf((await api.admin.read(tenant))?.record) === tid : false;
  const byObject = linked ? await scim.usersByExternalId(tenant, person.userId) : [];
  const upn = person.upn?.toLowerCase();
  // Entra's default mapping provisions userName = userPrincipalName: the linked directory's own name for them.
  const byName =
    linked && upn
      ? (await scim.usersByEmail(tenant, upn)).filter(
          (u) => u.value.userName.trim().toLowerCase() === upn,
        )
      : [];
  const users = [...byEmail, ...byObject, ...byName];
  return users.length > 0 && users.every((u) => !u.value.active);
}

/**
 * After a door created `membership` (it checked {@link admits} first): whether the person's life put them out
 * meanwhile — the door re-asks it after its write. A removal writes its bar before it deletes the membership, so a
 * door whose create succeeded after that delete sees the bar here; SCIM stores its user inactive before it looks for
 * the members it names again (scim-user-write.ts), so a door whose create landed before that look is found by it,
 * and one whose create landed after sees the user inactive here (every door, SCIM's own link included: the user it
 * linked is inactive now). Either way the door takes its own membership back (at the version it wrote) and answers
 * as a barred person is answered — of a removal or a deactivation and a join at once, the way out stands. `person`:
 * whom the door admitted as it knows them (their directory and user principal name: what SCIM may name them by).
 *
 * @example
 * ```ts
 * if (await barredMeanwhile(api, made.value, made.etag, { door: 'domain' })) return memberBarred(tenant);
 * ```
 */
export async function barredMeanwhile(
  api: MembersApi,
  membership: Membership,
  etag: string,
  entry: MembershipEntry,
  person: Person = { userId: membership.userId, email: membership.email },
): Promise<boolean> {
  if (!api.store.bars) return false;
  // The whole life again — bars, and SCIM's users of them — whatever door: SCIM's own admits only an active user.
  const life = await standing(api, membership.tenant, person, true);
  if (enter(life, entry).ok) return false;
  const removed = await api.store.remove(membership.tenant, membership.userId, etag);
  api.cache.forget(membership.tenant, membership.userId);
  // The door took its seat with the membership (members/seats/seats.ts `seatMember`): taken back, the seat is given back.
  if (removed === 'removed') await seatFreed(api, membership.tenant);
  return true;
}

/**
 * Bar `membership`'s person from its organization before their membership is taken, as the table's way out `exit`
 * leads (model/lives/membership-record.ts `barOnExit`: an Owner's removal, SCIM's deprovisioning), so no door lets
 * them back in between the two writes. A member leaving of their own will is not barred. Whether a bar was written.
 *
 * @example
 * ```ts
 * const barred = await bar(api, found.value, 'removed'); // true
 * ```
 */
export async function bar(
  api: MembersApi,
  membership: Membership,
  exit: MembershipExit,
): Promise<boolean> {
  const by = barOnExit(membership, exit);
  if (by === undefined) return false;
  await api.store.bars?.put({
    tenant: membership.tenant,
    userId: membership.userId,
    ...(membership.email !== undefined ? { email: membership.email.toLowerCase() } : {}),
    by,
    barredOn: nowOf(api).toISOString(),
  });
  return true;
}

/**
 * Bar the addresses a SCIM user names in `tenant` from the user's own state (deprovisioned, as the table's way out
 * leads), whoever holds them and whether or not a member was found: a door in flight for one of them re-asks the
 * life after its write ({@link barredMeanwhile}) and finds this bar, even once the user is deleted. Each bar is keyed
 * by the address itself (no person's user id is known for it) and lifted as every bar naming it is ({@link unbar}).
 * `objectIds`: the user ids the user names too — its `externalId` where the organization links a directory, the
 * object id that directory's sign-in carries — barred by id, so a directory user whose token proves no address that
 * SCIM provisions (no verified e-mail, another user principal name) is kept out once the user is gone (DELETE) as
 * while it is held inactive; SCIM's re-activation lifts it by the same id (scim-membership.ts `afterProvisioned`).
 *
 * @example
 * ```ts
 * await barAddresses(api, 'acme', ['kim@contoso.com'], ['0b6f2c1e-…']);
 * ```
 */
export async function barAddresses(
  api: MembersApi,
  tenant: string,
  addresses: readonly string[],
  objectIds: readonly string[] = [],
): Promise<void> {
  const by = barOnExit({}, 'deprovisioned');
  if (by === undefined) return;
  const barredOn = nowOf(api).toISOString();
  for (const address of addresses)
    await api.store.bars?.put({ tenant, userId: address, email: address, by, barredOn });
  for (const userId of objectIds) await api.store.bars?.put({ tenant, userId, by, barredOn });
}

/**
 * Lift the bars a re-activation by SCIM names (model/lives/membership-life.ts `reactivate`): the person's user id
 * when SCIM knows it, and the addresses it provisions. Returns how many were lifted.
 *
 * @example
 * ```ts
 * await unbar(api, 'acme', user.userId, matchEmailsOf(user));
 * ```
 */
export function unbar(
  api: MembersApi,
  tenant: string,
  userId: string | undefined,
  emails: readonly string[],
): Promise<number> {
  return api.store.bars?.lift(tenant, userId, emails) ?? Promise.resolve(0);
}
