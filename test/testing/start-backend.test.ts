/**
 * `startBackend(backend)` from `@atakora/component/testing` in a vitest test: the help desk of the dataOf fixtures
 * (test/packaging/fixtures/mcp-backend.ts: tickets per directory, owners and a TicketAdmin role, a FunctionsApp whose
 * handlers use the data as their caller) served by dev's stack for the test, called as the callers the test names —
 * through the typed client and through raw requests to the handlers — and refusing a request after stop().
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type TestBackend } from '../../src/entry/testing.js';
import { ProblemError } from '../../src/client/problem-error.js';
import backend, { CONTOSO, HOME } from '../packaging/fixtures/mcp-backend.js';

let t: TestBackend;
beforeAll(async () => {
  t = await startBackend(backend);
});
afterAll(() => t.stop());

const json = async (r: Promise<Response>) => {
  const answer = await r;
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
};

describe('startBackend', () => {
  it('names each component endpoint on loopback: a CrudApi its route, a FunctionsApp its app', () => {
    expect(t.endpoints['tickets']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/tickets$/);
    expect(t.endpoints['reports']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(t.endpoints['tickets']!.startsWith(t.endpoints['reports']!)).toBe(true);
  });

  it("runs a handler's dataOf as the caller the test names, in the directory it names", async () => {
    const alice = t.as({ user: 'alice' });
    const made = await alice.client<typeof backend>().tickets.create({ title: 'from a test' });
    // No directory named: the backend's own (auth.tenantId).
    expect(made).toMatchObject({ ownerId: 'alice', tenantId: HOME });
    const mine = await json(alice.fetch('api/reports/tickets'));
    expect(mine.status).toBe(200);
    expect(mine.body['top']).toContain(made.id);
    const carlos = await json(
      t.as({ user: 'carlos', directory: CONTOSO }).fetch('/api/reports/tickets'),
    );
    expect(carlos.body).toMatchObject({ open: 0, closed: 0, top: [] });
  });

  it("signs roles in: another user's update refused, a TicketAdmin's passes", async () => {
    const made = await t
      .as({ user: 'alice' })
      .client<typeof backend>()
      .tickets.create({ title: 'a' });
    const bob = t.as({ user: 'bob' }).client<typeof backend>();
    const refused = await bob.tickets.update(made.id, { title: 'b' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ProblemError);
    expect((refused as ProblemError).status).toBe(403);
    const admin = t.as({ user: 'dana', roles: ['TicketAdmin'] }).client<typeof backend>();
    expect(await admin.tickets.update(made.id, { title: 'fixed' })).toMatchObject({
      title: 'fixed',
      ownerId: 'alice',
    });
  });

  it('calls as nobody: the handler never runs for an anonymous caller', async () => {
    const r = await json(t.as('anonymous').fetch('api/reports/tickets'));
    expect(r.status).toBe(401);
    expect(r.body['type']).toBe('urn:atakora:problem:unauthenticated');
  });

  it("is a fetch the official MCP SDK client takes: an agent's tools and calls as the caller", async () => {
    const agentOf = async (who: Parameters<TestBackend['as']>[0]) => {
      const client = new Client({ name: 'test-agent', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${t.endpoints['reports']!}/api/mcp`), {
          fetch: t.as(who).fetch,
        }),
      );
      return client;
    };
    const alice = await agentOf({ user: 'alice' });
    const carlos = await agentOf({ user: 'carlos', directory: CONTOSO });
    const admin = await agentOf({ user: 'nina', roles: ['NoteAdmin'] });
    try {
      const made = await alice.callTool({
        name: 'ticket_create',
        arguments: { title: 'via MCP' },
      });
      expect(made.isError).toBeFalsy();
      const item = (made.structuredContent as { item: { id: string; ownerId: string } }).item;
      expect(item.ownerId).toBe('alice');
      // The tool function runs its dataOf as the agent's caller: alice's directory has the ticket, Contoso's not.
      const stats = (caller: Client) =>
        caller.callTool({ name: 'ticket_stats', arguments: {} }).then((r) => r.structuredContent);
      expect(await stats(alice)).toMatchObject({
        top: expect.arrayContaining([item.id]) as unknown,
      });
      expect(await stats(carlos)).toMatchObject({ open: 0, top: [] });
      // Each caller's own tools: the admin notes only for the role that reaches them.
      const names = async (c: Client) => (await c.listTools()).tools.map((x) => x.name);
      expect(await names(alice)).not.toContain('admin_note_list');
      expect(await names(admin)).toContain('admin_note_list');
    } finally {
      await Promise.all([alice.close(), carlos.close(), admin.close()]);
    }
  });

  it('refuses a caller dev cannot sign in before any request', () => {
    expect(() => t.as({ user: 'alice smith' })).toThrowError(
      expect.objectContaining({ code: 'TEST_CALLER_INVALID', path: ['user'] }),
    );
  });

  it('refuses a request after stop(), typed client and fetch alike', async () => {
    const alice = t.as({ user: 'alice' });
    await t.stop();
    await expect(alice.fetch('api/reports/tickets')).rejects.toMatchObject({
      code: 'TEST_BACKEND_STOPPED',
    });
    await expect(alice.client<typeof backend>().tickets.get('x')).rejects.toMatchObject({
      code: 'TEST_BACKEND_STOPPED',
    });
  });
});
