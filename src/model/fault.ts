const FAULT_BRAND = Symbol.for('@atakora/component/AtakoraFault');

/** Where faults are reported (package.json `bugs`). */
export const ISSUES_URL = 'https://github.com/atakora/atakora-backend/issues';

/**
 * A fault of the library itself — a state its own checks should have made impossible (the plan promised a
 * resource apply then cannot find) — as opposed to a mistake in the user's input, which is an
 * {@link AtakoraError} with a code and a resolution (Amplify splits `AmplifyUserError` from its faults the same
 * way). Nothing the user changes in their code fixes it; the message says so and where to report it.
 * Deliberately not an `AtakoraError`: code that handles user errors by code must not swallow a bug.
 *
 * @example
 * ```ts
 * try { backend.apply(stack); }
 * catch (e) { if (e instanceof AtakoraFault) console.error('Atakora bug:', e.message); else throw e; }
 * ```
 */
export class AtakoraFault extends Error {
  override readonly name: string = 'AtakoraFault';
  /** Always `INTERNAL_FAULT`: not one of the user-facing error codes. */
  readonly code = 'INTERNAL_FAULT' as const;
  /** Data about the impossible state, for the report. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    message: string,
    options: {
      readonly details?: Readonly<Record<string, unknown>>;
      readonly cause?: unknown;
    } = {},
  ) {
    super(
      `${message}\nThis is a bug in @atakora/component, not in your code: please report it at ${ISSUES_URL} ` +
        `with this message (ATAKORA_DEBUG=1 prints the stack).`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.details = options.details ?? {};
  }

  /** `instanceof` also holds for a fault thrown by another copy of this package (see `AtakoraError`). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      Function.prototype[Symbol.hasInstance].call(this, value) ||
      (typeof value === 'object' && value !== null && FAULT_BRAND in value)
    );
  }
}

Object.defineProperty(AtakoraFault.prototype, FAULT_BRAND, { value: true });
