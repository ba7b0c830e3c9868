/**
 * What keeps `atakora dev` from being driven by other web pages. The dev server signs every request in as the
 * session's user, which makes that user an ambient credential like a cookie; so:
 * - **Host**: only `localhost`, `127.0.0.1` and `[::1]` (with the server's port, or none) are answered: a page
 *   that rebinds its own DNS name to 127.0.0.1 (DNS rebinding) sends its own name and gets 421.
 * - **Origin**: a browser request from an origin that is neither the server itself nor one listed in
 *   `auth.devOrigins`/`corsOrigins` goes in **anonymous** (no session user, `x-atakora-dev-user` ignored), so it
 *   gets the 401 Azure gives a caller without a token. A `'*'` in `corsOrigins` lets such pages read public
 *   answers (`access-control-allow-origin: *`, never reflected, never with the dev-user header) but signs no one in.
 * - **Admin API** (`POST /admin/functions/<name>`, which runs queue and timer handlers): the per-run key printed
 *   in the banner in `x-functions-key` (as the Functions host's master key), or a request no page can send
 *   cross-site without a preflight: `Content-Type: application/json` from no origin or an allowed one.
 */
import { randomBytes } from 'node:crypto';
import type { ProblemCode } from '../../../contract/problems.js';
import { at } from '../../../model/at.js';

/** Environment variable carrying the per-run admin key to the workers. */
export const DEV_ADMIN_KEY_ENV = 'ATAKORA_DEV_ADMIN_KEY';
/** Environment variable saying whether App Service authentication is on (`1`) or `auth: 'none'` (`0`). */
export const DEV_AUTH_ENV = 'ATAKORA_DEV_AUTH';
/**
 * Environment variable listing the paths App Service authentication exempts for anonymous functions
 * (comma-separated).
 */
export const DEV_ANONYMOUS_ENV = 'ATAKORA_DEV_ANONYMOUS_PATHS';
/** The header the admin key goes in (the Functions host's admin API reads the master key from it). */
export const ADMIN_KEY_HEADER = 'x-functions-key';

/**
 * A fresh admin key for one run of `atakora dev`.
 *
 * @example
 * ```ts
 * const key = newAdminKey(); // 32 hex digits
 * ```
 */
export function newAdminKey(): string {
  return randomBytes(16).toString('hex');
}

/** An answer refusing a request: status and the problem's detail. */
export interface Refusal {
  readonly status: number;
  readonly slug: ProblemCode;
  readonly detail: string;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Check the `Host` header: undefined when it names this server on a loopback name, else why not (400 for a
 * header that is no host at all, 421 for another name or port).
 *
 * @example
 * ```ts
 * checkHost('127.0.0.1:7071', 7071);      // undefined
 * checkHost('evil.example:7071', 7071);   // { status: 421, … }
 * checkHost('[', 7071);                   // { status: 400, … }
 * ```
 */
export function checkHost(host: string | undefined, port: number): Refusal | undefined {
  const m =
    host === undefined
      ? null
      : /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(host.trim());
  if (!m)
    return {
      status: 400,
      slug: 'bad-host',
      detail: 'The Host header is missing or is not a host name.',
    };
  const name = at(m, 1).toLowerCase();
  if (!LOCAL_HOSTS.has(name) || (m[2] !== undefined && Number(m[2]) !== port)) {
    return {
      status: 421,
      slug: 'misdirected-request',
      detail:
        `atakora dev answers only Host localhost, 127.0.0.1 or [::1] on port ${String(port)} (got ` +
        `"${host!.slice(0, 100)}"): a page served from another name must not reach local data.`,
    };
  }
  return undefined;
}

/**
 * Whether a request's `Origin` may act as the dev user: no Origin (curl, a server, a same-origin GET), the
 * server's own origin, or one listed explicitly — a `'*'` entry does not count.
 *
 * @example
 * ```ts
 * originTrusted('http://localhost:5173', ['http://localhost:5173'], '127.0.0.1:7071'); // true
 * originTrusted('https://evil.example', ['*'], '127.0.0.1:7071');                      // false
 * ```
 */
export function originTrusted(
  origin: string | undefined,
  allowed: readonly string[],
  host: string | undefined,
): boolean {
  if (origin === undefined) return true;
  if (host !== undefined && origin.toLowerCase() === `http://${host.toLowerCase()}`) return true;
  return allowed.includes(origin);
}

/**
 * Whether an admin request may run a function: the run's key in `x-functions-key`, or a JSON request (never a
 * "simple" cross-site request, which a page can send without a preflight) from a trusted origin.
 *
 * @example
 * ```ts
 * adminAllowed({ key: 'k', contentType: 'text/plain', origin: undefined }, 'k', true); // true
 * adminAllowed({ key: undefined, contentType: 'text/plain', origin: 'https://evil.example' }, 'k', false); // false
 * ```
 */
export function adminAllowed(
  req: {
    key: string | undefined;
    contentType: string | undefined;
    secFetchSite?: string | undefined;
  },
  adminKey: string,
  trusted: boolean,
): boolean {
  if (adminKey !== '' && req.key === adminKey) return true;
  const json = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(req.contentType ?? '');
  return json && trusted && req.secFetchSite !== 'cross-site';
}

/**
 * Decode a request path into segments (without the leading `/`), or undefined when its percent-encoding is
 * malformed (`%E0%A4%A`), which the caller answers with 400.
 *
 * @example
 * ```ts
 * decodePath('/api/notes/a%20b'); // ['api', 'notes', 'a b']
 * decodePath('/api/%zz');         // undefined
 * ```
 */
export function decodePath(pathname: string): string[] | undefined {
  try {
    return pathname
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}
