// The whole sign-in of a hosted agent with the official MCP SDK's OAuth client, against agents-app.ts: the door's 401
// → discovery → (registration, where the agent has no metadata document) → authorize → ada's consent in acme → the
// code with `iss` → token (PKCE) → `tools/list` and a tool call → refresh → revoke → 401. The steps the SDK flows
// share (agents-sdk-flow.test.ts with a Client ID Metadata Document, agents-sdk-register-flow.test.ts through RFC
// 7591); each test states only what its own client shows (its id, its name on the consent page).
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { expect } from 'vitest';
import type { McpAgent } from '../../support/mcp-agent.js';
import { type AgentsApp, BASE_URL, MCP_URL, REDIRECT, who } from './agents-app.js';
import { consentForm } from './consent-form.js';
import type { Reply } from './http.js';

/** The agent's MCP client connected to `api/mcp` through `fetchFn` (the SDK runs its OAuth flow on a 401). */
export async function connectAgent(agent: McpAgent, fetchFn: typeof fetch): Promise<Client> {
  const client = new Client({ name: 'agent-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(MCP_URL), { authProvider: agent, fetch: fetchFn }),
  );
  return client;
}

/** What a flow's own client shows: the id it signs in with, and its consent page. */
export interface AgentChecks {
  /** The client id the SDK used (its metadata document's URL, or the one registration gave it). */
  clientId(id: string): void;
  /** The consent page as ada saw it (status, organizations and framing are checked already). */
  consentPage(page: Reply): void;
}

/**
 * The agent signs in to acme as ada, uses its tools, refreshes, revokes, and is refused after.
 *
 * @example
 * ```ts
 * await agentSignsIn(app, new McpAgent(app.clientId, REDIRECT), {
 *   clientId: (id) => expect(id).toBe(app.clientId),
 *   consentPage: (page) => expect(page.text).toContain('Test &lt;b&gt;Agent&lt;/b&gt;'),
 * });
 * ```
 */
export async function agentSignsIn(
  app: AgentsApp,
  agent: McpAgent,
  checks: AgentChecks,
): Promise<void> {
  // 1. The door's 401 sends the SDK to discovery, its client id (a metadata document or registered), to authorize.
  await expect(connectAgent(agent, app.fetch())).rejects.toThrow(/Unauthorized/i);
  const clientId = agent.clientMetadataUrl ?? agent.info?.client_id ?? '';
  checks.clientId(clientId);
  const url = agent.authorizationUrl;
  expect(url?.toString().startsWith(`${BASE_URL}/oauth/authorize?`)).toBe(true);
  expect(url?.searchParams.get('client_id')).toBe(clientId);
  expect(url?.searchParams.get('code_challenge_method')).toBe('S256');
  expect(url?.searchParams.get('resource')).toBe(MCP_URL);
  // 2, 3. Ada's consent in acme, the code at the client's redirect.
  const { page, code } = await allowInAcme(app, agent);
  checks.consentPage(page);
  // 4. The SDK exchanges the code (PKCE), then lists the person's tools and calls one in acme.
  expect(
    await auth(agent, { serverUrl: MCP_URL, authorizationCode: code, fetchFn: app.fetch() }),
  ).toBe('AUTHORIZED');
  const first = agent.saved;
  expect(first?.token_type).toBe('Bearer');
  expect(first?.scope).toBe('mcp');
  await createsANote(app, agent);
  // 5. Refresh: a new pair, the refresh token rotated.
  expect(await auth(agent, { serverUrl: MCP_URL, fetchFn: app.fetch() })).toBe('AUTHORIZED');
  expect(agent.saved?.refresh_token).not.toBe(first?.refresh_token);
  expect(agent.saved?.access_token).not.toBe(first?.access_token);
  await revokedAndRefused(app, agent, clientId);
}

/**
 * Ada opens the consent page the agent's authorization URL names and allows it in acme: the page and the code.
 * Only acme is offered (globex: no tool for a Guest; initech: no mcp); the redirect carries the state and `iss`
 * (RFC 9207).
 *
 * @example
 * ```ts
 * const { code } = await allowInAcme(app, agent);
 * ```
 */
export async function allowInAcme(
  app: AgentsApp,
  agent: McpAgent,
): Promise<{ page: Reply; code: string }> {
  const url = agent.authorizationUrl;
  const path = `oauth/authorize${url?.search ?? ''}`;
  const page = await app.call('oauth-authorize', 'GET', path, { headers: who('ada') });
  expect(page.status).toBe(200);
  const form = consentForm(page.text);
  expect(form.organizations).toEqual(['acme']);
  expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
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
  return { page, code: back.searchParams.get('code') ?? '' };
}

/** The agent lists its tools and creates a note in acme, which bob then lists. */
async function createsANote(app: AgentsApp, agent: McpAgent): Promise<void> {
  const client = await connectAgent(agent, app.fetch());
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
}

/** 6. Revoke (RFC 7009), then the door refuses the access token and the refresh token is dead. */
async function revokedAndRefused(app: AgentsApp, agent: McpAgent, clientId: string): Promise<void> {
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
}
