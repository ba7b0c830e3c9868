import { columnGateKey } from '../../access/matrix/plan-key-cells.js';
import type { RowGate } from '../../access/matrix/plan-rows.js';
import type { AccessCell, AccessMatrix, MatrixPrincipal } from '../../access/matrix/types.js';
import { send, type LoopbackReply } from './loopback-http.js';
import { DEFAULT_DEV_USER, devCallerHeaders } from './dev-stack.js';

/** A cell the runtime did not keep: which, the request as sent and the answer. */
export interface Divergence {
  /** `NoteApi read`. */
  readonly row: string;
  readonly principal: string;
  readonly cell: AccessCell;
  /** `GET api/notes/home-owner-notes as home.other`. */
  readonly request: string;
  readonly expected: string;
  readonly answer: string;
}

/** What the proof did: requests sent, cells held, divergences, and what it could not exercise (and why). */
export interface ProofReport {
  requests: number;
  readonly divergences: Divergence[];
  readonly proven: Set<string>;
  readonly unproven: string[];
}

/**
 * Who a bearer column's request is signed in as beside its credential: a user of dev's directory who is a member of
 * no organization — a runtime that ignored the key or the agent token would answer as this user (403, not the cell).
 */
export const BEARER_SIGNED_IN = 'verify-bearer';

/** The dev sign-in headers for a column (cli/dev/sign-in.ts: `<user>@<tenant>[;roles=…]`, or `anonymous`). */
export function callerHeader(p: MatrixPrincipal): Record<string, string> {
  if (p.bearer !== undefined)
    return devCallerHeaders({
      who: `${BEARER_SIGNED_IN}@${DEFAULT_DEV_USER.tid}`,
      // A key names its organization itself; an agent column names the organization it acts in (its own, or
      // another: agent.elsewhere).
      ...(p.bearer === 'agent' && p.organization !== undefined
        ? { organization: p.organization }
        : {}),
    });
  if (p.tid === undefined || p.oid === undefined) return devCallerHeaders('anonymous');
  // Tenants by membership: signed in from dev's own directory (which dev signs in from the external tenant on a
  // customers backend: the only one the runtime admits there), acting in the organization the request names; the
  // roles are the membership's (seeded), none in the token.
  if (p.organization !== undefined)
    return devCallerHeaders({
      who: `${p.oid}@${DEFAULT_DEV_USER.tid}`,
      organization: p.organization,
    });
  return devCallerHeaders({ who: `${p.oid}@${p.tid}`, roles: p.roles });
}

/** The requests of one proof, counted, and the bookkeeping of cells. */
export class Proof {
  readonly report: ProofReport = { requests: 0, divergences: [], proven: new Set(), unproven: [] };
  /** The SCIM tokens the SCIM columns send (issued on the proof's stack: scim-tokens.ts). */
  readonly scimTokens: { valid?: string; revoked?: string } = {};
  /** The bearer columns' credentials by column key (an API key, an agent token: bearer-tokens.ts). */
  readonly bearers: Record<string, string> = {};

  /**
   * `matrix`: the rows proven (VerifyOptions.rows may keep some only); `gates`: per row (`<component> <operation>`),
   * what its 402 must name on the proof's plan (plan-rows.ts; the per-plan proof, plan-proof.ts) — or, kept under
   * `<component> <operation>|<column>`, one column's (an API key's `api-keys`: plan-key-cells.ts): a 402 is held
   * only as `feature-not-in-plan` with that feature and those plans; `expected`: every row the cells are read from (the
   * whole matrix when `matrix` keeps some rows only: a kept row's expectation may read another's cell, a list's the
   * read cell), default `matrix`.
   */
  constructor(
    readonly matrix: AccessMatrix,
    readonly gates: Readonly<Record<string, RowGate>> = {},
    readonly expected: AccessMatrix = matrix,
  ) {}

  cell(component: string, operation: string, principal: string): AccessCell | undefined {
    return this.expected.rows.find((r) => r.component === component && r.operation === operation)
      ?.cells[principal];
  }

  /**
   * Whether this proof judges the row: one it keeps, or one no row of the matrix names (its requests expect 405).
   * A row left out (VerifyOptions.rows) sends no request of its own and is never judged: a proof of the rows a
   * test is about proves them alone, not every row of their CrudApi.
   */
  proves(component: string, operation: string): boolean {
    const named = (m: AccessMatrix) =>
      m.rows.some((r) => r.component === component && r.operation === operation);
    return this.expected === this.matrix || named(this.matrix) || !named(this.expected);
  }

  async call(
    base: string,
    method: string,
    path: string,
    who: MatrixPrincipal,
    body?: unknown,
  ): Promise<LoopbackReply> {
    this.report.requests += 1;
    // A SCIM column signs in as nobody and carries its token, on every route (SCIM's and the rest); a key's or an
    // agent's column its credential (one the proof could not issue: a credential no runtime admits).
    const token =
      who.scim !== undefined
        ? this.scimTokens[who.scim]
        : who.bearer !== undefined
          ? (this.bearers[who.key] ?? 'atk_not-issued')
          : undefined;
    const headers = callerHeader(who);
    return send(
      method,
      `${base}/${path}`,
      token !== undefined ? { ...headers, authorization: `Bearer ${token}` } : headers,
      body,
    );
  }

  /** Record one check: held (the cell counts as proven) or a divergence with the request and answer. */
  check(
    row: { component: string; operation: string },
    who: MatrixPrincipal,
    request: string,
    held: boolean,
    expected: string,
    answer: LoopbackReply | string,
  ): void {
    if (!this.proves(row.component, row.operation)) return;
    const key = `${row.component} ${row.operation}`;
    const wrong =
      held && typeof answer !== 'string' && answer.status === 402
        ? notTheGate(this.gates[columnGateKey(key, who.key)] ?? this.gates[key], answer.body)
        : undefined;
    if (wrong !== undefined) {
      this.check(row, who, request, false, `${expected} ${wrong}`, answer);
      return;
    }
    if (held) {
      this.report.proven.add(`${key}|${who.key}`);
      return;
    }
    const shown =
      typeof answer === 'string'
        ? answer
        : `${answer.status} ${JSON.stringify(answer.body ?? null).slice(0, 300)}`;
    this.report.divergences.push({
      row: key,
      principal: who.key,
      cell: this.cell(row.component, row.operation, who.key) ?? 405,
      request: `${request} as ${who.key}`,
      expected,
      answer: shown,
    });
  }
}

/**
 * What is wrong with a 402's body against the row's gate: undefined when it is the problem `feature-not-in-plan`
 * naming the gate's feature and exactly its plans (DESIGN §2 "Plans that package the product"); a 402 where no gate
 * is expected is wrong whatever it says.
 */
function notTheGate(gate: RowGate | undefined, body: unknown): string | undefined {
  if (gate === undefined) return '(no feature gates this row on the plan)';
  const b = (body ?? {}) as { type?: unknown; feature?: unknown; plans?: unknown };
  const said =
    typeof b.type === 'string' &&
    b.type.endsWith(':feature-not-in-plan') &&
    b.feature === gate.feature &&
    JSON.stringify(b.plans) === JSON.stringify(gate.plans);
  return said
    ? undefined
    : `(feature-not-in-plan { feature: ${gate.feature}, plans: [${gate.plans.join(', ')}] })`;
}
