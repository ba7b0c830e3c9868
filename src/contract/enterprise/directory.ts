// Directory sign-in per organization (DESIGN §2, "Organizations that enterprises can buy"): the route, the link's
// shape as the registry's record stores it and the rules the runtime, the OpenAPI document and the typed client
// share. Like contract/members.ts this module imports nothing but its own shapes, so the client's bundle shares it.

/**
 * An organization's linked Microsoft Entra directory, as its registry record stores it (`directory`): users whose
 * token's `tid` is `tid` become members on their first request to the organization, as `role` (never `Owner`);
 * `requireDirectory` refuses the organization's members signed in from any other directory.
 *
 * @example
 * ```ts
 * const d: OrganizationDirectory = { tid: '72f988bf-86f1-41af-91ab-2d7cd011db47', role: 'Member', requireDirectory: false };
 * ```
 */
export interface OrganizationDirectory {
  readonly tid: string;
  readonly role: string;
  readonly requireDirectory: boolean;
}

/** `GET|PUT|DELETE api/tenant/directory`: the request's organization's linked directory (under `api/`). */
export const DIRECTORY_ROUTE = 'tenant/directory';

/** The function name of {@link DIRECTORY_ROUTE}. */
export const DIRECTORY_FUNCTION = 'tenant-directory';

/** The role a directory's users join as when the link names none. */
export const DEFAULT_DIRECTORY_ROLE = 'Member';

/** The roles that may read the link (`GET`); only an `Owner` links or unlinks. */
export const DIRECTORY_READER_ROLES: readonly string[] = ['Owner', 'Admin'];

/**
 * A Microsoft Entra tenant id as tokens carry it in `tid`: a GUID, compared in lower case. (Under `atakora dev` and in
 * tests any short name of letters, digits and `-` is a directory too: dev's sign-in names them so.)
 */
const TID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;

/**
 * A directory id as the link stores and compares it (trimmed, lower case), or undefined when `value` is none.
 *
 * @example
 * ```ts
 * directoryIdOf(' 72F988BF-86F1-41AF-91AB-2D7CD011DB47 '); // '72f988bf-86f1-41af-91ab-2d7cd011db47'
 * ```
 */
export function directoryIdOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  return TID.test(v) ? v : undefined;
}

/**
 * The link a record holds, or undefined when `value` is not one (a record written by an older runtime, or by hand).
 *
 * @example
 * ```ts
 * organizationDirectoryOf({ tid: 't1', role: 'Member', requireDirectory: true })?.requireDirectory; // true
 * ```
 */
export function organizationDirectoryOf(value: unknown): OrganizationDirectory | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const o = value as Record<string, unknown>;
  const tid = directoryIdOf(o['tid']);
  if (tid === undefined || typeof o['role'] !== 'string' || o['role'] === '') return undefined;
  return { tid, role: o['role'], requireDirectory: o['requireDirectory'] === true };
}

/**
 * The Microsoft Entra built-in roles that can grant tenant-wide consent to an application, by role template id — the
 * ids tokens carry in the `wids` claim (Learn, "Microsoft Entra built-in roles",
 * https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference, "All roles"; who may
 * consent: Learn, "Grant tenant-wide admin consent to an application"). Linking a directory routes every one of its
 * users into an organization, so it takes one of them (403 `directory-admin-required` otherwise).
 *
 * @example
 * ```ts
 * DIRECTORY_CONSENT_ROLES['Global Administrator']; // '62e90394-69f5-4237-9190-012177145e10'
 * ```
 */
export const DIRECTORY_CONSENT_ROLES = {
  'Global Administrator': '62e90394-69f5-4237-9190-012177145e10',
  'Privileged Role Administrator': 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  'Application Administrator': '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  'Cloud Application Administrator': '158c047a-c907-4556-b7ef-446551a6b5f7',
} as const;

/**
 * Whether a token's `wids` (its directory roles' template ids) hold one that can consent for the directory
 * ({@link DIRECTORY_CONSENT_ROLES}); compared in lower case.
 *
 * @example
 * ```ts
 * mayLinkDirectory(['62E90394-69F5-4237-9190-012177145E10']); // true
 * mayLinkDirectory(['b79fbf4d-3ef9-4689-8143-76b194e85509']); // false (default user permissions)
 * ```
 */
export function mayLinkDirectory(wids: readonly string[]): boolean {
  const consenting: readonly string[] = Object.values(DIRECTORY_CONSENT_ROLES);
  return wids.some((w) => consenting.includes(w.trim().toLowerCase()));
}
