/**
 * MCP requests in the usage ledger and under the limits, under `atakora dev` with a tenant registry
 * (test/packaging/fixtures/mcp-registry-backend.ts): each HTTP request the official SDK client sends is one request
 * of the caller's tenant in the ledger (a tool call is the pass of the route it mirrors, counted there once), and
 * the per-user rate bounds MCP traffic as it bounds REST: a tool call over the bound is a tool error carrying the
 * 429 `rate-limited` problem, any other message an HTTP 429.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import type { LedgerUsage } from '../../src/cli/logs/usage-ledger-report.js';
import { main } from '../../src/cli/main.js';
import backend from './fixtures/mcp-registry-backend.js';
import { capturedIo } from '../support/captured-io.js';
import { devSession } from '../support/dev-session.js';
import { EVENTUALLY } from '../support/patience.js';

const entry = 'test/packaging/fixtures/mcp-registry-backend.ts';
const PER_USER = backend.config.tenants!.perUser!.requestsPerMinute!;

const dev = devSession(entry);

/** The official client as `caller`, counting every HTTP request it sends. */
async function connect(caller: string): Promise<{ client: Client; sent: () => number }> {
  let sent = 0;
  const client = new Client({ name: 'ledger-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${dev().apps[0]?.url ?? ''}/api/mcp`), {
      requestInit: { headers: { 'x-atakora-dev-user': caller } },
      fetch: (input, init) => {
        sent++;
        return fetch(input, init);
      },
    }),
  );
  return { client, sent: () => sent };
}

const usage = async (tenant: string) => {
  const io = capturedIo();
  expect(await main(['usage', entry, '--local', '--json', '--tenant', tenant], io.io)).toBe(0);
  return (JSON.parse(io.out) as LedgerUsage).tenants[0];
};
const utcMinute = () => new Date().toISOString().slice(0, 16);

describe('MCP requests in the usage ledger and under the limits', () => {
  it('counts every MCP HTTP request once, refused ones included, under the caller tenant', async () => {
    const { client, sent } = await connect('alice@contoso');
    await client.listTools();
    await client.callTool({ name: 'note_create', arguments: { text: 'hello' } });
    await client.callTool({ name: 'note_list', arguments: {} });
    // A refused call (a 400 from the route) is still a request of the tenant.
    const bad = await client.callTool({ name: 'note_create', arguments: { text: 42 } });
    expect(bad.isError).toBe(true);
    // So is a call whose arguments are refused before any route runs (one the tool does not take).
    const misspelt = await client.callTool({ name: 'note_list', arguments: { filtr: 'x' } });
    expect(misspelt.isError).toBe(true);
    await client.close();
    const n = sent();
    expect(n).toBeGreaterThanOrEqual(7);
    await expect
      .poll(async () => (await usage('contoso'))?.requests, { ...EVENTUALLY, interval: 500 })
      .toBe(n);
    expect((await usage('contoso'))?.refused).toBeGreaterThanOrEqual(3);
  });

  it('bounds a user at the per-user rate: a tool call over it is a tool error with 429 rate-limited', async () => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const before = utcMinute();
      const { client } = await connect(`bob-${attempt}@fabrikam`);
      const results = [];
      for (let i = 0; i < PER_USER + 2; i++)
        results.push(await client.callTool({ name: 'note_count', arguments: {} }));
      // The other messages of the minute are over the bound too: an HTTP 429 the client throws.
      const listed = await client.listTools().catch((e: unknown) => e);
      await client.close().catch(() => undefined);
      if (utcMinute() !== before && attempt < 3) continue;
      const refused = results.filter((r) => r.isError);
      expect(refused.length).toBeGreaterThan(0);
      const problem = (refused[0] as { structuredContent: Record<string, unknown> })
        .structuredContent;
      expect(problem).toMatchObject({ status: 429, type: 'urn:atakora:problem:rate-limited' });
      expect(String(listed)).toMatch(/429/);
      // A colleague of the same tenant is still served.
      const { client: colleague } = await connect(`carol-${attempt}@fabrikam`);
      expect((await colleague.callTool({ name: 'note_count', arguments: {} })).isError).toBeFalsy();
      await colleague.close();
      return;
    }
  });
});
