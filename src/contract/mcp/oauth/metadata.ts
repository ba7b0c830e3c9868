import { MCP_ROUTE } from '../protocol.js';

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
