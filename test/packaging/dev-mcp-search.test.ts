/**
 * The MCP tool `<entity>_search` under `atakora dev`, called by the official `@modelcontextprotocol/sdk` client over
 * Streamable HTTP (test/packaging/fixtures/mcp-search-backend.ts): listed only for a CrudApi that declares `search`,
 * answering what `POST api/<route>/search` answers the same caller — the same ranked page, inside the caller's
 * tenant — and a body the route refuses as its problem, a tool error.
 */
import { describe, expect, it } from 'vitest';
import { devJson, devSession, devUser } from '../support/dev-session.js';
import { mcpClient, structured, toolNames } from '../support/mcp-client.js';
import { CONTOSO, HOME } from './fixtures/mcp-backend.js';

const ALICE = `alice@${HOME}`;
const CARLOS = `carlos@${CONTOSO}`;

const dev = devSession('test/packaging/fixtures/mcp-search-backend.ts', {
  user: { oid: 'alice', tid: HOME, name: 'alice' },
});
const connect = (caller: string) =>
  mcpClient(`${dev().apps[0]?.url ?? ''}/api/mcp`, devUser(caller));
const post = (caller: string, path: string, body: unknown) =>
  devJson(dev(), caller, path, { method: 'POST', body: JSON.stringify(body) });

describe('<entity>_search on the MCP server', () => {
  it('is listed for the CrudApi that declares search only, with its input schema', async () => {
    const alice = await connect(ALICE);
    const names = await toolNames(alice);
    expect(names).toContain('ticket_search');
    expect(names).toContain('note_list');
    expect(names).not.toContain('note_search');
    const tool = (await alice.listTools()).tools.find((t) => t.name === 'ticket_search');
    expect(tool?.annotations).toMatchObject({ readOnlyHint: true });
    expect(Object.keys(tool?.inputSchema.properties ?? {}).sort()).toEqual([
      'after',
      'filter',
      'first',
      'mode',
      'text',
    ]);
    await alice.close();
  });

  it('answers what the REST route answers the same caller, inside its tenant', async () => {
    for (const [who, title] of [
      [ALICE, 'login bug'],
      [ALICE, 'login page slow'],
      [ALICE, 'printer jam'],
      [CARLOS, 'login bug at contoso'],
    ] as const)
      expect((await post(who, 'tickets', { title })).status).toBe(201);
    const args = { text: 'login bug', first: 5 };
    const rest = await post(ALICE, 'tickets/search', args);
    expect(rest.status).toBe(200);
    const alice = await connect(ALICE);
    const called = await alice.callTool({ name: 'ticket_search', arguments: args });
    expect(called.isError).toBeFalsy();
    expect(structured(called)).toEqual(rest.body);
    const titles = (structured(called)['items'] as { title: string; score: number }[]).map(
      (i) => i.title,
    );
    // Carlos's ticket is another tenant's: never in Alice's page, though it matches best.
    expect(titles.sort()).toEqual(['login bug', 'login page slow']);
    // Filtered as a list, and a body the route refuses is its problem as a tool error.
    const open = await alice.callTool({
      name: 'ticket_search',
      arguments: { text: 'login', filter: "status eq 'closed'" },
    });
    expect(structured(open)['items']).toEqual([]);
    const refused = await alice.callTool({ name: 'ticket_search', arguments: { text: '  ' } });
    expect(refused.isError).toBe(true);
    expect(structured(refused)).toMatchObject({ status: 400 });
    await alice.close();
  });
});
