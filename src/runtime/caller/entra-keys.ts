import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';

/**
 * What an Entra issuer endpoint publishes for validating its tokens: the `issuer` its tokens carry (for the
 * multi-tenant `common` endpoint the template `https://login.microsoftonline.com/{tenantid}/v2.0`) and its signing
 * keys. OpenID Connect Discovery 1.0 §4: the document is at `<issuer endpoint>/.well-known/openid-configuration` and
 * names `jwks_uri`; Learn, "Microsoft identity platform access tokens", Validate the signature: "the public key
 * … can be found in the jwks_uri of the OpenID Connect metadata document".
 *
 * @example
 * ```ts
 * const keys = await issuerKeys.of('https://login.microsoftonline.com/72f9…/v2.0');
 * if (keys) await jwtVerify(token, keys.keys, { issuer: keys.issuer });
 * ```
 */
export interface IssuerKeys {
  readonly issuer: string;
  readonly keys: JWTVerifyGetKey;
}

/** How long a fetched discovery document is kept, and how soon a failed fetch is tried again. */
const DOCUMENT_MAX_AGE_MS = 24 * 60 * 60 * 1000;
const RETRY_AFTER_FAILURE_MS = 30 * 1000;
/** Each fetch (the document, the key set) is bounded: a slow issuer stalls no request past it. */
const FETCH_TIMEOUT_MS = 5000;
/**
 * The key set is kept 10 minutes and fetched again at most every 30 s when a token names a key it does not hold
 * (Entra rolls its keys and the new key's tokens arrive before a cached set knows it): jose's bounded refresh
 * (`cacheMaxAge`, `cooldownDuration`), so tokens of made-up key ids cost one fetch per 30 s at most.
 */
const KEYS_MAX_AGE_MS = 10 * 60 * 1000;
const KEYS_COOLDOWN_MS = 30 * 1000;

/**
 * The keys of one issuer endpoint (the door's `issuer`, written by the plan), discovered once and kept: a fetch that
 * fails leaves nothing cached and is not tried again for 30 s (every token meanwhile is refused, never admitted).
 * The key set must be served from the issuer endpoint's own origin (Entra's and External ID's are), so a discovery
 * document can never point validation at another host.
 *
 * @example
 * ```ts
 * const source = issuerKeysSource('https://login.microsoftonline.com/common/v2.0');
 * const keys = await source.of(); // { issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0', keys }
 * ```
 */
export function issuerKeysSource(
  endpoint: string,
  fetchImpl: typeof fetch = fetch,
): { of(): Promise<IssuerKeys | undefined> } {
  let held: { value: IssuerKeys | undefined; until: number } | undefined;
  let pending: Promise<IssuerKeys | undefined> | undefined;
  const discover = async (): Promise<IssuerKeys | undefined> => {
    try {
      const base = endpoint.replace(/\/+$/, '');
      const res = await fetchImpl(`${base}/.well-known/openid-configuration`, {
        redirect: 'error',
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      if (!res.ok) return undefined;
      const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
      if (typeof doc.issuer !== 'string' || typeof doc.jwks_uri !== 'string') return undefined;
      const jwks = new URL(doc.jwks_uri);
      if (jwks.origin !== new URL(base).origin) return undefined;
      const keys = createRemoteJWKSet(jwks, {
        timeoutDuration: FETCH_TIMEOUT_MS,
        cacheMaxAge: KEYS_MAX_AGE_MS,
        cooldownDuration: KEYS_COOLDOWN_MS,
      });
      return { issuer: doc.issuer, keys };
    } catch {
      return undefined;
    }
  };
  return {
    of: async () => {
      if (held && Date.now() < held.until) return held.value;
      pending ??= discover().then((value) => {
        held = {
          value,
          until: Date.now() + (value ? DOCUMENT_MAX_AGE_MS : RETRY_AFTER_FAILURE_MS),
        };
        pending = undefined;
        return value;
      });
      return pending;
    },
  };
}
