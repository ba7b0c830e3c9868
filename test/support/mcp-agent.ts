// An agent's OAuth state as a hosted MCP client keeps it, for the official SDK's `auth()`: its Client ID Metadata
// Document's URL as its client id, its one redirect, the tokens and PKCE verifier it saved, and the authorization URL
// the SDK sent it to (a test then plays the person at the consent page).
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';

/**
 * A hosted agent's `OAuthClientProvider`.
 *
 * @example
 * ```ts
 * const agent = new McpAgent('https://localhost:8443/agent.json', 'http://localhost:6274/callback');
 * const registering = new McpAgent(undefined, 'http://localhost:6274/callback'); // RFC 7591
 * await auth(agent, { serverUrl: mcpUrl }); // 'REDIRECT': agent.authorizationUrl is the consent page
 * ```
 */
export class McpAgent implements OAuthClientProvider {
  info: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = '';
  authorizationUrl: URL | undefined;
  /** No URL: the agent registers itself (RFC 7591) where the server offers it. */
  readonly clientMetadataUrl?: string;
  constructor(
    clientMetadataUrl: string | undefined,
    readonly redirect: string,
  ) {
    if (clientMetadataUrl !== undefined) this.clientMetadataUrl = clientMetadataUrl;
  }
  get redirectUrl() {
    return this.redirect;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      redirect_uris: [this.redirect],
      client_name: 'Test Agent',
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(i: OAuthClientInformationMixed) {
    this.info = i;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(t: OAuthTokens) {
    this.saved = t;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
}
