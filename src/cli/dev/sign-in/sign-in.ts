/**
 * Local sign-in for `atakora dev`: what App Service authentication does in Azure, played by the dev worker.
 * In Azure the platform strips any `x-ms-client-principal` a client sends and, once the bearer token is valid,
 * sets its own (base64 JSON `{ auth_typ, name_typ, role_typ, claims: [{ typ, val }] }`,
 * learn.microsoft.com/azure/app-service/configure-authentication-user-identities#decoding-the-client-principal-header).
 * Locally there is no token to check: the developer picks who calls, for the whole session (`--user`,
 * `--tenant`) or per request (`x-atakora-dev-user: <user>@<tenant>`, or `anonymous`), and the worker injects
 * that caller's principal. A caller-sent `x-ms-client-principal` is always dropped, as in Azure.
 */
import { APP_ROLE_VALUE, DEV_ORIGINS_SETTING } from '../../../model/runtime-manifest.js';
import { normalizedEmail, TENANT_SELECT_HEADER } from '../../../contract/members.js';

/** Request header naming the local caller: `<user>@<tenant>`, or `anonymous` for a request without a principal. */
export const DEV_USER_HEADER = 'x-atakora-dev-user';
/** Environment variable the worker reads the session's caller from (JSON {@link DevUser}). */
export const DEV_USER_ENV = 'ATAKORA_DEV_USER';
/** Environment variable naming the claim the runtime reads the tenant from (`tenancy.claim`, default `tid`). */
export const DEV_TENANT_CLAIM_ENV = 'ATAKORA_DEV_TENANT_CLAIM';
/**
 * Environment variable set on a backend with tenants by membership: a user named by an email (`alice@example.com`)
 * signs in with that verified email ({@link emailUserOf}) — `1`, or with a customer sign-in the external tenant's id:
 * the directory dev's own users sign in from there, as every customer's token names it in Azure.
 */
export const DEV_EMAIL_USERS_ENV = 'ATAKORA_DEV_EMAIL_USERS';
/** Environment variable the worker reads the CORS origins from (comma-separated); the runtime's MCP `Origin` check too. */
export const DEV_ORIGINS_ENV = DEV_ORIGINS_SETTING;

/**
 * A local caller: object id (the identity claim), tenant id (`tid`), display name.
 *
 * @example
 * ```ts
 * const alice: DevUser = { oid: 'alice', tid: 'contoso', name: 'alice' };
 * ```
 */
export interface DevUser {
  readonly oid: string;
  readonly tid: string;
  readonly name: string;
  /** App roles (the token's `roles` claim, one claim per role): what `{ allow: 'role' }` access rules check. */
  readonly roles?: readonly string[];
  /** A verified email (tenants by membership: what an invitation is checked against), when the user has one. */
  readonly email?: string;
  /**
   * `false`: the token carries the e-mail without vouching for it (no `xms_edov`) — the header's
   * `;email-verified=false`, a user the runtime must treat as having no verified e-mail (no joins by domain).
   */
  readonly emailVerified?: false;
  /**
   * Directory roles (the token's `wids` claim: role template ids, one claim each) — the header's `;wids=<id>,<id>`:
   * what linking a directory to an organization checks (Global Administrator's
   * `62e90394-69f5-4237-9190-012177145e10`, …: contract/enterprise/directory.ts `DIRECTORY_CONSENT_ROLES`).
   */
  readonly wids?: readonly string[];
}

/**
 * With tenants by membership the `tid` no longer names the tenant, so `--user alice@example.com` (or the header's
 * `alice@example.com`) is a user with that verified email: its identity is the email (lower case), its directory
 * dev's default (`local-dev`), its token carries `email` and `xms_edov: true` (the claims the runtime takes as a
 * verified email: runtime/members/verified-email.ts). A `<user>@<tenant>` without a dot after the `@` is kept as
 * is (a user with no email).
 *
 * @example
 * ```ts
 * emailUserOf({ oid: 'Alice', tid: 'Example.com' });
 * // { oid: 'alice@example.com', tid: 'local-dev', name: 'Alice', email: 'alice@example.com' }
 * ```
 */
export function emailUserOf(user: DevUser, directory = DEFAULT_DEV_USER.tid): DevUser {
  // dev's own users are of the external tenant on a customers backend (`directory`); another named directory stays
  // what it is, so the runtime refuses it as App Service would refuse its token.
  const own = user.tid === DEFAULT_DEV_USER.tid ? { ...user, tid: directory } : user;
  if (own.email !== undefined || !own.tid.includes('.')) return own;
  const email = normalizedEmail(`${own.oid}@${own.tid}`);
  if (email === undefined) return own;
  return {
    oid: email,
    tid: directory,
    name: user.oid,
    email,
    ...(user.roles ? { roles: user.roles } : {}),
    ...(user.emailVerified === false ? { emailVerified: false } : {}),
    ...(user.wids ? { wids: user.wids } : {}),
  };
}

/**
 * The headers dev's sign-in reads for one caller: {@link DEV_USER_HEADER} as {@link devUserOfHeader} parses it —
 * `who` (`<user>@<tenant>`, or an email) with `;roles=` when there are roles and `;email=` with an e-mail, or
 * `anonymous` — and, with tenants by
 * membership, the organization the request acts in (`X-Atakora-Tenant`). The one writer of the format its parser
 * reads: `atakora verify`'s columns and `startBackend`'s callers.
 *
 * @example
 * ```ts
 * devCallerHeaders({ who: 'carol@contoso', roles: ['NoteAdmin'] }); // { 'x-atakora-dev-user': 'carol@contoso;roles=NoteAdmin' }
 * ```
 */
export function devCallerHeaders(
  caller:
    | {
        readonly who: string;
        readonly roles?: readonly string[];
        readonly organization?: string;
        /** A verified e-mail beside the directory `who` names (`;email=`). */
        readonly email?: string;
      }
    | 'anonymous',
): Record<string, string> {
  if (caller === 'anonymous') return { [DEV_USER_HEADER]: 'anonymous' };
  const { who, roles = [], organization, email } = caller;
  const withRoles = roles.length > 0 ? `${who};roles=${roles.join(',')}` : who;
  return {
    [DEV_USER_HEADER]: email !== undefined ? `${withRoles};email=${email}` : withRoles,
    ...(organization !== undefined ? { [TENANT_SELECT_HEADER.toLowerCase()]: organization } : {}),
  };
}

/** Who is signed in when nothing says otherwise. */
export const DEFAULT_DEV_USER: DevUser = {
  oid: '00000000-0000-0000-0000-00000000de00',
  tid: 'local-dev',
  name: 'Local Developer',
};

const PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Roles from `--roles NoteAdmin,Other` (or the header's `;roles=`): comma-separated app role values, unique,
 * in the order given; undefined when one is no role value. An empty list names no role.
 *
 * @example
 * ```ts
 * rolesOf('NoteAdmin, Other'); // ['NoteAdmin', 'Other']
 * ```
 */
export function rolesOf(list: string): string[] | undefined {
  const roles = [
    ...new Set(
      list
        .split(',')
        .map((r) => r.trim())
        .filter((r) => r !== ''),
    ),
  ];
  return roles.every((r) => APP_ROLE_VALUE.test(r)) ? roles : undefined;
}

/**
 * The session's caller from `--user` / `--tenant`: either may be left out (the default's value is kept);
 * `--user alice@contoso` names both. Undefined when a value is not a plain id (letters, digits, `.`, `_`, `-`).
 *
 * @example
 * ```ts
 * devUserOf('alice@contoso');           // { oid: 'alice', tid: 'contoso', name: 'alice' }
 * devUserOf('alice', 'fabrikam');       // { oid: 'alice', tid: 'fabrikam', name: 'alice' }
 * ```
 */
export function devUserOf(user?: string, tenant?: string, roles?: string): DevUser | undefined {
  const [name, inlineTenant] = user === undefined ? [undefined, undefined] : splitUser(user);
  const tid = tenant ?? inlineTenant ?? DEFAULT_DEV_USER.tid;
  if (name !== undefined && !PART.test(name)) return undefined;
  if (!PART.test(tid)) return undefined;
  const granted = roles === undefined ? [] : rolesOf(roles);
  if (!granted) return undefined;
  const base = name === undefined ? { ...DEFAULT_DEV_USER, tid } : { oid: name, tid, name };
  return granted.length > 0 ? { ...base, roles: granted } : base;
}

/**
 * The caller a {@link DEV_USER_HEADER} value names: `<user>@<tenant>`, optionally `;roles=<role>,<role>`
 * (`carol@contoso;roles=NoteAdmin`), `;email=<address>` (that directory's user with a verified e-mail at once,
 * as Entra issues a token with `email` and `xms_edov`: `ada@<tid>;email=ada@contoso.com`),
 * `;email-verified=false` (the token carries the e-mail without vouching for it) and `;wids=<role template id>,…`
 * (the user's directory roles, Entra's `wids` claim: `ada@contoso;wids=62e90394-69f5-4237-9190-012177145e10` is
 * that directory's Global Administrator, who may link it to an organization). Undefined when malformed.
 *
 * @example
 * ```ts
 * devUserOfHeader('carol@contoso;roles=NoteAdmin'); // { oid: 'carol', tid: 'contoso', name: 'carol', roles: ['NoteAdmin'] }
 * devUserOfHeader('ada@contoso;email=ada@contoso.com'); // { oid: 'ada', tid: 'contoso', name: 'ada', email: 'ada@contoso.com' }
 * devUserOfHeader('ada@contoso;wids=62e90394-69f5-4237-9190-012177145e10').wids; // ['62e90394-69f5-4237-9190-012177145e10']
 * ```
 */
export function devUserOfHeader(value: string): DevUser | undefined {
  const [who = '', ...params] = value.split(';').map((p) => p.trim());
  if (!who.includes('@')) return undefined;
  let roles: string | undefined;
  let unverified = false;
  let email: string | undefined;
  let wids: string[] | undefined;
  for (const p of params) {
    const directoryRoles = /^wids\s*=\s*(.*)$/i.exec(p);
    if (directoryRoles) {
      // A directory's administrator, as Entra issues their token with `wids` (role template ids, GUIDs).
      wids = (directoryRoles[1] ?? '').split(',').map((w) => w.trim().toLowerCase());
      if (wids.some((w) => !WID.test(w))) return undefined;
      continue;
    }
    const verified = /^email-verified\s*=\s*(true|false)$/i.exec(p);
    if (verified) {
      unverified = verified[1]?.toLowerCase() === 'false';
      continue;
    }
    const address = /^email\s*=\s*(.*)$/i.exec(p);
    if (address) {
      // A directory's user with an e-mail, as Entra issues one (`oid`, `tid`, `email` + `xms_edov`).
      email = normalizedEmail(address[1] ?? '');
      if (email === undefined) return undefined;
      continue;
    }
    const m = /^roles\s*=\s*(.*)$/.exec(p);
    if (!m) return undefined;
    roles = m[1];
  }
  const user = devUserOf(who, undefined, roles);
  if (!user) return undefined;
  return {
    ...user,
    ...(email !== undefined ? { email } : {}),
    ...(unverified ? { emailVerified: false as const } : {}),
    ...(wids !== undefined ? { wids } : {}),
  };
}

/** A role template id as `wids` carries it: a GUID. */
const WID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function splitUser(value: string): [string, string | undefined] {
  const at = value.lastIndexOf('@');
  return at < 0 ? [value, undefined] : [value.slice(0, at), value.slice(at + 1)];
}

/**
 * Who calls: the user a {@link DEV_USER_HEADER} value names (`anonymous` or malformed → nobody), else the
 * session's caller.
 *
 * @example
 * ```ts
 * callerOf('bob@fabrikam', DEFAULT_DEV_USER); // { oid: 'bob', tid: 'fabrikam', name: 'bob' }
 * ```
 */
export function callerOf(header: string | undefined, session: DevUser): DevUser | undefined {
  if (header === undefined) return session;
  return header.trim() === 'anonymous' ? undefined : devUserOfHeader(header.trim());
}

/**
 * The `x-ms-client-principal` value for a request: from its {@link DEV_USER_HEADER} when present (`anonymous`
 * → none), else the session's caller. The tenant is the `tid` claim, and `tenantClaim` too when
 * another one names it. Undefined also when the header is malformed (the request then goes in
 * unauthenticated, and the runtime answers 401 as in Azure for a bad token).
 *
 * @example
 * ```ts
 * principalHeaderFor('bob@fabrikam', DEFAULT_DEV_USER); // base64 JSON with oid bob, tid fabrikam
 * ```
 */
export function principalHeaderFor(
  header: string | undefined,
  session: DevUser,
  tenantClaim = 'tid',
  emailUsers: boolean | string = false,
): string | undefined {
  const named = callerOf(header, session);
  const directory = typeof emailUsers === 'string' ? emailUsers : undefined;
  const user = named && emailUsers !== false ? emailUserOf(named, directory) : named;
  if (!user) return undefined;
  return Buffer.from(
    JSON.stringify({
      auth_typ: 'aad',
      name_typ: 'name',
      role_typ: 'roles',
      claims: [
        { typ: 'name', val: user.name },
        { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: user.oid },
        { typ: 'http://schemas.microsoft.com/identity/claims/tenantid', val: user.tid },
        { typ: 'tid', val: user.tid },
        // A custom tenant claim (tenancy.claim) carries the tenant too, as your token would.
        ...(tenantClaim !== 'tid' ? [{ typ: tenantClaim, val: user.tid }] : []),
        // App Service writes one `roles` claim per app role of the token.
        ...(user.roles ?? []).map((role) => ({ typ: 'roles', val: role })),
        // A verified email, as Entra ID says so (optional claims `email` and `xms_edov`); without `xms_edov` the
        // e-mail is only what the account's mail attribute says (`;email-verified=false`).
        ...(user.email !== undefined ? [{ typ: 'email', val: user.email }] : []),
        ...(user.email !== undefined && user.emailVerified !== false
          ? [{ typ: 'xms_edov', val: 'true' }]
          : []),
        // Directory roles, one claim per role template id as App Service writes an array claim.
        ...(user.wids ?? []).map((id) => ({ typ: 'wids', val: id })),
      ],
    }),
  ).toString('base64');
}

/**
 * CORS headers for a request from `origin`, when it is one of the dev origins (`auth.devOrigins` and
 * `corsOrigins`): the browser's rules (Fetch standard, CORS protocol) as App Service's CORS applies them — which
 * exposes no response header: the runtime's own `Access-Control-Expose-Headers` (runtime/http/cors-expose.ts)
 * passes through, as on the deployed app.
 * Undefined for any other origin: the browser then refuses the response, as the deployed app would.
 *
 * @example
 * ```ts
 * corsHeadersFor('http://localhost:5173', ['http://localhost:5173'], 'authorization'); // { 'access-control-allow-origin': … }
 * ```
 */
export function corsHeadersFor(
  origin: string | undefined,
  allowed: readonly string[],
  requestHeaders?: string,
): Record<string, string> | undefined {
  if (!origin || !(allowed.includes(origin) || allowed.includes('*'))) return undefined;
  // A wildcard admits any page, but only as `*` (browsers then send no credentials) and never with the dev-user
  // header: such a page is anonymous in dev (cli/dev/loopback/guard.ts), as a page without a token is in Azure.
  const listed = allowed.includes(origin);
  const headers =
    requestHeaders ??
    `authorization, content-type, if-match, x-partition-key, x-ms-continuation${listed ? `, ${DEV_USER_HEADER}` : ''}`;
  return {
    'access-control-allow-origin': listed ? origin : '*',
    vary: 'Origin',
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'access-control-allow-headers': listed
      ? headers
      : headers
          .split(',')
          .map((h) => h.trim())
          .filter((h) => h !== '' && h.toLowerCase() !== DEV_USER_HEADER)
          .join(', '),
    'access-control-max-age': '600',
  };
}
