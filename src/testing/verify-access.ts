import type { AccessMatrix, MatrixRow } from '../access/matrix/types.js';
import type { Divergence } from '../cli/verify/proof-context.js';
import type { VerifyOutcome } from '../cli/verify/run.js';
import { AtakoraError } from '../model/errors.js';
import { type BackendInput, backendEntry, backendOf } from './backend-entry.js';

/** Options of {@link verifyAccess}. */
export interface VerifyAccessOptions {
  /**
   * A committed matrix file to compare with (`atakora.access.json`): a difference rejects with `ACCESS_CHANGED`.
   * Default none: the matrix is derived and proven only.
   */
  readonly file?: string;
  /** Prove this matrix instead of the derived one (a test of a hand-written expectation). */
  readonly against?: AccessMatrix;
  /**
   * Prove only the rows this keeps (a test of a hand-written expectation about some rows: `against`'s changed cells
   * are judged without a second proof of every other row). Default every row.
   */
  readonly rows?: (row: MatrixRow) => boolean;
}

/**
 * Derive the backend's access matrix and prove every cell against the real runtime (`atakora dev`'s stack on
 * loopback, fresh data), as `atakora verify` does — inside a test. Resolves with the matrix; rejects with an
 * `AtakoraError` `ACCESS_DIVERGED` whose `details.divergences` lists each cell that did not hold (the request and
 * the answer), or `ACCESS_CHANGED` when `file` differs. Needs the optional peer `@vercel/cosmosdb-server`.
 *
 * @example
 * ```ts
 * import { verifyAccess } from '@atakora/component/testing';
 * import type { Backend } from '@atakora/component/backend';
 * // In a vitest test (allow it a minute): the matrix, proven, or a rejection naming each divergence.
 * async function readOfAnotherUser(backend: Backend) {
 *   const matrix = await verifyAccess(backend);
 *   return matrix.rows.find((r) => r.operation === 'read')?.cells['home.other']; // 'tenant', 'own', 404…
 * }
 * ```
 */
export async function verifyAccess(
  given: BackendInput,
  options: VerifyAccessOptions = {},
): Promise<AccessMatrix> {
  const outcome = await proveAccess(given, options);
  const diverged = divergedError(outcome);
  if (diverged) throw diverged;
  if (outcome.fileState === 'changed')
    throw new AtakoraError(
      'ACCESS_CHANGED',
      `The access matrix differs from ${options.file ?? ''}: ${String(outcome.changes.length)} cell(s).`,
      { details: { changes: outcome.changes } },
    );
  return outcome.matrix;
}

/**
 * The `ACCESS_DIVERGED` a run's outcome rejects with, or none: the committed proof's divergences and every plan
 * set's (docs/verify.md, "Per plan": a divergence on any plan fails the proof, as `atakora verify` exits 1 for it).
 * A plan set's divergences carry `plans` (the set's plans) and are named `[plan <first>]` in the message, as the
 * CLI prints them.
 *
 * @example
 * ```ts
 * const error = divergedError(await proveAccess(backend));
 * error?.details; // { divergences: [{ row: 'NoteApi search', plans: ['free'], … }] }
 * ```
 */
export function divergedError(
  outcome: Pick<VerifyOutcome, 'proof' | 'plans'>,
): AtakoraError | undefined {
  const divergences: (Divergence & { readonly plans?: readonly string[] })[] = [
    ...outcome.proof.divergences,
    ...outcome.plans.flatMap((p) => p.report.divergences.map((d) => ({ ...d, plans: p.plans }))),
  ];
  if (divergences.length === 0) return undefined;
  const named = (d: (typeof divergences)[number]) =>
    `${d.plans ? `[plan ${d.plans[0] ?? ''}] ` : ''}${d.row} [${d.principal}: ${String(d.cell)}] ` +
    `${d.request} → ${d.answer}`;
  return new AtakoraError(
    'ACCESS_DIVERGED',
    `${String(divergences.length)} cell(s) did not hold against the runtime: ` +
      divergences.slice(0, 5).map(named).join('; '),
    { details: { divergences } },
  );
}

/**
 * {@link verifyAccess}'s run, resolving with its whole outcome whatever it found (the proof's report: which cells
 * a request exercised). Not exported by the package: the repository's own tests of the proof read the report of the
 * run `verifyAccess` makes, once (test/access/verify-organization.test.ts).
 *
 * @example
 * ```ts
 * const outcome = await proveAccess(backend);
 * outcome.proof.divergences; // what verifyAccess rejects with as ACCESS_DIVERGED
 * ```
 */
export async function proveAccess(
  given: BackendInput,
  options: VerifyAccessOptions = {},
): Promise<VerifyOutcome> {
  const backend = backendOf(given, 'verifyAccess');
  const entry = backendEntry(backend);
  try {
    // Loaded on first use: `@atakora/component/testing`'s other helpers (synthBackend) never pull in dev's stack.
    const { verifyEntry } = await import('../cli/verify/run.js');
    return await verifyEntry(entry.path, {
      backend,
      file: options.file ?? false,
      ...(options.against ? { against: options.against } : {}),
      ...(options.rows ? { rows: options.rows } : {}),
    });
  } finally {
    entry.remove();
  }
}
