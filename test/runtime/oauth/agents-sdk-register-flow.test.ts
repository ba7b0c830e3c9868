/**
 * An agent that has no Client ID Metadata Document signs in to an organization through RFC 7591 dynamic registration
 * (DESIGN §2: `POST api/oauth/register` "only when `registration` is on") with the official MCP SDK's own OAuth
 * client: `auth()` through `StreamableHTTPClientTransport` with an `OAuthClientProvider` that has no
 * `clientMetadataUrl`, so the SDK falls back to registering (MCP 2025-11-25 basic/authorization, "Client
 * Registration": "Use Dynamic Client Registration as a fallback if the Authorization Server supports it (via
 * `registration_endpoint` in OAuth Authorization Server Metadata)"). Against the runtime's functions over the local
 * Cosmos DB: the door's 401 → discovery → register (201, the client id the SDK keeps) → authorize → the consent page
 * (the name marked unverified) → the code → token (PKCE) → `tools/list` and a tool call → refresh → revoke → 401.
 * The same flow with a metadata document: agents-sdk-flow.test.ts. With registration off the SDK cannot register.
 */
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AgentsApp,
  BASE_URL,
  MCP_URL,
  REDIRECT,
  startAgentsApp,
  who,
} from '../support/agents-app.js';
import { type LocalCosmos, startLocalCosmos } from '../support/local-cosmos.js';
import { consentForm } from '../support/consent-form.js';
import { McpAgent as Agent } from '../../support/mcp-agent.js';

let cosmos: LocalCosmos;
let app: AgentsApp;

let off: AgentsApp;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await startAgentsApp(cosmos, { registration: true });
  off = await startAgentsApp(cosmos);
});
afterAll(async () => {
  await app?.stop();
  await off?.stop();
  await cosmos?.stop();
});

const connect = async (agent: Agent, to: AgentsApp = app) => {
  const client = new Client({ name: 'agent-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(MCP_URL), {
      authProvider: agent,
      fetch: to.fetch(),
    }),
  );
  return client;
};

describe('the MCP SDK’s OAuth client registers, then connects to an organization', () => {
  it('discovers, registers, consents, exchanges, lists and calls, refreshes, revokes and is refused', async () => {
    await app.reseed();
    const agent = new Agent(undefined, REDIRECT);
    // 1. The door's 401 sends the SDK to discovery, then to register (no metadata document), then to authorize.
    await expect(connect(agent)).rejects.toThrow(/Unauthorized/i);
    const clientId = agent.info?.client_id ?? '';
    expect(clientId).toMatch(/^dcr_/);
    const url = agent.authorizationUrl;
    expect(url?.toString().startsWith(`${BASE_URL}/oauth/authorize?`)).toBe(true);
    expect(url?.searchParams.get('client_id')).toBe(clientId);
    expect(url?.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url?.searchParams.get('resource')).toBe(MCP_URL);

    // 2. The consent page, behind ada's sign-in: only acme (globex: no tool for a Guest; initech: no mcp).
    const path = `oauth/authorize${url?.search ?? ''}`;
    const page = await app.call('oauth-authorize', 'GET', path, { headers: who('ada') });
    expect(page.status).toBe(200);
    const form = consentForm(page.text);
    expect(form.organizations).toEqual(['acme']);
    expect(page.text).toContain('id="client-unverified"');
    expect(page.text).toContain('Test Agent');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");

    // 3. Allow: the code, the state and iss (RFC 9207) at the client's redirect.
    const allowed = await app.call('oauth-authorize', 'POST', path, {
      headers: { ...who('ada'), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        csrf: form.csrf,
        organization: 'acme',
        decision: 'allow',
      }).toString(),
    });
    expect(allowed.status).toBe(302);
    const back = new URL(allowed.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('iss')).toBe(BASE_URL);
    expect(back.searchParams.get('state')).toBe(url?.searchParams.get('state'));
    const code = back.searchParams.get('code') ?? '';

    // 4. The SDK exchanges the code (PKCE), then lists the person's tools and calls one in acme.
    expect(
      await auth(agent, { serverUrl: MCP_URL, authorizationCode: code, fetchFn: app.fetch() }),
    ).toBe('AUTHORIZED');
    const first = agent.saved;
    expect(first?.token_type).toBe('Bearer');
    expect(first?.scope).toBe('mcp');
    const client = await connect(agent);
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools).toContain('note_create');
    const created = await client.callTool({
      name: 'note_create',
      arguments: { title: 'from an agent' },
    });
    expect(created.isError, JSON.stringify(created)).toBeFalsy();
    await client.close();
    const listed = await app.call('NoteApi-collection', 'GET', 'notes', {
      headers: { ...who('bob'), 'x-atakora-tenant': 'acme' },
    });
    expect(listed.body.items.map((n: { title: string }) => n.title)).toEqual(['from an agent']);

    // 5. Refresh: a new pair, the refresh token rotated.
    expect(await auth(agent, { serverUrl: MCP_URL, fetchFn: app.fetch() })).toBe('AUTHORIZED');
    expect(agent.saved?.refresh_token).not.toBe(first?.refresh_token);
    expect(agent.saved?.access_token).not.toBe(first?.access_token);

    // 6. Revoke (RFC 7009), then the door refuses the access token and the refresh token is dead.
    const revoked = await app.call('oauth-revoke', 'POST', 'oauth/revoke', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: agent.saved?.refresh_token ?? '',
        client_id: clientId,
      }).toString(),
    });
    expect(revoked.status).toBe(200);
    const refused = await app.call('atakora-mcp', 'POST', 'mcp', {
      headers: {
        authorization: `Bearer ${agent.saved?.access_token ?? ''}`,
        accept: 'application/json, text/event-stream',
      },
      body: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('invalid_token');
    const again = await auth(agent, { serverUrl: MCP_URL, fetchFn: app.fetch() }).catch(
      () => 'REFUSED',
    );
    expect(again).not.toBe('AUTHORIZED');
  });

  it('with registration off the SDK finds no registration endpoint and cannot start', async () => {
    await off.reseed();
    const agent = new Agent(undefined, REDIRECT);
    await expect(connect(agent, off)).rejects.toThrow(/dynamic client registration/i);
    expect(agent.info).toBeUndefined();
    expect(agent.authorizationUrl).toBeUndefined();
  });
});
