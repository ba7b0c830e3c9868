import type { HttpRequest } from '@azure/functions';

/**
 * Header App Service authentication sets to the authenticated caller (base64 JSON). App Service strips it
 * from incoming requests and sets it only after validating the token, so clients cannot forge it when
 * authentication is on (https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities).
 *
 * @example
 * ```ts
 * const principal = clientPrincipalOf(request.headers.get(CLIENT_PRINCIPAL_HEADER));
 * ```
 */
export const CLIENT_PRINCIPAL_HEADER = 'x-ms-client-principal';

/**
 * The caller as App Service authentication describes it: `{ auth_typ, name_typ, role_typ, claims: [{ typ, val }] }`.
 *
 * @example
 * ```ts
 * const p: ClientPrincipal = { authType: 'aad', claims: [{ typ: 'tid', val: 'contoso' }] };
 * ```
 */
export interface ClientPrincipal {
  readonly authType: string;
  readonly claims: readonly { readonly typ: string; readonly val: string }[];
  /** The claim type App Service says carries roles (`role_typ`), when it names one. */
  readonly roleType?: string;
  /** The claim type App Service says carries the display name (`name_typ`), when it names one. */
  readonly nameType?: string;
}

/** Largest header value decoded: the platform's own principals are a few KiB. */
const MAX_HEADER_LENGTH = 64 * 1024;

/**
 * App Service writes some Entra ID claims under their long WS-Federation names (`tid` as
 * `http://schemas.microsoft.com/identity/claims/tenantid`), so a short name also matches its long form.
 */
const CLAIM_ALIASES: Readonly<Record<string, readonly string[]>> = {
  tid: ['http://schemas.microsoft.com/identity/claims/tenantid'],
  oid: ['http://schemas.microsoft.com/identity/claims/objectidentifier'],
  sub: ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier'],
  scp: ['http://schemas.microsoft.com/identity/claims/scope'],
  roles: ['http://schemas.microsoft.com/ws/2008/06/identity/claims/role'],
  name: ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name', 'preferred_username'],
};

/**
 * Decode an `x-ms-client-principal` value; `undefined` when absent or malformed (treated as anonymous).
 *
 * @example
 * ```ts
 * const value = Buffer.from(
 *   JSON.stringify({ auth_typ: 'aad', claims: [{ typ: 'tid', val: 't1' }] }),
 * ).toString('base64');
 * clientPrincipalOf(value)?.claims[0]?.val; // 't1'
 * ```
 */
export function clientPrincipalOf(header: string | null | undefined): ClientPrincipal | undefined {
  if (!header || header.length > MAX_HEADER_LENGTH) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as { auth_typ?: unknown; claims?: unknown; role_typ?: unknown; name_typ?: unknown };
  if (!Array.isArray(r.claims)) return undefined;
  const claims = r.claims
    .filter(
      (c): c is { typ: string; val: string } =>
        typeof c === 'object' &&
        c !== null &&
        typeof (c as { typ?: unknown }).typ === 'string' &&
        typeof (c as { val?: unknown }).val === 'string',
    )
    .map((c) => ({ typ: c.typ, val: c.val }));
  return {
    authType: typeof r.auth_typ === 'string' ? r.auth_typ : '',
    claims,
    ...(typeof r.role_typ === 'string' && r.role_typ !== '' ? { roleType: r.role_typ } : {}),
    ...(typeof r.name_typ === 'string' && r.name_typ !== '' ? { nameType: r.name_typ } : {}),
  };
}

/**
 * The request's principal (see {@link clientPrincipalOf}).
 *
 * @example
 * ```ts
 * if (!principalOf(request)) return problemResponse('unauthenticated', 'Sign in first.');
 * ```
 */
export function principalOf(request: HttpRequest): ClientPrincipal | undefined {
  const header = request.headers.get(CLIENT_PRINCIPAL_HEADER);
  if (!header || header.length > MAX_CACHED_LENGTH) return clientPrincipalOf(header);
  // A signed-in caller sends the same principal request after request: decoded once (base64, JSON, the claims'
  // checks: µs per request, ~10 for a real token's few KiB) and shared, frozen, by the requests that carry it.
  let held = decoded.get(header);
  if (held === undefined) {
    held = frozen(clientPrincipalOf(header));
    if (decoded.size >= MAX_CACHED) decoded.delete(decoded.keys().next().value as string);
    decoded.set(header, held);
  }
  return held ?? undefined;
}

// The principals decoded last, by header text (null: malformed). Bounded: at most 256 of at most 8 KiB each.
const decoded = new Map<string, ClientPrincipal | null>();
const MAX_CACHED = 256;
const MAX_CACHED_LENGTH = 8 * 1024;

function frozen(principal: ClientPrincipal | undefined): ClientPrincipal | null {
  if (!principal) return null;
  for (const claim of principal.claims) Object.freeze(claim);
  Object.freeze(principal.claims);
  return Object.freeze(principal);
}

/**
 * The first non-blank value of a claim, matching its long name too (`tid` ↔ `…/claims/tenantid`).
 *
 * @example
 * ```ts
 * const principal = clientPrincipalOf(request.headers.get(CLIENT_PRINCIPAL_HEADER));
 * if (principal) claimOf(principal, 'tid'); // '72f988bf-…'
 * ```
 */
export function claimOf(principal: ClientPrincipal, typ: string): string | undefined {
  const names = [typ, ...(CLAIM_ALIASES[typ] ?? [])];
  for (const name of names) {
    const value = principal.claims.find((c) => c.typ === name && c.val.trim() !== '')?.val.trim();
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * Claims that identify the caller: Entra ID's object id (`oid`) or the subject (`sub`), each also under the
 * long name App Service may write. A principal without one of them is not a signed-in caller (`{"claims":[]}`
 * decodes, but names nobody).
 */
const IDENTITY_CLAIMS = ['oid', 'sub'];

/**
 * The caller's identity (`oid`, else `sub`, long names included), or `undefined` when the principal names nobody.
 *
 * @example
 * ```ts
 * const principal = clientPrincipalOf(request.headers.get(CLIENT_PRINCIPAL_HEADER));
 * if (principal) identityOf(principal); // '00000000-0000-0000-0000-000000000001'
 * ```
 */
export function identityOf(principal: ClientPrincipal): string | undefined {
  for (const claim of IDENTITY_CLAIMS) {
    const value = claimOf(principal, claim);
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * The caller's app roles: every value of the `roles` claim (App Service writes one claim per role, under
 * `roles`, its long name, or the type `role_typ` names), trimmed and unique.
 *
 * @example
 * ```ts
 * rolesOf(principal); // ['NoteAdmin']
 * ```
 */
export function rolesOf(principal: ClientPrincipal): string[] {
  const names = new Set([
    'roles',
    ...(CLAIM_ALIASES.roles ?? []),
    ...(principal.roleType ? [principal.roleType] : []),
  ]);
  const roles = principal.claims.filter((c) => names.has(c.typ)).flatMap((c) => rolesIn(c.val));
  return [...new Set(roles)];
}

/**
 * Every value of a multi-valued claim (App Service writes one claim per value of a token's array claim; some
 * gateways one claim holding the JSON array), trimmed and unique: the caller's directory roles (`wids`), say.
 *
 * @example
 * ```ts
 * claimValuesOf(principal, 'wids'); // ['62e90394-69f5-4237-9190-012177145e10']
 * ```
 */
export function claimValuesOf(principal: ClientPrincipal, typ: string): string[] {
  const names = new Set([typ, ...(CLAIM_ALIASES[typ] ?? [])]);
  const values = principal.claims.filter((c) => names.has(c.typ)).flatMap((c) => rolesIn(c.val));
  return [...new Set(values)];
}

/** One claim value: a role, or (as some gateways forward it) a JSON array of roles. */
function rolesIn(value: string): string[] {
  const v = value.trim();
  if (v.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(v);
      if (Array.isArray(parsed))
        return parsed
          .filter((x): x is string => typeof x === 'string' && x.trim() !== '')
          .map((x) => x.trim());
    } catch {
      // Not JSON: a role named "[…" is taken as written below.
    }
  }
  return v === '' ? [] : [v];
}

/**
 * The caller's display name: the claim `name_typ` names, else `name` (or its long form, or `preferred_username`).
 *
 * @example
 * ```ts
 * nameOf(principal); // 'Alice Example'
 * ```
 */
export function nameOf(principal: ClientPrincipal): string | undefined {
  return (
    (principal.nameType ? claimOf(principal, principal.nameType) : undefined) ??
    claimOf(principal, 'name')
  );
}
