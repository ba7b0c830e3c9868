/**
 * The client's configuration error: an `AtakoraError` (`instanceof AtakoraError` holds, by the package's
 * registered brand and the class name, src/model/errors.ts) without the library's table of every code's
 * resolution, which would double the client's size in a browser bundle.
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
  readonly code = 'CLIENT_CONFIG_INVALID' as const;
  readonly details: Readonly<Record<string, unknown>> = {};
  // The resolution of CLIENT_CONFIG_INVALID in src/model/error-codes.ts (test/client/client.test.ts keeps them equal).
  readonly resolution =
    "Pass createClient({ config }) with the site's atakora.config.json (apis: { <componentKey>: <base URL> " +
    '}) or { baseUrls: { <componentKey>: backend.components.<key>.apiEndpoint } }, and a getToken function.';

  constructor(
    message: string,
    readonly path: readonly string[],
  ) {
    super(message);
  }

  /** `code: message (at path)\n  Resolution: …`, as every AtakoraError. */
  format(): string {
    return `${this.code}: ${this.message}${this.path.length ? ` (at ${this.path.join('.')})` : ''}\n  Resolution: ${this.resolution}`;
  }
}

Object.defineProperty(AtakoraError.prototype, Symbol.for('@atakora/component/AtakoraError'), {
  value: true,
});
