import { devCallerHeaders, devUserOf } from '../cli/dev/sign-in/sign-in.js';
import { ORGANIZATION_ID } from '../contract/members.js';
import { AtakoraError } from '../model/errors.js';
import { APP_ROLE_VALUE } from '../model/runtime-manifest.js';

/**
 * Who a `startBackend` session's requests come from, signed in as `atakora dev` signs callers in (App Service's
 * principal, made by dev's worker from `x-atakora-dev-user`).
 *
 * @example
 * ```ts
 * const agent: TestCaller = { user: 'alice', directory: 'contoso', roles: ['Agent'] };
 * const member: TestCaller = { user: 'alice@example.com', tenant: 'acme' }; // tenants by membership
 * ```
 */
export interface TestCaller {
  /**
   * The user's object id (the token's `oid`: letters, digits, `.`, `_`, `-`) — or, on a backend with tenants by
   * membership, an email (`alice@example.com`): dev signs that user in with it as a verified email.
   */
  readonly user: string;
  /**
   * The user's directory (the token's `tid`): letters, digits, `.`, `_`, `-`. Default the backend's own
   * (`auth.tenantId`, else the first of `auth.allowedTenants`, else dev's `local-dev`). Not with an email.
   */
  readonly directory?: string;
  /** App roles in the token (what `{ allow: 'role' }` rules read without tenants by membership). */
  readonly roles?: readonly string[];
  /**
   * With tenants by membership: the organization every request acts in (`X-Atakora-Tenant`). Left out, the
   * caller's only organization.
   */
  readonly tenant?: string;
}

/**
 * The headers dev's sign-in reads for `caller` (cli/dev/sign-in/sign-in.ts: `<user>@<directory>[;roles=…]`, an
 * email, or `anonymous`), `home` the directory of a caller that names none; a `TEST_CALLER_INVALID` naming the field
 * dev could not take — never a caller silently signed in as someone else (dev takes a malformed header as nobody).
 *
 * @example
 * ```ts
 * callerHeaders({ user: 'carol', directory: 'contoso', roles: ['NoteAdmin'] }, 'local-dev');
 * // { 'x-atakora-dev-user': 'carol@contoso;roles=NoteAdmin' }
 * ```
 */
export function callerHeaders(
  caller: TestCaller | 'anonymous',
  home: string,
): Record<string, string> {
  if (caller === 'anonymous') return devCallerHeaders('anonymous');
  const bad = (field: keyof TestCaller, detail: string): never => {
    throw new AtakoraError('TEST_CALLER_INVALID', `${field}: ${detail}`, { path: [field] });
  };
  if (typeof caller !== 'object' || caller === null || typeof caller.user !== 'string')
    return bad(
      'user',
      "give a caller as { user: 'alice', directory?, roles?, tenant? }, or 'anonymous'.",
    );
  const { user, directory, roles = [], tenant } = caller;
  // An email (or `<user>@<directory>`) names its directory: both halves must be what dev's sign-in takes.
  const named = user.includes('@');
  if (devUserOf(user) === undefined)
    bad('user', `${JSON.stringify(user)} is neither an id (letters, digits, . _ -) nor an email.`);
  if (
    directory !== undefined &&
    (named || typeof directory !== 'string' || devUserOf(undefined, directory) === undefined)
  )
    bad(
      'directory',
      named
        ? `${JSON.stringify(user)} names its directory already (an email signs in to dev's own): leave directory out.`
        : `${JSON.stringify(directory)} is no directory id (letters, digits, . _ -).`,
    );
  if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string' && APP_ROLE_VALUE.test(r)))
    bad('roles', `${JSON.stringify(roles)} is not a list of app role values.`);
  if (tenant !== undefined && (typeof tenant !== 'string' || !ORGANIZATION_ID.test(tenant)))
    bad('tenant', `${JSON.stringify(tenant)} is no organization id (^[a-z0-9][a-z0-9-]{2,62}$).`);
  return devCallerHeaders({
    who: named ? user : `${user}@${directory ?? home}`,
    roles,
    ...(tenant !== undefined ? { organization: tenant } : {}),
  });
}

/**
 * The URL a session's `fetch(path)` goes to: an absolute URL as given, else `path` below the one Function App's
 * origin — a `TEST_BACKEND_PATH_AMBIGUOUS` when several apps serve the backend (the path could be on any).
 *
 * @example
 * ```ts
 * appUrlOf(['http://127.0.0.1:7071'], '/api/stats'); // 'http://127.0.0.1:7071/api/stats'
 * ```
 */
export function appUrlOf(origins: readonly string[], path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  const [only, ...more] = origins;
  if (only === undefined || more.length > 0)
    throw new AtakoraError(
      'TEST_BACKEND_PATH_AMBIGUOUS',
      `"${path}" could be on any of ${String(origins.length)} Function Apps (${origins.join(', ')}).`,
      { path: ['path'] },
    );
  return `${only}/${path.replace(/^\/+/, '')}`;
}
