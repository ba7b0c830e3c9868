/**
 * `atakora verify` proves search and aggregates (DESIGN §2 "Search and aggregates", "Access you can prove") against
 * atakora dev's stack (test/cli/fixtures/search-backend.ts: an owner rule, two directories, a Reviewer role): the
 * `aggregate` and `search` rows take the list's cells, and each principal's `$apply=groupby((id),…)`, full-text
 * search and their MCP tools must answer exactly the items its list cell allows, refusals as the list's. A matrix
 * promising more than the runtime answers is caught, naming the cell.
 */
import { describe, expect, it } from 'vitest';
import type { AccessMatrix } from '../../src/access/matrix/types.js';
import { verifyEntry } from '../../src/cli/verify/run.js';
import { shareProofStacksInFile } from '../support/shared-proof-stacks.js';

const entry = 'test/cli/fixtures/search-backend.ts';
const cell = (m: AccessMatrix, operation: string, who: string) =>
  m.rows.find((r) => r.component === 'NoteApi' && r.operation === operation)?.cells[who];

// Each entry's proof stack started once for the file, fresh data for every run (test/support/shared-proof-stacks.ts).
shareProofStacksInFile();

describe('atakora verify: search and aggregates', () => {
  it('derives their rows from the list rule, proves them on the runtime and catches a cell it does not keep', async () => {
    const outcome = await verifyEntry(entry, { file: false });
    expect(outcome.proof.divergences).toEqual([]);
    const m = outcome.matrix;
    const ops = m.rows.filter((r) => r.component === 'NoteApi').map((r) => r.operation);
    expect(ops).toEqual(
      expect.arrayContaining(['aggregate', 'search', 'mcp:aggregate', 'mcp:search']),
    );
    expect(cell(m, 'search', 'home.other')).toBe('own');
    expect(cell(m, 'aggregate', 'home.role.Reviewer')).toBe('tenant');
    expect(cell(m, 'search', 'anonymous')).toBe(401);
    expect(cell(m, 'mcp:search', 'stranger')).toBe(403);
    const proven = ['aggregate', 'search', 'mcp:aggregate', 'mcp:search'];
    for (const operation of proven)
      for (const p of m.principals)
        expect(
          outcome.proof.proven.has(`NoteApi ${operation}|${p.key}`),
          `${operation} ${p.key}`,
        ).toBe(true);

    // Promise another user of the tenant every note's search, a Reviewer only their own groups, and another
    // directory's owner the tenant's notes through the agent's tool: the runtime keeps none of it.
    const promised: Record<string, readonly [string, 'tenant' | 'own' | 'allow']> = {
      search: ['home.other', 'tenant'],
      aggregate: ['home.role.Reviewer', 'own'],
      'mcp:search': ['other.owner', 'allow'],
      'mcp:aggregate': ['home.other', 'tenant'],
    };
    const flipped: AccessMatrix = {
      ...m,
      rows: m.rows.map((r) => {
        const f = r.component === 'NoteApi' ? promised[r.operation] : undefined;
        return f ? { ...r, cells: { ...r.cells, [f[0]]: f[1] } } : r;
      }),
    };
    // Only the rows lied about are proven again: every other row held against the true matrix above.
    const caught = await verifyEntry(entry, {
      file: false,
      against: flipped,
      rows: (r) => r.component === 'NoteApi' && r.operation in promised,
    });
    const rows = caught.proof.divergences.map((d) => `${d.row} ${d.principal}`);
    expect([...new Set(rows)].sort()).toEqual(
      Object.entries(promised)
        .map(([op, [who]]) => `NoteApi ${op} ${who}`)
        .sort(),
    );
    // Both searches are sent, the full-text one and the vector one (the bodies' own vectors), each caught.
    expect(
      caught.proof.divergences.filter((d) => d.row === 'NoteApi search').map((d) => d.request),
    ).toEqual([
      'POST api/notes/search {"text":"body"} as home.other',
      'POST api/notes/search {"vector":[1,0,…],"mode":"vector"} as home.other',
    ]);
  });
});
