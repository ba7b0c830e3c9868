import type { AccessCell, AccessMatrix } from '../../src/access/matrix/types.js';

/**
 * The cell of `who` on `component`'s `operation` row of an access matrix (undefined when the row or the column is
 * not there): what the tests of `atakora verify` and the matrix read a cell with.
 *
 * @example
 * ```ts
 * expect(matrixCell(matrix, 'PostApi', 'read', 'anonymous')).toBe(401);
 * ```
 */
export function matrixCell(
  m: AccessMatrix,
  component: string,
  operation: string,
  who: string,
): AccessCell | undefined {
  return m.rows.find((r) => r.component === component && r.operation === operation)?.cells[who];
}
