import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type CellChange, compareAccessMatrices } from '../../access/matrix/compare.js';
import { deriveAccessMatrix } from '../../access/matrix/derive.js';
import { ACCESS_FILE, formatAccessMatrix } from '../../access/matrix/format.js';
import { servedAccessOf } from '../../access/matrix/backend-of.js';
import { signInOf } from '../../access/matrix/sign-in.js';
import type { AccessMatrix, MatrixPrincipal, MatrixRow } from '../../access/matrix/types.js';
import type { Backend } from '../../backend/backend.js';
import { PlanError } from '../../model/errors.js';
import { loadInEnvironment } from '../shared/environment-option.js';
import { admissionPolicy } from '../../kit/pure/tenant-registry.js';
import { MEMBERSHIP_FUNCTIONS } from '../../contract/members.js';
import { type LentStack, lendProofStack, type ProofStacks } from './dev-stack.js';
import { Proof, type ProofReport } from './proof-context.js';
import { proveCrud } from './prove-crud.js';
import { listen } from './prove-events.js';
import { proveHandlers } from './prove-handlers.js';
import { proveFiles } from './files/prove-files.js';
import { proveMcp } from './prove-mcp.js';
import { registerCustomer } from './registry-proof.js';
import { proveOrganizations, seedOrganizations } from './organization-proof.js';
import { issueScimTokens } from './scim-tokens.js';
import { issueBearers } from './stack/bearer-tokens.js';
import { type PlanMatrix, planMatrices } from '../../access/matrix/plan-rows.js';
import { type PlanProof, provePlans } from './plan-proof.js';

/** What one `verify` run found. */
export interface VerifyOutcome {
  readonly matrix: AccessMatrix;
  /** The matrix file (absent when none is compared: `verifyAccess` without `file`). */
  readonly file?: string;
  /** `matches`, `written` (first run or `--update`), `changed` (ACCESS_CHANGED), `none`. */
  readonly fileState: 'matches' | 'written' | 'changed' | 'none';
  /** Cells that differ from the file, widenings first. */
  readonly changes: readonly CellChange[];
  readonly proof: ProofReport;
  /** Cells no request exercised (no item of that kind could be made), `row|principal`. */
  readonly unexercised: readonly string[];
  /** How the proof's stack differs from the backend as deployed (a registry's bounds lifted, the customer added). */
  readonly notes: readonly string[];
  /**
   * The per-plan proof (plan-proof.ts): one entry per distinct feature set of the plans, with the rows some plan
   * answers differently and what held; empty when no plan lists features or no row depends on them.
   */
  readonly plans: readonly PlanProof[];
  /** Seconds of {@link plans} (its stack's start included), within {@link seconds}. */
  readonly planSeconds: number;
  readonly seconds: number;
  readonly ok: boolean;
}

/** Options of {@link verifyEntry}. */
export interface VerifyOptions {
  readonly update?: boolean;
  readonly environment?: string;
  /** The matrix file; default `atakora.access.json` beside the entry; `false`: none. */
  readonly file?: string | false;
  /** Prove this matrix instead of the derived one (a test of the proof itself). */
  readonly against?: AccessMatrix;
  /**
   * Prove only the rows this keeps, the others left unexercised (a test of the proof itself, on the rows it is
   * about: a wrong cell caught needs no second proof of every other row). Default every row.
   */
  readonly rows?: (row: MatrixRow) => boolean;
  /**
   * Prove these per-plan matrices instead of the derived ones (a test of the proof itself: a wrong cell or a wrong
   * 402 body on a plan is caught).
   */
  readonly plansAgainst?: (derived: readonly PlanMatrix[]) => readonly PlanMatrix[];
  /**
   * `false`: the per-plan proof's stack serves the plans without their features, as the committed proof's does (a
   * test of the proof itself: a runtime whose gates and featured rules ignore the plan must diverge). Default true.
   */
  readonly planFeaturesServed?: boolean;
  /** The backend, when the caller has it already (the entry is still what dev serves). */
  readonly backend?: Backend;
  /**
   * Borrow the proof's stacks from these (dev-stack.ts `proofStacks`) instead of starting and stopping one per run:
   * a process that verifies an entry many times (a test file) starts its stack once. Each run still sees fresh data
   * (the stack's data put back as started) and, on tenants by membership, users of its own. Default: the stacks
   * {@link shareProofStacks} set, else none.
   */
  readonly stacks?: ProofStacks;
  readonly progress?: (line: string) => void;
}

/**
 * `atakora verify`'s work: derive the access matrix of the entry's first backend, compare it with the committed
 * file, and prove every cell against `atakora dev`'s stack on loopback with fresh data.
 *
 * @example
 * ```ts
 * const outcome = await verifyEntry('backend.ts', { update: false });
 * process.exitCode = outcome.ok ? 0 : 1;
 * ```
 */
export async function verifyEntry(
  entry: string,
  options: VerifyOptions = {},
): Promise<VerifyOutcome> {
  const started = Date.now();
  const progress = options.progress ?? (() => undefined);
  const [backend] = options.backend
    ? [options.backend]
    : await loadInEnvironment(entry, options.environment);
  if (!backend) throw new Error(`${entry} exports no backend`);
  const plan = backend.plan();
  if (plan.issues.some((i) => i.severity === 'error')) throw new PlanError(plan.issues);
  const signIn = verifySignIn(backend);
  const matrix = deriveAccessMatrix(plan, signIn, backend.config.mcp);
  const file =
    options.file === false ? undefined : resolve(options.file ?? join(dirname(entry), ACCESS_FILE));
  let fileState: VerifyOutcome['fileState'] = 'none';
  let changes: CellChange[] = [];
  if (file) {
    if (existsSync(file)) {
      changes = compareAccessMatrices(
        JSON.parse(readFileSync(file, 'utf8')) as AccessMatrix,
        matrix,
      );
      fileState = changes.length === 0 ? 'matches' : 'changed';
    }
    if (options.update || !existsSync(file)) {
      writeFileSync(file, formatAccessMatrix(matrix));
      fileState = 'written';
    }
  }
  const proven = options.against ?? matrix;
  const keep = options.rows;
  const all = servedAccessOf(plan, signIn);
  const served = keep
    ? {
        ...all,
        crud: all.crud.filter((e) =>
          proven.rows.some((r) => keep(r) && r.component === e.componentId),
        ),
        files: all.files.filter((f) =>
          proven.rows.some((r) => keep(r) && r.component === f.componentId),
        ),
      }
    : all;
  const home = matrix.principals.find((p) => p.key === 'home.owner');
  if (home?.oid === undefined || home.tid === undefined)
    throw new Error('the matrix has no home.owner');
  const notes = notesOf(signIn);
  for (const n of notes) progress(n);
  progress('Starting the local stack (atakora dev) on loopback');
  const lent = await lendProofStack(
    entry,
    { oid: home.oid, tid: home.tid },
    {
      ...(options.environment !== undefined ? { environment: options.environment } : {}),
      config: backend.config,
    },
    options.stacks ?? shared,
    identityOf(entry, options),
  );
  const { stack } = lent;
  const principals = columnsOfRun(matrix.principals, lent, Boolean(signIn.membership));
  const proof = new Proof(...proofMatrices(proven, principals, options.rows));
  try {
    if (signIn.membership) {
      await seedOrganizations(stack, principals, backend.config.tenants?.defaultPlan ?? '');
      // The SCIM columns' tokens, before any request: every proof below sends them as those columns' bearer.
      const members = stack.apps.find((a) => a.functions.includes(MEMBERSHIP_FUNCTIONS.members));
      if (members) await issueScimTokens(proof, members.url, principals);
      // The API keys' and the agent's columns: their credentials, issued on this stack before any request.
      if (members) await issueBearers(proof, members.url, stack, principals);
    } else await registerCustomer(stack, signIn);
    const appFor = (name: string) =>
      stack.apps.find((a) => a.functions.some((f) => f === name))?.url;
    const crudApp = (id: string) =>
      stack.apps.find((a) => a.functions.some((f) => f.toLowerCase().includes(id.toLowerCase())))
        ?.url ??
      stack.apps[0]?.url ??
      '';
    const realtime = served.crud.find((e) => e.realtime && proof.proves(e.componentId, 'events'));
    const listeners = realtime
      ? await listen(proof, crudApp(realtime.componentId), principals)
      : undefined;
    progress(
      `Proving ${String(matrix.rows.length)} routes × ${String(matrix.principals.length)} principals`,
    );
    const items = await proveCrud(
      proof,
      (e) => crudApp(e.componentId),
      served.crud,
      principals,
      undefined,
      // The MCP server's cells, on the same items, before the REST proof's writes change them.
      (made) => proveMcp(proof, (e) => crudApp(e.componentId), served.crud, principals, made),
    );
    await listeners?.settle(items, served.crud);
    // The FileStores' rows: each column's file uploaded through its SAS URL (dev's Azurite), then every door.
    await proveFiles(proof, (f) => appFor(`${f.componentId}-files`), served.files, principals);
    await proveHandlers(proof, appFor, principals);
    // Tenants by membership: the organizations' own routes, last (a PATCH renames the home organization).
    if (signIn.membership)
      await proveOrganizations(proof, stack, principals, backend.config.tenants?.defaultPlan ?? '');
  } finally {
    await lent.release();
  }
  const planStarted = Date.now();
  const plans = await proveEachPlan(entry, options, {
    matrix,
    proven,
    signIn,
    backend,
    served,
    progress,
  });
  const planSeconds = plans.length === 0 ? 0 : (Date.now() - planStarted) / 1000;
  const unexercised = matrix.rows
    .flatMap((r) => matrix.principals.map((p) => `${r.component} ${r.operation}|${p.key}`))
    .filter((k) => !proof.report.proven.has(k));
  const ok =
    proof.report.divergences.length === 0 &&
    plans.every((p) => p.report.divergences.length === 0) &&
    (fileState !== 'changed' || options.update === true);
  return {
    matrix,
    ...(file ? { file } : {}),
    fileState,
    changes,
    proof: proof.report,
    unexercised,
    notes,
    plans,
    planSeconds,
    seconds: (Date.now() - started) / 1000,
    ok,
  };
}

/**
 * The per-plan proof when the backend's plans list features (plan-rows.ts, plan-proof.ts): on a stack of its own
 * whose plans keep their features (bounds still lifted), after the committed proof's stack stopped: organizations
 * (tenants by membership) or a registry's directories on each feature set's first plan.
 */
async function proveEachPlan(
  entry: string,
  options: VerifyOptions,
  run: {
    readonly matrix: AccessMatrix;
    readonly proven: AccessMatrix;
    readonly signIn: ReturnType<typeof signInOf>;
    readonly backend: Backend;
    readonly served: ReturnType<typeof servedAccessOf>;
    readonly progress: (line: string) => void;
  },
): Promise<PlanProof[]> {
  const { matrix, signIn, backend, progress } = run;
  const declared = backend.config.tenants?.plans ?? {};
  const derived = planMatrices(backend.plan(), signIn, backend.config.mcp, declared, run.proven);
  const perPlan = options.plansAgainst ? options.plansAgainst(derived) : derived;
  if (perPlan.length === 0) return [];
  const home = matrix.principals.find((p) => p.key === 'home.owner');
  progress("Starting the per-plan stack (atakora dev, the plans' features kept) on loopback");
  const lent = await lendProofStack(
    entry,
    { oid: home?.oid ?? '', tid: home?.tid ?? '' },
    {
      ...(options.environment !== undefined ? { environment: options.environment } : {}),
      features: options.planFeaturesServed !== false,
      config: backend.config,
    },
    options.stacks ?? shared,
    identityOf(entry, options),
  );
  const { stack } = lent;
  try {
    const crudApp = (id: string) =>
      stack.apps.find((a) => a.functions.some((f) => f.toLowerCase().includes(id.toLowerCase())))
        ?.url ??
      stack.apps[0]?.url ??
      '';
    return await provePlans({
      stack,
      signIn,
      matrix: { ...matrix, principals: columnsOfRun(matrix.principals, lent, true) },
      perPlan,
      crud: run.served.crud,
      crudApp,
      files: run.served.files,
      filesApp: (f) => stack.apps.find((a) => a.functions.includes(`${f.componentId}-files`))?.url,
      ...(options.rows ? { keep: options.rows } : {}),
      progress,
    });
  } finally {
    await lent.release();
  }
}

/** How the proof's stack differs from the backend as deployed: a registry's bounds lifted, the customer added. */
function notesOf(signIn: ReturnType<typeof signInOf>): string[] {
  return signIn.registry
    ? [
        'tenant registry: the proof stack serves every plan without bounds and no tenants.perUser (a cell says ' +
          'who may, not how often; the limits are proven by their own tests)',
        `tenant registry: the customer directory ${signIn.other ?? ''} is registered on the proof stack ` +
          `(plan ${signIn.registry.defaultPlan}) before any request; ${signIn.stranger ?? ''} is not ` +
          (signIn.registry.signUp === 'open'
            ? '(signUp open: its first request registers it)'
            : '(refused)'),
      ]
    : [];
}

/** The stacks every run borrows from when its options name none ({@link shareProofStacks}). */
let shared: ProofStacks | undefined;

/**
 * Let every `verifyEntry` of this process that names no `stacks` — the CLI's `atakora verify`, `verifyAccess` —
 * borrow from `stacks` (undefined: none, each run starts and stops its own). A test file that verifies an entry many
 * times sets it for its tests (test/support/shared-proof-stacks.ts).
 *
 * @example
 * ```ts
 * const stacks = proofStacks();
 * shareProofStacks(stacks);
 * // … atakora verify, verifyAccess …
 * shareProofStacks(undefined);
 * await stacks.close();
 * ```
 */
export function shareProofStacks(stacks: ProofStacks | undefined): void {
  shared = stacks;
}

/**
 * Which backend a kept stack serves ({@link ProofStacks}' `identity`): the Backend object given, else the entry's path
 * and text.
 *
 * @example
 * ```ts
 * await stacks.lend(entry, home, {}, identityOf(entry, {})); // the stack verifyEntry(entry) borrows
 * ```
 */
export function identityOf(entry: string, options: Pick<VerifyOptions, 'backend'>): unknown {
  return options.backend ?? `${resolve(entry)}\n${readFileSync(entry, 'utf8')}`;
}

/**
 * The columns as a run signs them in on its stack: on a stack that served earlier runs with tenants by membership,
 * each user a fresh one (`home-owner-r1`) — a membership an instance cached, or an invitation, join request or item
 * an earlier run's user left, is not theirs. The data is put back between runs; the caches of the runtime are not.
 */
function columnsOfRun(
  principals: readonly MatrixPrincipal[],
  lent: LentStack,
  membership: boolean,
): readonly MatrixPrincipal[] {
  if (lent.run === 0 || !membership) return principals;
  return principals.map((p) =>
    p.oid === undefined ? p : { ...p, oid: `${p.oid}-r${String(lent.run)}` },
  );
}

/** The Proof's matrices with the run's columns: the rows kept (VerifyOptions.rows), and every row to read cells of. */
function proofMatrices(
  proven: AccessMatrix,
  principals: readonly MatrixPrincipal[],
  keep: ((row: MatrixRow) => boolean) | undefined,
): [AccessMatrix, Record<string, never>, AccessMatrix] {
  const whole = { ...proven, principals: [...principals] };
  return [keep ? { ...whole, rows: proven.rows.filter(keep) } : whole, {}, whole];
}

/**
 * The sign-in a proof's matrix is derived against: the backend's auth as its runtime reads it (`tid`, no trusted
 * tenant header), its admission policy, and MCP's authorization.
 *
 * @example
 * ```ts
 * deriveAccessMatrix(backend.plan(), verifySignIn(backend), backend.config.mcp);
 * ```
 */
export function verifySignIn(backend: Backend): ReturnType<typeof signInOf> {
  const auth = backend.config.auth;
  return signInOf(
    {
      required: auth.enabled,
      tenantClaim: 'tid',
      trustTenantHeader: false,
      ...admissionPolicy(backend.config),
    },
    auth.tenantId,
    backend.config.mcp?.authorization !== undefined,
  );
}
