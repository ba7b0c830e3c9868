/**
 * Characters a terminal acts on rather than shows: C0 controls (ESC starts every CSI/OSC sequence; BEL, BS, CR
 * rewrite what is on screen), DEL, the C1 controls (U+0080–U+009F: U+009B is a one-character CSI, U+009D an OSC on
 * terminals that honour 8-bit controls), and the Unicode line separators and bidirectional overrides that reorder
 * or split what a reader sees. One definition for what a tenant's display name may not hold (./tenants.ts) and what
 * the CLI escapes before printing text from outside (cli/shared/terminal-text.ts).
 *
 * @example
 * ```ts
 * CONTROL_CHARACTERS.test('Contoso\u001b[2J'); // true
 * CONTROL_CHARACTERS.test('Contoso Ltd.');     // false
 * ```
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
export const CONTROL_CHARACTERS =
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
