import { createPublicKey, type JsonWebKey, type KeyObject, verify } from 'node:crypto';
import { MARKETPLACE_API_APP_ID } from '../../model/marketplace.js';

/** Who may call the webhook: the publisher tenant (whose keys sign the token) and the fulfillment app (its audience). */
export interface WebhookTokenRules {
  /** `https://login.microsoftonline.com`, or `ATAKORA_MARKETPLACE_API`. */
  readonly login: string;
  readonly publisherTenantId: string;
  readonly clientId: string;
  readonly now?: () => number;
  /** Each discovery fetch's deadline (default 3 s). */
  readonly timeoutMs?: number;
}

/**
 * A verdict: the token's claims, or why it is refused (logged, never answered: a forger learns nothing) — or, with
 * `unavailable`, that it could not be checked now (the key set unreadable: the caller answers 5xx and is called again).
 */
export type TokenVerdict =
  | { readonly ok: true; readonly claims: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly reason: string; readonly unavailable?: true };

/** How long the signing keys are kept before they are read again (Entra rolls them, announcing new ones ahead). */
const KEYS_MS = 24 * 3_600_000;
/** An unknown `kid` reads the keys again at most this often (a stream of forged kids fetches nothing more). */
const REFETCH_MS = 5 * 60_000;

const b64url = (s: string): Buffer => Buffer.from(s, 'base64url');
const parse = (s: string): Record<string, unknown> | undefined => {
  try {
    const v: unknown = JSON.parse(b64url(s).toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The webhook's bearer token checked as Learn ("Implementing a webhook on the SaaS service": the Microsoft Entra token
 * in the `Authorization` header) and Microsoft's Commercial-Marketplace-SaaS-Accelerator (src/Services/Utilities/
 * ValidateJwtToken.cs) check it: an RS256 signature by a key of the publisher tenant's key set — its OpenID
 * configuration `<login>/<tenant>/v2.0/.well-known/openid-configuration` names the `jwks_uri` —, `aud` the fulfillment
 * app's client id, `tid` the publisher tenant, `azp` (v2 tokens) or `appid` (v1) the Marketplace API's
 * `20e940b3-4c77-4b0b-9a53-9e16a1b010a7`, and its lifetime (`exp` past, `nbf` ahead: refused, no clock skew, as the
 * accelerator's `ClockSkew = 0`). The issuer is not compared (it differs between v1 and v2 tokens; the accelerator
 * does not either): the signing keys and `tid` are the publisher tenant's. Keys are kept 24 h, and read again on an
 * unknown `kid` at most every 5 minutes.
 *
 * @example
 * ```ts
 * const check = webhookTokenVerifier({ login: 'https://login.microsoftonline.com', publisherTenantId, clientId });
 * const verdict = await check(request.headers.get('authorization'));
 * ```
 */
export function webhookTokenVerifier(
  rules: WebhookTokenRules,
): (authorization: string | null) => Promise<TokenVerdict> {
  const now = rules.now ?? Date.now;
  const timeoutMs = rules.timeoutMs ?? 3_000;
  let keys: { byKid: Map<string, KeyObject>; at: number } | undefined;
  let lastFetch = 0;
  const fetchJson = async (url: string): Promise<Record<string, unknown>> => {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`${url} answered ${String(res.status)}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const readKeys = async (): Promise<Map<string, KeyObject>> => {
    lastFetch = now();
    const config = await fetchJson(
      `${rules.login}/${encodeURIComponent(rules.publisherTenantId)}/v2.0/.well-known/openid-configuration`,
    );
    const jwksUri = config['jwks_uri'];
    if (typeof jwksUri !== 'string') throw new Error('the OpenID configuration names no jwks_uri');
    const set = await fetchJson(jwksUri);
    const byKid = new Map<string, KeyObject>();
    for (const k of Array.isArray(set['keys']) ? (set['keys'] as JsonWebKey[]) : [])
      if (k.kty === 'RSA' && typeof k['kid'] === 'string' && (k['use'] ?? 'sig') === 'sig')
        byKid.set(k['kid'], createPublicKey({ key: k, format: 'jwk' }));
    keys = { byKid, at: now() };
    return byKid;
  };
  const keyOf = async (kid: string): Promise<KeyObject | undefined> => {
    const fresh = keys && now() - keys.at < KEYS_MS ? keys.byKid : await readKeys();
    const key = fresh.get(kid);
    if (key || now() - lastFetch < REFETCH_MS) return key;
    return (await readKeys()).get(kid);
  };
  return async (authorization) => {
    const m = /^Bearer\s+([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/i.exec(
      authorization?.trim() ?? '',
    );
    if (!m) return { ok: false, reason: 'no bearer token' };
    const [, h = '', p = '', s = ''] = m;
    const header = parse(h);
    const claims = parse(p);
    if (!header || !claims) return { ok: false, reason: 'not a JWT' };
    if (header['alg'] !== 'RS256' || typeof header['kid'] !== 'string')
      return { ok: false, reason: `alg ${String(header['alg'])} or no kid` };
    let key: KeyObject | undefined;
    try {
      key = await keyOf(header['kid']);
    } catch (e) {
      return {
        ok: false,
        reason: `signing keys unreadable: ${e instanceof Error ? e.message : ''}`,
        unavailable: true,
      };
    }
    if (!key) return { ok: false, reason: 'unknown kid' };
    if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, b64url(s)))
      return { ok: false, reason: 'bad signature' };
    const seconds = now() / 1000;
    const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : undefined);
    if (typeof claims['exp'] !== 'number' || claims['exp'] <= seconds)
      return { ok: false, reason: 'expired' };
    if (typeof claims['nbf'] === 'number' && claims['nbf'] > seconds)
      return { ok: false, reason: 'not yet valid' };
    if (lower(claims['aud']) !== rules.clientId.toLowerCase()) return { ok: false, reason: 'aud' };
    if (lower(claims['tid']) !== rules.publisherTenantId.toLowerCase())
      return { ok: false, reason: 'tid' };
    if (
      lower(claims['azp']) !== MARKETPLACE_API_APP_ID &&
      lower(claims['appid']) !== MARKETPLACE_API_APP_ID
    )
      return { ok: false, reason: 'azp/appid' };
    return { ok: true, claims };
  };
}
