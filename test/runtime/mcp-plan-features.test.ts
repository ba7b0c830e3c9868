/**
 * The `search` feature's gate on the MCP server as an agent meets it (DESIGN §2, "Plans that package the product"),
 * through the official `@modelcontextprotocol/sdk` client over Streamable HTTP — its `fetch` handed to the runtime's
 * MCP function in-process, the data on the local Cosmos DB server: on a plan with `mcp` and `search` the CrudApi's
 * `<entity>_search` tool is listed and answers; on a plan with `mcp` only it is not listed, and called anyway it is a
 * tool error (`isError`) carrying the 402 `feature-not-in-plan` document naming `search` and the plan that has it.
 */
import type { HttpHandler } from '@azure/functions';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { crudToolName } from '../../src/model/mcp-tool-names.js';
import { plansFile, plansRuntime } from '../model/plans-app.js';
import type { ModelPlan } from '../model/plans-reference.js';
import { structured, toolNames } from '../support/mcp-client.js';
import { invoke } from './support/http.js';

const containers = plansFile();
const SEARCH = crudToolName('Note', 'search');
const LIST = crudToolName('Note', 'list');

/** A `fetch` that hands each request of the client to `handler` (the host's routing of `api/mcp`), signed in. */
const fetchVia =
  (handler: HttpHandler, signedIn: Record<string, string>): typeof fetch =>
  async (input, init) => {
    const request = new Request(input, init);
    const text = request.method === 'POST' ? await request.text() : '';
    const reply = await invoke(handler, request.method, 'mcp', {
      headers: { ...Object.fromEntries(request.headers), ...signedIn },
      ...(text ? { body: text } : {}),
    });
    const empty = reply.text === '' || reply.status === 202 || reply.status === 204;
    return new Response(empty ? null : reply.text, {
      status: reply.status,
      headers: reply.headers,
    });
  };

describe('the MCP gate of search, through the official MCP SDK client', () => {
  it('<entity>_search is listed only on a plan with search; called anyway, a tool error carrying the 402', async () => {
    const now = Date.parse('2026-03-02T10:00:00.000Z');
    // The plans model's plan type speaks of bounds; a plan's features ride beside them as the manifest carries them.
    const plans: readonly { readonly features?: readonly string[] }[] = [
      { features: ['mcp', 'search'] },
      { features: ['mcp'] },
      { features: [] },
    ];
    const api = await plansRuntime(
      containers(),
      1,
      plans as readonly ModelPlan[],
      undefined,
      () => now,
    );
    const agentOf = async (t: number) => {
      const client = new Client({ name: 'plan-features-test', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL('https://app.test/api/mcp'), {
          fetch: fetchVia(api.mcpHandler, api.headersOf(t, 0)),
        }),
      );
      return client;
    };

    const pro = await agentOf(0);
    const listed = await toolNames(pro);
    expect(listed).toContain(SEARCH);
    expect(listed).toContain(LIST);
    const searched = await pro.callTool({ name: SEARCH, arguments: { text: 'x' } });
    expect(searched.isError).toBeFalsy();
    expect(structured(searched)['items']).toEqual([]);
    await pro.close();

    const basic = await agentOf(1);
    const tools = await toolNames(basic);
    expect(tools).not.toContain(SEARCH);
    expect(tools).toContain(LIST);
    const refused = await basic.callTool({ name: SEARCH, arguments: { text: 'x' } });
    expect(refused.isError).toBe(true);
    expect(structured(refused)).toMatchObject({
      type: 'urn:atakora:problem:feature-not-in-plan',
      status: 402,
      feature: 'search',
      plans: [api.planNames[0]],
    });
    // The rest of the CrudApi's tools still answer on that plan.
    const listedItems = await basic.callTool({ name: LIST, arguments: {} });
    expect(listedItems.isError).toBeFalsy();
    await basic.close();
  });
});
