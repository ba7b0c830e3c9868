import type { AccessCell, MatrixPrincipal, MatrixRow } from './types.js';

/**
 * A bearer column's cell on a row other than an organization route's (those: organization-rows.ts): an API key is a
 * member of its role on the data rows (its cells the member's, from the same rules) and 403 at the MCP door and at
 * realtime's negotiate (the `events` rows) — routes with no resource that do not take keys:
 * runtime/members/keys/key-tenants.ts; an agent's token is taken at
 * `api/mcp` only — 401 on every other route — where it answers as its person in its organization, and 403 when the
 * request names another (`agent.elsewhere`: runtime/mcp/oauth/access-token.ts `agentTokenConfinement`).
 */
function bearerCell(row: MatrixRow, p: MatrixPrincipal, cell: AccessCell): AccessCell {
  if (p.bearer === 'api-key') return row.kind === 'mcp' || row.operation === 'events' ? 403 : cell;
  if (row.kind !== 'mcp') return 401;
  return p.organization === p.tid ? cell : 403;
}

/**
 * `rows` with the bearer columns' cells (`key:<role>`, `agent`, `agent.elsewhere`: sign-in.ts) as the runtime's
 * contract gives them, each computed first as the member the column acts as; the rows as they are when no column
 * is a bearer's (no new object: a backend without keys or agents derives as before).
 *
 * @example
 * ```ts
 * withBearerCells(rows, principals).find((r) => r.kind === 'crud')?.cells['agent']; // 401
 * ```
 */
export function withBearerCells(
  rows: readonly MatrixRow[],
  principals: readonly MatrixPrincipal[],
): MatrixRow[] {
  const bearers = principals.filter((p) => p.bearer !== undefined);
  if (bearers.length === 0) return [...rows];
  return rows.map((row) => {
    if (row.kind === 'organization') return row;
    const cells = { ...row.cells };
    for (const p of bearers) cells[p.key] = bearerCell(row, p, row.cells[p.key] ?? 405);
    return { ...row, cells };
  });
}
