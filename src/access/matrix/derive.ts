import type { ResourcePlan } from '../../model/plan.js';
import type { HostedFunction } from '../../model/requirements.js';
import type { CrudOperation, RuntimeEntity } from '../../model/runtime-manifest.js';
import type { AccessBackend, AccessEntity } from '../model/backend.js';
import { isolated } from '../model/backend.js';
import { admitted, decide, entityAt } from '../model/reference-model.js';
import { type ServedAccess, servedAccessOf } from './backend-of.js';
import { implicationsOf } from './implications.js';
import { mcpRows } from './mcp-rows.js';
import { withBearerCells } from './bearer-cells.js';
import { organizationRows } from './organization-rows.js';
import { type DerivedRows, rowsReuse } from './rows-reuse.js';
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

/** A row's cells, keyed by principal. */
type Cells = Readonly<Record<string, AccessCell>>;

type OpCells = Readonly<Record<'create' | 'read' | 'list' | 'update' | 'delete', Cells>>;

/**
 * The cells of an entity's operations, computed once per matrix for entities that decide alike: a cell depends on
 * the backend, the principal, the operation and, of the entity, only its access rules, its isolation and whether
 * the operation is enabled (scopeOf), so a thousand CrudApis with the same rules share one cells object per
 * operation (the review page of 1,000 CrudApis derives its matrix in a few milliseconds: bench/plan-review.ts).
 */
class CellsMemo {
  private readonly memo = new Map<string, OpCells>();
  /** The last entity's inputs and cells: a run of entities alike (most of a backend) is matched without a key. */
  private last?: {
    readonly isolated: boolean;
    readonly enabled: readonly CrudOperation[];
    readonly access: AccessEntity['access'];
    readonly ops: OpCells;
  };
  constructor(
    private readonly b: AccessBackend,
    private readonly principals: readonly MatrixPrincipal[],
    private readonly required: boolean,
  ) {}

  /** Each CRUD operation on `e` for every principal (405 for everyone where it is not enabled: DESIGN §6). */
  of(e: AccessEntity, enabled: readonly CrudOperation[]): OpCells {
    // The same isolation, the same operations in the same order and the same rules (one object, or none) make the
    // key the last entity made: its cells, without writing the key (sorting, joining and JSON per entity).
    const last = this.last;
    if (
      last !== undefined &&
      last.isolated === isolated(e) &&
      (last.access === e.access || (last.access == null && e.access == null)) &&
      sameList(last.enabled, enabled)
    )
      return last.ops;
    const key = `${String(isolated(e))}|${[...enabled].sort().join(',')}|${JSON.stringify(e.access ?? null)}`;
    let ops = this.memo.get(key);
    if (!ops) {
      const on = new Set(enabled);
      const cellsOf = (op: CrudOperation) =>
        this.cells((p) => (on.has(op) ? scopeOf(this.b, e, op, p, this.required) : 405));
      ops = {
        create: cellsOf('create'),
        read: cellsOf('read'),
        list: cellsOf('list'),
        update: cellsOf('update'),
        delete: cellsOf('delete'),
      };
      this.memo.set(key, ops);
    }
    this.last = { isolated: isolated(e), enabled, access: e.access, ops };
    return ops;
  }

  cells(cell: (p: MatrixPrincipal) => AccessCell): Cells {
    const out: Record<string, AccessCell> = {};
    for (const p of this.principals) out[p.key] = cell(p);
    return out;
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function crudRow(component: string, operation: string, request: string, cells: Cells): MatrixRow {
  return { component, kind: 'crud', operation, request, cells };
}

/** A CrudApi's rows, pushed onto `rows` (the matrix's own list: no list per CrudApi spread into it). */
function crudRows(
  rows: MatrixRow[],
  b: AccessBackend,
  index: number,
  api: RuntimeEntity,
  memo: CellsMemo,
  required: boolean,
): void {
  const e = entityAt(b, index);
  const base = `api/${api.route}`;
  const component = api.componentId;
  const ops = memo.of(e, api.operations);
  rows.push(
    crudRow(component, 'create', `POST ${base}`, ops.create),
    crudRow(component, 'read', `GET ${base}/{id}`, ops.read),
    crudRow(component, 'list', `GET ${base}`, ops.list),
    crudRow(component, 'count', `GET ${base}?$count=true`, ops.list),
    // Who may list may group and search: the list route's rule, confined as a list (DESIGN §2 "Search and aggregates").
    crudRow(component, 'aggregate', `GET ${base}?$apply=groupby(…)`, ops.list),
    ...(api.search ? [crudRow(component, 'search', `POST ${base}/search`, ops.list)] : []),
    crudRow(component, 'replace', `PUT ${base}/{id}`, ops.update),
    crudRow(component, 'update', `PATCH ${base}/{id}`, ops.update),
    crudRow(component, 'delete', `DELETE ${base}/{id}`, ops.delete),
  );
  const read = ops.read;
  for (const r of e.relations) {
    const target = entityAt(b, r.target);
    const targetOp: CrudOperation = r.kind === 'hasMany' ? 'list' : 'read';
    rows.push(
      crudRow(
        component,
        `expand:${r.name}`,
        `GET ${base}/{id}?$expand=${r.name}`,
        memo.cells((p) => through(read[p.key] ?? 405, scopeOf(b, target, targetOp, p, required))),
      ),
    );
  }
  for (const r of e.relations)
    if (r.kind === 'hasMany')
      rows.push(
        crudRow(
          component,
          `children:${r.name}`,
          `GET ${base}/{id}/${r.name}`,
          memo.cells((p) =>
            through(read[p.key] ?? 405, scopeOf(b, entityAt(b, r.target), 'list', p, required)),
          ),
        ),
      );
  // Events reach every connected caller who may read the item, as its own GET would (DESIGN §2 Realtime).
  if (api.realtime)
    rows.push(crudRow(component, 'events', 'WS api/realtime/negotiate', memo.of(e, ['read']).read));
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
  features?: { has(feature: string): boolean },
): AccessMatrix {
  return deriveRows(plan, servedAccessOf(plan, signIn), signIn, {
    ...(mcp ? { mcp } : {}),
    ...(features ? { features } : {}),
  }).matrix;
}

/**
 * {@link deriveAccessMatrix} of what a plan serves, with where each CrudApi's rows start (rows-reuse.ts); given
 * `like` (another plan's, derived with the same sign-in), each CrudApi whose rows would be that plan's takes them.
 * `implications: false` leaves them out (a base matrix only compared with another).
 */
export function deriveRows(
  plan: ResourcePlan,
  served: ServedAccess,
  signIn: MatrixSignIn,
  options: {
    readonly mcp?: { readonly writes: boolean };
    readonly like?: DerivedRows;
    readonly implications?: boolean;
    /** One plan's features: a rule with `feature` applies only when they have it (plan-rows.ts). Default all. */
    readonly features?: { has(feature: string): boolean };
  } = {},
): { readonly matrix: AccessMatrix; readonly rows: DerivedRows } {
  const { mcp, like, features } = options;
  const b = features ? { ...served.backend, features } : served.backend;
  // A membership backend's organization routes name `Admin` (invitations, the audit log…) when it is a role.
  const admin = signIn.organization?.roles.includes('Admin') ? ['Admin'] : [];
  const principals = matrixPrincipals(signIn, [
    ...new Set([...rolesOf(b.entities, served.handlers), ...admin]),
  ]);
  const rows: MatrixRow[] = [];
  const memo = new CellsMemo(b, principals, signIn.required);
  const reuse = like && rowsReuse(like, served, signIn.required, principals);
  const starts: number[] = [];
  served.crud.forEach((api, i) => {
    starts.push(rows.length);
    if (!reuse?.(rows, api, i)) crudRows(rows, b, i, api, memo, signIn.required);
  });
  starts.push(rows.length);
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
  // Tenants by membership: the organizations' own routes (invitations, Owners', domains, audit, billing).
  rows.push(...organizationRows(signIn, principals));
  // An API key's and an agent's columns: the member each acts as, then where its credential is taken (bearer-cells.ts).
  const cells = withBearerCells(rows, principals);
  const matrix: AccessMatrix = {
    version: 1,
    backendId: plan.backendId,
    signIn: signIn.membership ? 'membership' : signIn.multi ? 'multi-tenant' : 'single-tenant',
    principals,
    rows: cells,
    implications: options.implications === false ? [] : implicationsOf(served, cells, principals),
  };
  return { matrix, rows: { served, required: signIn.required, principals, rows: cells, starts } };
}
