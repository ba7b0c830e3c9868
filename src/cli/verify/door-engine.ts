// The one engine of the organization rows' proofs (DESIGN §2, "Access you can prove"): each door is a row of data —
// its request, what an allowed answer is, and how the answer is read — and this file sends every column's request
// through it and judges the reply against the column's cell (the matrix's, derived from the reference model:
// access/model/organization-routes.ts). The tables: doors-*.ts; what a door reads back: door-reads.ts.
import type { AccessCell, MatrixPrincipal, MatrixRow } from '../../access/matrix/types.js';
import type { LoopbackReply } from './loopback-http.js';
import type { Proof } from './proof-context.js';

/** The proof's organizations on a membership stack: the two columns' own and throwaway ones for what destroys. */
export interface Ctx {
  readonly proof: Proof;
  /** The Function App serving the membership routes (and the billing ones, when served). */
  readonly url: string;
  /** The matrix's columns. */
  readonly principals: readonly MatrixPrincipal[];
  /** The columns' twins in throwaway organizations (same keys and roles): `DELETE api/tenant` and the undelete. */
  readonly scratch: readonly MatrixPrincipal[];
  /** An Owner of each organization, by id (seeded): reads back what a refused request must not have changed. */
  readonly ownerOf: (organization: string) => MatrixPrincipal;
}

/** Statuses a cell that lets the caller through may answer: a list, or `gate` (anything but a refusal of access). */
export type Allowed = readonly number[] | 'gate';

/** One column's turn at a door: who asks, what the row set up for every column and what it set up for this one. */
export interface Turn<F, C> {
  readonly ctx: Ctx;
  readonly row: MatrixRow;
  readonly who: MatrixPrincipal;
  readonly fixture: F;
  readonly mine: C;
}

/** What a judge returns: the failure's description, or undefined when the answer did what its cell says. */
type Finding = string | undefined;

/**
 * A door of the organization routes as data. Per row: `setUp` once (what every column's request works on), then per
 * column `prepare`, the request, `judge` (only when the status is the cell's), `tidy`; then `tearDown`. Methods, so
 * a table holds doors of any fixture type (their parameters are compared both ways).
 */
export interface Door<F = undefined, C = undefined> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The request's path under the app; `at` when it names something the row or the column set up. */
  readonly path: string;
  at?(t: Turn<F, C>): string;
  body?(t: Turn<F, C>): unknown;
  /** The statuses an allowed request answers. */
  readonly ok: Allowed;
  /** Whose turns: the matrix's columns (default), or their twins in the throwaway organizations. */
  readonly by?: 'twins';
  setUp?(ctx: Ctx, row: MatrixRow): Promise<F>;
  prepare?(ctx: Ctx, who: MatrixPrincipal, fixture: F): C | Promise<C>;
  /**
   * How to read an answer whose status held (`allowed`: the cell let the caller through): a refused request changed
   * nothing, an allowed one did what it says and reached only the caller's own organization.
   */
  judge?(t: Turn<F, C>, reply: LoopbackReply, allowed: boolean): Finding | Promise<Finding>;
  tidy?(t: Turn<F, C>): Promise<unknown>;
  tearDown?(ctx: Ctx, fixture: F): Promise<unknown>;
}

/** A table's door of whatever fixture (its callbacks are methods: checked both ways). */
export type AnyDoor = Door<unknown, unknown>;

/**
 * A door as a table holds it: the type set here flows to every callback of the row.
 *
 * @example
 * ```ts
 * const audit = door({ method: 'GET', path: 'api/tenant/audit', ok: [200] });
 * ```
 */
export function door<F = undefined, C = undefined>(d: Door<F, C>): AnyDoor {
  return d;
}

const REFUSALS = [401, 403, 404, 405];

/**
 * Whether `reply` is what `cell` says, `ok` being what an allowed request answers.
 *
 * @example
 * ```ts
 * holds(403, { status: 403, body: undefined }, [200]); // true
 * ```
 */
export function holds(cell: AccessCell, reply: LoopbackReply, ok: Allowed): boolean {
  if (typeof cell === 'number') return reply.status === cell;
  return ok === 'gate' ? !REFUSALS.includes(reply.status) : ok.includes(reply.status);
}

/**
 * What a cell expects, as the divergence prints it.
 *
 * @example
 * ```ts
 * expectedOf('tenant', [200]); // 'tenant (200)'
 * ```
 */
export function expectedOf(cell: AccessCell, ok: Allowed): string {
  if (typeof cell === 'number') return String(cell);
  return ok === 'gate'
    ? `${cell} (passes the gate: not 401/403/404/405)`
    : `${cell} (${ok.join('|')})`;
}

/**
 * Prove one organization row through its door: every column's request (sequential: one stack, state read back
 * after each), checked against its cell and read by the door's judge.
 *
 * @example
 * ```ts
 * await proveDoor(ctx, row, door({ method: 'GET', path: 'api/tenant', ok: [200] }));
 * ```
 */
export async function proveDoor<F, C>(ctx: Ctx, row: MatrixRow, d: Door<F, C>): Promise<void> {
  const fixture = d.setUp ? await d.setUp(ctx, row) : (undefined as F);
  for (const who of d.by === 'twins' ? ctx.scratch : ctx.principals) {
    const mine = d.prepare ? await d.prepare(ctx, who, fixture) : (undefined as C);
    const turn: Turn<F, C> = { ctx, row, who, fixture, mine };
    await knock(turn, d);
    await d.tidy?.(turn);
  }
  await d.tearDown?.(ctx, fixture);
}

/** One column's request at the door, recorded as held or as a divergence. */
async function knock<F, C>(t: Turn<F, C>, d: Door<F, C>): Promise<void> {
  const { ctx, row, who } = t;
  const cell = row.cells[who.key] ?? 405;
  const path = d.at ? d.at(t) : d.path;
  const reply = await ctx.proof.call(ctx.url, d.method, path, who, d.body?.(t));
  const request = `${d.method} ${path}${who.organization !== undefined ? ` (in ${who.organization})` : ''}`;
  const expected = expectedOf(cell, d.ok);
  if (!holds(cell, reply, d.ok)) {
    ctx.proof.check(row, who, request, false, expected, reply);
    return;
  }
  const wrong = d.judge ? await d.judge(t, reply, typeof cell !== 'number') : undefined;
  ctx.proof.check(row, who, request, wrong === undefined, expected, wrong ?? reply);
}
