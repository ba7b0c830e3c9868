/**
 * The MCP server at api/mcp under `atakora dev`, spoken to by the official `@modelcontextprotocol/sdk` client over
 * Streamable HTTP (test/packaging/fixtures/mcp-backend.ts): version negotiation and the stateless transport, the 401
 * with `resource_metadata` and the protected-resource document (RFC 9728), each principal's tools (the home user, a
 * role holder, a user of another admitted directory; a directory not admitted refused), annotations and input
 * schemas from the contract, and calls that answer as the REST route they mirror — the same items, the same
 * refusals as tool errors, unknown and unlisted tools as protocol errors — and the same server reached by a stdio
 * client through `mcp-remote`, the bridge docs/mcp.md gives Claude Desktop.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  discoverOAuthProtectedResourceMetadata,
  extractResourceMetadataUrl,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { devJson, devSession, devUser } from '../support/dev-session.js';
import { crudTools, mcpClient, structured, toolNames as names } from '../support/mcp-client.js';
import { CONTOSO, HOME } from './fixtures/mcp-backend.js';

const ALICE = `alice@${HOME}`;
const BOB = `bob@${HOME}`;
const ADMIN = `nora@${HOME};roles=NoteAdmin`;
const CARLOS = `carlos@${CONTOSO}`;
const EVE = 'eve@fabrikam';

const dev = devSession('test/packaging/fixtures/mcp-backend.ts', {
  user: { oid: 'alice', tid: HOME, name: 'alice' },
});
const base = () => dev().apps[0]?.url ?? '';
const as = devUser;

/** The official client, connected as `caller` (dev's sign-in header on every request it sends). */
const connect = (caller: string) => mcpClient(`${base()}/api/mcp`, as(caller));

/** One JSON-RPC message POSTed as the transport says (Accept both types), answered as the server answers it. */
const post = (caller: string, message: unknown, headers: Record<string, string> = {}) =>
  devJson(dev(), caller, 'mcp', {
    method: 'POST',
    headers: { accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(message),
  });

const rest = (caller: string, path: string, init?: RequestInit) =>
  devJson(dev(), caller, path, init);

const TICKET_TOOLS = crudTools('Ticket');

describe('the transport: stateless Streamable HTTP, JSON responses, versions negotiated', () => {
  it('the official client connects; initialize answers the version asked when served, else the newest', async () => {
    const client = await connect(ALICE);
    expect(client.getServerCapabilities()).toEqual({ tools: { listChanged: false } });
    await client.close();
    for (const [asked, answered] of [
      ['2025-06-18', '2025-06-18'],
      ['2025-11-25', '2025-11-25'],
      ['2024-11-05', '2025-11-25'],
    ]) {
      const r = await post(ALICE, {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: asked,
          capabilities: {},
          clientInfo: { name: 'raw', version: '1' },
        },
      });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      // Stateless: no session is ever given out.
      expect(r.headers.get('mcp-session-id')).toBeNull();
      expect((r.body['result'] as { protocolVersion: string }).protocolVersion).toBe(answered);
    }
  });

  it('answers a notification 202, a client refusing streams 406, bad JSON -32700, GET and DELETE 405, an unsupported MCP-Protocol-Version 400, a batch 400', async () => {
    const note = await post(ALICE, { jsonrpc: '2.0', method: 'notifications/initialized' });
    expect([note.status, note.body]).toEqual([202, {}]);
    // A client that could not take an event stream is 406, as the SDK's own server answers it.
    for (const accept of ['application/json', 'text/html'])
      expect(
        (await post(ALICE, { jsonrpc: '2.0', id: 6, method: 'ping' }, { accept })).status,
      ).toBe(406);
    // A body that is no JSON: 400 with JSON-RPC's parse error.
    const garbled = await devJson(dev(), ALICE, 'mcp', {
      method: 'POST',
      headers: { accept: 'application/json, text/event-stream' },
      body: '{"jsonrpc": "2.0", "id": 7,',
    });
    expect(garbled.status).toBe(400);
    expect(garbled.body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    for (const method of ['GET', 'DELETE']) {
      const r = await fetch(`${base()}/api/mcp`, {
        method,
        headers: { ...as(ALICE), accept: 'text/event-stream' },
      });
      expect(r.status).toBe(405);
      expect(r.headers.get('allow')).toBe('POST');
    }
    const stale = await post(
      ALICE,
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      { 'mcp-protocol-version': '2024-11-05' },
    );
    expect(stale.status).toBe(400);
    const batch = await post(ALICE, [{ jsonrpc: '2.0', id: 3, method: 'ping' }]);
    expect(batch.status).toBe(400);
    const ping = await post(
      ALICE,
      { jsonrpc: '2.0', id: 4, method: 'ping' },
      { 'mcp-protocol-version': '2025-06-18' },
    );
    expect(ping.body).toEqual({ jsonrpc: '2.0', id: 4, result: {} });
    const unknown = await post(ALICE, { jsonrpc: '2.0', id: 5, method: 'resources/list' });
    expect((unknown.body['error'] as { code: number }).code).toBe(ErrorCode.MethodNotFound);
  });
});

describe('sign-in discovery: 401 with resource_metadata, the protected-resource document (RFC 9728)', () => {
  it('answers an anonymous caller 401 naming the document, which names the authority and the scope', async () => {
    const r = await fetch(`${base()}/api/mcp`, {
      method: 'POST',
      headers: { ...as('anonymous'), 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(r.status).toBe(401);
    const metadataUrl = extractResourceMetadataUrl(r);
    expect(metadataUrl?.href).toBe(`${base()}/.well-known/oauth-protected-resource`);
    // The SDK's own discovery reads and validates it.
    const metadata = await discoverOAuthProtectedResourceMetadata(new URL(`${base()}/api/mcp`), {
      resourceMetadataUrl: metadataUrl,
    });
    expect(metadata.resource).toBe(base());
    expect(metadata.authorization_servers).toEqual([
      'https://login.microsoftonline.com/common/v2.0',
    ]);
    expect(metadata.scopes_supported).toEqual(['api://<client id>/user_impersonation']);
  });

  it('the official client without a token fails to connect (401)', async () => {
    await expect(connect('anonymous')).rejects.toThrow(/401|Unauthorized/i);
  });

  it('a page of another origin and a rebound DNS name reach no tool', async () => {
    const tools = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    // Another origin is forbidden, dev's sign-in header or not (MCP 2025-11-25 transports: 403, a JSON-RPC error
    // without an id), and gets no CORS grant.
    const evil = await post(ALICE, tools, { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(evil.body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000 } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    // A simple cross-site form POST (no preflight) is forbidden too, as is a page of another loopback port.
    const form = await fetch(`${base()}/api/mcp`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
      body: JSON.stringify(tools),
    });
    expect(form.status).toBe(403);
    expect((await post(ALICE, tools, { origin: 'http://localhost:6666' })).status).toBe(403);
    // Dev's own origin (auth.devOrigins) reaches the caller's tools.
    const own = await post(ALICE, tools, { origin: 'http://localhost:5173' });
    expect(own.status).toBe(200);
    expect(own.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    // A page whose own name resolves to 127.0.0.1 sends that name as Host: 421 before any caller is read.
    const port = new URL(base()).port;
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/mcp',
          setHost: false,
          headers: {
            host: `attacker.example:${port}`,
            'content-type': 'application/json',
            ...as(ALICE),
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(tools));
    });
    expect(rebound).toBe(421);
  });
});

describe("each caller's tools: what its access rules let it call", () => {
  it('the home user, a role holder, a user of another directory; a directory not admitted is refused', async () => {
    const alice = await connect(ALICE);
    // No audit_entry_* (mcp: false), no admin_note_* (NoteAdmin only), no file_ticket or no_data (no mcp).
    expect(await names(alice)).toEqual([...TICKET_TOOLS, 'ticket_stats'].sort());
    const nora = await connect(ADMIN);
    expect(await names(nora)).toEqual(
      [
        'admin_note_aggregate',
        'admin_note_count',
        'admin_note_get',
        'admin_note_list',
        ...TICKET_TOOLS,
        'ticket_stats',
      ].sort(),
    );
    const carlos = await connect(CARLOS);
    expect(await names(carlos)).toEqual([...TICKET_TOOLS, 'ticket_stats'].sort());
    await expect(connect(EVE)).rejects.toThrow(/403/);
    for (const c of [alice, nora, carlos]) await c.close();
  });

  it('annotations and input schemas come from the contract', async () => {
    const alice = await connect(ALICE);
    const tools = Object.fromEntries((await alice.listTools()).tools.map((t) => [t.name, t]));
    expect(tools['ticket_list']?.annotations).toMatchObject({ readOnlyHint: true });
    expect(tools['ticket_create']?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
    });
    expect(tools['ticket_update']?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
    });
    expect(tools['ticket_delete']?.annotations).toMatchObject({
      destructiveHint: true,
      idempotentHint: true,
    });
    const create = tools['ticket_create']?.inputSchema as unknown as {
      required: string[];
      properties: Record<string, unknown>;
    };
    expect(create['required']).toEqual(['title']);
    expect(create['properties']['title']).toEqual({ type: 'string', maxLength: 80 });
    expect(create['properties']['status']).toMatchObject({
      type: 'string',
      enum: ['open', 'closed'],
    });
    const list = tools['ticket_list']?.inputSchema as { properties: Record<string, unknown> };
    expect(Object.keys(list.properties).sort()).toEqual([
      'after',
      'filter',
      'first',
      'orderby',
      'select',
    ]);
    expect(tools['ticket_stats']?.description).toBe(
      'Open and closed tickets of your organization, as you may see them.',
    );
    await alice.close();
  });
});

describe('calls answer as the REST route they mirror', () => {
  it('create, get and tenant-confined lists with filter, orderby, first and after', async () => {
    const alice = await connect(ALICE);
    const ids: string[] = [];
    for (const [title, priority] of [
      ['printer', 5],
      ['vpn', 1],
      ['badge', 4],
    ] as const) {
      const r = await alice.callTool({ name: 'ticket_create', arguments: { title, priority } });
      expect(r.isError).toBeFalsy();
      const item = structured(r)['item'] as Record<string, unknown>;
      expect(item).toMatchObject({
        title,
        priority,
        ownerId: 'alice',
        tenantId: HOME,
        status: 'open',
      });
      ids.push(String(item['id']));
      // The item as its REST GET gives it, and the ETag the route sends.
      const got = await rest(ALICE, `tickets/${String(item['id'])}`);
      expect(item).toEqual(got.body);
      expect(structured(r)['etag']).toBe(got.headers.get('etag'));
    }
    const carlos = await connect(CARLOS);
    await carlos.callTool({
      name: 'ticket_create',
      arguments: { title: 'contoso only', priority: 9 },
    });
    // Pages through MCP and through REST: the same items in the same order, the same tokens.
    const query = { filter: "status eq 'open'", orderby: 'priority desc', first: 2 };
    const first = structured(await alice.callTool({ name: 'ticket_list', arguments: query }));
    const restFirst = await rest(
      ALICE,
      "tickets?$filter=status eq 'open'&$orderby=priority desc&$first=2",
    );
    expect(first).toEqual(restFirst.body);
    expect((first['items'] as { title: string }[]).map((i) => i.title)).toEqual([
      'printer',
      'badge',
    ]);
    const second = structured(
      await alice.callTool({
        name: 'ticket_list',
        arguments: { ...query, after: first['continuationToken'] },
      }),
    );
    expect((second['items'] as { title: string }[]).map((i) => i.title)).toEqual(['vpn']);
    expect(second['continuationToken']).toBeNull();
    // Contoso's user sees Contoso's ticket only; counts agree with the lists.
    const theirs = structured(await carlos.callTool({ name: 'ticket_list', arguments: {} }));
    expect((theirs['items'] as { title: string }[]).map((i) => i.title)).toEqual(['contoso only']);
    expect(structured(await alice.callTool({ name: 'ticket_count', arguments: {} }))).toEqual({
      count: 3,
    });
    expect(structured(await carlos.callTool({ name: 'ticket_count', arguments: {} }))).toEqual({
      count: 1,
    });
    // Another tenant's id is not found, as its GET is.
    const other = await carlos.callTool({ name: 'ticket_get', arguments: { id: ids[0] } });
    expect(other.isError).toBe(true);
    expect(structured(other)).toEqual((await rest(CARLOS, `tickets/${ids[0]!}`)).body);
    expect(structured(other)['status']).toBe(404);
    await alice.close();
    await carlos.close();
  });

  it("another user's update is refused as REST refuses it; the owner updates (If-Match) and deletes", async () => {
    const alice = await connect(ALICE);
    const bob = await connect(BOB);
    const made = structured(
      await alice.callTool({ name: 'ticket_create', arguments: { title: 'mine' } }),
    );
    const id = String((made['item'] as { id: string }).id);
    const refused = await bob.callTool({
      name: 'ticket_update',
      arguments: { id, patch: { title: 'bob was here' } },
    });
    expect(refused.isError).toBe(true);
    const viaRest = await rest(BOB, `tickets/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ title: 'bob was here' }),
    });
    expect(viaRest.status).toBe(403);
    expect(structured(refused)).toEqual(viaRest.body);
    // A stale ETag is 412; the current one passes.
    const stale = await alice.callTool({
      name: 'ticket_update',
      arguments: { id, patch: { title: 'x' }, ifMatch: '"stale"' },
    });
    expect(structured(stale)['status']).toBe(412);
    const updated = await alice.callTool({
      name: 'ticket_update',
      arguments: { id, patch: { status: 'closed' }, ifMatch: String(made['etag']) },
    });
    expect(updated.isError).toBeFalsy();
    expect(structured(updated)['item']).toMatchObject({ id, status: 'closed', title: 'mine' });
    expect(structured(await alice.callTool({ name: 'ticket_delete', arguments: { id } }))).toEqual({
      deleted: id,
    });
    const gone = await alice.callTool({ name: 'ticket_get', arguments: { id } });
    expect([gone.isError, structured(gone)['status'], structured(gone)['type']]).toEqual([
      true,
      404,
      'urn:atakora:problem:not-found',
    ]);
    await alice.close();
    await bob.close();
  });

  it('a bad item is a 400 naming the field, as a tool error the model can read', async () => {
    const alice = await connect(ALICE);
    const r = await alice.callTool({
      name: 'ticket_create',
      arguments: { title: 'x', status: 'pending' },
    });
    expect(r.isError).toBe(true);
    const problem = structured(r);
    expect(problem['status']).toBe(400);
    expect((problem['errors'] as { field: string }[]).map((e) => e.field)).toEqual(['status']);
    expect(problem).toEqual(
      (
        await rest(ALICE, 'tickets', {
          method: 'POST',
          body: JSON.stringify({ title: 'x', status: 'pending' }),
        })
      ).body,
    );
    expect(JSON.parse((r.content as { text: string }[])[0]!.text)).toEqual(problem);
    // A misspelt argument is named too, never dropped (a list of every ticket).
    const typo = await alice.callTool({
      name: 'ticket_list',
      arguments: { filtr: "status eq 'open'" },
    });
    expect([typo.isError, structured(typo)['status']]).toEqual([true, 400]);
    expect((structured(typo)['errors'] as { field: string }[]).map((e) => e.field)).toEqual([
      'filtr',
    ]);
    await alice.close();
  });

  it('an unknown tool and a tool the caller may not call are the same protocol error', async () => {
    const alice = await connect(ALICE);
    for (const name of ['no_such_tool', 'admin_note_list', 'audit_entry_list']) {
      const e = await alice.callTool({ name, arguments: {} }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(McpError);
      expect((e as McpError).code).toBe(ErrorCode.InvalidParams);
      expect((e as McpError).message).toContain(`Unknown tool: ${name}`);
    }
    await alice.close();
  });

  it('a described HTTP function is a tool: its handler runs as the caller', async () => {
    const alice = await connect(ALICE);
    const r = await alice.callTool({ name: 'ticket_stats', arguments: {} });
    expect(r.isError).toBeFalsy();
    expect(structured(r)).toEqual((await rest(ALICE, 'reports/tickets')).body);
    await alice.close();
  });

  it('the served OpenAPI document does not list the MCP endpoint', async () => {
    const doc = await rest(ALICE, 'openapi.json');
    expect(Object.keys(doc.body['paths'] as object).some((p) => p.includes('mcp'))).toBe(false);
  });
});

describe("a stdio client through mcp-remote (Claude Desktop's bridge, docs/mcp.md)", () => {
  it("reaches the server with dev's header: the user's tools, calls answered as REST", async () => {
    // The bridge docs/mcp.md puts in claude_desktop_config.json, run as the client runs it (stdio), with its
    // token store in a folder of this test.
    const config = mkdtempSync(join(tmpdir(), 'atakora-mcp-remote-'));
    const proxy = createRequire(import.meta.url).resolve('mcp-remote/dist/proxy.js');
    const client = new Client({ name: 'desktop-like', version: '1.0.0' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [proxy, `${base()}/api/mcp`, '--header', `x-atakora-dev-user:${BOB}`],
      env: { ...(process.env as Record<string, string>), MCP_REMOTE_CONFIG_DIR: config },
      stderr: 'ignore',
    });
    try {
      await client.connect(transport);
      expect(await names(client)).toEqual([...TICKET_TOOLS, 'ticket_stats'].sort());
      const counted = await client.callTool({ name: 'ticket_count', arguments: {} });
      expect(structured(counted)).toEqual({
        count: (await rest(BOB, 'tickets?$count=true&$first=1')).body['count'],
      });
      // A refusal comes through the bridge as the tool error it is.
      const bad = await client.callTool({
        name: 'ticket_create',
        arguments: { status: 'pending' },
      });
      expect([bad.isError, structured(bad)['status']]).toEqual([true, 400]);
    } finally {
      await client.close();
      rmSync(config, { recursive: true, force: true });
    }
  });
});
