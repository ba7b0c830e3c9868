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

