import type { HttpResponseInit } from '@azure/functions';
import type { Membership } from '../../../contract/members.js';
import { linkedDirectoryOf } from './linked-directory.js';
import type { ScimApi } from './scim-api.js';
import type { ScimUser } from './scim-items.js';
import { addMembership, groupRoles } from './scim-membership.js';
import type { Tagged } from '../member-store.js';
import { seatLimitOf } from '../seats/seats.js';

/** Who signs in, as a provisioned user is matched against them: object id, directory, *verified* e-mail. */
export interface SigningIn {
  readonly userId: string;
  /** Their directory (`tid`), as App Service vouches for it. */
  readonly directory?: string | undefined;
  /** Their e-mail only when the token proves it (runtime/caller/verified-email.ts); never an unverified claim. */
  readonly email?: string | undefined;
  /** Their user principal name (runtime/caller/principal-name.ts): matched only in the organization linking `directory`. */
  readonly upn?: string | undefined;
}

/** Active, unlinked (or linked to this very user) users of `tenant` whose e-mail is the verified `email`. */
async function byVerifiedEmail(api: ScimApi, email: string): Promise<readonly Tagged<ScimUser>[]> {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  if (!api.domains || !domain) return [];
  // The organization holding the domain's claim, and the domain verified there now: a pending or lapsed domain
  // (or a public one, never claimed) links nobody.
  const holder = (await api.domains.claimOf(domain))?.value;
  if (!holder) return [];
  const held = await api.domains.read(holder, domain);
  if (held?.value.status !== 'verified') return [];
  return api.scim.usersByEmail(holder, email);
}

/** Users whose `externalId` is the caller's object id, in organizations that linked the caller's directory. */
async function byDirectoryObject(
  api: ScimApi,
  who: SigningIn,
): Promise<readonly Tagged<ScimUser>[]> {
  const directory = who.directory?.toLowerCase();
  if (!directory) return [];
  const found: Tagged<ScimUser>[] = [];
  for (const tenant of await api.scim.tenantsByExternalId(who.userId)) {
    if (linkedDirectoryOf((await api.admin.read(tenant))?.record) !== directory) continue;
    found.push(...(await api.scim.usersByExternalId(tenant, who.userId)));
  }
  return found;
}

/**
 * Users whose `userName` is the caller's user principal name (Entra's default mapping: `userName` =
 * `userPrincipalName`), in the one organization that links the caller's directory (its claim, and its record naming
 * it): the name is that directory's to assign, so nowhere else does it say who the caller is.
 */
async function byPrincipalName(api: ScimApi, who: SigningIn): Promise<readonly Tagged<ScimUser>[]> {
  const directory = who.directory?.toLowerCase();
  const upn = who.upn?.toLowerCase();
  if (!directory || !upn || !api.directories) return [];
  const tenant = (await api.directories.claimOf(directory))?.value;
  if (!tenant || linkedDirectoryOf((await api.admin.read(tenant))?.record) !== directory) return [];
  const users = await api.scim.usersByEmail(tenant, upn);
  return users.filter((u) => u.value.userName.trim().toLowerCase() === upn);
}

/**
 * The membership a provisioned user gets on their first request (DESIGN §2): the caller matched to an active
 * SCIM user of an organization — by a *verified* e-mail on a domain that organization has verified, or, when that
 * organization linked their directory, by `externalId` equal to their object id or `userName` equal to their user
 * principal name — is linked to it and made
 * a member with the roles its groups grant (`member.added`, `via: 'scim'`). Never by an unverified e-mail (Entra
 * often omits `email_verified`), never a user linked to someone else, never a deactivated one, never a person the
 * organization barred (removed by an Owner, deprovisioned) until SCIM re-activates them. `named`: only that
 * organization. Undefined when nothing matches.
 *
 * @example
 * ```ts
 * const m = await linkProvisioned(api, { userId: caller.id, directory: caller.directory, email: caller.email });
 * ```
 */
export async function linkProvisioned(
  api: ScimApi,
  who: SigningIn,
  named?: string,
): Promise<Membership | { readonly refused: HttpResponseInit } | undefined> {
  const candidates = [
    ...(who.email ? await byVerifiedEmail(api, who.email) : []),
    ...(await byDirectoryObject(api, who)),
    ...(await byPrincipalName(api, who)),
  ].filter(
    (u) =>
      u.value.active &&
      (u.value.userId === undefined || u.value.userId === who.userId) &&
      (named === undefined || u.value.tenant === named),
  );
  for (const c of candidates) {
    const linked =
      c.value.userId === who.userId
        ? c
        : await api.scim.replaceUser({ ...c.value, userId: who.userId }, c.etag);
    if (typeof linked !== 'object') continue;
    const roles = await groupRoles(api, c.value.tenant, c.value.id);
    // A barred person (membership-life.ts) stays linked, a member only once SCIM re-activates them.
    const made = await addMembership(api, undefined, linked.value, who.userId, roles, who.email);
    // Past the plan's seats: the first request is 402 seat-limit (members/seats/seats.ts), nobody joined.
    if (made && 'full' in made)
      return { refused: seatLimitOf(api, c.value.tenant, made.full, false) };
    if (made) return made;
  }
  return undefined;
}
