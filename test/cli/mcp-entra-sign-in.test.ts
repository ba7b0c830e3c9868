/**
 * An MCP client signing in to the server through its protected-resource metadata, on Microsoft Entra ID: the
 * official SDK's auth flow (`@modelcontextprotocol/sdk`, StreamableHTTPClientTransport with an OAuthClientProvider)
 * against a host serving the metadata and the 401 as App Service's preview does in Azure (the document dev plays,
 * src/cli/dev/host/protected-resource.ts: `resource` the host's origin, `scopes_supported` the API's
 * `api://<client id>/user_impersonation`) and a stand-in of Entra's v2.0 endpoints that refuses a `resource` no
 * identifier URI of the registration names (test/support/entra-standin.ts). A client left to send the metadata's
 * `resource` is refused (AADSTS500011); configured as docs/mcp.md says — a pre-registered client id, the resource
 * `api://<client id>` (or none) — its token request is one Entra accepts, for the API's scope. On a host of the
 * operator's own whose URL is an identifier URI of the registration (an `https://` one on a domain verified in the
 * directory, docs/mcp.md "On a custom domain"), the same client left to send the metadata's `resource` is
 * accepted.
 */
import { createServer } from 'node:http';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/backend/normalize-config.js';
import {
  DEV_PRM_AUTHORITY_ENV,
  devProtectedResource,
  protectedResourceOf,
} from '../../src/cli/dev/host/protected-resource.js';
import { type EntraStandIn, startEntraStandIn } from '../support/entra-standin.js';
import { listenOnLoopback } from '../support/loopback-server.js';

const TENANT = '22222222-2222-4222-8222-222222222222';
const API = '11111111-2222-4333-8444-555555555555'; // the API registration's client id
const APP = '99999999-8888-4777-8666-555555555555'; // a public client registration (Entra: no dynamic registration)
const OTHER = '33333333-4444-4555-8666-777777777777'; // another API registration of the directory
const REDIRECT = 'http://127.0.0.1:33418/callback';

/** An MCP client's sign-in state, as an app keeps it; `resource` is what it was configured to send, if anything. */
class Provider implements OAuthClientProvider {
  authorizationUrl: URL | undefined;
  #tokens: OAuthTokens | undefined;
  #verifier = '';
  constructor(resource?: { readonly send: string | undefined }) {
    if (resource)
      this.validateResourceURL = () =>
        Promise.resolve(resource.send === undefined ? undefined : new URL(resource.send));
  }
  validateResourceURL?: OAuthClientProvider['validateResourceURL'];
  readonly redirectUrl = REDIRECT;
  readonly clientMetadata: OAuthClientMetadata = {
    redirect_uris: [REDIRECT],
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    client_name: 'helpdesk agent',
  };
  clientInformation(): OAuthClientInformationMixed {
    return { client_id: APP };
  }
  tokens(): OAuthTokens | undefined {
    return this.#tokens;
  }
  saveTokens(tokens: OAuthTokens): void {
    this.#tokens = tokens;
  }
  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string): void {
    this.#verifier = verifier;
  }
  codeVerifier(): string {
    return this.#verifier;
  }
}

let entra: EntraStandIn;
/** The Function App's host (its URL no identifier URI), and a host of the operator's own whose URL is one. */
let host: { base: string; close: () => Promise<void> };
let ownDomain: { base: string; close: () => Promise<void> };

/** A host as App Service serves an MCP app: the metadata (its own origin the `resource`) and the 401 naming it. */
function platformHost(prm: NonNullable<ReturnType<typeof protectedResourceOf>>) {
  return createServer((req, res) => {
    const origin = `http://${req.headers.host ?? ''}`;
    if (req.method === 'GET' && req.url === prm.path)
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(prm.document(origin)));
    else res.writeHead(401, { 'www-authenticate': prm.challenge(origin) }).end();
  });
}

beforeAll(async () => {
  // The API's identifier URIs: api://<client id>, and the own host's URL once it listens (as an operator adds it).
  const apiUris = [`api://${API}`];
  entra = await startEntraStandIn(
    TENANT,
    [
      { clientId: API, identifierUris: apiUris, scopes: ['user_impersonation'] },
      { clientId: OTHER, identifierUris: [`api://${OTHER}`], scopes: ['user_impersonation'] },
    ],
    { [APP]: [REDIRECT] },
  );
  // The settings apply writes (WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES) and the issuer App Service validates, here the
  // stand-in's: the metadata and the 401 as the platform serves them before the app runs.
  const env = devProtectedResource(
    normalizeConfig({ auth: { clientId: API, tenantId: TENANT }, mcp: true }),
    true,
  );
  const prm = protectedResourceOf({
    ...env,
    [DEV_PRM_AUTHORITY_ENV]: JSON.stringify([entra.issuer]),
  });
  if (!prm) throw new Error('no protected-resource metadata');
  host = await listenOnLoopback(platformHost(prm));
  ownDomain = await listenOnLoopback(platformHost(prm));
  apiUris.push(ownDomain.base);
});
afterAll(async () => {
  await host.close();
  await ownDomain.close();
  await entra.close();
});

/**
 * The SDK's flow from the server's 401 to the end: connect (the 401, the metadata, the authorization request), the
 * user signing in (the stand-in answers at once), then the code exchanged for a token by the transport.
 */
async function signIn(
  provider: Provider,
  at = host.base,
): Promise<{ error?: string; tokens?: OAuthTokens }> {
  const transport = new StreamableHTTPClientTransport(new URL(`${at}/api/mcp`), {
    authProvider: provider,
  });
  await expect(new Client({ name: 'agent', version: '1.0.0' }).connect(transport)).rejects.toThrow(
    /Unauthorized/,
  );
  const url = provider.authorizationUrl;
  if (!url) throw new Error('the SDK asked for no sign-in');
  const answer = await fetch(url, { redirect: 'manual' });
  const back = new URL(answer.headers.get('location') ?? '');
  const code = back.searchParams.get('code');
  if (!code) return { error: back.searchParams.get('error_description') ?? '' };
  await transport.finishAuth(code);
  return { tokens: provider.tokens() };
}

const claims = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<
    string,
    unknown
  >;

describe('MCP sign-in on Entra ID, by the official SDK', () => {
  it("asks for the API's scope, which the metadata names", async () => {
    const provider = new Provider({ send: `api://${API}` });
    await signIn(provider);
    expect(provider.authorizationUrl?.searchParams.get('scope')).toBe(
      `api://${API}/user_impersonation`,
    );
    expect(provider.authorizationUrl?.searchParams.get('client_id')).toBe(APP);
  });

  it("is refused when the client sends the metadata's resource, the server's URL (AADSTS500011)", async () => {
    const provider = new Provider();
    const { error } = await signIn(provider);
    expect(provider.authorizationUrl?.searchParams.get('resource')).toBe(host.base);
    expect(error).toMatch(
      /^AADSTS500011: The resource principal named http:\/\/127\.0\.0\.1:\d+ was not found/,
    );
  });

  it.each([
    ['the resource api://<client id>', `api://${API}`],
    ['no resource', undefined],
  ])('ends with a token request Entra accepts, sending %s', async (_, send) => {
    const before = entra.tokenRequests.length;
    const { tokens, error } = await signIn(new Provider({ send }));
    expect(error).toBeUndefined();
    const request = entra.tokenRequests.at(-1);
    expect(entra.tokenRequests.length).toBe(before + 1);
    expect(request?.error).toBeUndefined();
    expect(request?.form['resource']).toBe(send);
    expect(request?.form).toMatchObject({ grant_type: 'authorization_code', client_id: APP });
    // A v2 access token for the API: aud its client id (what App Service authentication accepts), its scope.
    expect(claims(tokens?.access_token ?? '')).toMatchObject({
      aud: API,
      scp: 'user_impersonation',
      tid: TENANT,
    });
  });

  it("is refused sending another registration's identifier URI beside the API's scope (AADSTS9010010)", async () => {
    const { error } = await signIn(new Provider({ send: `api://${OTHER}` }));
    expect(error).toMatch(
      /^AADSTS9010010: The resource parameter provided in the request doesn't match/,
    );
  });

  it("on a host whose URL is an identifier URI of the API, is accepted sending the metadata's resource", async () => {
    const provider = new Provider();
    const before = entra.tokenRequests.length;
    const { tokens, error } = await signIn(provider, ownDomain.base);
    expect(error).toBeUndefined();
    expect(provider.authorizationUrl?.searchParams.get('resource')).toBe(ownDomain.base);
    expect(entra.tokenRequests.length).toBe(before + 1);
    expect(entra.tokenRequests.at(-1)).toEqual({
      form: expect.objectContaining({ resource: ownDomain.base, client_id: APP }),
    });
    expect(claims(tokens?.access_token ?? '')).toMatchObject({
      aud: API,
      scp: 'user_impersonation',
    });
  });
});
