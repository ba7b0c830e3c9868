import type { AccessCell, MatrixPrincipal, MatrixRow } from '../../access/matrix/types.js';
import type { LoopbackReply } from './loopback-http.js';
import type { Proof } from './proof-context.js';

/** The proof's organizations on a membership stack: the two columns' own and throwaway ones for what destroys. */
export interface OrganizationProofContext {
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

type OrganizationCtx = OrganizationProofContext;
/** The context of an organization row's proof. */
export type Ctx = OrganizationCtx;
/** One row's proof: every column's request(s) on it, checked. */
export type RowProof = (ctx: Ctx, row: MatrixRow) => Promise<void>;

/** Whether a cell lets the caller through. */
export const allowed = (cell: AccessCell): boolean => typeof cell !== 'number';

/** Each column in turn (the proof's requests are sequential: one stack, state read back after each). */
export async function each(
  ps: readonly MatrixPrincipal[],
  f: (p: MatrixPrincipal) => Promise<void>,
): Promise<void> {
  for (const p of ps) await f(p);
}

/** The organization a column acts in (the stranger: the one it names). */
export const orgOf = (p: MatrixPrincipal): string => p.organization ?? '';

/** Statuses a cell that lets the caller through may answer: a list, or `gate` (anything but a refusal of access). */
export type Allowed = readonly number[] | 'gate';

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
 * A column's name as a domain label or an e-mail's local part.
 *
 * @example
 * ```ts
 * slug('home.role.Owner'); // 'home-role-owner'
 * ```
 */
export function slug(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/**
 * The items of a list answer (`{ items }`), none when it is not one.
 *
 * @example
 * ```ts
 * itemsOf({ status: 200, body: { items: [{ id: 'a' }] } }); // [{ id: 'a' }]
 * ```
 */
export function itemsOf(reply: LoopbackReply): Record<string, unknown>[] {
  const items = (reply.body as { items?: unknown } | undefined)?.items;
  return Array.isArray(items) ? (items as Record<string, unknown>[]) : [];
}

/**
 * Send one request as `who` and check it against its cell; `after` (when the cell held) checks what the answer
 * must have done or not done — a refused write changed nothing, an allowed one reached only the caller's own
 * organization — and returns the failure's description, or undefined.
 *
 * @example
 * ```ts
 * await checkCell(ctx, row, who, 'PATCH', 'api/tenant', { name: 'x' }, [200]);
 * ```
 */
export async function checkCell(
  ctx: OrganizationProofContext,
  row: MatrixRow,
  who: MatrixPrincipal,
  method: string,
  path: string,
  body: unknown,
  ok: Allowed,
  after?: (reply: LoopbackReply, cell: AccessCell) => Promise<string | undefined>,
): Promise<LoopbackReply> {
  const cell = row.cells[who.key] ?? 405;
  const reply = await ctx.proof.call(ctx.url, method, path, who, body);
  const request = `${method} ${path}${who.organization !== undefined ? ` (in ${who.organization})` : ''}`;
  if (!holds(cell, reply, ok)) {
    ctx.proof.check(row, who, request, false, expectedOf(cell, ok), reply);
    return reply;
  }
  const wrong = after ? await after(reply, cell) : undefined;
  ctx.proof.check(row, who, request, wrong === undefined, expectedOf(cell, ok), wrong ?? reply);
  return reply;
}
