import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a consent form may be answered: ten minutes after it was shown. */
export const CONSENT_FORM_MS = 10 * 60 * 1000;

/**
 * The consent form's anti-forgery token: an HMAC (SHA-256, the server's key) over the person, the authorization
 * request the page shows (its query, exactly) and an expiry, so a form posted by another page — for another
 * person, another client or redirect, or late — is refused (OWASP CSRF Prevention Cheat Sheet, "Signed Double-Submit
 * Cookie" and "HMAC based token": a token bound to the session's identity). The page is never framed, so no other
 * site can read the token from it.
 *
 * @example
 * ```ts
 * const token = consentToken(key, 'alice@contoso.com', url.search, Date.now());
 * consentTokenValid(key, token, 'alice@contoso.com', url.search, Date.now()); // true
 * ```
 */
export function consentToken(key: Buffer, person: string, request: string, now: number): string {
  const until = String(now + CONSENT_FORM_MS);
  return `${until}.${mac(key, person, request, until)}`;
}

/** Whether `token` is {@link consentToken}'s for this person and request, and not expired. Never throws. */
export function consentTokenValid(
  key: Buffer,
  token: unknown,
  person: string,
  request: string,
  now: number,
): boolean {
  if (typeof token !== 'string') return false;
  const [until, given, extra] = token.split('.');
  if (extra !== undefined || !until || !given || !/^\d{1,16}$/.test(until)) return false;
  if (Number(until) <= now) return false;
  const made = Buffer.from(mac(key, person, request, until));
  const sent = Buffer.from(given);
  return made.length === sent.length && timingSafeEqual(made, sent);
}

function mac(key: Buffer, person: string, request: string, until: string): string {
  // Lengths first: no two (person, request) pairs concatenate to the same bytes.
  return createHmac('sha256', key)
    .update(`${String(person.length)}:${person}|${String(request.length)}:${request}|${until}`)
    .digest('base64url');
}
