/**
 * What SCIM provisioning keeps in the `members` container (partition `/tenant`), beside the memberships: an
 * organization's tokens, users and groups in its own partition, and two global lookups — a token by its hash and a
 * provisioned user by the directory object id Entra sends as `externalId` — each in a partition of its own, so each
 * is a point read or a one-partition query, never a scan.
 */

/** A SCIM token as stored: its hash, never the secret. */
export interface StoredScimToken {
  readonly tenant: string;
  readonly id: string;
  readonly name?: string;
  /** SHA-256 of the token, hex. */
  readonly hash: string;
  readonly createdOn: string;
}

/** One e-mail of a SCIM user (RFC 7643 §4.1.2), as the identity provider sent it. */
export interface ScimEmail {
  readonly value?: string;
  readonly display?: string;
  readonly type?: string;
  readonly primary?: boolean;
}

/** A user's name (RFC 7643 §4.1.1), as the identity provider sent it. */
export interface ScimName {
  readonly givenName?: string;
  readonly familyName?: string;
  readonly formatted?: string;
  readonly middleName?: string;
  readonly honorificPrefix?: string;
  readonly honorificSuffix?: string;
}

/**
 * A provisioned user of an organization: what the identity provider sent, whether it is active, and the member it
 * is linked to once they signed in (`userId`, their token's object id).
 */
export interface ScimUser {
  readonly tenant: string;
  readonly id: string;
  readonly userName: string;
  readonly externalId?: string;
  readonly active: boolean;
  /** `active` was removed by a PATCH: SCIM shows none, and the user keeps the state it had (scim-user-body.ts). */
  readonly activeUnset?: true;
  readonly displayName?: string;
  readonly name?: ScimName;
  readonly emails?: readonly ScimEmail[];
  /** The schema's other attributes as sent (`title`, `phoneNumbers`, the enterprise extension under its URN, …). */
  readonly more?: Readonly<Record<string, unknown>>;
  readonly userId?: string;
  /** The SCIM token that provisioned the user: the actor of the membership its first sign-in makes. */
  readonly provisionedBy?: string;
  readonly created: string;
  readonly lastModified: string;
}

/** A provisioned group: its members are SCIM user ids; its name grants the declared role it equals. */
export interface ScimGroup {
  readonly tenant: string;
  readonly id: string;
  readonly displayName: string;
  readonly externalId?: string;
  readonly members: readonly string[];
  readonly created: string;
  readonly lastModified: string;
}

/** The partition of the token lookups (`scim-token|<hash>` → its organization). */
export const SCIM_TOKENS_PARTITION = '~scim-tokens';
/** The partition of the `externalId` lookups (`<externalId>|<tenant>`). */
export const SCIM_EXTERNAL_PARTITION = '~scim-external';

export const tokenItemId = (tenant: string, id: string) => `${tenant}|scim-token|${id}`;
export const tokenLookupId = (hash: string) => `scim-token|${hash}`;
export const userItemId = (tenant: string, id: string) => `${tenant}|scim-user|${id}`;
export const groupItemId = (tenant: string, id: string) => `${tenant}|scim-group|${id}`;
export const externalItemId = (externalId: string, tenant: string) => `${externalId}|${tenant}`;
/** A `userName`'s claim in its organization's partition: the SHA-256 of the name in lower case (any length, any character). */
export const userNameItemId = (tenant: string, nameHash: string) =>
  `${tenant}|scim-username|${nameHash}`;

/**
 * The addresses a user may be matched by on sign-in, lower case: their `userName` when it is an address, and their
 * e-mails (Entra maps `userPrincipalName` to `userName` and `mail` to `emails[type eq "work"]`).
 *
 * @example
 * ```ts
 * matchEmailsOf({ userName: 'Ada@Contoso.com', emails: [{ value: 'ada.l@contoso.com' }] }); // ['ada@contoso.com', 'ada.l@contoso.com']
 * ```
 */
export function matchEmailsOf(u: Pick<ScimUser, 'userName' | 'emails'>): string[] {
  const all = [u.userName, ...(u.emails ?? []).map((e) => e.value ?? '')]
    .map((v) => v.trim().toLowerCase())
    .filter((v) => /^[^@\s]+@[^@\s]+$/.test(v));
  return [...new Set(all)];
}

const text = (o: Record<string, unknown>, k: string): string | undefined =>
  typeof o[k] === 'string' ? o[k] : undefined;

/** A stored token from its item (`kind: 'scim-token'`), else undefined. */
export function tokenOf(r: Record<string, unknown>): StoredScimToken | undefined {
  const [tenant, id, hash, createdOn, name] = [
    'tenant',
    'tokenId',
    'hash',
    'createdOn',
    'name',
  ].map((k) => text(r, k));
  if (r['kind'] !== 'scim-token' || !tenant || !id || !hash || !createdOn) return undefined;
  return { tenant, id, hash, createdOn, ...(name !== undefined ? { name } : {}) };
}

/** A SCIM user from its item (`kind: 'scim-user'`), else undefined. */
export function userOf(r: Record<string, unknown>): ScimUser | undefined {
  if (r['kind'] !== 'scim-user') return undefined;
  const [tenant, id, userName, created, lastModified] = [
    'tenant',
    'scimId',
    'userName',
    'created',
    'lastModified',
  ].map((k) => text(r, k));
  if (!tenant || !id || !userName || !created || !lastModified) return undefined;
  const optional = Object.fromEntries(
    (['externalId', 'displayName', 'userId', 'provisionedBy'] as const).flatMap((k) => {
      const v = text(r, k);
      return v === undefined ? [] : [[k, v]];
    }),
  );
  const object = (k: string) =>
    r[k] && typeof r[k] === 'object' && !Array.isArray(r[k]) ? r[k] : undefined;
  const name = object('name') as ScimName | undefined;
  const more = object('more') as Record<string, unknown> | undefined;
  const emails = Array.isArray(r['emails']) ? (r['emails'] as ScimEmail[]) : undefined;
  return {
    tenant,
    id,
    userName,
    active: r['active'] !== false,
    ...(r['activeUnset'] === true ? { activeUnset: true } : {}),
    created,
    lastModified,
    ...optional,
    ...(name ? { name } : {}),
    ...(emails ? { emails } : {}),
    ...(more ? { more } : {}),
  };
}

/** A SCIM group from its item (`kind: 'scim-group'`), else undefined. */
export function groupOf(r: Record<string, unknown>): ScimGroup | undefined {
  if (r['kind'] !== 'scim-group') return undefined;
  const [tenant, id, displayName, created, lastModified, externalId] = [
    'tenant',
    'scimId',
    'displayName',
    'created',
    'lastModified',
    'externalId',
  ].map((k) => text(r, k));
  if (!tenant || !id || !displayName || !created || !lastModified) return undefined;
  const members = Array.isArray(r['members'])
    ? r['members'].filter((m): m is string => typeof m === 'string')
    : [];
  return {
    tenant,
    id,
    displayName,
    members,
    created,
    lastModified,
    ...(externalId !== undefined ? { externalId } : {}),
  };
}

/**
 * The key a `userName` is unique by in its organization: the name in lower case (RFC 7643 §4.1.1: `userName` is
 * `caseExact: false`).
 *
 * @example
 * ```ts
 * userNameKey('Ada@Contoso.com'); // 'ada@contoso.com'
 * ```
 */
export const userNameKey = (userName: string): string => userName.toLowerCase();

/** A user's item body (its lookups' fields beside it: `matchEmails`, `userNameKey`). */
export const userItem = (u: ScimUser): Record<string, unknown> => ({
  ...u,
  id: userItemId(u.tenant, u.id),
  scimId: u.id,
  kind: 'scim-user',
  userNameKey: userNameKey(u.userName),
  matchEmails: matchEmailsOf(u),
});

/** A group's item body. */
export const groupItem = (g: ScimGroup): Record<string, unknown> => ({
  ...g,
  id: groupItemId(g.tenant, g.id),
  scimId: g.id,
  kind: 'scim-group',
  displayNameKey: g.displayName.toLowerCase(),
});
