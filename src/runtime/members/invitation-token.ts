import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ORGANIZATION_ID } from '../../contract/members.js';

/**
 * A new invitation's secret parts: its id (shown in `GET api/tenant/invitations`), the token the `acceptUrl` carries
 * (shown once, never stored) and the token's SHA-256 (what the `members` container keeps).
 */
export interface NewInvitationToken {
  readonly id: string;
  readonly token: string;
  readonly hash: string;
}

const ID = /^[a-z0-9]{12}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** Lower-case letters and digits drawn from the platform's CSPRNG (an invitation's id). */
function randomId(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  // 252 = 7 × 36: bytes at or above it are redrawn, so every character is equally likely.
  while (out.length < length)
    for (const b of randomBytes(length * 2))
      if (b < 252 && out.length < length) out += alphabet.charAt(b % 36);
  return out;
}

/**
 * A single-use token for an invitation to `tenant`: `<tenant>.<id>.<secret>` with 256 random bits of secret
 * (base64url), so `POST api/invitations/accept` finds the invitation by a point read (tenant, id) and proves the
 * token by its hash — nothing in the store lets anyone rebuild a token.
 *
 * @example
 * ```ts
 * const { id, token, hash } = newInvitationToken('acme-k3x9qa');
 * token.startsWith(`acme-k3x9qa.${id}.`); // true
 * newInvitationToken('acme-k3x9qa', id).token; // a new secret for the same invitation (a resend)
 * ```
 */
export function newInvitationToken(tenant: string, id: string = randomId(12)): NewInvitationToken {
  const token = `${tenant}.${id}.${randomBytes(32).toString('base64url')}`;
  return { id, token, hash: tokenHash(token) };
}

/**
 * The invitation a token names — its tenant and id — or undefined when it is no token of {@link newInvitationToken}'s
 * shape (answered like an expired one: 410).
 *
 * @example
 * ```ts
 * invitationOfToken('acme-k3x9qa.k3x9qa7b2c1d.' + 'A'.repeat(43)); // { tenant: 'acme-k3x9qa', id: 'k3x9qa7b2c1d' }
 * ```
 */
export function invitationOfToken(
  token: unknown,
): { readonly tenant: string; readonly id: string } | undefined {
  if (typeof token !== 'string' || token.length > 200) return undefined;
  const [tenant = '', id = '', secret = '', ...rest] = token.split('.');
  if (rest.length > 0 || !ORGANIZATION_ID.test(tenant) || !ID.test(id) || !SECRET.test(secret))
    return undefined;
  return { tenant, id };
}

/**
 * The token's SHA-256 (hex): what an invitation stores.
 *
 * @example
 * ```ts
 * tokenHash('t').length; // 64
 * ```
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Whether `token` is the one whose hash an invitation stores, compared in constant time.
 *
 * @example
 * ```ts
 * tokenMatches(token, invitation.tokenHash); // true for the token the acceptUrl carried
 * ```
 */
export function tokenMatches(token: string, hash: string): boolean {
  const a = Buffer.from(tokenHash(token), 'hex');
  const b = Buffer.from(/^[0-9a-f]{64}$/.test(hash) ? hash : '', 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
