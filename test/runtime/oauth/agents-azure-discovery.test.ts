/**
 * An agent finds the backend's own authorization server as it is deployed to Azure (docs/mcp.md, "Discovery"): a
 * Function App's functions all live below `api/`, and every root path (`/.well-known/…`) is App Service
 * authentication's — with `unauthenticatedClientAction: Return401` (resources/functions/auth-settings.ts) it answers
 * 401 there before the app runs. The fetch below answers exactly so: 401 at every path outside `api/`, the function
 * its path names below it. Through it the official MCP SDK's OAuth client, from the door's 401 alone, discovers the
 * protected-resource metadata the 401 names (`api/.well-known/oauth-protected-resource`) and the issuer
 * `<origin>/api`'s metadata by OIDC path appending (`api/.well-known/openid-configuration`, MCP 2025-11-25
 * basic/authorization "Authorization Server Metadata Discovery"; the SDK's `buildDiscoveryUrls` skips the 4xx of the
 * two root URLs before it), and the whole flow connects; the JWKS the configuration names verifies the access token.
 */
import {
  auth,
  discoverOAuthServerInfo,
  type OAuthDiscoveryState,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { OpenIdProviderDiscoveryMetadataSchema } from '@modelcontextprotocol/sdk/shared/auth.js';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AgentsApp,
  BASE_URL,
  MCP_URL,
  ORIGIN,
  REDIRECT,
  startAgentsApp,
} from '../support/agents-app.js';
import { allowInAcme, connectAgent } from '../support/agent-sign-in.js';
import { McpAgent } from '../../support/mcp-agent.js';
import { type LocalCosmos, startLocalCosmos } from '../support/local-cosmos.js';

let cosmos: LocalCosmos;
let app: AgentsApp;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await startAgentsApp(cosmos);
});
afterAll(async () => {
  await app?.stop();
  await cosmos?.stop();
});

/** Every request, as the deployed Function App answers it; the paths asked, in order. */
function azure(asked: string[] = []): typeof fetch {
  const functions = app.fetch();
  return async (input, init) => {
    const url = new URL(new Request(input, init).url);
    asked.push(url.pathname);
    // App Service authentication before the app: a root path is no function's, and without a token it is 401.
    if (!url.pathname.startsWith('/api/'))
      return new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer' } });
    return functions(input, init);
  };
}

/**
 * A hosted agent that also keeps what discovery found (the SDK's `saveDiscoveryState`): in Azure a later `auth()`
 * without the 401's URL could not find the metadata at the root.
 */
class Agent extends McpAgent {
  discovered: OAuthDiscoveryState | undefined;
  constructor(clientMetadataUrl: string) {
    super(clientMetadataUrl, REDIRECT);
  }
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.discovered = state;
  }
  discoveryState() {
    return this.discovered;
  }
}

const transportOf = (agent: Agent, fetchFn: typeof fetch) =>
  new StreamableHTTPClientTransport(new URL(MCP_URL), { authProvider: agent, fetch: fetchFn });

describe('discovery of the backend’s own authorization server in Azure', () => {
  it('the door’s 401 names the metadata under api/, which names the API’s base as its server', async () => {
    const door = await azure()(MCP_URL, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(door.status).toBe(401);
    const named = /resource_metadata="([^"]+)"/.exec(door.headers.get('www-authenticate') ?? '');
    expect(named?.[1]).toBe(`${ORIGIN}/api/.well-known/oauth-protected-resource`);
    const prm = await azure()(named?.[1] ?? '');
    expect(prm.status).toBe(200);
    expect(await prm.json()).toEqual({
      resource: MCP_URL,
      authorization_servers: [BASE_URL],
      scopes_supported: ['mcp'],
      bearer_methods_supported: ['header'],
    });
  });

  it('the SDK discovers the server through the one discovery URL a Function App serves', async () => {
    const asked: string[] = [];
    const info = await discoverOAuthServerInfo(MCP_URL, {
      resourceMetadataUrl: new URL(`${BASE_URL}/.well-known/oauth-protected-resource`),
      fetchFn: azure(asked),
    });
    expect(info.authorizationServerUrl).toBe(BASE_URL);
    const metadata = info.authorizationServerMetadata;
    expect(metadata?.issuer).toBe(BASE_URL);
    expect(metadata?.token_endpoint).toBe(`${BASE_URL}/oauth/token`);
    expect(metadata?.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata && 'client_id_metadata_document_supported' in metadata).toBe(true);
    // The root URLs answered 401 (App Service's) and were passed over; the last is OIDC path appending.
    expect(asked.at(-1)).toBe('/api/.well-known/openid-configuration');
    expect(asked).toContain('/.well-known/oauth-authorization-server/api');
  });

  it('the openid configuration is OIDC Discovery’s shape, and its JWKS verifies an issued access token', async () => {
    await app.reseed();
    const res = await azure()(`${BASE_URL}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const config = OpenIdProviderDiscoveryMetadataSchema.parse(await res.json());
    expect(config.jwks_uri).toBe(`${BASE_URL}/oauth/jwks`);
    expect(config.scopes_supported).toEqual(['mcp']);
    const jwks = (await (await azure()(config.jwks_uri)).json()) as JSONWebKeySet;
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');

    const agent = new Agent(app.clientId);
    await expect(connectAgent(agent, azure())).rejects.toThrow(/Unauthorized/i);
    const code = (await allowInAcme(app, agent)).code;
    expect(
      await auth(agent, { serverUrl: MCP_URL, authorizationCode: code, fetchFn: azure() }),
    ).toBe('AUTHORIZED');
    const { payload } = await jwtVerify(agent.saved?.access_token ?? '', createLocalJWKSet(jwks), {
      issuer: BASE_URL,
      audience: MCP_URL,
      algorithms: ['ES256'],
      // The app's clock (the token's iat and exp are its).
      currentDate: new Date(app.clock.now),
    });
    expect(payload.sub).toBe('ada');
    expect(payload['org']).toBe('acme');
  });

  it('the whole flow connects: 401 → discovery → consent → token → tools/list → refresh', async () => {
    await app.reseed();
    const agent = new Agent(app.clientId);
    // The transport keeps the 401's resource_metadata and finishes the flow with it, as a hosted client does.
    const transport = transportOf(agent, azure());
    await expect(
      new Client({ name: 'agent-test', version: '1.0.0' }).connect(transport),
    ).rejects.toThrow(/Unauthorized/i);
    const url = agent.authorizationUrl;
    expect(url?.toString().startsWith(`${BASE_URL}/oauth/authorize?`)).toBe(true);
    expect(url?.searchParams.get('client_id')).toBe(app.clientId);
    expect(url?.searchParams.get('resource')).toBe(MCP_URL);
    await transport.finishAuth((await allowInAcme(app, agent)).code);
    expect(agent.saved?.scope).toBe('mcp');
    const client = await connectAgent(agent, azure());
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('note_create');
    await client.close();
    // A refresh later, from what discovery kept (the root paths still 401).
    const first = agent.saved;
    expect(await auth(agent, { serverUrl: MCP_URL, fetchFn: azure() })).toBe('AUTHORIZED');
    expect(agent.saved?.refresh_token).not.toBe(first?.refresh_token);
  });
});
