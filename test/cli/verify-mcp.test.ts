/**
 * `atakora verify` proves the MCP server's cells (DESIGN §2 "MCP", "Access you can prove") against atakora dev's
 * stack (test/packaging/fixtures/mcp-backend.ts): one row per tool, whose cells are the REST route's (404: not in
 * the caller's tools/list); each principal's tools/list must be exactly its allowed tools, and each call answer as
 * its REST cell. A matrix with one MCP cell flipped is caught, naming the cell. With organizations (tenants by
 * membership) the same proof holds for each member column, its roles the membership's.
 */
import { describe, expect, it } from 'vitest';
import type { AccessMatrix } from '../../src/access/matrix/types.js';
import { verifyEntry } from '../../src/cli/verify/run.js';
import { shareProofStacksInFile } from '../support/shared-proof-stacks.js';

const entry = 'test/packaging/fixtures/mcp-backend.ts';
const cell = (m: AccessMatrix, component: string, operation: string, who: string) =>
  m.rows.find((r) => r.component === component && r.operation === operation)?.cells[who];

// Each entry's proof stack started once for the file, fresh data for every run (test/support/shared-proof-stacks.ts).
shareProofStacksInFile();

describe('atakora verify: the MCP cells', () => {
  it('derives a row per tool and proves each principal tools/list and calls against the runtime', async () => {
    const outcome = await verifyEntry(entry, { file: false });
    expect(outcome.proof.divergences).toEqual([]);
    const m = outcome.matrix;
    const mcp = m.rows.filter((r) => r.kind === 'mcp').map((r) => `${r.component} ${r.operation}`);
    expect(mcp).toEqual([
      'AdminNoteApi mcp:list',
      'AdminNoteApi mcp:get',
      'AdminNoteApi mcp:count',
      'AdminNoteApi mcp:aggregate',
      'TicketApi mcp:list',
      'TicketApi mcp:get',
      'TicketApi mcp:count',
      'TicketApi mcp:aggregate',
      'TicketApi mcp:create',
      'TicketApi mcp:update',
      'TicketApi mcp:delete',
      'Reports mcp:Reports-ticket-stats',
    ]);
    // As the REST cell, a rules refusal as 404 (not listed); the endpoint's own refusals as they are.
    expect(cell(m, 'TicketApi', 'mcp:update', 'home.other')).toBe('own');
    expect(cell(m, 'AdminNoteApi', 'mcp:list', 'home.other')).toBe(404);
    expect(cell(m, 'AdminNoteApi', 'mcp:list', 'home.role.NoteAdmin')).toBe('tenant');
    expect(cell(m, 'TicketApi', 'mcp:list', 'anonymous')).toBe(401);
    expect(cell(m, 'TicketApi', 'mcp:list', 'stranger')).toBe(403);
    // Every MCP cell was exercised.
    for (const row of m.rows.filter((r) => r.kind === 'mcp'))
      for (const p of m.principals)
        expect(
          outcome.proof.proven.has(`${row.component} ${row.operation}|${p.key}`),
          `${row.operation} ${p.key}`,
        ).toBe(true);

    // A matrix that promises another user the admin notes' tools is caught.
    const flipped: AccessMatrix = {
      ...m,
      rows: m.rows.map((r) =>
        r.component === 'AdminNoteApi' && r.operation === 'mcp:list'
          ? { ...r, cells: { ...r.cells, 'home.other': 'tenant' } }
          : r,
      ),
    };
    // Only the row lied about is proven again: every other row held against the true matrix above.
    const caught = await verifyEntry(entry, {
      file: false,
      against: flipped,
      rows: (r) => r.component === 'AdminNoteApi' && r.operation === 'mcp:list',
    });
    expect(caught.proof.divergences.map((d) => `${d.row} ${d.principal}`)).toContain(
      'AdminNoteApi mcp:list home.other',
    );
  });

  it("proves them on a backend with organizations: the membership roles decide each member's tools", async () => {
    // Every row but the organizations' own: those 44 routes, with these 9 principals and the same cells (one plan, no
    // features), are examples/teams' and proven in full by test/access/verify-organization.test.ts; per plan by
    // verify-plans.test.ts. This file's subject is the MCP door and the CRUD rows its tools answer as.
    const outcome = await verifyEntry('test/packaging/fixtures/mcp-members-backend.ts', {
      file: false,
      rows: (r) => r.kind !== 'organization',
    });
    expect(outcome.proof.divergences).toEqual([]);
    const m = outcome.matrix;
    // The reviews are an Admin's of the organization (its membership role, no token role): listed for that member
    // only; the stranger naming the organization is refused before any tool.
    expect(cell(m, 'ReviewApi', 'mcp:create', 'home.role.Admin')).toBe('tenant');
    expect(cell(m, 'ReviewApi', 'mcp:list', 'home.other')).toBe(404);
    expect(cell(m, 'NoteApi', 'mcp:update', 'home.other')).toBe('own');
    expect(cell(m, 'NoteApi', 'mcp:list', 'stranger')).toBe(403);
    // The organization's SCIM token is no sign-in: the MCP server refuses it as it refuses anonymous.
    expect(cell(m, 'NoteApi', 'mcp:list', 'scim')).toBe(
      cell(m, 'NoteApi', 'mcp:list', 'anonymous'),
    );
    for (const row of m.rows.filter((r) => r.kind === 'mcp'))
      for (const p of m.principals)
        expect(outcome.proof.proven.has(`${row.component} ${row.operation}|${p.key}`)).toBe(true);
  });
});
