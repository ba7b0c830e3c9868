import { deriveAccessMatrix } from '../../src/access/matrix/derive.js';
import { planMatrices } from '../../src/access/matrix/plan-rows.js';
import type { AccessMatrix, MatrixRow } from '../../src/access/matrix/types.js';
import type { Backend } from '../../src/backend/backend.js';
import { verifySignIn } from '../../src/cli/verify/run.js';

const keyOf = (r: MatrixRow) => `${r.kind} ${r.component} ${r.operation}`;

/**
 * A backend's committed matrix and the rows its per-plan proof proves, derived as `atakora verify` derives them
 * (src/cli/verify/run.ts: its `verifySignIn`, `deriveAccessMatrix`, plan-rows.ts's `planMatrices`), purely — no stack.
 */
function matricesOf(backend: Backend): { matrix: AccessMatrix; perPlan: ReadonlySet<string> } {
  const plan = backend.plan();
  const { mcp } = backend.config;
  const signIn = verifySignIn(backend);
  const matrix = deriveAccessMatrix(plan, signIn, mcp);
  const sets = planMatrices(plan, signIn, mcp, backend.config.tenants?.plans ?? {}, matrix);
  return { matrix, perPlan: new Set(sets.flatMap((s) => s.rows.map(keyOf))) };
}

/**
 * The rows a per-plan file proves on its committed matrix (VerifyOptions.rows): those some plan answers differently
 * (the per-plan proof's own rows, kept whole), and not those every plan answers as the committed matrix does — each
 * of which is, cell for cell, a row of the backend that proves it in full ({@link leftTo}), so it is proven once per
 * suite, there (docs/performance.md, "A cell proven once").
 *
 * @example
 * ```ts
 * await verifyEntry(entry, { file: false, rows: perPlanRows(backend) });
 * ```
 */
export function perPlanRows(backend: Backend): (row: MatrixRow) => boolean {
  const { perPlan } = matricesOf(backend);
  return (row) => perPlan.has(keyOf(row));
}

/**
 * The committed rows of `backend` its file leaves unproven (not kept by `kept`) that `owner`'s committed matrix does
 * not have with the same cells for every column of `backend`: empty when each is a cell the owner's file proves.
 * A fixture that drifts from the owner's (a rule or a column added on one side) lists the rows that now need
 * proving here.
 *
 * @example
 * ```ts
 * expect(leftTo(keysPlans, keys, perPlanRows(keysPlans))).toEqual([]);
 * ```
 */
export function leftTo(
  backend: Backend,
  owner: Backend,
  kept: (row: MatrixRow) => boolean,
): string[] {
  const { matrix } = matricesOf(backend);
  const theirs = new Map(matricesOf(owner).matrix.rows.map((r) => [keyOf(r), r]));
  return matrix.rows
    .filter((r) => !kept(r))
    .filter((r) => {
      const o = theirs.get(keyOf(r));
      return o === undefined || matrix.principals.some((p) => o.cells[p.key] !== r.cells[p.key]);
    })
    .map(keyOf);
}
