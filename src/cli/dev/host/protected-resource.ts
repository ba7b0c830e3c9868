import type { NormalizedConfig } from '../../../model/config.js';
import { PROTECTED_RESOURCE_PATH } from '../../../contract/mcp/protocol.js';
import { PRM_SCOPES_SETTING } from '../../../model/runtime-manifest.js';
import { customersIssuer } from '../../../kit/pure/external-tenant.js';
import {
  agentProtectedResource,
  authorizationServerMetadata,
  isAuthorizationServerPath,
  MCP_SCOPE,
} from '../../../contract/mcp/oauth/metadata.js';

/**
 * Environment variable of a dev worker whose app serves the MCP server: the protected-resource metadata's
 * authorization servers, as App Service would name them (JSON array).
 */
export const DEV_PRM_AUTHORITY_ENV = 'ATAKORA_DEV_PRM_AUTHORITY';

/**
 * Environment variable of a dev worker whose backend is its own authorization server (`mcp.authorization`): JSON
 * `{ registration }`. The worker then serves the authorization server's metadata and names it in the
 * protected-resource metadata instead of Entra ID.
 */
export const DEV_MCP_AUTHORIZATION_ENV = 'ATAKORA_DEV_MCP_AUTHORIZATION';

/**
 * The settings `atakora dev` gives the worker of an app serving the MCP server, as App Service's protected-resource
 * metadata (preview) reads them in Azure: the API's scope (`WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES`, what apply
 * writes: resources/functions/provision.ts) and the issuer App Service authentication validates (auth-settings.ts).
 * Nothing with authentication off or without the server.
 *
 * @example
 * ```ts
 * Object.assign(out, devProtectedResource(config, app.config.crudRuntime === true));
 * ```
 */
export function devProtectedResource(
  config: NormalizedConfig,
  servesMcp: boolean,
): Record<string, string> {
  if (!config.mcp || !config.auth.enabled || !servesMcp) return {};
  const clientId = config.auth.clientId ?? '<client id>';
  // The issuer App Service validates (resources/functions/auth-settings.ts): customers' external tenant on
  // ciamlogin.com, `common` for many directories, else the backend's own directory.
  const { customers } = config.auth;
  const issuer = customers
    ? customersIssuer(customers)
    : config.auth.signInAudience === 'AzureADMultipleOrgs'
      ? 'https://login.microsoftonline.com/common/v2.0'
      : `https://login.microsoftonline.com/${config.auth.tenantId ?? 'organizations'}/v2.0`;
  const own = config.mcp.authorization;
  return {
    [PRM_SCOPES_SETTING]: `api://${clientId}/${config.auth.scope}`,
    [DEV_PRM_AUTHORITY_ENV]: JSON.stringify([issuer]),
    ...(own
      ? { [DEV_MCP_AUTHORIZATION_ENV]: JSON.stringify({ registration: own.registration }) }
      : {}),
  };
}

/**
 * What App Service authentication does for an MCP server with `WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES` set, played by
 * the dev worker: it serves the protected-resource metadata (RFC 9728 §3) at the host's root without sign-in, and its
 * 401 names it (`WWW-Authenticate: Bearer resource_metadata="…"`, RFC 9728 §5.1). Undefined without the setting.
 *
 * @example
 * ```ts
 * const prm = protectedResourceOf(process.env);
 * prm?.challenge('http://127.0.0.1:7071'); // 'Bearer resource_metadata="http://127.0.0.1:7071/.well-known/oauth-protected-resource"'
 * ```
 */
export function protectedResourceOf(env: NodeJS.ProcessEnv):
  | {
      readonly path: string;
      /** Whether the backend is its own authorization server: an agent token of its own reaches the MCP door. */
      readonly ownsAgents: boolean;
      /** Whether a path is the protected-resource metadata's (the root one, or with the MCP endpoint's path). */
      serves(path: string): boolean;
      document(origin: string): Record<string, unknown>;
      challenge(origin: string): string;
      /** The authorization server's metadata at `path` (RFC 8414 §3), when the backend is its own; else undefined. */
      authorizationServer(path: string, origin: string): Record<string, unknown> | undefined;
    }
  | undefined {
  const scopes = env[PRM_SCOPES_SETTING]
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!scopes?.length) return undefined;
  let servers: string[] = [];
  try {
    const parsed: unknown = JSON.parse(env[DEV_PRM_AUTHORITY_ENV] ?? '[]');
    if (Array.isArray(parsed)) servers = parsed.filter((s): s is string => typeof s === 'string');
  } catch {
    servers = [];
  }
  const own = ownAuthorization(env[DEV_MCP_AUTHORIZATION_ENV]);
  return {
    path: PROTECTED_RESOURCE_PATH,
    ownsAgents: own !== undefined,
    // RFC 9728 §3.1: the resource's path after the well-known one (where the MCP SDK looks first), or the root.
    serves: (path) =>
      path === PROTECTED_RESOURCE_PATH ||
      (own !== undefined && path === `${PROTECTED_RESOURCE_PATH}/api/mcp`),
    // As App Service names it: the app's origin is the resource (its MCP endpoint, /api/mcp, is below it); with
    // the backend its own authorization server, the MCP endpoint and the API's base as its issuer.
    document: (origin) =>
      own
        ? { ...agentProtectedResource(`${origin}/api`) }
        : {
            resource: origin,
            authorization_servers: servers,
            scopes_supported: scopes,
            bearer_methods_supported: ['header'],
          },
    authorizationServer: (path, origin) =>
      own && isAuthorizationServerPath(path, '/api')
        ? authorizationServerMetadata(`${origin}/api`, own)
        : undefined,
    // MCP 2025-11-25 basic/authorization, "Scope Selection Strategy": the 401 SHOULD name the scope to ask for.
    challenge: (origin) =>
      `Bearer resource_metadata="${origin}${PROTECTED_RESOURCE_PATH}"${own ? `, scope="${MCP_SCOPE}"` : ''}`,
  };
}

/** `{ registration }` from {@link DEV_MCP_AUTHORIZATION_ENV}; undefined when unset or unreadable. */
function ownAuthorization(v: string | undefined): { registration: boolean } | undefined {
  if (!v) return undefined;
  try {
    const parsed = JSON.parse(v) as { registration?: unknown };
    return { registration: parsed.registration === true };
  } catch {
    return undefined;
  }
}
