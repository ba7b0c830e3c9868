/**
 * The client's own resolutions by code: the text of src/model/error-codes.ts (test/client/client.test.ts keeps them
 * equal), without that whole table, which would double the client's size in a browser bundle.
 */
const RESOLUTIONS = {
  CLIENT_CONFIG_INVALID:
    "Pass createClient({ config }) with the site's atakora.config.json (apis: { <componentKey>: <base URL> " +
    '}) or { baseUrls: { <componentKey>: backend.components.<key>.apiEndpoint } }, and a getToken function.',
  CLIENT_INPUT_INVALID:
    'Pass ids and keys as whole strings (a lone UTF-16 surrogate, half of a character cut in two, fits in no ' +
    "URL: String.prototype.toWellFormed() repairs one) and ETags as the API gave them (an item's etag).",
} as const;

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
