/**
 * The MCP server and dataOf on a backend with tenants by membership, under `atakora dev` with the official SDK
 * client (test/packaging/fixtures/mcp-members-backend.ts): an agent and a handler act in the caller's organization
 * as REST does — the organization the request names (`X-Atakora-Tenant`) or the caller's only one, the membership's
 * roles (never the token's) deciding each caller's tools and calls, a role given or taken holding at once, a
 * non-member and an ambiguous caller refused as REST refuses them.
 */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { devJson, devSession, devUser } from '../support/dev-session.js';
import { crudTools, mcpClient, structured, toolNames as names } from '../support/mcp-client.js';

const ADA = 'ada@example.com';
const BOB = 'bob@example.com';
const EVE = 'eve@example.com';
const dev = devSession('test/packaging/fixtures/mcp-members-backend.ts');
const org = (id: string) => ({ headers: { 'x-atakora-tenant': id } });
const rest = (caller: string, path: string, init?: RequestInit) =>
  devJson(dev(), caller, path, init);
const post = (caller: string, path: string, body: unknown, tenant?: string) =>
  rest(caller, path, {
    method: 'POST',
    body: JSON.stringify(body),
    ...(tenant ? org(tenant) : {}),
  });

/** The official client as `caller`, naming organization `tenant` on every request when given. */
const connect = (caller: string, tenant?: string) =>
  mcpClient(`${dev().apps[0]?.url ?? ''}/api/mcp`, {
    ...devUser(caller),
    ...(tenant ? { 'x-atakora-tenant': tenant } : {}),
  });
const NOTE_TOOLS = crudTools('Note');
const REVIEW_TOOLS = crudTools('Review');

describe('MCP and dataOf in an organization', () => {
  it("act in the caller's organization with the membership's roles, as REST does", async () => {
    // Ada founds two organizations and invites Bob into the first as a Member.
    const acme = String((await post(ADA, 'tenants', { name: 'Acme' })).body['id']);
    const beta = String((await post(ADA, 'tenants', { name: 'Beta' })).body['id']);
    const invite = await post(ADA, 'tenant/invitations', { email: BOB, roles: ['Member'] }, acme);
    const token = new URL(String(invite.body['acceptUrl'])).searchParams.get('invitation');
    const joined = await post(BOB, 'invitations/accept', { token });
    expect(joined.status).toBe(201);
    const ofAda = await post(ADA, 'notes', { title: 'kickoff' }, acme);
    await post(ADA, 'notes', { title: 'beta only' }, beta);

    // Ada belongs to two organizations: without naming one, the agent is refused as REST refuses her.
    await expect(connect(ADA)).rejects.toThrow(/400/);
    expect((await rest(ADA, 'notes')).body['type']).toBe('urn:atakora:problem:tenant-required');
    // Eve names Acme without belonging to it.
    await expect(connect(EVE, acme)).rejects.toThrow(/403/);

    // Bob, a Member of his only organization: no header needed, no reviews, Ada's note not his to change.
    const bob = await connect(BOB);
    expect(await names(bob)).toEqual([...NOTE_TOOLS, 'note_stats'].sort());
    const listed = structured(await bob.callTool({ name: 'note_list', arguments: {} }));
    expect(listed).toEqual((await rest(BOB, 'notes')).body);
    expect((listed['items'] as { title: string }[]).map((n) => n.title)).toEqual(['kickoff']);
    const id = String(ofAda.body['id']);
    const refused = await bob.callTool({
      name: 'note_update',
      arguments: { id, patch: { title: 'bob was here' } },
    });
    const viaRest = await rest(BOB, `notes/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ title: 'bob was here' }),
    });
    expect([refused.isError, viaRest.status]).toEqual([true, 403]);
    expect(structured(refused)).toEqual(viaRest.body);
    const hidden = await bob
      .callTool({ name: 'review_list', arguments: {} })
      .catch((e: unknown) => e);
    expect([hidden instanceof McpError, (hidden as McpError).code]).toEqual([
      true,
      ErrorCode.InvalidParams,
    ]);

    // dataOf in a handler: Bob's note is stamped with him and Acme; his counts are Acme's, as REST lists them.
    const filed = await post(BOB, 'desk/notes', { title: 'from the desk' });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ title: 'from the desk', ownerId: BOB, tenantId: acme });
    const stats = await rest(BOB, 'desk/stats');
    expect(stats.body).toEqual({ count: 2, titles: ['from the desk', 'kickoff'] });
    expect(structured(await bob.callTool({ name: 'note_stats', arguments: {} }))).toEqual(
      stats.body,
    );

    // Ada makes Bob an Admin of Acme (his token is unchanged): at once he sees the reviews and may change notes.
    const userId = String(joined.body['userId']);
    const promoted = await rest(ADA, `tenant/members/${encodeURIComponent(userId)}`, {
      method: 'PATCH',
      body: JSON.stringify({ roles: ['Admin'] }),
      ...org(acme),
    });
    expect(promoted.status).toBe(200);
    expect(await names(bob)).toEqual([...NOTE_TOOLS, ...REVIEW_TOOLS, 'note_stats'].sort());
    const review = await bob.callTool({ name: 'review_create', arguments: { text: 'fine' } });
    expect(structured(review)['item']).toMatchObject({ text: 'fine', tenantId: acme });
    const changed = await bob.callTool({
      name: 'note_update',
      arguments: { id, patch: { title: 'renamed' } },
    });
    expect(structured(changed)['item']).toMatchObject({ id, title: 'renamed' });
    await bob.close();

    // Ada, naming Beta: Beta's notes only, and no reviews (an Owner holds no Admin role).
    const adaInBeta = await connect(ADA, beta);
    expect(await names(adaInBeta)).toEqual([...NOTE_TOOLS, 'note_stats'].sort());
    const betaNotes = structured(await adaInBeta.callTool({ name: 'note_list', arguments: {} }));
    expect((betaNotes['items'] as { title: string }[]).map((n) => n.title)).toEqual(['beta only']);
    await adaInBeta.close();
  });
});
