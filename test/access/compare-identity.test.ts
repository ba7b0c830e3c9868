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

  // Derived matrices mostly list the same routes in the same order (rowPairs pairs that run by position): an
  // edited copy of a matrix — cells changed, rows dropped, added or repeated anywhere — answers as the walk did.
  it('answers as the walk it replaced for a matrix and an edited copy of it (1,000 runs)', () => {
    const cellsPool = fc.array(fc.record(Object.fromEntries(keys.map((k) => [k, cell]))), {
      minLength: 1,
      maxLength: 4,
    });
    const route = fc.record({
      component: fc.constantFrom('NoteApi', 'TaskApi', 'Files', 'Orders', 'Users'),
      operation: fc.constantFrom('read', 'list', 'create', 'delete', 'expand:tasks'),
    });
    const edit = fc.oneof(
      fc.record({ at: fc.nat(40), kind: fc.constant('cells' as const), pick: fc.nat(3) }),
      fc.record({ at: fc.nat(40), kind: fc.constant('drop' as const), pick: fc.nat(3) }),
      fc.record({ at: fc.nat(40), kind: fc.constant('repeat' as const), pick: fc.nat(40) }),
      fc.record({ at: fc.nat(40), kind: fc.constant('add' as const), pick: fc.nat(3), route }),
    );
    fc.assert(
      fc.property(
        cellsPool,
        fc.uniqueArray(route, { selector: (r) => `${r.component}/${r.operation}`, maxLength: 25 }),
        fc.array(edit, { maxLength: 4 }),
        fc.boolean(),
        fc.nat(40),
        (pool, routes, edits, grouped, touch) => {
          const ordered = grouped
            ? [...routes].sort((x, y) =>
                x.component < y.component ? -1 : x.component > y.component ? 1 : 0,
              )
            : routes;
          const rows = ordered.map(
            (r, i): MatrixRow => ({
              ...r,
              kind: 'crud',
              request: `GET api/${String(i)}`,
              cells: pool[i % pool.length] as MatrixRow['cells'],
            }),
          );
          const edited = [...rows];
          for (const e of edits) {
            const i = e.at % (edited.length + 1);
            const cells = pool[e.pick % pool.length] as MatrixRow['cells'];
            if (e.kind === 'add')
              edited.splice(i, 0, { ...e.route, kind: 'crud', request: 'GET new', cells });
            else if (edited.length === 0) continue;
            else if (e.kind === 'cells')
              edited[i % edited.length] = { ...(edited[i % edited.length] as MatrixRow), cells };
            else if (e.kind === 'drop') edited.splice(i % edited.length, 1);
            else
              edited.splice(i, 0, {
                ...(edited[e.pick % edited.length] as MatrixRow),
                request: 'GET again',
                cells,
              });
          }
          const principals = keys.map((key) => ({ key, description: key, roles: [] }));
          const m = (r: MatrixRow[]): AccessMatrix => ({
            version: 1,
            backendId: 'b',
            signIn: 'multi-tenant',
            principals,
            rows: r,
            implications: [],
          });
          expect(compareAccessMatrices(m(rows), m(edited))).toEqual(
            frozenCompare(m(rows), m(edited)),
          );
          expect(compareAccessMatrices(m(edited), m(rows))).toEqual(
            frozenCompare(m(edited), m(rows)),
          );
          // The edited copy again with one row's cells changed: its repeats, if any, in the run paired by position.
          const again = edited.map((r, i) =>
            i === touch % edited.length
              ? {
                  ...r,
                  cells: pool[(pool.indexOf(r.cells) + 1) % pool.length] as MatrixRow['cells'],
                }
              : r,
          );
          expect(compareAccessMatrices(m(edited), m(again))).toEqual(
            frozenCompare(m(edited), m(again)),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});
