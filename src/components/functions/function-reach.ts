import { AtakoraError } from '../../model/errors.js';
import type { FunctionRuntime } from '../../model/requirements.js';
import type { FunctionDefinition } from './config.js';

/** Where one HTTP function sits, for messages and paths. */
interface ReachAt {
  readonly id: string;
  readonly name: string;
  readonly runtime: FunctionRuntime;
  readonly codePath: string | undefined;
  readonly p: (...rest: string[]) => (string | number)[];
}

// A component id as defineFunctionsApp and CrudApi.define take it.
const COMPONENT_ID = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** An MCP tool's description is read by a model on every tools/list: a paragraph, not a document. */
export const MCP_DESCRIPTION_MAX = 1024;

/**
 * What an HTTP function reaches beyond its own code: `data` (the CrudApis `dataOf(request)` may call, as the caller)
 * and `mcp` (its description as a tool of the backend's MCP server), checked and copied. Both run the function's
 * Node handler in the CRUD runtime's process, so a prebuilt package (`codePath`) or another runtime cannot have them.
 *
 * @example
 * ```ts
 * functionReach({ trigger: 'http', data: ['TicketApi'] }, where); // { data: ['TicketApi'] }
 * ```
 */
export function functionReach(
  fn: FunctionDefinition,
  where: ReachAt,
): { data?: readonly string[]; mcp?: { readonly description: string } } {
  const data = fn.data === undefined ? undefined : checkData(fn.data, where);
  const mcp = fn.mcp === undefined ? undefined : checkMcp(fn.mcp, where);
  return { ...(data ? { data } : {}), ...(mcp ? { mcp } : {}) };
}

/**
 * The error of `data` on a queue or timer function: nobody calls it, so there is no caller whose data it could use.
 *
 * @example
 * ```ts
 * noCallerData('Reports', 'nightly', 'timer', ['components', 'Reports', 'config', 'functions', 'nightly', 'data']);
 * ```
 */
export function noCallerData(
  id: string,
  name: string,
  trigger: string,
  path: (string | number)[],
): never {
  throw new AtakoraError(
    'FUNCTIONS_DATA_NOT_HTTP',
    `FunctionsApp ${id}: function "${name}" is a ${trigger} trigger; data belongs to HTTP functions, whose ` +
      "caller's access rules dataOf(request) applies — a queue message or a timer has no caller.",
    { path },
  );
}

function nodeHandlerOnly(what: string, { id, name, runtime, codePath, p }: ReachAt): void {
  if (runtime === 'node' && codePath === undefined) return;
  throw new AtakoraError(
    what === 'data' ? 'FUNCTIONS_DATA_INVALID' : 'FUNCTIONS_MCP_INVALID',
    `FunctionsApp ${id}: function "${name}" has ${what}, which runs its Node handler inside the CRUD runtime; ` +
      `this app is ${codePath === undefined ? `a ${runtime} app` : 'a prebuilt package (codePath)'}.`,
    { path: p(what) },
  );
}

function checkData(data: unknown, where: ReachAt): readonly string[] {
  const { id, name, p } = where;
  const bad = (why: string): never => {
    throw new AtakoraError(
      'FUNCTIONS_DATA_INVALID',
      `FunctionsApp ${id}: data of "${name}" ${why}.`,
      { path: p('data') },
    );
  };
  if (!Array.isArray(data)) return bad('must be a list of CrudApi component ids');
  const ids: string[] = [];
  for (const d of data as unknown[]) {
    if (typeof d !== 'string' || !COMPONENT_ID.test(d))
      return bad(`holds ${JSON.stringify(d)}, which is no component id`);
    if (ids.includes(d)) return bad(`names ${d} twice`);
    ids.push(d);
  }
  nodeHandlerOnly('data', where);
  return ids;
}

function checkMcp(mcp: unknown, where: ReachAt): { readonly description: string } {
  const { id, name, p } = where;
  const description = (mcp as { description?: unknown } | null)?.description;
  const keys = mcp !== null && typeof mcp === 'object' ? Object.keys(mcp) : [];
  if (
    typeof description !== 'string' ||
    description.trim() === '' ||
    description.length > MCP_DESCRIPTION_MAX ||
    keys.some((k) => k !== 'description')
  )
    throw new AtakoraError(
      'FUNCTIONS_MCP_INVALID',
      `FunctionsApp ${id}: mcp of "${name}" must be { description: '<what the tool does, for an agent>' } ` +
        `(a non-empty string of at most ${String(MCP_DESCRIPTION_MAX)} characters).`,
      { path: p('mcp') },
    );
  nodeHandlerOnly('mcp', where);
  return { description: description.trim() };
}
