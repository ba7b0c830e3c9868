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

/**
 * An error response of the API as an `Error`: the RFC 9457 problem the runtime answered with (`type` is
 * `urn:atakora:problem:<slug>`), or, for an answer without one (a proxy's 502, App Service's bare 401), a
 * problem made from the status (`type` `about:blank`).
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

  constructor(
    status: number,
    problem: { type?: unknown; title?: unknown; detail?: unknown; errors?: unknown } = {},
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
  }
}
