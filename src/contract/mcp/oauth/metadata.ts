import { MCP_ROUTE, PROTECTED_RESOURCE_PATH } from '../protocol.js';

/**
 * Where an authorization server's metadata is read (RFC 8414 §3: `/.well-known/oauth-authorization-server`, and
 * for an issuer with a path the path after it, §3.1 — `https://host/.well-known/oauth-authorization-server/api`
 * for the issuer `https://host/api`, the URL the MCP SDK's discovery asks first).
 */
export const AUTHORIZATION_SERVER_PATH = '/.well-known/oauth-authorization-server';

/** The authorization server's routes under the API's base (`api/`), as DESIGN.md §2 names them. */
export const OAUTH_ROUTES = {
  authorize: 'oauth/authorize',
  token: 'oauth/token',
  revoke: 'oauth/revoke',
  register: 'oauth/register',
} as const;

/**
 * The discovery documents the runtime serves itself under the API's base (`api/`), with `mcp.authorization`: a
 * Function App's routes all live below its `routePrefix`, so deployed these are the only discovery URLs it can
 * answer (the host's root paths are App Service authentication's). The MCP specification's clients reach them
 * through the 401's `resource_metadata` (the protected-resource metadata) and, for the issuer `<origin>/api`,
 * through OpenID Connect Discovery's path appending (the openid configuration; MCP 2025-11-25 basic/authorization,
 * "Authorization Server Metadata Discovery", the third URL for an issuer with a path). `jwks` holds the access
 * tokens' public keys the openid configuration names (`jwks_uri`).
 */
export const DISCOVERY_ROUTES = {
  protectedResource: '.well-known/oauth-protected-resource',
  openidConfiguration: '.well-known/openid-configuration',
  jwks: 'oauth/jwks',
} as const;

/** The one scope the backend's own tokens carry: the MCP door. */
export const MCP_SCOPE = 'mcp';

/**
 * The MCP resource a token is for: the MCP endpoint's URL under the API's base (the `aud` of the backend's tokens
 * and the `resource` an agent sends, RFC 8707 §2).
 *
 * @example
 * ```ts
 * mcpResourceOf('https://func-helpdesk.azurewebsites.net/api'); // 'https://func-helpdesk.azurewebsites.net/api/mcp'
 * ```
 */
export function mcpResourceOf(apiBase: string): string {
  return `${apiBase.replace(/\/+$/, '')}/${MCP_ROUTE}`;
}

/**
 * The backend's authorization server metadata (RFC 8414 §2), what the MCP specification's clients read
 * (2025-11-25 basic/authorization, "Authorization Server Metadata Discovery"): the `issuer` the API's base, PKCE
 * with S256 only (`code_challenge_methods_supported`: a client MUST refuse a server that does not list it),
 * Client ID Metadata Documents (`client_id_metadata_document_supported`,
 * draft-ietf-oauth-client-id-metadata-document §5), the `iss` response parameter (RFC 9207 §3), revocation (RFC
 * 7009) and a public client's `none` authentication (RFC 6749 §2.1: a client without a secret). Dynamic
 * registration (RFC 7591) only when the config turns it on.
 *
 * @example
 * ```ts
 * authorizationServerMetadata('http://127.0.0.1:7071/api', { registration: false }).token_endpoint;
 * // 'http://127.0.0.1:7071/api/oauth/token'
 * ```
 */
export function authorizationServerMetadata(
  apiBase: string,
  options: { readonly registration: boolean },
): Record<string, unknown> {
  const base = apiBase.replace(/\/+$/, '');
  return {
    issuer: base,
    authorization_endpoint: `${base}/${OAUTH_ROUTES.authorize}`,
    token_endpoint: `${base}/${OAUTH_ROUTES.token}`,
    revocation_endpoint: `${base}/${OAUTH_ROUTES.revoke}`,
    ...(options.registration ? { registration_endpoint: `${base}/${OAUTH_ROUTES.register}` } : {}),
    scopes_supported: [MCP_SCOPE],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none'],
    revocation_endpoint_auth_methods_supported: ['none'],
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
  };
}

/**
 * The backend's metadata as an OpenID Provider Configuration (OpenID Connect Discovery 1.0 §3), served at
 * `api/.well-known/openid-configuration` (§4: the issuer's path followed by the well-known one): the RFC 8414
 * metadata above, plus what §3 requires of such a document — `jwks_uri` (the access tokens' public keys),
 * `subject_types_supported` and `id_token_signing_alg_values_supported`. The backend issues no ID token (no
 * `openid` scope: `scopes_supported` stays `['mcp']`); the two `id_token`/`subject` fields only say what an ID
 * token would be, so a client that parses the document as OIDC's (the MCP SDK does) reads it.
 *
 * @example
 * ```ts
 * openIdConfiguration('https://func-helpdesk.azurewebsites.net/api', { registration: false }).jwks_uri;
 * // 'https://func-helpdesk.azurewebsites.net/api/oauth/jwks'
 * ```
 */
export function openIdConfiguration(
  apiBase: string,
  options: { readonly registration: boolean },
): Record<string, unknown> {
  const base = apiBase.replace(/\/+$/, '');
  return {
    ...authorizationServerMetadata(base, options),
    jwks_uri: `${base}/${DISCOVERY_ROUTES.jwks}`,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['ES256'],
  };
}

/**
 * The protected-resource metadata (RFC 9728 §2) of an MCP door whose authorization server is the backend: the
 * resource is the MCP endpoint's URL, its one authorization server the API's base (the issuer above).
 *
 * @example
 * ```ts
 * agentProtectedResource('http://127.0.0.1:7071/api').authorization_servers; // ['http://127.0.0.1:7071/api']
 * ```
 */
export function agentProtectedResource(apiBase: string): {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported: readonly string[];
  readonly bearer_methods_supported: readonly string[];
} {
  const base = apiBase.replace(/\/+$/, '');
  return {
    resource: mcpResourceOf(base),
    authorization_servers: [base],
    scopes_supported: [MCP_SCOPE],
    bearer_methods_supported: ['header'],
  };
}

/**
 * The protected-resource metadata's URL the MCP door's 401 names (RFC 9728 §5.1: `resource_metadata` may be any
 * URL): with the backend its own authorization server, the runtime's own document under the API's base (served in
 * Azure, where the root path is App Service authentication's); otherwise the root one App Service serves.
 *
 * @example
 * ```ts
 * resourceMetadataUrl('https://func-helpdesk.azurewebsites.net', true);
 * // 'https://func-helpdesk.azurewebsites.net/api/.well-known/oauth-protected-resource'
 * ```
 */
export function resourceMetadataUrl(origin: string, ownServer: boolean): string {
  return ownServer
    ? `${origin}/api/${DISCOVERY_ROUTES.protectedResource}`
    : `${origin}${PROTECTED_RESOURCE_PATH}`;
}

/**
 * Whether `path` is where the metadata of the issuer whose path is `issuerPath` is read: the well-known path, or it
 * followed by the issuer's path (RFC 8414 §3.1).
 *
 * @example
 * ```ts
 * isAuthorizationServerPath('/.well-known/oauth-authorization-server/api', '/api'); // true
 * ```
 */
export function isAuthorizationServerPath(path: string, issuerPath: string): boolean {
  const suffix = issuerPath.replace(/\/+$/, '');
  return path === AUTHORIZATION_SERVER_PATH || path === `${AUTHORIZATION_SERVER_PATH}${suffix}`;
}
