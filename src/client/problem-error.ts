import type { MembersOf } from '../contract/problem-members.js';
import { isProblemCode, PROBLEM_TITLES, type ProblemCode } from '../contract/problems.js';
import { at } from '../model/at.js';

/**
 * One field-level error of a 400 `validation` problem.
 *
 * @example
 * ```ts
 * const e: ProblemFieldError = { field: 'title', code: 'required', message: 'title is required.' };
 * ```
 */
export interface ProblemFieldError {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

/** The members every problem document has (RFC 9457 §3.1) and `errors`; the rest are extension members. */
const STANDARD_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'errors']);

/**
 * An error response of the API as an `Error`: the RFC 9457 problem the runtime answered with (`type` is
 * `urn:atakora:problem:<slug>`), or, for an answer without one (a proxy's 502, App Service's bare 401), a
 * problem made from the status (`type` `about:blank`). It keeps what a front end acts on: `retryAfter` (seconds,
 * from `Retry-After`) on a 429 or 503, the rate limit's `policy`, and every extension member of the document
 * (`extensions`, typed per code through {@link ProblemError.is}).
 *
 * @example
 * ```ts
 * const note = await client.notes.get('42');
 * await client.notes.update('42', { title: 'Buy oat milk' }); // someone else changes it meanwhile
 * try {
 *   await client.notes.update('42', { done: true }, { ifMatch: note });
 * } catch (e) {
 *   if (e instanceof ProblemError && e.status === 412)
 *     console.log('changed meanwhile: read it again');
 *   else if (e instanceof ProblemError && e.is('rate-limited'))
 *     console.log(`${e.extensions.policy} limit: retry in ${e.retryAfter ?? 1} s`);
 *   else throw e;
 * }
 * ```
 */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  /** Field errors of a 400 `validation` problem, else empty. */
  readonly errors: readonly ProblemFieldError[];
  /** The problem's slug: `type` without `urn:atakora:problem:` (e.g. `precondition-failed`), or `''`. */
  readonly slug: string;
  /**
   * The slug as a code of the runtime's problem table (`'tenant-not-allowed'`, `'access-denied'`, …), typed so a
   * `switch` over it is checked; `undefined` for a type the table does not know (another server's problem).
   */
  readonly code: ProblemCode | undefined;
  /**
   * Seconds to wait before retrying, from the answer's `Retry-After` (delta-seconds, or an HTTP-date counted from
   * now); `undefined` when the answer has none. In a browser the API must expose the header (it does: CORS
   * `Access-Control-Expose-Headers`).
   */
  readonly retryAfter: number | undefined;
  /** Which rate limit refused a `rate-limited` request: the tenant's plan or the caller's own bound. */
  readonly policy: 'tenant' | 'user' | undefined;
  /** The document's extension members (every member but type, title, status, detail, instance and errors). */
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(
    status: number,
    problem: { type?: unknown; title?: unknown; detail?: unknown; errors?: unknown } = {},
    headers?: { get(name: string): string | null },
  ) {
    const title =
      typeof problem.title === 'string'
        ? problem.title
        : (PROBLEM_TITLES[status] ?? `HTTP ${String(status)}`);
    const detail = typeof problem.detail === 'string' ? problem.detail : title;
    super(`${String(status)} ${detail}`);
    this.status = status;
    this.type = typeof problem.type === 'string' ? problem.type : 'about:blank';
    this.title = title;
    this.detail = detail;
    this.errors = Array.isArray(problem.errors) ? (problem.errors as ProblemFieldError[]) : [];
    const m = /^urn:atakora:problem:(.+)$/.exec(this.type);
    this.slug = m ? at(m, 1) : '';
    this.code = isProblemCode(this.slug) ? this.slug : undefined;
    this.retryAfter = retryAfterSeconds(headers?.get('retry-after') ?? null);
    const members: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(problem)) if (!STANDARD_MEMBERS.has(k)) members[k] = v;
    this.extensions = Object.freeze(members);
    const policy = members['policy'];
    this.policy = policy === 'tenant' || policy === 'user' ? policy : undefined;
  }

  /**
   * Whether this is the problem `code`, narrowing `extensions` to the members that code carries.
   *
   * @example
   * ```ts
   * const e = new ProblemError(429, { type: 'urn:atakora:problem:too-many-connections', scope: 'user', limit: 5 });
   * if (e.is('too-many-connections')) console.log(`${e.extensions.scope} holds ${e.extensions.limit} connections`);
   * ```
   */
  is<C extends ProblemCode>(
    code: C,
  ): this is ProblemError & {
    readonly code: C;
    readonly extensions: MembersOf<C> & Readonly<Record<string, unknown>>;
  } {
    return this.code === code;
  }
}

/**
 * `Retry-After` (RFC 9110 §10.2.3) in seconds: delta-seconds as they are, an HTTP-date as the seconds from now
 * (0 when past); `undefined` for no header or one that is neither.
 */
function retryAfterSeconds(value: string | null): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const when = Date.parse(text);
  return Number.isNaN(when) ? undefined : Math.max(0, Math.ceil((when - Date.now()) / 1000));
}
