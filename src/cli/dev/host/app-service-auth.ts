import type { IncomingMessage } from 'node:http';
import { DEV_ANONYMOUS_ENV, DEV_AUTH_ENV } from '../loopback/guard.js';
import { tenantSignedIn } from '../seed/tenant-seed-signal.js';
import {
  callerOf,
  corsHeadersFor,
  DEFAULT_DEV_USER,
  DEV_EMAIL_USERS_ENV,
  DEV_ORIGINS_ENV,
  DEV_TENANT_CLAIM_ENV,
  DEV_USER_ENV,
  DEV_USER_HEADER,
  principalHeaderFor,
  type DevUser,
} from '../sign-in/sign-in.js';

// What App Service does before the app runs, played by the dev worker: CORS (and its preflights) and
// authentication, which sets the validated caller's principal header or answers 401.

/** Who may call a dev worker, as the session set it in the worker's environment (host/hosts.ts). */
export interface WorkerCallers {
  /** Who calls (sign-in/sign-in.ts): the session's user, or the one a request names in x-atakora-dev-user. */
  readonly sessionUser: DevUser;
  readonly origins: readonly string[];
  readonly tenantClaim: string;
  readonly authRequired: boolean;
  /** Anonymous functions' literal paths (lower case), as their excludedPaths entries. */
  readonly anonymousPaths: ReadonlySet<string>;
  /**
   * Tenants by membership: a user named by an email signs in with that verified email — `true`, or with a customer
   * sign-in the external tenant's id (dev's own users sign in from it).
   */
  readonly emailUsers: boolean | string;
}

/** `1` → email users of dev's own directory; an id → of that (external) tenant; nothing → none. */
const emailUsersOf = (v: string | undefined): boolean | string =>
  v === undefined || v === '' ? false : v === '1' ? true : v;

/**
 * The callers of a worker, read from its environment.
 *
 * @example
 * ```ts
 * const callers = workerCallers(process.env);
 * ```
 */
export function workerCallers(env: NodeJS.ProcessEnv): WorkerCallers {
  return {
    sessionUser: env[DEV_USER_ENV] ? (JSON.parse(env[DEV_USER_ENV]) as DevUser) : DEFAULT_DEV_USER,
    origins: (env[DEV_ORIGINS_ENV] ?? '').split(',').filter(Boolean),
    tenantClaim: env[DEV_TENANT_CLAIM_ENV] || 'tid',
    authRequired: env[DEV_AUTH_ENV] !== '0',
    emailUsers: emailUsersOf(env[DEV_EMAIL_USERS_ENV]),
    anonymousPaths: new Set(
      (env[DEV_ANONYMOUS_ENV] ?? '')
        .split(',')
        .filter(Boolean)
        .map((p) => p.toLowerCase()),
    ),
  };
}

/**
 * The CORS answer to a request: `preflight` the headers of a preflight's 204 (undefined: 403), `out` those every
 * answer to a dev origin carries.
 *
 * @example
 * ```ts
 * const { preflight, out } = corsOf(req, origin, callers.origins);
 * ```
 */
export function corsOf(
  req: IncomingMessage,
  origin: string | undefined,
  origins: readonly string[],
): { preflight: Record<string, string> | undefined; out: Record<string, string> } {
  const requested = req.headers['access-control-request-headers'];
  const cors = corsHeadersFor(
    origin,
    origins,
    typeof requested === 'string' ? requested : undefined,
  );
  // As App Service's CORS on an actual request: the allowed origin, and no exposed headers of its own.
  const allowed = cors?.['access-control-allow-origin'];
  const out: Record<string, string> = allowed
    ? { 'access-control-allow-origin': allowed, vary: 'Origin' }
    : {};
  return { preflight: cors, out };
}

/**
 * The request's headers as the app sees them behind App Service authentication, which drops a caller-sent
 * principal and sets the validated caller's; locally the caller is the session's user or the one the request
 * names (x-atakora-dev-user) — from a trusted origin only: another page goes in anonymous, as a page without a
 * token does in Azure. A tenant's first signed-in request waits for dev to seed its empty view
 * (seed/tenant-seed-signal.ts).
 *
 * @example
 * ```ts
 * const { headers, principal } = await signedIn(req, trusted, callers);
 * ```
 */
export async function signedIn(
  req: IncomingMessage,
  trusted: boolean,
  callers: WorkerCallers,
): Promise<{ headers: Record<string, string>; principal: string | undefined }> {
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
  );
  Reflect.deleteProperty(headers, 'x-ms-client-principal');
  if (trusted) await tenantSignedIn(callerOf(headers[DEV_USER_HEADER], callers.sessionUser));
  const principal = trusted
    ? principalHeaderFor(
        headers[DEV_USER_HEADER],
        callers.sessionUser,
        callers.tenantClaim,
        callers.emailUsers,
      )
    : undefined;
  Reflect.deleteProperty(headers, DEV_USER_HEADER);
  if (principal) headers['x-ms-client-principal'] = principal;
  return { headers, principal };
}

/**
 * Whether App Service authentication lets a request without a caller through: on the exempt /api/health (every
 * method: resources/functions/auth-settings.ts ANONYMOUS_PATHS) and anonymous functions' literal paths, as
 * their excludedPaths entries, an entry ending in `/*` any path below it. `apiPath` is the path's segments after
 * `api`.
 *
 * @example
 * ```ts
 * exemptFromSignIn(['health'], new Set()); // true
 * exemptFromSignIn(['scim', 'v2', 'Users', 'u1'], new Set(['/api/scim/v2/users/*'])); // true
 * ```
 */
export function exemptFromSignIn(
  apiPath: readonly string[] | undefined,
  anonymousPaths: ReadonlySet<string>,
): boolean {
  if (apiPath === undefined) return false;
  if (apiPath.length === 1 && apiPath[0]!.toLowerCase() === 'health') return true;
  const path = `/api/${apiPath.join('/')}`.toLowerCase();
  if (anonymousPaths.has(path)) return true;
  // An excludedPaths entry ending in `/*` exempts what is below it (the SCIM routes' `Users/{id}`).
  for (const p of anonymousPaths)
    if (p.endsWith('/*') && path.startsWith(p.slice(0, -1)) && path.length > p.length - 1)
      return true;
  return false;
}
