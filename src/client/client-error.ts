import { CLIENT_RESOLUTIONS as RESOLUTIONS } from '../model/codes/client-error-codes.js';

/** The codes the client throws before anything is sent. */
export type ClientErrorCode = keyof typeof RESOLUTIONS;

/**
 * The client's own error, thrown before anything is sent: an `AtakoraError` (`instanceof AtakoraError` holds, by the
 * package's registered brand and the class name, src/model/errors.ts) — `CLIENT_CONFIG_INVALID` for its options,
 * `CLIENT_INPUT_INVALID` for an id, a key or a header value no request can carry.
 *
 * @example
 * ```ts
 * try {
 *   createClient({ getToken });
 * } catch (e) {
 *   if (e instanceof AtakoraError) console.log(e.code);
 * } // CLIENT_CONFIG_INVALID
 * ```
 */
export class AtakoraError extends Error {
  override readonly name = 'AtakoraError';
  readonly details: Readonly<Record<string, unknown>> = {};
  readonly resolution: string;

  constructor(
    message: string,
    readonly path: readonly string[],
    readonly code: ClientErrorCode = 'CLIENT_CONFIG_INVALID',
  ) {
    super(message);
    this.resolution = RESOLUTIONS[code];
  }

  /** `code: message (at path)\n  Resolution: …`, as every AtakoraError. */
  format(): string {
    return `${this.code}: ${this.message}${this.path.length ? ` (at ${this.path.join('.')})` : ''}\n  Resolution: ${this.resolution}`;
  }
}

Object.defineProperty(AtakoraError.prototype, Symbol.for('@atakora/component/AtakoraError'), {
  value: true,
});
