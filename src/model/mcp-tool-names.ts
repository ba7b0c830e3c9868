import type { CrudOperation } from './runtime-manifest.js';

/**
 * What each CRUD tool of the MCP server does, the CrudApi operation its REST route checks, and whether it writes
 * (a write tool exists only where both the backend and the CrudApi allow MCP writes).
 *
 * @example
 * ```ts
 * CRUD_TOOL_ACTIONS.count; // { operation: 'list', writes: false }
 * ```
 */
export const CRUD_TOOL_ACTIONS = Object.freeze({
  list: { operation: 'list', writes: false },
  get: { operation: 'read', writes: false },
  count: { operation: 'list', writes: false },
  aggregate: { operation: 'list', writes: false },
  // Who may list may search (the search route's rule); only a CrudApi that declares `search` has the tool.
  search: { operation: 'list', writes: false },
  create: { operation: 'create', writes: true },
  update: { operation: 'update', writes: true },
  delete: { operation: 'delete', writes: true },
} as const satisfies Record<string, { operation: CrudOperation; writes: boolean }>);

/**
 * One CRUD tool's action: `list`, `get`, `count`, `aggregate`, `search`, `create`, `update` or `delete`.
 */
export type CrudToolAction = keyof typeof CRUD_TOOL_ACTIONS;

/**
 * A name in snake_case, as MCP tools are named: `AuditLog` → `audit_log`, `ticket-stats` → `ticket_stats`,
 * `HTTPRequest` → `http_request`.
 *
 * @example
 * ```ts
 * snakeCase('OrderItem'); // 'order_item'
 * ```
 */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/**
 * The tool name of one action on one entity: `<entity>_<action>` in snake_case (`Note` → `note_list`).
 *
 * @example
 * ```ts
 * crudToolName('AuditLog', 'get'); // 'audit_log_get'
 * ```
 */
export function crudToolName(entityName: string, action: CrudToolAction): string {
  return `${snakeCase(entityName)}_${action}`;
}

/**
 * The tool name of an HTTP function (`mcp: { description }`): its own name in snake_case.
 *
 * @example
 * ```ts
 * functionToolName('ticket-stats'); // 'ticket_stats'
 * ```
 */
export function functionToolName(functionName: string): string {
  return snakeCase(functionName);
}

/**
 * The actions an entity offers as tools: those of its enabled operations, the write ones only with `writes`, and
 * `search` only for a CrudApi that declares `search` (`searchable`: the only one with a search route).
 *
 * @example
 * ```ts
 * entityToolActions(['read', 'list', 'create'], false); // ['list', 'get', 'count', 'aggregate']
 * entityToolActions(['list'], false, true); // ['list', 'count', 'aggregate', 'search']
 * ```
 */
export function entityToolActions(
  operations: readonly CrudOperation[],
  writes: boolean,
  searchable = false,
): CrudToolAction[] {
  return (Object.keys(CRUD_TOOL_ACTIONS) as CrudToolAction[]).filter((a) => {
    const { operation, writes: isWrite } = CRUD_TOOL_ACTIONS[a];
    if (a === 'search' && !searchable) return false;
    return operations.includes(operation) && (writes || !isWrite);
  });
}
