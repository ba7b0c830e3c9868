import { createHash, timingSafeEqual } from 'node:crypto';

/** RFC 7636 §4.1: a verifier is 43 to 128 characters of `[A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"`. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** An S256 challenge: BASE64URL(SHA256(verifier)), 43 characters without padding (RFC 7636 §4.2). */
const CHALLENGE = /^[A-Za-z0-9\-_]{43}$/;

/**
 * Whether a `code_challenge` is an S256 challenge's shape (RFC 7636 §4.2). OAuth 2.1 and the MCP specification
 * require PKCE and S256 (MCP 2025-11-25 basic/authorization, "Authorization Code Protection").
 *
 * @example
 * ```ts
 * isS256Challenge('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'); // true
 * ```
 */
export function isS256Challenge(challenge: unknown): challenge is string {
  return typeof challenge === 'string' && CHALLENGE.test(challenge);
}

/**
 * Whether `verifier` is the one `challenge` was made from: `BASE64URL(SHA256(ASCII(code_verifier))) ==
 * code_challenge` (RFC 7636 §4.6), compared in constant time.
 *
 * @example
 * ```ts
 * pkceVerified('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'); // true (RFC 7636 Appendix B)
 * ```
 */
export function pkceVerified(verifier: unknown, challenge: string): boolean {
  if (typeof verifier !== 'string' || !VERIFIER.test(verifier)) return false;
  const made = Buffer.from(createHash('sha256').update(verifier, 'ascii').digest('base64url'));
  const given = Buffer.from(challenge);
  return made.length === given.length && timingSafeEqual(made, given);
}
