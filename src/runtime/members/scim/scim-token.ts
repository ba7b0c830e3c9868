import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SCIM_TOKEN_PREFIX } from '../../../contract/scim/scim.js';

/**
 * A new SCIM token: the prefix and 32 random bytes (256 bits, base64url) — nothing a guess or a tenant id reveals.
 *
 * @example
 * ```ts
 * newScimSecret(); // 'atakora-scim.Qk3x…'
 * ```
 */
export function newScimSecret(): string {
  return `${SCIM_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * The SHA-256 of a token, hex: what is stored and looked up (a leaked `members` container leaks no usable token).
 *
 * @example
 * ```ts
 * scimTokenHash('atakora-scim.abc'); // '5f1c…' (64 hex digits)
 * ```
 */
export function scimTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Whether a presented token's hash equals the stored one, compared in constant time (the lookup found the item by
 * that hash already; this guards against a lookup that matched otherwise, and takes the same time either way).
 *
 * @example
 * ```ts
 * sameHash(scimTokenHash(presented), stored.hash); // true
 * ```
 */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The bearer token of an `Authorization` header, when it has the SCIM token's shape; undefined otherwise (nothing
 * else is looked up, so a stray Entra access token costs no read).
 *
 * @example
 * ```ts
 * bearerScimToken('Bearer atakora-scim.abc'); // 'atakora-scim.abc'
 * ```
 */
export function bearerScimToken(header: string | null | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  const token = m?.[1];
  return token?.startsWith(SCIM_TOKEN_PREFIX) && token.length <= 200 ? token : undefined;
}
