import { ErrorCodes, type ErrorCode } from './error-codes.js';
import type { LimitViolation, PlanIssue } from './plan.js';

/** Options of an {@link AtakoraError}. */
export interface AtakoraErrorOptions {
  /** Where in the input, e.g. `['components', 'userApi', 'config', 'entityName']`. */
  readonly path?: readonly (string | number)[];
  readonly details?: Readonly<Record<string, unknown>>;
  /** Overrides the code's default resolution. */
  readonly resolution?: string;
  readonly cause?: unknown;
}

const ERROR_BRAND = Symbol.for('@atakora/component/AtakoraError');

/**
 * The one error class of Atakora: a `code` from {@link ErrorCodes}, the offending `path`, and a `resolution`.
 *
 * @example
 * ```ts
 * try { CrudApi.define('UserApi', { schema: { id: 'string' } } as never); }
 * catch (e) { if (e instanceof AtakoraError) console.log(e.code, e.path, e.resolution); }
 * ```
 */
export class AtakoraError extends Error {
  override readonly name: string = 'AtakoraError';
  readonly code: ErrorCode;
  readonly path: readonly (string | number)[];
  readonly details: Readonly<Record<string, unknown>>;
  readonly resolution: string;

  constructor(code: ErrorCode, message: string, options: AtakoraErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path ?? [];
    this.details = options.details ?? {};
    this.resolution = options.resolution ?? ErrorCodes[code];
  }

  /**
   * `instanceof` also holds for an error thrown by another copy of this package: an entry loaded through tsx,
   * or a second install, has its own classes. Errors carry a registered symbol; the class is matched by name.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (typeof value !== 'object' || value === null || !(ERROR_BRAND in value)) return false;
    for (let p: unknown = Object.getPrototypeOf(value); p; p = Object.getPrototypeOf(p)) {
      if ((p as { constructor?: { name?: string } }).constructor?.name === this.name) return true;
    }
    return false;
  }

  /** `code: message (at path)\n  Resolution: …` — what the CLI prints. */
  format(): string {
    const at = this.path.length ? ` (at ${this.path.join('.')})` : '';
    return `${this.code}: ${this.message}${at}\n  Resolution: ${this.resolution}`;
  }
}

Object.defineProperty(AtakoraError.prototype, ERROR_BRAND, { value: true });

/**
 * Thrown by `apply` when the plan exceeds a limit. The message has the seeds' shape:
 * what was exceeded, `Limit:`, `Requested:` and numbered solutions; `violations` holds the same as data.
 *
 * @example
 * ```ts
 * const backend = defineBackend(
 *   { userApi: users, orderApi: orders },
 *   { limits: { maxCosmosAccounts: 1 } },
 * );
 * try {
 *   backend.apply(stack);
 * } catch (e) {
 *   if (e instanceof ResourceLimitError)
 *     for (const v of e.violations) console.error(v.limit, v.requested, v.allowed);
 * }
 * ```
 */
export class ResourceLimitError extends AtakoraError {
  override readonly name = 'ResourceLimitError';
  readonly violations: readonly LimitViolation[];

  constructor(violations: readonly LimitViolation[]) {
    super('LIMIT_EXCEEDED', violations.map(formatViolation).join('\n\n'), {
      details: { violations },
    });
    this.violations = violations;
  }
}

/**
 * Thrown by `apply` (and strict entry points) when the plan holds errors, before anything is added to the
 * stack. `issues` holds the error issues only; `path` is the first one's.
 *
 * @example
 * ```ts
 * try {
 *   backend.apply(stack);
 * } catch (e) {
 *   if (e instanceof PlanError)
 *     for (const i of e.issues) console.error(i.code, i.path?.join('.'), i.message);
 * }
 * ```
 */
export class PlanError extends AtakoraError {
  override readonly name = 'PlanError';
  readonly issues: readonly PlanIssue[];

  constructor(issues: readonly PlanIssue[]) {
    const errors = issues.filter((i) => i.severity === 'error');
    const first = errors[0];
    super(
      'PLAN_HAS_ERRORS',
      `The plan has ${errors.length} error(s):\n` +
        errors.map((i) => `  - ${i.code}: ${i.message}`).join('\n'),
      { path: first?.path ?? [], details: { issues: errors } },
    );
    this.issues = errors;
  }
}

function formatViolation(v: LimitViolation): string {
  const solutions = v.solutions.map((s, i) => `    ${i + 1}. ${s}`).join('\n');
  return `${v.message}\n  Limit: ${v.allowed}\n  Requested: ${v.requested}\n  Solution: Either:\n${solutions}`;
}

/** Raise an AtakoraError from a plan issue (first error wins). */
export function errorFromIssue(issue: PlanIssue): AtakoraError {
  const code = (issue.code in ErrorCodes ? issue.code : 'PLAN_HAS_ERRORS') as ErrorCode;
  return new AtakoraError(code, issue.message, {
    path: issue.path ?? [],
    ...(issue.resolution ? { resolution: issue.resolution } : {}),
  });
}
