import { createHash, randomBytes } from 'node:crypto';
import { pkceVerified } from './pkce.js';

/** DESIGN.md §2: a code lives at most 60 s (RFC 6749 §4.1.2 recommends at most 10 minutes). */
export const CODE_LIFETIME_MS = 60_000;

/** What a code is bound to: the client, its redirect, the PKCE challenge, the person and the organization. */
export interface CodeBinding {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly person: string;
  readonly organization: string;
  readonly resource: string;
  /** The directory (`tid`) of the person's sign-in when they consented: where their agent acts from. */
  readonly directory?: string;
}

/** A code as stored: its hash, its binding, when it ends, and whether it was used (and the grant it made). */
export interface CodeRecord extends CodeBinding {
  readonly hash: string;
  readonly expires: number;
  readonly usedFor?: string;
}

/**
 * A new authorization code (`atc_` and 32 random bytes) and its record.
 *
 * @example
 * ```ts
 * const { code, record } = newAuthorizationCode(binding, Date.now());
 * ```
 */
export function newAuthorizationCode(
  binding: CodeBinding,
  now: number,
): { readonly code: string; readonly record: CodeRecord } {
  const code = `atc_${randomBytes(32).toString('base64url')}`;
  return { code, record: { ...binding, hash: codeHash(code), expires: now + CODE_LIFETIME_MS } };
}

/** The stored form of a code: SHA-256, hex. */
export function codeHash(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}

/** A token request's `authorization_code` grant (RFC 6749 §4.1.3, RFC 7636 §4.5). */
export interface CodeExchange {
  readonly code: string;
  readonly clientId: string;
  readonly redirectUri: string | undefined;
  readonly codeVerifier: string | undefined;
  readonly resource: string | undefined;
}

/**
 * Redeem a code once: the record must exist, be unused and unexpired, and the request must name the same client and
 * redirect URI, the same resource when it sends one, and the PKCE verifier of its challenge — else
 * `invalid_grant` (RFC 6749 §5.2). A used code presented again is `replayed` with the grant it made, which the
 * caller revokes (RFC 6749 §4.1.2: "the authorization server … SHOULD revoke (when possible) all tokens
 * previously issued based on that authorization code").
 *
 * @example
 * ```ts
 * const r = redeemCode(await codes.read(codeHash(form.code)), exchange, Date.now());
 * ```
 */
export function redeemCode(
  record: CodeRecord | undefined,
  exchange: CodeExchange,
  now: number,
):
  | { readonly ok: true; readonly binding: CodeBinding }
  | { readonly ok: false; readonly description: string; readonly replayed?: string } {
  if (!record || record.hash !== codeHash(exchange.code))
    return { ok: false, description: 'The code is unknown.' };
  if (record.usedFor !== undefined)
    return { ok: false, description: 'The code was used already.', replayed: record.usedFor };
  if (now >= record.expires) return { ok: false, description: 'The code expired.' };
  if (exchange.clientId !== record.clientId)
    return { ok: false, description: 'The code was issued to another client.' };
  if (exchange.redirectUri !== record.redirectUri)
    return { ok: false, description: 'redirect_uri is not the one the code was issued for.' };
  if (exchange.resource !== undefined && exchange.resource.replace(/\/+$/, '') !== record.resource)
    return { ok: false, description: 'resource is not the one the code was issued for.' };
  if (!pkceVerified(exchange.codeVerifier, record.codeChallenge))
    return { ok: false, description: 'code_verifier does not match the code_challenge.' };
  const { hash: _hash, expires: _expires, usedFor: _used, ...binding } = record;
  return { ok: true, binding };
}
