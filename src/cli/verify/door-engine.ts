// The one engine of the doors' proofs (DESIGN §2, "Access you can prove"): each door is a row of data — its request,
// what an allowed answer is, and how the answer is read — and this file sends every column's request through it and
// judges the reply against the column's cell (the matrix's, derived from the reference model: the organization rows'
// access/model/organization-routes.ts, a FileStore's rules as a CrudApi's). The tables: doors-*.ts; what an
// organization door reads back: door-reads.ts; a FileStore's doors and items: files/doors-files.ts and
// files/prove-files.ts.
import type { AccessCell, MatrixPrincipal, MatrixRow } from '../../access/matrix/types.js';
import type { LoopbackReply } from './loopback-http.js';
import type { Proof } from './proof-context.js';

/** What every door's proof works with: the proof, the app its requests go to, and the columns that knock. */
export interface DoorCtx {
  readonly proof: Proof;
  /** The Function App serving the doors' routes. */
  readonly url: string;
  /** The columns that knock, in order (the matrix's, or those an item's proof picks: prove-files.ts). */
  readonly principals: readonly MatrixPrincipal[];
  /** The columns' twins, when doors knock `by: 'twins'` ({@link Ctx}). */
  readonly scratch?: readonly MatrixPrincipal[];
}

/** The proof's organizations on a membership stack: the two columns' own and throwaway ones for what destroys. */
export interface Ctx extends DoorCtx {
  /** The columns' twins in throwaway organizations (same keys and roles): `DELETE api/tenant` and the undelete. */
  readonly scratch: readonly MatrixPrincipal[];
  /** An Owner of each organization, by id (seeded): reads back what a refused request must not have changed. */
  readonly ownerOf: (organization: string) => MatrixPrincipal;
  /**
   * What several rows work on, made once per proof (the first row that asks makes it) and undone after the last
   * row: `make` answers the value and how to undo it.
   */
  readonly once: <T>(key: string, make: () => Promise<Made<T>>) => Promise<T>;
}

/** A fixture several rows share: its value and how to undo it. */
export interface Made<T> {
  readonly value: T;
  done(): Promise<unknown>;
}

/** Statuses a cell that lets the caller through may answer: a list, or `gate` (anything but a refusal of access). */
export type Allowed = readonly number[] | 'gate';

/** One column's turn at a door: who asks, what the row set up for every column and what it set up for this one. */
export interface Turn<F, C, X extends DoorCtx = Ctx> {
  readonly ctx: X;
  readonly row: MatrixRow;
  readonly who: MatrixPrincipal;
  readonly fixture: F;
  readonly mine: C;
}

/** What a judge returns: the failure's description, or undefined when the answer did what its cell says. */
type Finding = string | undefined;

/**
 * A door as data (an organization route's; with `X`, a FileStore's: files/doors-files.ts). Per row: `setUp` once
 * (what every column's request works on), then per column `prepare`, the request, `judge` (only when the status is
 * the cell's), `tidy`; then `tearDown`. Methods, so a table holds doors of any fixture type (their parameters are
 * compared both ways).
 */
export interface Door<F = undefined, C = undefined, X extends DoorCtx = Ctx> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The request's path under the app; `at` when it names something the row or the column set up. */
  readonly path: string;
  at?(t: Turn<F, C, X>): string;
  body?(t: Turn<F, C, X>): unknown;
  /** The statuses an allowed request answers. */
  readonly ok: Allowed;
  /** Whose turns: the matrix's columns (default), or their twins in the throwaway organizations. */
  readonly by?: 'twins';
  setUp?(ctx: X, row: MatrixRow): Promise<F>;
  prepare?(ctx: X, who: MatrixPrincipal, fixture: F): C | Promise<C>;
  /**
   * How to read an answer whose status held (`allowed`: the cell let the caller through): a refused request changed
   * nothing, an allowed one did what it says and reached only the caller's own organization.
   */
  judge?(t: Turn<F, C, X>, reply: LoopbackReply, allowed: boolean): Finding | Promise<Finding>;
  /**
   * The read-back of a run of turns at once instead of one in each judge: the turns of {@link settles} whose status
   * held and whose judge passed wait, and one read answers each one's finding, in order. A run ends before an
   * allowed turn (`settles: 'refused'`: it may change what is read), when it holds {@link run} turns, and with the
   * row. Each column's request leaves a trace of its own (a value, a name, an id), so a refused one that took is
   * named; a change no turn's own fails every turn of the run — the proof fails all the same.
   */
  settle?(ctx: X, fixture: F, turns: readonly Turn<F, C, X>[]): Promise<readonly Finding[]>;
  /** Whose turns {@link settle} reads back: the refused (default) or every turn (a door no answer changes). */
  readonly settles?: 'refused' | 'all';
  /** The most turns a run holds (what the waiting turns keep may be bounded: an organization's SCIM tokens). */
  readonly run?: number;
  tidy?(t: Turn<F, C, X>): Promise<unknown>;
  tearDown?(ctx: X, fixture: F): Promise<unknown>;
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

/**
 * {@link door} for doors of another context (`X`: a FileStore's, doors-files.ts).
 *
 * @example
 * ```ts
 * const list = doorIn<FileCtx>()({ method: 'GET', path: 'api/files', ok: [200] });
 * ```
 */
export const doorIn =
  <X extends DoorCtx>() =>
  <F = undefined, C = undefined>(d: Door<F, C, X>): Door<unknown, unknown, X> =>
    d;

/**
 * Whether `who`'s cell of `row` lets it through (`tenant`, `own`, `allow`), not a refusal's status.
 *
 * @example
 * ```ts
 * allowedIn({ ...row, cells: { anonymous: 401 } }, anonymous); // false
 * ```
 */
export const allowedIn = (row: MatrixRow, who: MatrixPrincipal): boolean =>
  typeof (row.cells[who.key] ?? 405) !== 'number';

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

/** A turn whose status held, waiting for its run's read-back: what the check records. */
interface Waiting<F, C, X extends DoorCtx> {
  readonly turn: Turn<F, C, X>;
  readonly request: string;
  readonly expected: string;
  readonly reply: LoopbackReply;
}

/**
 * Prove one row through its door: every column's request (sequential: one stack, state read back
 * after each, or after each run of them: {@link Door.settle}), checked against its cell and read by the door's judge.
 *
 * @example
 * ```ts
 * await proveDoor(ctx, row, door({ method: 'GET', path: 'api/tenant', ok: [200] }));
 * ```
 */
export async function proveDoor<F, C, X extends DoorCtx = Ctx>(
  ctx: X,
  row: MatrixRow,
  d: Door<F, C, X>,
): Promise<void> {
  const fixture = d.setUp ? await d.setUp(ctx, row) : (undefined as F);
  const waiting: Waiting<F, C, X>[] = [];
  const settle = async () => {
    const run = waiting.splice(0);
    if (run.length === 0 || !d.settle) return;
    const findings = await d.settle(
      ctx,
      fixture,
      run.map((w) => w.turn),
    );
    for (const [i, w] of run.entries()) {
      const wrong = findings[i];
      ctx.proof.check(
        row,
        w.turn.who,
        w.request,
        wrong === undefined,
        w.expected,
        wrong ?? w.reply,
      );
    }
    for (const w of run) await d.tidy?.(w.turn);
  };
  for (const who of d.by === 'twins' ? (ctx.scratch ?? []) : ctx.principals) {
    const waits = d.settle !== undefined && (d.settles === 'all' || !allowedIn(row, who));
    if (!waits || waiting.length >= (d.run ?? Number.POSITIVE_INFINITY)) await settle();
    const mine = d.prepare ? await d.prepare(ctx, who, fixture) : (undefined as C);
    const turn: Turn<F, C, X> = { ctx, row, who, fixture, mine };
    const held = await knock(turn, d, waits);
    if (held) waiting.push(held);
    else await d.tidy?.(turn);
  }
  await settle();
  await d.tearDown?.(ctx, fixture);
}

/**
 * One column's request at the door, recorded as held or as a divergence — or, when its read-back waits for the run's
 * (`waits`) and nothing is wrong yet, what to record once it is read.
 */
async function knock<F, C, X extends DoorCtx>(
  t: Turn<F, C, X>,
  d: Door<F, C, X>,
  waits: boolean,
): Promise<Waiting<F, C, X> | undefined> {
  const { ctx, row, who } = t;
  const cell = row.cells[who.key] ?? 405;
  const path = d.at ? d.at(t) : d.path;
  const reply = await ctx.proof.call(ctx.url, d.method, path, who, d.body?.(t));
  const request = `${d.method} ${path}${who.organization !== undefined ? ` (in ${who.organization})` : ''}`;
  const expected = expectedOf(cell, d.ok);
  if (!holds(cell, reply, d.ok)) {
    ctx.proof.check(row, who, request, false, expected, reply);
    return undefined;
  }
  const wrong = d.judge ? await d.judge(t, reply, typeof cell !== 'number') : undefined;
  if (waits && wrong === undefined) return { turn: t, request, expected, reply };
  ctx.proof.check(row, who, request, wrong === undefined, expected, wrong ?? reply);
  return undefined;
}

/**
 * A run's read-back by organization ({@link Door.settle}): `read` once for each organization the turns act in (by
 * `org`), then each turn's finding from its organization's state.
 *
 * @example
 * ```ts
 * settle: (ctx, _f, turns) => byOrganization(turns, (t) => orgOf(t.who), (org) => recordOf(ctx, org), judgeOne),
 * ```
 */
export async function byOrganization<T, S>(
  turns: readonly T[],
  org: (t: T) => string,
  read: (org: string) => Promise<S>,
  judge: (t: T, state: S, org: string) => string | undefined,
): Promise<(string | undefined)[]> {
  const states = new Map<string, S>();
  for (const o of new Set(turns.map(org))) states.set(o, await read(o));
  return turns.map((t) => judge(t, states.get(org(t)) as S, org(t)));
}

/**
 * Whether a run of refused requests left `now` as it was (`before`): undefined when so; else the finding, the same
 * for every turn of the run unless one left `now` as its own trace (`own`: only that one is named).
 *
 * @example
 * ```ts
 * unchangedBy(now.name, before.name, turn.name, run.map((t) => t.name), 'renamed it to'); // undefined or a finding
 * ```
 */
export function unchangedBy(
  now: unknown,
  before: unknown,
  own: unknown,
  traces: readonly unknown[],
  what: string,
): string | undefined {
  if (JSON.stringify(now) === JSON.stringify(before)) return undefined;
  if (traces.includes(now) && now !== own) return undefined;
  return `${what} ${JSON.stringify(now) ?? 'nothing'}`;
}
