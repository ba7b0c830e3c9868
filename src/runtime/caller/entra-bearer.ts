import { decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import type { ClientPrincipal } from './client-principal.js';
import type { IssuerKeys } from './entra-keys.js';

/**
 * Clock skew allowed on `exp` and `nbf`: a minute, as small as clocks in Azure keep (the platform's own validation
 * allows more; a token is never accepted long after Entra said it ends).
 */
const CLOCK_SKEW_S = 60;

/** The longest bearer read as an Entra token: real access tokens are a few KiB (groups overage keeps them small). */
const MAX_TOKEN = 16 * 1024;

/**
 * Why an Entra-shaped bearer was refused (for the log and the 401's detail; never the token).
 *
 * @example
 * ```ts
 * const r = await verifyEntraBearer(token, keys, audiences);
 * if (!r.ok) console.log(r.reason); // 'signature, issuer, audience or lifetime'
 * ```
 */
export type EntraBearerResult =
  | { readonly ok: true; readonly principal: ClientPrincipal }
  | { readonly ok: false; readonly reason: string };

/**
 * Validate a bearer as App Service authentication validates an Entra access token for the API's registration, on a
 * path it no longer guards (runtime/caller/door.ts), and describe its caller as App Service would
 * (`x-ms-client-principal`): RS256 only — Entra signs access tokens with RSA keys of its `jwks_uri` (Learn,
 * "Microsoft identity platform access tokens", Validate tokens: header `alg` "Indicates the algorithm that was used
 * to sign the token, for example, RS256"), so `none`, HS* and every other algorithm are refused before any key is
 * looked up; the signature against the issuer's published keys; `iss` the issuer's own (the multi-tenant `common`
 * endpoint publishes the template `…/{tenantid}/v2.0`, completed with the token's `tid`: v2.0 tokens carry
 * `https://login.microsoftonline.com/<tid>/v2.0`, same page, `iss`); `aud` one of the API's audiences (`aud`: "the
 * intended recipient of the token … the client ID of the API"); `exp`/`nbf` with {@link CLOCK_SKEW_S}; and an `oid`
 * or `sub` to name the caller.
 *
 * @example
 * ```ts
 * const r = await verifyEntraBearer(token, await source.of(), ['1111…', 'api://1111…']);
 * if (r.ok) request.headers.set('x-ms-client-principal', principalHeaderOf(r.principal));
 * ```
 */
export async function verifyEntraBearer(
  token: string,
  issuer: IssuerKeys,
  audiences: readonly string[],
): Promise<EntraBearerResult> {
  if (token.length > MAX_TOKEN) return { ok: false, reason: 'the token is too long' };
  try {
    if (decodeProtectedHeader(token).alg !== 'RS256')
      return { ok: false, reason: 'the token is not signed with RS256' };
    const { payload } = await jwtVerify(token, issuer.keys, {
      algorithms: ['RS256'],
      audience: [...audiences],
      clockTolerance: CLOCK_SKEW_S,
      requiredClaims: ['exp', 'iss', 'aud'],
    });
    const tid = typeof payload['tid'] === 'string' ? payload['tid'] : undefined;
    const expected = issuer.issuer.includes('{tenantid}')
      ? tid && /^[0-9a-f-]{36}$/i.test(tid)
        ? issuer.issuer.replace('{tenantid}', tid)
        : undefined
      : issuer.issuer;
    if (expected === undefined || payload.iss !== expected)
      return { ok: false, reason: 'the token was issued by another issuer' };
    const principal = principalOfClaims(payload);
    if (!principal.claims.some((c) => (c.typ === 'oid' || c.typ === 'sub') && c.val !== ''))
      return { ok: false, reason: 'the token names nobody (no oid or sub)' };
    return { ok: true, principal };
  } catch {
    return { ok: false, reason: 'signature, issuer, audience or lifetime' };
  }
}

/**
 * A validated token's claims as App Service hands them to the app: one `{ typ, val }` per string or number claim,
 * one per value of an array claim (`roles`, `groups`, `wids`), objects left out; `auth_typ` `aad`, roles under
 * `roles`, the name under `name` (Learn, "Work with user identities", Decode the client principal header).
 *
 * @example
 * ```ts
 * principalOfClaims({ oid: 'o1', tid: 't1', roles: ['Admin'] }).claims; // [{ typ: 'oid', val: 'o1' }, …]
 * ```
 */
export function principalOfClaims(payload: JWTPayload): ClientPrincipal {
  const claims: { typ: string; val: string }[] = [];
  for (const [typ, value] of Object.entries(payload)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values)
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
        claims.push({ typ, val: String(v) });
  }
  return { authType: 'aad', claims, roleType: 'roles', nameType: 'name' };
}

/**
 * The `x-ms-client-principal` value of a principal (base64 JSON, App Service's field names), for the code that
 * reads the header (runtime/caller/client-principal.ts).
 *
 * @example
 * ```ts
 * principalHeaderOf({ authType: 'aad', claims: [{ typ: 'oid', val: 'o1' }] }); // 'eyJhdXRoX3R5cCI6…'
 * ```
 */
export function principalHeaderOf(principal: ClientPrincipal): string {
  return Buffer.from(
    JSON.stringify({
      auth_typ: principal.authType,
      claims: principal.claims,
      ...(principal.roleType ? { role_typ: principal.roleType } : {}),
      ...(principal.nameType ? { name_typ: principal.nameType } : {}),
    }),
  ).toString('base64');
}
