import type { AccessCell, AccessMatrix, MatrixRow } from './types.js';

/** One cell that differs between a committed matrix and the derived one (`absent`: no such row or column). */
export interface CellChange {
  /** `NoteApi read`, `Files upload`. */
  readonly route: string;
  readonly request: string;
  readonly principal: string;
  readonly before: AccessCell | 'absent';
  readonly after: AccessCell | 'absent';
  /** The principal gets more: a refusal → own/tenant/allow, own → tenant/allow, tenant → allow. */
  readonly widened: boolean;
}

/** How much a cell lets through: refusals and absence nothing, then own, tenant, allow. */
function reach(c: AccessCell | 'absent'): number {
  return c === 'allow' ? 3 : c === 'tenant' ? 2 : c === 'own' ? 1 : 0;
}

/**
 * Every cell that changed from `before` to `after`, widenings first (then narrowings and refusals that changed
 * status), each group in the matrix's order. Empty when the matrices agree.
 *
 * @example
 * ```ts
 * const changes = compareAccessMatrices(committed, derived);
 * if (changes.some((c) => c.widened)) console.log('access widened');
 * ```
 */
export function compareAccessMatrices(before: AccessMatrix, after: AccessMatrix): CellChange[] {
  const principals = [
    ...new Set([...after.principals.map((p) => p.key), ...before.principals.map((p) => p.key)]),
  ];
  // Rows share cells objects (derive.ts: one per operation of entities that decide alike), so two rows' cells are
  // compared once per pair of objects, not once per route (7,000 routes at 1,000 CrudApis).
  const same = new Map<object, Map<object, boolean>>();
  const alike = (x: MatrixRow['cells'], y: MatrixRow['cells']): boolean => {
    let byY = same.get(x);
    if (!byY) same.set(x, (byY = new Map<object, boolean>()));
    let equal = byY.get(y);
    if (equal === undefined) {
      equal = principals.every((p) => x[p] === y[p]);
      byY.set(y, equal);
    }
    return equal;
  };
  const changes: CellChange[] = [];
  eachPair(before, after, (a, b) => {
    if (a && b && alike(a.cells, b.cells)) return;
    const row = b ?? a;
    if (!row) return; // never: a pair is made for a row
    // The route's text is written for a changed route only.
    const route = `${row.component} ${row.operation}`;
    for (const principal of principals) {
      const x = a?.cells[principal] ?? 'absent';
      const y = b?.cells[principal] ?? 'absent';
      if (x === y) continue;
      changes.push({
        route,
        request: b?.request ?? a?.request ?? '',
        principal,
        before: x,
        after: y,
        widened: reach(y) > reach(x),
      });
    }
  });
  return [...changes.filter((c) => c.widened), ...changes.filter((c) => !c.widened)];
}

/** A route's row in each matrix (absent from one of them when added or removed). */
interface RowPair {
  before?: MatrixRow;
  after?: MatrixRow;
}

/**
 * Each pair of rows of both matrices by route (component and operation), in the order of `after` and then of the
 * routes only `before` has; a route listed twice keeps its last row. Two derived matrices mostly list the same
 * routes in the same order (a base one CrudApi short: 7,000 rows alike, then 7 more): that run is paired by
 * position, no pair object made, and only the rest is indexed.
 */
function eachPair(
  before: AccessMatrix,
  after: AccessMatrix,
  visit: (before: MatrixRow | undefined, after: MatrixRow | undefined) => void,
): void {
  const b = before.rows;
  const a = after.rows;
  const k = alignedRun(b, a);
  for (let i = 0; i < k; i++) visit(b[i], a[i]);
  for (const pair of indexedPairs(b, a, k)) visit(pair.before, pair.after);
}

/**
 * How many rows from the start both lists have for the same routes, when pairing them by position answers as the
 * index would: no route repeated in that run (checked by its components: a component's rows come in one run, its
 * operations few) and none of its components met again after it. Else 0: every row is indexed.
 */
function alignedRun(b: readonly MatrixRow[], a: readonly MatrixRow[]): number {
  const n = Math.min(a.length, b.length);
  const components = new Set<string>();
  let runOf: string | undefined;
  let runStart = 0;
  let k = 0;
  for (; k < n; k++) {
    const x = a[k] as MatrixRow;
    const y = b[k] as MatrixRow;
    if (x.component !== y.component || x.operation !== y.operation) break;
    if (x.component !== runOf) {
      if (components.has(x.component)) return 0;
      components.add(x.component);
      runOf = x.component;
      runStart = k;
    } else
      for (let j = runStart; j < k; j++)
        if ((a[j] as MatrixRow).operation === x.operation) return 0;
  }
  // The rest: a route of a component the run listed would pair with (or repeat) a row of the run.
  for (let j = k; j < a.length; j++) if (components.has((a[j] as MatrixRow).component)) return 0;
  for (let j = k; j < b.length; j++) if (components.has((b[j] as MatrixRow).component)) return 0;
  return k;
}

/**
 * The rows from `from` on of both lists paired by route. Indexed by operation, then component:
 * no route text is written and hashed per row (that was most of a review page's access diff at 1,000 CrudApis).
 */
function indexedPairs(
  before: readonly MatrixRow[],
  after: readonly MatrixRow[],
  from: number,
): RowPair[] {
  const order: RowPair[] = [];
  const byOperation = new Map<string, Map<string, RowPair>>();
  const put = (row: MatrixRow, side: keyof RowPair): void => {
    let rows = byOperation.get(row.operation);
    if (!rows) byOperation.set(row.operation, (rows = new Map<string, RowPair>()));
    let pair = rows.get(row.component);
    if (!pair) {
      rows.set(row.component, (pair = {}));
      order.push(pair);
    }
    pair[side] = row;
  };
  for (let j = from; j < after.length; j++) put(after[j] as MatrixRow, 'after');
  for (let j = from; j < before.length; j++) put(before[j] as MatrixRow, 'before');
  return order;
}

/**
 * One line per change: `widened  NoteApi read  home.other: own → tenant  (GET api/notes/{id})`.
 *
 * @example
 * ```ts
 * for (const line of describeChanges(changes)) console.error(line);
 * ```
 */
export function describeChanges(changes: readonly CellChange[]): string[] {
  return changes.map(
    (c) =>
      `${c.widened ? 'WIDENED ' : 'narrowed'} ${c.route}  ${c.principal}: ${String(c.before)} → ${String(c.after)}` +
      `  (${c.request})`,
  );
}
