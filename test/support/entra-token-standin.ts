import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { serveJsonOnLoopback } from './loopback-server.js';

/**
 * A loopback stand-in for what an API validates Entra ID access tokens against: a tenant's OpenID metadata at
 * `/<tenant>/v2.0/.well-known/openid-configuration` (`issuer`, `jwks_uri`; the multi-tenant `common` document names
 * the issuer template `<base>/{tenantid}/v2.0`, as https://login.microsoftonline.com/common/v2.0's does) and its
 * signing keys at `jwks_uri` (RSA, `kid`, `use: sig`). Tokens are minted as Learn's "Microsoft identity platform
 * access tokens" shapes a v2.0 access token: header `typ: JWT`, `alg: RS256`, `kid`; payload `aud` (the API's client
 * id), `iss` (`<base>/<tid>/v2.0`), `iat`, `nbf`, `exp`, `azp`, `name`, `oid`, `preferred_username`, `scp` or
 * `roles`, `sub`, `tid`, `uti`, `ver: '2.0'`. Each fetch is counted, so a test sees the keys' bounded refresh.
 */
export interface EntraTokenStandIn {
  readonly base: string;
  /** A tenant's issuer endpoint, `<base>/<tenant>/v2.0` (what the door's `issuer` names). */
  issuerOf(tenant: string): string;
  /** A v2.0 access token of `tenant` for `audience`, signed with the published key (or `key`). */
  mint(
    tenant: string,
    audience: string,
    claims?: Record<string, unknown>,
    options?: { key?: CryptoKey; kid?: string; issuer?: string; lifetimeS?: number; nowS?: number },
  ): Promise<string>;
  /** A key pair Entra never published. */
  stranger(): Promise<CryptoKey>;
  /** The published public key (JWK), for forging with it. */
  readonly publicJwk: JWK;
  readonly fetches: { documents: number; keys: number };
  close(): Promise<void>;
}

/**
 * Start the stand-in.
 *
 * @example
 * ```ts
 * const entra = await startEntraTokenStandIn();
 * const token = await entra.mint(TENANT, API, { oid: 'ada' });
 * ```
 */
export async function startEntraTokenStandIn(): Promise<EntraTokenStandIn> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
  const fetches = { documents: 0, keys: 0 };
  let base = '';
  const server = await serveJsonOnLoopback((req) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const doc = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
    if (req.method === 'GET' && doc) {
      fetches.documents++;
      const tenant = doc[1] ?? '';
      return {
        status: 200,
        value: {
          issuer: `${base}/${tenant === 'common' ? '{tenantid}' : tenant}/v2.0`,
          jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
        },
      };
    }
    if (req.method === 'GET' && /^\/[^/]+\/discovery\/v2\.0\/keys$/.test(path)) {
      fetches.keys++;
      return { status: 200, value: { keys: [publicJwk] } };
    }
    return { status: 404, value: { error: 'not found' } };
  });
  base = server.base;
  return {
    base,
    issuerOf: (tenant) => `${base}/${tenant}/v2.0`,
    publicJwk,
    fetches,
    stranger: async () => (await generateKeyPair('RS256')).privateKey,
    mint: async (tenant, audience, claims = {}, o = {}) => {
      const now = o.nowS ?? Math.floor(Date.now() / 1000);
      const oid = typeof claims['oid'] === 'string' ? claims['oid'] : randomUUID();
      return new SignJWT({
        azp: randomUUID(),
        azpacr: '0',
        name: 'Ada Lovelace',
        oid,
        preferred_username: 'ada@contoso.com',
        scp: 'user_impersonation',
        sub: `sub-${oid}`,
        tid: tenant,
        uti: randomUUID(),
        ver: '2.0',
        ...claims,
      })
        .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: o.kid ?? kid })
        .setIssuer(o.issuer ?? `${base}/${tenant}/v2.0`)
        .setAudience(audience)
        .setIssuedAt(now)
        .setNotBefore(now)
        .setExpirationTime(now + (o.lifetimeS ?? 3600))
        .sign(o.key ?? privateKey);
    },
    close: server.close,
  };
}
