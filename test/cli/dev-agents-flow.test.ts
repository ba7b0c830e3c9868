/**
 * An agent signs in to an organization under `atakora dev` with no manual step (DESIGN §2, "Agents that sign in to
 * an organization": "Under atakora dev the whole flow works locally"): the official MCP SDK's own OAuth client
 * (`auth()` with a `clientMetadataUrl`) over real HTTP against dev's worker — the door's 401, discovery, its Client
 * ID Metadata Document fetched by the worker from a loopback HTTPS host whose certificate only the developer's
 * `NODE_EXTRA_CA_CERTS` vouches for (dev trusts it beside its own), the consent page behind dev's sign-in
 * (`x-atakora-dev-user`), the code, the token (PKCE), `tools/list` and a call in the picked organization (the person's note), a refresh.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevSession, startDev } from '../../src/cli/dev/session/session.js';
import { consentOverHttp } from '../support/dev-consent.js';
import { McpAgent } from '../support/mcp-agent.js';
import { userCa } from '../support/user-ca.js';

const REDIRECT = 'http://localhost:6274/callback';
const ALICE = { 'x-atakora-dev-user': 'alice@example.com' };
const work = mkdtempSync(join(tmpdir(), 'atakora-dev-agents-'));
let metadata: Server;
let clientId = '';
let dev: DevSession;
let api = '';
const before = process.env['NODE_EXTRA_CA_CERTS'];

beforeAll(async () => {
  // The agent's host: a certificate of the developer's own CA (not dev's), trusted only through NODE_EXTRA_CA_CERTS.
  const ca = userCa('Contoso Dev Root');
  const tls = ca.issue(['127.0.0.1', 'localhost']);
  const caFile = join(work, 'contoso-root.pem');
  writeFileSync(caFile, ca.cert);
  metadata = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    if (req.url !== '/agent.json') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' });
    res.end(
      JSON.stringify({
        client_id: clientId,
        client_name: 'Dev Agent',
        redirect_uris: [REDIRECT],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      }),
    );
  });
  await new Promise<void>((r) => metadata.listen(0, '127.0.0.1', r));
  clientId = `https://localhost:${String((metadata.address() as AddressInfo).port)}/agent.json`;
  process.env['NODE_EXTRA_CA_CERTS'] = caFile;
  dev = await startDev('test/cli/fixtures/verify/org-keys.ts', {
    log: () => undefined,
    stateDir: join(work, 'state'),
    sitePort: 0,
    port: 0,
  });
  const app = dev.apps.find((a) => a.functions.some((f) => f.name === 'atakora-mcp'));
  api = `${app?.url ?? ''}/api`;
});

afterAll(async () => {
  if (before === undefined) delete process.env['NODE_EXTRA_CA_CERTS'];
  else process.env['NODE_EXTRA_CA_CERTS'] = before;
  await dev?.stop();
  metadata?.closeAllConnections();
  await new Promise((r) => metadata?.close(r));
  rmSync(work, { recursive: true, force: true });
});

const connect = async (agent: McpAgent) => {
  const client = new Client({ name: 'dev-agent', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${api}/mcp`), { authProvider: agent }),
  );
  return client;
};

describe('atakora dev: an agent signs in to an organization with the MCP SDK', () => {
  it('discovers, consents behind dev’s sign-in, exchanges, lists and calls, refreshes', async () => {
    const made = await fetch(`${api}/tenants`, {
      method: 'POST',
      headers: { ...ALICE, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Acme' }),
    });
    const body = (await made.json()) as { id?: unknown };
    expect(made.status, JSON.stringify(body)).toBe(201);
    const organization = String(body.id);

    const agent = new McpAgent(clientId, REDIRECT);
    await expect(connect(agent)).rejects.toThrow(/Unauthorized/i);
    const url = agent.authorizationUrl;
    expect(url?.toString().startsWith(`${api}/oauth/authorize?`)).toBe(true);
    expect(url?.searchParams.get('client_id')).toBe(clientId);

    // The consent page: the worker fetched the metadata document (its certificate the developer's own CA's).
    const consented = await consentOverHttp(url ?? new URL(api), ALICE, organization);
    expect(consented.page.status, consented.page.html.slice(0, 400)).toBe(200);
    expect(consented.page.html).toContain('Dev Agent');
    expect(consented.organizations).toEqual([organization]);
    expect(consented.iss).toBe(api);
    const { code } = consented;

    expect(await auth(agent, { serverUrl: `${api}/mcp`, authorizationCode: code })).toBe(
      'AUTHORIZED',
    );
    // Alice's note, read by her agent in her organization (the fixture's MCP server reads: `mcp.writes` is off).
    const note = await fetch(`${api}/notes`, {
      method: 'POST',
      headers: { ...ALICE, 'x-atakora-tenant': organization, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'from alice' }),
    });
    expect(note.status).toBe(201);
    const client = await connect(agent);
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools).toEqual(expect.arrayContaining(['note_list', 'note_get']));
    expect(tools).not.toContain('note_create');
    const listed = await client.callTool({ name: 'note_list', arguments: {} });
    expect(listed.isError, JSON.stringify(listed)).toBeFalsy();
    expect(JSON.stringify(listed.structuredContent)).toContain('from alice');
    await client.close();

    const first = agent.saved?.refresh_token;
    expect(await auth(agent, { serverUrl: `${api}/mcp` })).toBe('AUTHORIZED');
    expect(agent.saved?.refresh_token).not.toBe(first);
  });
});
