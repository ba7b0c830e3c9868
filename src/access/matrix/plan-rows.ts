// The access matrix per plan (DESIGN §2 "Plans that package the product": an access rule's `feature` "applies only on
// plans that have it; `atakora verify` proves it per plan", and the built-in features gate their doors with 402
// `feature-not-in-plan`). The committed matrix is every feature's (the rule set as written); this derives, for each
// distinct set of features the backend's plans list, the cells of that set from the same pure model — the rules
// filtered by the plan's features (access/model/reference-model.ts `decide`), then each built-in gate the plan lacks
// (access/model/plan-features.ts `rowGates`) — and keeps the rows some plan answers differently.
import type { ResourcePlan } from '../../model/plan.js';
import {
  declaresFeatures,
  type FeaturedPlan,
  featuresOf,
  plansWith,
} from '../../model/plans/plan-features.js';
import { rowGates } from '../model/plan-features.js';
import { API_KEYS_FEATURE, columnGateKey, keyCellsOnPlan, keyTakes } from './plan-key-cells.js';
import { deriveAccessMatrix } from './derive.js';
import { admitted } from '../model/reference-model.js';
import { type MatrixSignIn, modelPrincipal } from './sign-in.js';
import type { AccessCell, AccessMatrix, MatrixPrincipal, MatrixRow } from './types.js';

/** Plans whose features are the same: one proof stands for all of them. */
export interface PlanSet {
  /** The plans, sorted; the first is the one the proof's organizations are put on. */
  readonly plans: readonly string[];
  /** Their features (sorted), as `featuresOf` answers them. */
  readonly features: readonly string[];
}

/** What a gated row's 402 names: the feature the plan lacks and the plans that include it. */
export interface RowGate {
  readonly feature: string;
  readonly plans: readonly string[];
}

/**
 * One plan set's rows: the cells on those plans, and the gate that refuses each row there (by `<component>
 * <operation>`), or one column of it (by `<component> <operation>|<column>`: an API key's on a plan without
 * `api-keys`, plan-key-cells.ts).
 */
export interface PlanMatrix {
  readonly set: PlanSet;
  readonly rows: readonly MatrixRow[];
  readonly gates: Readonly<Record<string, RowGate>>;
}

/**
 * The distinct feature sets of `plans`, by their plans' names; none when no plan lists features (every plan then
 * has every feature: the committed matrix is each plan's).
 *
 * @example
 * ```ts
 * planSets({ free: {}, team: { features: ['audit'] }, pro: { features: ['audit'] } });
 * // [{ plans: ['free'], features: [] }, { plans: ['pro', 'team'], features: ['audit'] }]
 * ```
 */
export function planSets(plans: Readonly<Record<string, FeaturedPlan>>): PlanSet[] {
  if (!declaresFeatures(plans)) return [];
  const by = new Map<string, string[]>();
  for (const name of Object.keys(plans).sort()) {
    const key = featuresOf(plans[name], plans).names.join(',');
    by.set(key, [...(by.get(key) ?? []), name]);
  }
  return [...by]
    .map(([key, names]) => ({ plans: names, features: key === '' ? [] : key.split(',') }))
    .sort(
      (a, b) => a.features.length - b.features.length || a.plans[0]!.localeCompare(b.plans[0]!),
    );
}

/**
 * Whether a column passes the stages before the features gate: signed in as a member of the organization it names,
 * or the organization's live SCIM token (on the SCIM routes: elsewhere its cell is already the 401 that stays); with
 * directories (a tenant registry), signed in from a directory the sign-in admits (the reference model's `admitted`:
 * a directory the registry does not serve is refused 403 before the gate, as before any rule). An API key reaches
 * it only on a route that takes keys (plan-key-cells.ts: a people route or the MCP door is 403 first).
 */
function reachesGate(p: MatrixPrincipal, signIn: MatrixSignIn, row: MatrixRow): boolean {
  if (p.scim !== undefined) return p.scim === 'valid';
  if (p.bearer === 'api-key' && !keyTakes(row)) return false;
  const who = modelPrincipal(p);
  if (who === undefined) return false;
  return p.organization === undefined ? admitted(signIn, who) : p.tid === p.organization;
}

/**
 * A cell on a plan without the row's built-in `feature`: 402 for a column that reaches the gate (the runtime asks it
 * before the access rules, so a role's 403 becomes the 402 too); a tool gated by its route's feature (the MCP
 * `_search`) is not listed where the caller may call it, and its call answers the 402 as the tool's error.
 */
function gatedCell(
  row: MatrixRow,
  feature: string,
  p: MatrixPrincipal,
  cell: AccessCell,
  signIn: MatrixSignIn,
): AccessCell {
  if (!reachesGate(p, signIn, row)) return cell;
  if (row.kind === 'mcp' && feature !== 'mcp') return typeof cell === 'number' ? cell : 402;
  return typeof cell !== 'number' || cell === 403 ? 402 : cell;
}

/** `row` on a plan with `has`: its built-in gate's cells, and the gate (undefined when the plan has them all). */
function onPlan(
  row: MatrixRow,
  has: (feature: string) => boolean,
  principals: readonly MatrixPrincipal[],
  signIn: MatrixSignIn,
): { row: MatrixRow; gate?: string } {
  const gate = rowGates(row.kind, row.operation).find((f) => !has(f));
  if (gate === undefined) return { row };
  const cells = Object.fromEntries(
    principals.map((p) => [p.key, gatedCell(row, gate, p, row.cells[p.key] ?? 405, signIn)]),
  );
  return { row: { ...row, cells }, gate };
}

const rowKey = (r: MatrixRow) => `${r.component} ${r.operation}|${r.kind}`;
const sameCells = (a: MatrixRow, b: MatrixRow | undefined) =>
  b !== undefined && Object.entries(a.cells).every(([k, v]) => b.cells[k] === v);

/**
 * Each plan set's matrix rows: the committed matrix's rows that some plan answers differently (a rule with
 * `feature`, a built-in gate) — every row of a CrudApi or FileStore one of whose rows does —, with every plan set's cells — on a plan with the feature the row answers as committed
 * (the door reached), on one without as the rules left or the gate say. Empty when no plan lists features or no row
 * depends on them.
 *
 * @example
 * ```ts
 * const perPlan = planMatrices(plan, signIn, backend.config.mcp, backend.config.tenants.plans, matrix);
 * perPlan[0]?.rows; // [{ component: 'ReportApi', operation: 'create', cells: { 'home.owner': 403, … } }, …]
 * ```
 */
export function planMatrices(
  plan: ResourcePlan,
  signIn: MatrixSignIn,
  mcp: { readonly writes: boolean } | undefined,
  plans: Readonly<Record<string, FeaturedPlan>>,
  committed: AccessMatrix,
): PlanMatrix[] {
  const sets = planSets(plans);
  const each = sets.map((set) => {
    const has = featuresOf(plans[set.plans[0]!], plans);
    const derived = deriveAccessMatrix(plan, signIn, mcp, has);
    const gates: Record<string, RowGate> = {};
    const rows = derived.rows.map((r) => {
      const answered = onPlan(r, (f) => has.has(f), derived.principals, signIn);
      const name = `${r.component} ${r.operation}`;
      if (answered.gate !== undefined)
        gates[name] = { feature: answered.gate, plans: plansWith(answered.gate, plans) };
      // A key on a plan without `api-keys`: 402 naming it wherever the key reaches a gate, before the row's own.
      const keyed = keyCellsOnPlan(
        answered.row,
        derived.principals,
        has.has(API_KEYS_FEATURE),
        r.cells,
      );
      for (const column of keyed.gated)
        gates[columnGateKey(name, column)] = {
          feature: API_KEYS_FEATURE,
          plans: plansWith(API_KEYS_FEATURE, plans),
        };
      return keyed.row;
    });
    return { set, rows, gates };
  });
  const base = new Map(committed.rows.map((r) => [rowKey(r), r]));
  const differs = new Set(
    each.flatMap((m) => m.rows.filter((r) => !sameCells(r, base.get(rowKey(r)))).map(rowKey)),
  );
  if (differs.size === 0) return [];
  // A CrudApi's rows are proven together (its items are made once and every operation reads them), and so are a
  // FileStore's (each column's file uploaded and completed, then read): all of them, where one differs.
  const crud = (r: MatrixRow) => r.kind === 'crud' || r.kind === 'mcp' || r.kind === 'files';
  const components = new Set(
    each.flatMap((m) =>
      m.rows.filter((r) => crud(r) && differs.has(rowKey(r))).map((r) => r.component),
    ),
  );
  return each.map((m) => ({
    ...m,
    rows: m.rows.filter((r) => (crud(r) ? components.has(r.component) : differs.has(rowKey(r)))),
  }));
}
