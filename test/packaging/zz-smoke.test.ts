import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startDev, type DevSession } from '../../src/cli/dev/session/session.js';

let dev: DevSession;
beforeAll(async () => {
  dev = await startDev('test/packaging/fixtures/mcp-backend.ts', { log: (l) => console.log(l), user: { oid: 'alice', tid: '22222222-2222-4222-8222-222222222222', name: 'alice' } });
}, 120_000);
afterAll(async () => { await dev?.stop(); });

describe('smoke', () => {
  it('works', async () => {
    const url = dev.apps[0]!.url;
    const client = new Client({ name: 't', version: '1' });
    const transport = new StreamableHTTPClientTransport(new URL(`${url}/api/mcp`), { requestInit: { headers: { 'x-atakora-dev-user': 'alice@22222222-2222-4222-8222-222222222222' } } });
    await client.connect(transport);
    console.log(client.getServerVersion(), transport.protocolVersion);
    const tools = await client.listTools();
    console.log(tools.tools.map((t) => t.name));
    const created = await client.callTool({ name: 'ticket_create', arguments: { title: 'hello' } });
    console.log(JSON.stringify(created));
    const listed = await client.callTool({ name: 'ticket_list', arguments: {} });
    console.log(JSON.stringify(listed));
    const stats = await client.callTool({ name: 'ticket_stats', arguments: {} });
    console.log(JSON.stringify(stats));
    const r = await fetch(`${url}/api/reports/tickets`, { headers: { 'x-atakora-dev-user': 'alice@22222222-2222-4222-8222-222222222222' } });
    console.log(r.status, await r.text());
    const anon = await fetch(`${url}/api/mcp`, { method: 'POST', headers: { 'x-atakora-dev-user': 'anonymous', 'content-type': 'application/json' }, body: '{}' });
    console.log(anon.status, anon.headers.get('www-authenticate'));
    const prm = await fetch(`${url}/.well-known/oauth-protected-resource`);
    console.log(prm.status, await prm.text());
    await client.close();
  }, 60_000);
});
