import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { exportJWK, type JWK } from 'jose';
import {
  agentProtectedResource,
  openIdConfiguration,
} from '../../../contract/mcp/oauth/metadata.js';
import type { AgentTokenKey } from '../../mcp/oauth/access-token.js';
import { signingKeyRefusal } from '../../mcp/oauth/signing-key-refusal.js';
import type { AgentsApi } from './agents-api.js';
import { issuerOf } from './authorize-route.js';

/** Public documents: cacheable by anyone (RFC 9111 §5.2.2.9), for an hour like the root metadata under dev. */
const publicJson = (body: unknown, maxAge = 3600): HttpResponseInit => ({
  status: 200,
  headers: { 'Cache-Control': `public, max-age=${String(maxAge)}` },
  jsonBody: body,
});

/**
 * `GET api/.well-known/oauth-protected-resource` (RFC 9728 §3): the MCP door's protected-resource metadata, naming
 * the API's base as its authorization server — the document the door's 401 names in Azure, where the root path
 * `/.well-known/oauth-protected-resource` is App Service authentication's and would name Entra ID (Learn,
 * app-service/configure-authentication-mcp). Anonymous: public metadata only.
 *
 * @example
 * ```ts
 * add(OAUTH_FUNCTIONS.protectedResource, DISCOVERY_ROUTES.protectedResource, protectedResourceHandler(), get);
 * ```
 */
export function protectedResourceHandler() {
  return (request: HttpRequest): Promise<HttpResponseInit> =>
    Promise.resolve(publicJson(agentProtectedResource(issuerOf(request))));
}

/**
 * `GET api/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4): the authorization server's metadata
 * where a client finds it for the issuer `<origin>/api` by OIDC's path appending — the one URL of the MCP
 * specification's discovery list (2025-11-25 basic/authorization, "Authorization Server Metadata Discovery": for an
 * issuer with a path, OAuth path insertion, OIDC path insertion, then "OpenID Connect Discovery 1.0 path appending:
 * `https://auth.example.com/tenant1/.well-known/openid-configuration`") a Function App can answer, its routes all
 * below `api/`. Anonymous: public metadata only.
 *
 * @example
 * ```ts
 * add(OAUTH_FUNCTIONS.openidConfiguration, DISCOVERY_ROUTES.openidConfiguration, openIdConfigurationHandler(api), get);
 * ```
 */
export function openIdConfigurationHandler(api: Pick<AgentsApi, 'config'>) {
  return (request: HttpRequest): Promise<HttpResponseInit> =>
    Promise.resolve(
      publicJson(openIdConfiguration(issuerOf(request), { registration: api.config.registration })),
    );
}

/**
 * `GET api/oauth/jwks` (RFC 7517 §5, the openid configuration's `jwks_uri`): the public keys the live access tokens
 * are signed with — deployed, every enabled, unexpired version of Key Vault's key that may have signed one (the
 * current version and those a rotation superseded within the longest token's life, key-versions.ts), each with its
 * own `kid`; this process's own key under dev and in-process — as a JWK Set (`kid`, `alg: ES256`, `use: sig`), so an
 * agent's verifier that picks the key by `kid` (jose's `createRemoteJWKSet`, refetching on an unknown `kid`) keeps
 * verifying across a rotation. Only the public part: a JWK of a private key is never built here. When the vault
 * cannot be read, 503 with `Retry-After` as the token endpoint answers (signing-key-refusal.ts). Cached five
 * minutes: a rotation reaches a reader as it reaches the instances (vault-signing-key.ts).
 *
 * @example
 * ```ts
 * add(OAUTH_FUNCTIONS.jwks, DISCOVERY_ROUTES.jwks, jwksHandler(api), get);
 * ```
 */
export function jwksHandler(api: Pick<AgentsApi, 'keys'>) {
  return async (): Promise<HttpResponseInit> => {
    try {
      const { signing } = await api.keys();
      return publicJson({ keys: await publicJwksOf(signing) }, 300);
    } catch (e) {
      const refused = signingKeyRefusal(e);
      if (refused) return refused;
      throw e;
    }
  };
}

/** The public JWKs of the keys that verify now, each with its `kid`; none when the vault has none. */
async function publicJwksOf(key: AgentTokenKey): Promise<JWK[]> {
  const keys = 'current' in key ? await key.publicKeys() : [{ kid: key.kid, key: key.publicKey }];
  return Promise.all(
    keys.map(async ({ kid, key: publicKey }) => {
      const { kty, crv, x, y } = await exportJWK(publicKey);
      return { kty, crv, x, y, kid, alg: 'ES256', use: 'sig' };
    }),
  );
}
