import { createHmac, timingSafeEqual } from 'node:crypto';

/** The claims the loopback hub reads from a Web PubSub token (key mode: HS256 signed with the access key). */
export interface HubTokenClaims {
  readonly aud?: string;
  readonly exp?: number;
  readonly sub?: string;
  readonly role?: readonly string[];
  readonly 'webpubsub.group'?: readonly string[];
}

/**
 * Verify an HS256 JWT signed with `key` (what `@azure/web-pubsub` signs with an `AzureKeyCredential`: client tokens
 * and the REST calls' bearer tokens) and return its claims, or why it is refused. `exp` is checked against `nowSec`.
 *
 * @example
 * ```ts
 * const r = verifyHs256(token, key, Math.floor(Date.now() / 1000));
 * if (!r.ok) console.log(r.reason);
 * ```
 */
export function verifyHs256(
  token: string,
  key: string,
  nowSec: number,
): { ok: true; claims: HubTokenClaims } | { ok: false; reason: string } {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'not a JWT' };
  const [head, body, signature] = parts as [string, string, string];
  let header: { alg?: unknown };
  let claims: HubTokenClaims & Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: unknown };
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as HubTokenClaims &
      Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'malformed JWT' };
  }
  if (header.alg !== 'HS256')
    return { ok: false, reason: `alg ${String(header.alg)} is not HS256` };
  const expected = createHmac('sha256', key).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad signature' };
  if (typeof claims.exp !== 'number' || claims.exp <= nowSec)
    return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

/**
 * Sign `claims` as an HS256 JWT with `key` (the hub's own event tokens to the runtime's events route).
 *
 * @example
 * ```ts
 * const token = signHs256({ aud: 'urn:atakora:realtime-events:atakora', exp: 1_900_000_000 }, key);
 * ```
 */
export function signHs256(claims: Readonly<Record<string, unknown>>, key: string): string {
  const head = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', key).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}
