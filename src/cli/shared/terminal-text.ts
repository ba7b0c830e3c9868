/**
 * Characters a terminal acts on rather than shows: C0 controls (ESC starts every CSI/OSC sequence; BEL, BS, CR
 * rewrite what is on screen), DEL, the C1 controls (U+0080–U+009F: U+009B is a one-character CSI, U+009D an OSC on
 * terminals that honour 8-bit controls), and the Unicode line separators and bidirectional overrides that reorder
 * or split what a reader sees.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from outside the CLI (a Log Analytics workspace's rows, an error an Azure service sent) made safe to print:
 * each control character becomes a visible escape (`\x1b`, `\x9b`, `\u202e`), so a value cannot move the cursor,
 * clear the screen, retitle the window, write a hyperlink or hide the text around it. The CLI's own formatting
 * (its colours) is added after, and is left as it is.
 *
 * @example
 * ```ts
 * printable('a\u001b[2Jb'); // 'a\\x1b[2Jb'
 * ```
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
