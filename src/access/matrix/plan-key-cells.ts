// An API key's cells per plan (DESIGN §2 "Integrations": "Built-in features 'api-keys' and 'webhooks' gate both";
// a key is a caller "as for a member of that role"). The runtime admits a key in its organization's tenant stage
// (runtime/members/keys/key-tenants.ts) in this order: a route that does not take keys (the people routes, the MCP
// door) is 403 `api-key-not-allowed` whatever the plan; then, on a plan without `api-keys`, every route that does
// take keys is 402 `feature-not-in-plan` naming `api-keys` — before the route's own gate and before the access rules;
// on a plan with it the key is the member of its role, its cells that member's.
import { ORGANIZATION_ROUTES } from '../model/organization-routes.js';
import type { AccessCell, MatrixPrincipal, MatrixRow } from './types.js';

/** The built-in feature that gates every request made with an API key. */
export const API_KEYS_FEATURE = 'api-keys';

/**
 * Whether an API key's request reaches its plan's gates on `row`'s route: the data doors (a CrudApi's rows, a
 * FileStore's) and the organization routes that take keys (`GET api/tenant`, the audit log); never the MCP door,
 * realtime's negotiate or a people route (403 before any gate).
 *
 * @example
 * ```ts
 * keyTakes({ kind: 'organization', operation: 'members:list', … }); // false
 * ```
 */
export function keyTakes(row: Pick<MatrixRow, 'kind' | 'operation'>): boolean {
  // Realtime's negotiate (a CrudApi's `events` row) is a route without a resource that does not take keys: 403.
  if (row.kind === 'crud') return row.operation !== 'events';
  if (row.kind === 'files') return true;
  if (row.kind !== 'organization') return false;
  return ORGANIZATION_ROUTES.some((r) => r.operation === row.operation && r.keys === true);
}

/**
 * The key under which a column's own gate is kept beside the row's (`<component> <operation>|<column>`): a key's
 * 402 names `api-keys`, whatever gate the row has for the people who sign in.
 *
 * @example
 * ```ts
 * columnGateKey('NoteApi list', 'key:Member'); // 'NoteApi list|key:Member'
 * ```
 */
export const columnGateKey = (row: string, column: string): string => `${row}|${column}`;

/**
 * `row`'s key columns on a plan without `api-keys`: 402 where the key reaches the gate (a number other than 403 in
 * `rules` — the row's cells by the rules, before any gate: 405, an operation not served, comes first and stays), the
 * cell unchanged elsewhere; and the columns so gated. On a plan with `api-keys` (or with no key column) the row as
 * it is. `rules` defaults to the row's own cells; a row a built-in feature already gates passes its cells before that
 * gate, whose 402 the key's replaces (the key is refused first).
 *
 * @example
 * ```ts
 * keyCellsOnPlan(noteList, principals, false).row.cells['key:Member']; // 402
 * ```
 */
export function keyCellsOnPlan(
  row: MatrixRow,
  principals: readonly MatrixPrincipal[],
  hasApiKeys: boolean,
  rules: MatrixRow['cells'] = row.cells,
): { readonly row: MatrixRow; readonly gated: readonly string[] } {
  const keys = principals.filter((p) => p.bearer === 'api-key');
  if (hasApiKeys || keys.length === 0 || !keyTakes(row)) return { row, gated: [] };
  const cells: Record<string, AccessCell> = { ...row.cells };
  const gated: string[] = [];
  for (const p of keys) {
    const cell = rules[p.key] ?? 405;
    if (typeof cell === 'number' && cell !== 403) continue;
    cells[p.key] = 402;
    gated.push(p.key);
  }
  return { row: { ...row, cells }, gated };
}
