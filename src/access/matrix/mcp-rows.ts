import {
  crudToolName,
  type CrudToolAction,
  entityToolActions,
  functionToolName,
} from '../../model/mcp-tool-names.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import type { HostedFunction } from '../../model/requirements.js';
import type { AccessBackend } from '../model/backend.js';
import { admitted } from '../model/reference-model.js';
import { modelPrincipal } from './sign-in.js';
import type { AccessCell, MatrixPrincipal, MatrixRow } from './types.js';

/** The REST row each CRUD tool answers as (its route and operation). */
const REST_ROW: Readonly<Record<CrudToolAction, string>> = {
  list: 'list',
  get: 'read',
  count: 'count',
  // A group-by reads what a count reads (the list route, the list rule): the same cell.
  aggregate: 'count',
  // A search reads what a list reads (the list rule, inside the tenant): the count's cell, as the group-by's.
  search: 'count',
  create: 'create',
  update: 'update',
  delete: 'delete',
};

/**
 * An MCP cell from the REST cell of the route the tool mirrors: the same answer, but a refusal of the caller's rules
 * (403 for a signed-in caller of an admitted directory) is 404 — the tool is not in the caller's `tools/list`, and a
 * call of it is the protocol error of an unknown tool. Anonymous (401) and a directory not admitted (403) are the
 * endpoint's own refusals, before any tool.
 */
function mcpCell(rest: AccessCell, p: MatrixPrincipal, b: AccessBackend): AccessCell {
  if (rest !== 403) return rest;
  const who = modelPrincipal(p);
  return who && admitted(b, who) ? 404 : 403;
}

/**
 * The MCP server's rows of the access matrix (DESIGN §2 "MCP", "Access you can prove"): one per tool it offers —
 * each CrudApi's `<entity>_list`, `_get`, `_count`, `_aggregate`, `_search` (a CrudApi with `search`) and, with writes, `_create`, `_update`, `_delete`, each HTTP
 * function with `mcp: { description }` — whose cells are the REST route's (`mcpCell`). A principal's `tools/list` is
 * exactly the tools whose cell is no status. None when the backend serves no MCP server.
 *
 * @example
 * ```ts
 * mcpRows(served, rows, principals, { writes: false }); // [{ component: 'NoteApi', kind: 'mcp', operation: 'mcp:list', … }]
 * ```
 */
export function mcpRows(
  served: {
    readonly backend: AccessBackend;
    readonly crud: readonly RuntimeEntity[];
    readonly handlers: readonly HostedFunction[];
  },
  rows: readonly MatrixRow[],
  principals: readonly MatrixPrincipal[],
  mcp: { readonly writes: boolean } | undefined,
): MatrixRow[] {
  if (!mcp) return [];
  const b = served.backend;
  const out: MatrixRow[] = [];
  const from = (component: string, kind: MatrixRow['kind'], operation: string) =>
    rows.find((r) => r.component === component && r.kind === kind && r.operation === operation);
  for (const e of served.crud) {
    if (e.mcp === false) continue;
    for (const action of entityToolActions(
      e.operations,
      mcp.writes && e.mcp === 'readwrite',
      e.search !== undefined,
    )) {
      const rest = from(e.componentId, 'crud', REST_ROW[action]);
      if (!rest) continue;
      out.push({
        component: e.componentId,
        kind: 'mcp',
        operation: `mcp:${action}`,
        request: `MCP tools/call ${crudToolName(e.entityName, action)}`,
        cells: Object.fromEntries(
          principals.map((p) => [p.key, mcpCell(rest.cells[p.key] ?? 405, p, b)]),
        ),
      });
    }
  }
  for (const f of served.handlers) {
    if (!f.mcp) continue;
    const rest = from(f.componentId, 'function', `call:${f.name}`);
    if (!rest) continue;
    out.push({
      component: f.componentId,
      kind: 'mcp',
      operation: `mcp:${f.name}`,
      request: `MCP tools/call ${functionToolName(f.name.slice(f.componentId.length + 1))}`,
      cells: Object.fromEntries(
        principals.map((p) => [p.key, mcpCell(rest.cells[p.key] ?? 405, p, b)]),
      ),
    });
  }
  return out;
}
