/**
 * `atakora verify`'s bearer columns catch a runtime that lies (DESIGN §2 "Integrations": a key is "never the people
 * routes"; "Agents that sign in": verify "proves an agent token's `tools/list` equals its person's cells in its
 * organization and nothing elsewhere"). No real runtime can be made to lie, so a loopback stand-in answers as one
 * would — a key let through to `GET api/tenant/members`, an agent token listing a tool its person lacks — and the
 * proof's own pieces judge it: the matrix derived from the backend's rules (the key and agent columns, their cells),
 * the door engine with the members door, the MCP proof. Before the bearer columns the matrix had no `key:<role>` or
 * `agent` column, so neither lie was asked about; each test shows the honest stand-in held first.
 */
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedAccessOf } from '../../src/access/matrix/backend-of.js';
import { deriveAccessMatrix } from '../../src/access/matrix/derive.js';
import { signInOf } from '../../src/access/matrix/sign-in.js';
import type { AccessMatrix, MatrixPrincipal } from '../../src/access/matrix/types.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { type Ctx, type Made, proveDoor } from '../../src/cli/verify/door-engine.js';
import { ORGANIZATION_DOORS } from '../../src/cli/verify/doors-organization.js';
import { Proof } from '../../src/cli/verify/proof-context.js';
import { proveMcp } from '../../src/cli/verify/prove-mcp.js';
import { admissionPolicy } from '../../src/kit/pure/tenant-registry.js';
import { serveJsonOnLoopback } from '../support/loopback-server.js';

// Notes every member reads; reviews only an organization's Admins reach (no tool of a plain member's).
const backend = defineBackend(
  {
    notes: CrudApi.define('NoteApi', {
      entityName: 'Note',
      schema: { id: 'string', title: { type: 'string', required: true } },
      access: [{ allow: 'authenticated', operations: ['read', 'list'] }],
    }),
    reviews: CrudApi.define('ReviewApi', {
      entityName: 'Review',
      schema: { id: 'string', text: 'string' },
      access: [{ allow: 'role', role: 'Admin' }],
    }),
  },
  {
    backendId: 'bearer-lies',
    tenants: {
      by: 'membership',
      roles: ['Admin', 'Member'],
      plans: { free: {} },
      defaultPlan: 'free',
      apiKeys: {},
    },
    mcp: { authorization: true },
  },
);
const plan = backend.plan();
const signIn = signInOf(
  {
    required: true,
    tenantClaim: 'tid',
    trustTenantHeader: false,
    ...admissionPolicy(backend.config),
  },
  undefined,
  true,
);
const matrix: AccessMatrix = deriveAccessMatrix(plan, signIn, backend.config.mcp);
const column = (key: string): MatrixPrincipal => {
  const p = matrix.principals.find((x) => x.key === key);
  if (!p) throw new Error(`no ${key} column`);
  return p;
};
const KEY = 'atk_verify-lie-test-key';
const AGENT = 'agent-token-of-the-test';

/** The lies the stand-in tells now. */
let lies: { keyOnPeopleRoute: boolean; agentListsReviews: boolean } = {
  keyOnPeopleRoute: false,
  agentListsReviews: false,
};
let base = '';
let close: () => Promise<void>;

/** The stand-in's MCP answers: the tools, a note tool's call as of an organization with no notes, any other unknown. */
function mcpAnswer(req: IncomingMessage, body: Record<string, unknown>) {
  const tools = ['note_list', 'note_get', 'note_count', 'note_aggregate'];
  if (lies.agentListsReviews) tools.push('review_list');
  if (req.headers['x-atakora-tenant'] !== column('agent').organization)
    return { status: 403, value: { type: 'urn:atakora:problem:agent-token-confined' } };
  const called = (body['params'] as { name?: string } | undefined)?.name ?? '';
  const empty = called === 'note_count' ? { count: 0 } : { items: [] };
  const result =
    body['method'] === 'tools/list'
      ? { result: { tools: tools.map((name) => ({ name })) } }
      : called.startsWith('note_')
        ? { result: { structuredContent: empty, content: [] } }
        : { error: { code: -32602, message: 'unknown tool' } };
  return { status: 200, value: { jsonrpc: '2.0', id: body['id'], ...result } };
}

beforeAll(async () => {
  ({ base, close } = await serveJsonOnLoopback((req, body) => {
    const bearer = String(req.headers.authorization ?? '');
    if (bearer === `Bearer ${KEY}` && req.url === '/api/tenant/members')
      return lies.keyOnPeopleRoute
        ? { status: 200, value: { items: [] } }
        : { status: 403, value: { type: 'urn:atakora:problem:api-key-not-allowed' } };
    if (bearer === `Bearer ${AGENT}` && req.url === '/api/mcp') return mcpAnswer(req, body);
    return { status: 500, value: { detail: `the stand-in serves no ${String(req.url)}` } };
  }));
});
afterAll(() => close());

/** The members list's row proven for the key column on the stand-in: its divergences as `column: answer`. */
async function proveMembersList(): Promise<string[]> {
  const row = matrix.rows.find((r) => r.operation === 'members:list')!;
  const key = column('key:Member');
  const proof = new Proof({ ...matrix, rows: [row] });
  proof.bearers[key.key] = KEY;
  const ctx: Ctx = {
    proof,
    url: base,
    principals: [key],
    scratch: [key],
    ownerOf: () => column('home.role.Owner'),
    once: async <T>(_key: string, make: () => Promise<Made<T>>) => (await make()).value,
  };
  await proveDoor(ctx, row, ORGANIZATION_DOORS['members:list']!);
  expect(proof.report.proven.size + proof.report.divergences.length).toBeGreaterThan(0);
  return proof.report.divergences.map((d) => `${d.principal}: ${d.answer.slice(0, 3)}`);
}

/** The MCP rows proven for the agent columns on the stand-in: their divergences as `row column`. */
async function proveAgentTools(): Promise<string[]> {
  const agents = [column('agent'), column('agent.elsewhere')];
  const proof = new Proof({ ...matrix, rows: matrix.rows.filter((r) => r.kind === 'mcp') });
  for (const a of agents) proof.bearers[a.key] = AGENT;
  await proveMcp(proof, () => base, servedAccessOf(plan, signIn).crud, agents, []);
  return proof.report.divergences.map((d) => `${d.row} ${d.principal}`);
}

describe('atakora verify catches a runtime that lies about keys and agents', () => {
  it("derives the columns from the rules: a key 403 on the members list, the agent the person's tools", () => {
    const cells = (op: string) => matrix.rows.find((r) => r.operation === op)?.cells ?? {};
    expect(cells('members:list')['key:Member']).toBe(403);
    expect(cells('members:list')['home.role.Admin']).toBe('tenant');
    const reviews = matrix.rows.find(
      (r) => r.component === 'ReviewApi' && r.operation === 'mcp:list',
    );
    // The agent acts as home.owner's person: no review tool (not an Admin), 403 naming another organization.
    expect(reviews?.cells['agent']).toBe(reviews?.cells['home.owner']);
    expect(reviews?.cells['agent']).toBe(404);
    expect(reviews?.cells['agent.elsewhere']).toBe(403);
  });

  it('an API key let through to a people route (GET api/tenant/members) is ACCESS_DIVERGED', async () => {
    lies = { keyOnPeopleRoute: false, agentListsReviews: false };
    expect(await proveMembersList()).toEqual([]);
    lies = { keyOnPeopleRoute: true, agentListsReviews: false };
    expect(await proveMembersList()).toEqual(['key:Member: 200']);
  });

  it('an agent token that lists a tool its person lacks is ACCESS_DIVERGED', async () => {
    lies = { keyOnPeopleRoute: false, agentListsReviews: false };
    expect(await proveAgentTools()).toEqual([]);
    lies = { keyOnPeopleRoute: false, agentListsReviews: true };
    expect(await proveAgentTools()).toEqual(['ReviewApi mcp:list agent']);
  });
});
