/**
 * `verifyAccess(backend)` from `@atakora/component/testing` in a vitest test: a multi-tenant board (posts per
 * directory with a Moderator role, realtime and comments as children, reviews shared, a Moderator-only handler)
 * is derived and proven against atakora dev's stack — children pages, expansions, events and the handler's gate
 * included — and resolves with the matrix; a matrix whose events cell claims more than the runtime delivers rejects
 * with ACCESS_DIVERGED naming that cell. (A help desk on a tenant registry, the same cells through the same
 * `verifyEntry`, is proven once, by the CLI's test: test/cli/verify-registry.test.ts; docs/performance.md, "A cell
 * proven once".)
 */
import { describe, expect, it } from 'vitest';
import type { AccessMatrix } from '../../src/entry/testing.js';
import { verifyAccess } from '../../src/entry/testing.js';
import board from '../cli/fixtures/verify/board.js';
import { matrixCell } from '../support/matrix-cell.js';
import { shareProofStacksInFile } from '../support/shared-proof-stacks.js';

// Each entry's proof stack started once for the file, fresh data for every run (test/support/shared-proof-stacks.ts).
shareProofStacksInFile();

describe('verifyAccess', () => {
  let matrix: AccessMatrix;

  it('resolves with the proven matrix of a multi-tenant backend', async () => {
    matrix = await verifyAccess(board);
    expect(matrixCell(matrix, 'PostApi', 'update', 'home.role.Moderator')).toBe('tenant');
    expect(matrixCell(matrix, 'PostApi', 'read', 'other.other')).toBe('tenant');
    expect(matrixCell(matrix, 'ReviewApi', 'read', 'other.other')).toBe('allow');
    expect(matrixCell(matrix, 'PostApi', 'events', 'stranger')).toBe(403);
    expect(matrixCell(matrix, 'Tools', 'call:Tools-stats', 'home.other')).toBe(403);
    expect(matrixCell(matrix, 'Tools', 'call:Tools-stats', 'other.role.Moderator')).toBe('allow');
    expect(matrixCell(matrix, 'CommentApi', 'read', 'other.other')).toBe('tenant');
    // Shared reviews are read by every admitted directory: named, so nobody is surprised by it.
    expect(matrix.implications.map((i) => i.code)).toContain('shared-readable-across-directories');
  });

  it('rejects with ACCESS_DIVERGED when a cell claims what the runtime does not do', async () => {
    const flipped: AccessMatrix = {
      ...matrix,
      rows: matrix.rows.map((r) =>
        r.component === 'PostApi' && r.operation === 'events'
          ? { ...r, cells: { ...r.cells, 'other.other': 'allow' } }
          : r,
      ),
    };
    // Only the row lied about is proven again (`rows`): every other row held against the true matrix above.
    const error = await verifyAccess(board, {
      against: flipped,
      rows: (r) => r.component === 'PostApi' && r.operation === 'events',
    }).then(
      () => undefined,
      (e: unknown) =>
        e as { code: string; details: { divergences: { row: string; principal: string }[] } },
    );
    expect(error?.code).toBe('ACCESS_DIVERGED');
    const rows = new Set(error!.details.divergences.map((d) => `${d.row}|${d.principal}`));
    expect([...rows]).toEqual(['PostApi events|other.other']);
  });
});
