import type { ResourcePlan } from '../../model/plan.js';
import type { HostedFunction } from '../../model/requirements.js';
import type { CrudOperation, RuntimeEntity } from '../../model/runtime-manifest.js';
import type { AccessBackend, AccessEntity } from '../model/backend.js';
import { isolated } from '../model/backend.js';
import { admitted, decide, entityAt } from '../model/reference-model.js';
import { servedAccessOf } from './backend-of.js';
import { implicationsOf } from './implications.js';
import { mcpRows } from './mcp-rows.js';
import { type MatrixSignIn, matrixPrincipals, modelPrincipal } from './sign-in.js';
import type { AccessCell, AccessMatrix, MatrixPrincipal, MatrixRow } from './types.js';

/**
 * What `p` reaches by `op` on entity `e`, from the reference model's own admission and rules (access/model):
 * refused before the rules (401, 403 directory), by them (403), or every item anywhere (`allow`: shared data),
 * of the tenant, or the caller's own.
 *
 * @example
 * ```ts
 * scopeOf(backend, entity, 'read', principal, true); // 'own'
 * ```
 */
export function scopeOf(
  b: AccessBackend,
  e: AccessEntity,
  op: CrudOperation,
  p: MatrixPrincipal,
  required: boolean,
): AccessCell {
  const who = modelPrincipal(p);
  if (!who) return required ? 401 : 403;
  if (!admitted(b, who)) return 403;
  const d = decide(b, e, op, who);
  if (d === 'denied') return 403;
  if (d === 'own') return 'own';
  return isolated(e) ? 'tenant' : 'allow';
}

/** The refusal wins; otherwise what the second step shows (an expansion's or a children page's items). */
function through(first: AccessCell, then: AccessCell): AccessCell {
  return typeof first === 'number' ? first : then;
}

function crudRows(
  b: AccessBackend,
  index: number,
  api: RuntimeEntity,
  principals: readonly MatrixPrincipal[],
  required: boolean,
): MatrixRow[] {
  const e = entityAt(b, index);
  const enabled = new Set(api.operations);
  const base = `api/${api.route}`;
  const row = (
    operation: string,
    request: string,
    cell: (p: MatrixPrincipal) => AccessCell,
  ): MatrixRow => ({
    component: api.componentId,
    kind: 'crud',
    operation,
    request,
    cells: Object.fromEntries(principals.map((p) => [p.key, cell(p)])),
  });
  // A disabled operation is 405 for everyone: the method is refused before the caller is read (DESIGN §6).
  const scope = (op: CrudOperation) => (p: MatrixPrincipal) =>
    enabled.has(op) ? scopeOf(b, e, op, p, required) : 405;
  const rows = [
    row('create', `POST ${base}`, scope('create')),
    row('read', `GET ${base}/{id}`, scope('read')),
    row('list', `GET ${base}`, scope('list')),
    row('count', `GET ${base}?$count=true`, scope('list')),
    row('replace', `PUT ${base}/{id}`, scope('update')),
    row('update', `PATCH ${base}/{id}`, scope('update')),
    row('delete', `DELETE ${base}/{id}`, scope('delete')),
  ];
  for (const r of e.relations) {
    const target = entityAt(b, r.target);
    const targetOp: CrudOperation = r.kind === 'hasMany' ? 'list' : 'read';
    rows.push(
      row(`expand:${r.name}`, `GET ${base}/{id}?$expand=${r.name}`, (p) =>
        through(scope('read')(p), scopeOf(b, target, targetOp, p, required)),
      ),
    );
  }
  for (const r of e.relations)
    if (r.kind === 'hasMany')
      rows.push(
        row(`children:${r.name}`, `GET ${base}/{id}/${r.name}`, (p) =>
          through(scope('read')(p), scopeOf(b, entityAt(b, r.target), 'list', p, required)),
        ),
      );
  // Events reach every connected caller who may read the item, as its own GET would (DESIGN §2 Realtime).
  if (api.realtime)
    rows.push(
      row('events', 'WS api/realtime/negotiate', (p) => scopeOf(b, e, 'read', p, required)),
    );
  return rows;
}

const FILE_OPERATIONS: readonly (readonly [string, string, CrudOperation])[] = [
  ['upload', 'POST', 'create'],
  ['complete', 'POST', 'create'],
  ['list', 'GET', 'list'],
  ['get', 'GET', 'read'],
  ['delete', 'DELETE', 'delete'],
];

function handlerCell(
  f: HostedFunction,
  b: AccessBackend,
  p: MatrixPrincipal,
  required: boolean,
): AccessCell {
  const rules = f.access ?? [{ allow: 'authenticated' as const }];
  if (rules.some((r) => r.allow === 'anonymous')) return 'allow';
  const who = modelPrincipal(p);
  if (!who) return required ? 401 : 403;
  if (!admitted(b, who)) return 403;
  const ok = rules.some(
    (r) => r.allow === 'authenticated' || (r.allow === 'role' && who.roles.includes(r.role)),
  );
  return ok ? 'allow' : 403;
}

/** Every role a rule names (CrudApis, FileStores, handlers), sorted: one column per role and directory. */
function rolesOf(entities: readonly AccessEntity[], handlers: readonly HostedFunction[]): string[] {
  const roles = new Set<string>();
  for (const e of entities)
    for (const r of e.access ?? []) if (r.allow === 'role') roles.add(r.role);
  for (const f of handlers)
    for (const r of f.access ?? []) if (r.allow === 'role') roles.add(r.role);
  return [...roles].sort();
}

/**
 * The access matrix of a plan: pure, deterministic, JSON. `signIn` says which directories sign in (the plan does
 * not carry the backend's `auth`; `atakora verify` reads it from the backend's config, the review page assumes a
 * multi-tenant sign-in so that every column shows); `mcp` (the backend's `mcp`, likewise) adds the MCP server's
 * rows.
 *
 * @example
 * ```ts
 * const matrix = deriveAccessMatrix(backend.plan(), signInOf(authPolicy));
 * writeFileSync('atakora.access.json', formatAccessMatrix(matrix));
 * ```
 */
export function deriveAccessMatrix(
  plan: ResourcePlan,
  signIn: MatrixSignIn,
  mcp?: { readonly writes: boolean },
): AccessMatrix {
  const served = servedAccessOf(plan, signIn);
  const b = served.backend;
  const principals = matrixPrincipals(signIn, rolesOf(b.entities, served.handlers));
  const rows: MatrixRow[] = [];
  served.crud.forEach((api, i) => rows.push(...crudRows(b, i, api, principals, signIn.required)));
  served.files.forEach((store, j) => {
    const e = entityAt(b, served.crud.length + j);
    for (const [operation, method, op] of FILE_OPERATIONS) {
      const path =
        operation === 'upload' || operation === 'list'
          ? `api/${store.route}`
          : operation === 'complete'
            ? `api/${store.route}/{id}/complete`
            : `api/${store.route}/{id}`;
      rows.push({
        component: store.componentId,
        kind: 'files',
        operation,
        request: `${method} ${path}`,
        cells: Object.fromEntries(
          principals.map((p) => [p.key, scopeOf(b, e, op, p, signIn.required)]),
        ),
      });
    }
  });
  for (const f of served.handlers)
    rows.push({
      component: f.componentId,
      kind: 'function',
      operation: `call:${f.name}`,
      request: `${(f.methods ?? ['GET', 'POST']).join('|')} api/${f.route ?? f.name}`,
      cells: Object.fromEntries(
        principals.map((p) => [p.key, handlerCell(f, b, p, signIn.required)]),
      ),
    });
  // The MCP server's tools, each answering as the route it mirrors (mcp-rows.ts); none without the server.
  rows.push(...mcpRows(served, rows, principals, mcp));
  return {
    version: 1,
    backendId: plan.backendId,
    signIn: signIn.multi ? 'multi-tenant' : 'single-tenant',
    principals,
    rows,
    implications: implicationsOf(served, rows, principals),
  };
}
