/**
 * compareAccessMatrices pairs rows by route without writing a route's text per row (the review page's access diff
 * at 1,000 CrudApis: bench/plan-review.ts); its answer is the one of the walk it replaced, frozen here: every route
 * of `after` then of `before` only, a route listed twice keeping its last row, widenings first.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareAccessMatrices } from '../../src/access/matrix/compare.js';
import type { AccessCell, AccessMatrix, MatrixRow } from '../../src/access/matrix/types.js';

const reach = (c: AccessCell | 'absent') =>
  c === 'allow' ? 3 : c === 'tenant' ? 2 : c === 'own' ? 1 : 0;

/** The walk before rowPairs, as it was. */
function frozenCompare(before: AccessMatrix, after: AccessMatrix): unknown[] {
  const keyOf = (r: { component: string; operation: string }) => `${r.component} ${r.operation}`;
  const old = new Map(before.rows.map((r) => [keyOf(r), r]));
  const now = new Map(after.rows.map((r) => [keyOf(r), r]));
  const principals = [
    ...new Set([...after.principals.map((p) => p.key), ...before.principals.map((p) => p.key)]),
  ];
  const changes: { readonly widened: boolean; readonly [k: string]: unknown }[] = [];
  for (const route of new Set([...now.keys(), ...old.keys()])) {
    const a = old.get(route);
    const b = now.get(route);
    for (const principal of principals) {
      const x = a?.cells[principal] ?? 'absent';
      const y = b?.cells[principal] ?? 'absent';
      if (x === y) continue;
      const request = b?.request ?? a?.request ?? '';
      changes.push({
        route,
        request,
        principal,
        before: x,
        after: y,
        widened: reach(y) > reach(x),
      });
    }
  }
  return [...changes.filter((c) => c.widened), ...changes.filter((c) => !c.widened)];
}

const cell = fc.constantFrom<AccessCell>('allow', 'tenant', 'own', 401, 403, 404, 405);
const keys = ['home.user', 'home.owner', 'other.user', 'anonymous'];
// Shared cells objects, as derive.ts makes them, and rows of a few components and operations (repeats included).
const matrix = (cellsPool: readonly Record<string, AccessCell>[]) =>
  fc
    .record({
      principals: fc.subarray(keys, { minLength: 1 }),
      rows: fc.array(
        fc.record({
          component: fc.constantFrom('NoteApi', 'TaskApi', 'Files', 'Note'),
          operation: fc.constantFrom('read', 'list', 'create', 'Api read', 'expand:tasks'),
          cells: fc.constantFrom(...cellsPool),
        }),
        { maxLength: 14 },
      ),
    })
    .map(
      ({ principals, rows }): AccessMatrix => ({
        version: 1,
        backendId: 'b',
        signIn: 'multi-tenant',
        principals: principals.map((key) => ({ key, description: key, roles: [] })),
        rows: rows.map(
          (r, i): MatrixRow => ({ ...r, kind: 'crud', request: `GET api/${String(i)}` }),
        ),
        implications: [],
      }),
    );

describe('compareAccessMatrices', () => {
  it('answers as the walk it replaced, for any two matrices (1,000 runs)', () => {
    const cellsPool = fc.array(fc.record(Object.fromEntries(keys.map((k) => [k, cell]))), {
      minLength: 1,
      maxLength: 4,
    });
    fc.assert(
      fc.property(
        cellsPool.chain((pool) => fc.tuple(matrix(pool), matrix(pool))),
        ([before, after]) => {
          expect(compareAccessMatrices(before, after)).toEqual(frozenCompare(before, after));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
