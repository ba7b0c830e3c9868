// Agents that sign in to an organization (DESIGN §2): the authorization server's function names and the grants'
// routes and shape, shared by the runtime, the OpenAPI document and the client. Imports nothing.

/** The function names of the authorization server's routes (their routes: metadata.ts `OAUTH_ROUTES`). */
export const OAUTH_FUNCTIONS = Object.freeze({
  authorize: 'oauth-authorize',
  token: 'oauth-token',
  revoke: 'oauth-revoke',
  /** RFC 7591 registration: only with `mcp.authorization.registration`. */
  register: 'oauth-register',
  /** The discovery documents and keys (metadata.ts `DISCOVERY_ROUTES`). */
  protectedResource: 'oauth-protected-resource',
  openidConfiguration: 'oauth-openid-configuration',
  jwks: 'oauth-jwks',
});

/**
 * The grants' routes (below `api/`): a person's own, in every organization (`me/agents`), and an organization's, for
 * its Owners and Admins (`tenant/agents`); `DELETE …/{grant}` revokes one.
 *
 * @example
 * ```ts
 * `/api/${AGENT_ROUTES.mine}`; // '/api/me/agents'
 * ```
 */
export const AGENT_ROUTES = Object.freeze({
  mine: 'me/agents',
  myGrant: 'me/agents/{grant}',
  organization: 'tenant/agents',
  organizationGrant: 'tenant/agents/{grant}',
});

/** The function names of {@link AGENT_ROUTES}. */
export const AGENT_FUNCTIONS = Object.freeze({
  mine: 'agents-mine',
  myGrant: 'agents-my-grant',
  organization: 'agents-organization',
  organizationGrant: 'agents-organization-grant',
});

/**
 * A connected agent, as `GET api/me/agents` and `GET api/tenant/agents` list it: the grant's id, the person, the
 * organization, the client (its Client ID Metadata Document's URL, name and host), when it was connected and when it
 * last refreshed. Never a token.
 *
 * @example
 * ```ts
 * const a: ConnectedAgent = {
 *   id: 'g3Zk9qA7', person: 'ada', organization: 'acme', clientId: 'https://claude.ai/oauth/mcp-client.json',
 *   clientName: 'Claude', clientHost: 'claude.ai', connectedOn: '2026-11-29T01:00:00.000Z', lastUsedOn: null,
 * };
 * ```
 */
export interface ConnectedAgent {
  readonly id: string;
  readonly person: string;
  readonly organization: string;
  readonly clientId: string;
  readonly clientName: string;
  readonly clientHost: string;
  readonly connectedOn: string;
  /** When its refresh token was last used; `null`: not since it connected. */
  readonly lastUsedOn: string | null;
}

/**
 * Setting `atakora dev` gives the app: `1` lets agents' Client ID Metadata Documents be fetched from loopback and
 * private addresses (dev's stand-ins and a developer's own client live there; DESIGN §2). Never set in Azure.
 */
export const DEV_AGENT_CLIENTS_LOCAL_SETTING = 'ATAKORA_DEV_AGENT_CLIENTS_LOCAL';
