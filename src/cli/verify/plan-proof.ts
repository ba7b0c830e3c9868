// The per-plan proof (DESIGN §2 "Plans that package the product": an access rule's `feature` applies only on plans
// that have it, "`atakora verify` proves it per plan"; the built-in features' doors answer 402 `feature-not-in-plan`
// on plans without them). The rows and cells are plan-rows.ts's, from the pure model; this puts the proof's
// organizations on a plan of each feature set, on a stack of its own that keeps the plans' features (and lifts their
// bounds), and proves those rows with the engines of the committed matrix: the CRUD and MCP proofs, the FileStore
// proof, the organization doors where the plan opens them, and one request per column where a gate closes the door.
import { API_KEYS_FEATURE } from '../../access/matrix/plan-key-cells.js';
import type { PlanMatrix } from '../../access/matrix/plan-rows.js';
import { type MatrixSignIn, VERIFY_ORGANIZATIONS } from '../../access/matrix/sign-in.js';
import type { AccessMatrix, MatrixPrincipal, MatrixRow } from '../../access/matrix/types.js';
import { MEMBERSHIP_FUNCTIONS } from '../../contract/members.js';
import type { RuntimeEntity, RuntimeFileStore } from '../../model/runtime-manifest.js';
import { expectedOf, holds } from './door-engine.js';
import type { ProofStack } from './dev-stack.js';
import { proveFiles } from './files/prove-files.js';
import { proveOrganizations, seedOrganizations } from './organization-proof.js';
import { Proof, type ProofReport } from './proof-context.js';
import { seedDirectories } from './registry-proof.js';
import { proveCrud } from './prove-crud.js';
import { proveMcp } from './prove-mcp.js';
import { issueScimTokens } from './scim-tokens.js';
import { issuePlanKeys } from './stack/bearer-tokens.js';

/**
 * One plan set's proof: its plans and features, the organizations (tenants by membership) or the directories (a
 * registry: the home directory's record included) put on it, its rows and what held.
 */
export interface PlanProof {
  readonly plans: readonly string[];
  readonly features: readonly string[];
  readonly organizations: readonly string[];
  readonly directories: readonly string[];
  readonly rows: readonly MatrixRow[];
  readonly report: ProofReport;
}

/**
 * The tenant `id` (an organization, or a directory of a registry) as the `i`-th plan set's proof names it: the home and
 * other organizations' twins, the registered customer's and the stranger's directories afresh (no cache holds them,
 * and what one set's rules let stay is not the next set's). The home directory stays itself: the runtime serves it as
 * the backend's own (registry-proof.ts `seedDirectories` puts its record on each set's plan).
 */
function tenantOn(i: number, id: string, signIn: MatrixSignIn): string {
  const n = String(i);
  if (signIn.membership) {
    if (id === VERIFY_ORGANIZATIONS.home) return `verify-plan${n}-home`;
    if (id === VERIFY_ORGANIZATIONS.other) return `verify-plan${n}-other`;
    return id;
  }
  if (id === signIn.other) return `verify-plan${n}-other`;
  if (id === signIn.stranger) return `verify-plan${n}-stranger`;
  return id;
}

/**
 * The columns as they act on the `i`-th plan set: each in its organization's twin there (or its directory's, with a
 * registry), as a user of its own (the items the proof makes are named by their maker, and what one set's rules let
 * stay — a create allowed, no delete — must not collide with the next set's). The SCIM token columns only on a set
 * whose plans sell `scim` (a token is issued through `api/tenant/scim-tokens`, itself a door of `scim`: elsewhere
 * none can be, and their cells are the committed proof's). The API key columns on every set (their keys: {@link
 * issuePlanKeys}); the agent columns on the committed proof only.
 */
function columnsOn(
  i: number,
  principals: readonly MatrixPrincipal[],
  signIn: MatrixSignIn,
  scim: boolean,
): MatrixPrincipal[] {
  return principals
    .filter((p) => (scim || p.scim === undefined) && p.bearer !== 'agent')
    .map((p) => {
      const user = p.oid === undefined ? {} : { oid: `${p.oid}-plan${String(i)}` };
      if (p.organization === undefined)
        return p.tid === undefined ? p : { ...p, ...user, tid: tenantOn(i, p.tid, signIn) };
      const organization = tenantOn(i, p.organization, signIn);
      return p.tid === p.organization
        ? { ...p, ...user, tid: organization, organization }
        : { ...p, ...user, organization };
    });
}

/**
 * The directories a registry's proof registers on the `i`-th plan set's plan: the home directory, the customer's, and
 * with `signUp: 'open'` the stranger's — else its first request would register it on the default plan, not the set's
 * (the sign-up itself is the committed proof's). An invite-only registry's stranger stays unregistered: 403.
 */
function directoriesOn(i: number, signIn: MatrixSignIn): string[] {
  const open = signIn.registry?.signUp === 'open';
  return [signIn.home, signIn.other, open ? signIn.stranger : undefined].flatMap((d) =>
    d === undefined ? [] : [tenantOn(i, d, signIn)],
  );
}

/** Add `from`'s requests, divergences, proven cells and notes to `to`. */
function merge(to: ProofReport, from: ProofReport): void {
  to.requests += from.requests;
  to.divergences.push(...from.divergences);
  for (const k of from.proven) to.proven.add(k);
  to.unproven.push(...from.unproven);
}

/** What the per-plan proof reads of `atakora verify`'s run. */
export interface PlanProofInput {
  readonly stack: ProofStack;
  /** Who signs in: organizations (tenants by membership) or a registry's directories. */
  readonly signIn: MatrixSignIn;
  /** The committed matrix (its columns; its rows are each plan set's). */
  readonly matrix: AccessMatrix;
  readonly perPlan: readonly PlanMatrix[];
  /** The CrudApis the stack serves. */
  readonly crud: readonly RuntimeEntity[];
  readonly crudApp: (componentId: string) => string;
  /** The FileStores the stack serves (none: a FileStore row of a set is said unproven). */
  readonly files?: readonly RuntimeFileStore[];
  /** The app that serves a FileStore's routes (its `<componentId>-files` function), if any. */
  readonly filesApp?: (store: RuntimeFileStore) => string | undefined;
  readonly keep?: (row: MatrixRow) => boolean;
  readonly progress: (line: string) => void;
}

/**
 * Prove each plan set's rows on `input.stack` (started with the plans' features kept), each set on the stack's data
 * as the first found it: the proof's organizations (tenants by membership) or directories (a registry: the home
 * directory's record and a customer's) are put on the set's first plan, then its CrudApis' rows go through the CRUD
 * and MCP proofs, its FileStores' rows through the files proof (files/prove-files.ts: each column's file uploaded on
 * the set's organizations), its organization rows through their doors where the plan has the feature, and every row
 * the plan gates gets each column's request at its door — 402 `feature-not-in-plan` naming the feature and the plans
 * that have it where the column reaches the gate.
 *
 * @example
 * ```ts
 * const plans = await provePlans({ stack, signIn, matrix, perPlan, crud, crudApp, progress });
 * ```
 */
export async function provePlans(input: PlanProofInput): Promise<PlanProof[]> {
  const out: PlanProof[] = [];
  // Each set starts from the stack's data as the first found it: a registry's home directory is every set's (its
  // items an earlier set left — a create allowed, no delete — would be listed to the next), and a shared CrudApi's
  // items are every organization's.
  const start = await input.stack.snapshot();
  for (const [i, pm] of input.perPlan.entries()) {
    if (i > 0) await input.stack.restore(start);
    const rows = input.keep ? pm.rows.filter(input.keep) : pm.rows;
    const scim = pm.set.features.includes('scim');
    const principals = columnsOn(i, input.matrix.principals, input.signIn, scim);
    const plan = pm.set.plans[0] ?? '';
    input.progress(
      `Proving ${String(rows.length)} routes on plan ${pm.set.plans.join(', ')} (features: ${pm.set.features.join(', ') || 'none'})`,
    );
    const directories = input.signIn.membership ? [] : directoriesOn(i, input.signIn);
    if (input.signIn.membership) await seedOrganizations(input.stack, principals, plan);
    else await seedDirectories(input.stack, directories, plan);
    const report: ProofReport = { requests: 0, divergences: [], proven: new Set(), unproven: [] };
    const members = input.stack.apps.find((a) =>
      a.functions.includes(MEMBERSHIP_FUNCTIONS.members),
    )?.url;
    // A plan that sells SCIM: the set's home Owner issues the SCIM columns' tokens before any request, as the
    // committed proof's does (scim-tokens.ts), and every proof of the set sends them.
    const tokens = new Proof({ ...input.matrix, principals, rows: [] });
    if (scim && members !== undefined) await issueScimTokens(tokens, members, principals);
    // The key columns' keys in the set's organization: made where the plan has `api-keys`, kept from before a
    // downgrade where it has not (every request of theirs then 402 `api-keys`, or 403 where keys never go).
    if (input.signIn.membership && principals.some((p) => p.bearer === 'api-key'))
      await issuePlanKeys(
        tokens,
        members,
        input.stack,
        principals,
        pm.set.features.includes(API_KEYS_FEATURE),
      );
    merge(report, tokens.report);
    const proofOf = (kept: readonly MatrixRow[]) => {
      const proof = new Proof({ ...input.matrix, principals, rows: kept }, pm.gates, {
        ...input.matrix,
        principals,
        rows: pm.rows,
      });
      Object.assign(proof.scimTokens, tokens.scimTokens);
      Object.assign(proof.bearers, tokens.bearers);
      return proof;
    };
    const gated = (r: MatrixRow) => pm.gates[`${r.component} ${r.operation}`] !== undefined;
    const crudRows = rows.filter(
      (r) => (r.kind === 'crud' || r.kind === 'mcp') && r.operation !== 'events',
    );
    const crud = input.crud.filter((e) => crudRows.some((r) => r.component === e.componentId));
    if (crud.length > 0) {
      const proof = proofOf(crudRows);
      const at = (e: RuntimeEntity) => input.crudApp(e.componentId);
      await proveCrud(proof, at, crud, principals, undefined, (made) =>
        proveMcp(proof, at, crud, principals, made),
      );
      merge(report, proof.report);
    }
    await proveFilesOn(input, rows, proofOf, report, plan);
    const open = rows.filter((r) => r.kind === 'organization' && !gated(r));
    if (open.length > 0) {
      const proof = proofOf(open);
      await proveOrganizations(proof, input.stack, principals, plan);
      merge(report, proof.report);
    }
    const knocked = rows.filter(
      (r) => (r.kind === 'organization' || r.operation === 'events') && gated(r),
    );
    const proof = proofOf(knocked);
    for (const r of knocked) {
      const url = r.kind === 'organization' ? members : input.crudApp(r.component);
      if (url !== undefined) await knockGated(proof, url, r, principals);
      else report.unproven.push(`${r.component} ${r.operation} on plan ${plan}: no app serves it`);
    }
    merge(report, proof.report);
    const tokenColumns = input.matrix.principals
      .filter((p) => p.scim !== undefined)
      .map((p) => p.key);
    if (!scim && tokenColumns.length > 0 && rows.length > 0)
      report.unproven.push(
        `${tokenColumns.join(', ')} on plan ${plan}: derived, not exercised (a SCIM token is issued behind the scim feature)`,
      );
    const agentColumns = input.matrix.principals.filter((p) => p.bearer === 'agent');
    if (agentColumns.length > 0 && rows.length > 0)
      report.unproven.push(
        `${agentColumns.map((p) => p.key).join(', ')} on plan ${plan}: derived, not exercised (the agent's ` +
          "token is issued on the committed proof's stack only)",
      );
    for (const r of rows.filter((x) => x.operation === 'events' && !gated(x)))
      report.unproven.push(
        `${r.component} events on plan ${plan}: the realtime events are proven on the committed matrix only`,
      );
    out.push({
      plans: pm.set.plans,
      features: pm.set.features,
      organizations: [
        ...new Set(
          principals.flatMap((p) => (p.organization === undefined ? [] : [p.organization])),
        ),
      ],
      directories,
      rows,
      report,
    });
  }
  return out;
}

/**
 * The set's FileStore rows (a rule with `feature` on a FileStore: plan-rows.ts keeps every row of the store where
 * one differs) through the committed proof's files proof, on the set's columns — each uploads a file of its own in
 * its organization's twin, then every column lists, reads and deletes every column's. A row of a store the stack
 * does not serve is said unproven, never passed over.
 */
async function proveFilesOn(
  input: PlanProofInput,
  rows: readonly MatrixRow[],
  proofOf: (kept: readonly MatrixRow[]) => Proof,
  report: ProofReport,
  plan: string,
): Promise<void> {
  const fileRows = rows.filter((r) => r.kind === 'files');
  if (fileRows.length === 0) return;
  const stores = (input.files ?? []).filter((s) =>
    fileRows.some((r) => r.component === s.componentId),
  );
  for (const id of new Set(fileRows.map((r) => r.component)))
    if (!stores.some((s) => s.componentId === id))
      report.unproven.push(`${id} on plan ${plan}: the per-plan stack serves no such FileStore`);
  if (stores.length === 0) return;
  const proof = proofOf(fileRows);
  const principals = proof.matrix.principals;
  await proveFiles(proof, (s) => input.filesApp?.(s), stores, principals);
  for (const line of proof.report.unproven) report.unproven.push(`${line} (on plan ${plan})`);
  merge(report, { ...proof.report, unproven: [] });
}

/**
 * A row the plan gates: each column's request at its door (its path's parameters any value, an empty body — the
 * gate answers before anything is read), held when the answer is the cell's (402 with the gate's body, or the
 * refusal that comes before the gate: 401 not signed in, 403 not a member).
 */
async function knockGated(
  proof: Proof,
  url: string,
  row: MatrixRow,
  principals: readonly MatrixPrincipal[],
): Promise<void> {
  const [verb = 'GET', template = ''] = row.request.split(' ');
  const method = verb === 'WS' ? 'POST' : verb;
  const path = template.replace(/\{[^}]+\}/g, 'verify-absent');
  const body = method === 'GET' || method === 'DELETE' ? undefined : {};
  for (const who of principals) {
    const cell = row.cells[who.key] ?? 405;
    const reply = await proof.call(url, method, path, who, body);
    const request = `${method} ${path}${who.organization !== undefined ? ` (in ${who.organization})` : ''}`;
    proof.check(row, who, request, holds(cell, reply, 'gate'), expectedOf(cell, 'gate'), reply);
  }
}
