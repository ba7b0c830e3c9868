import { CONTROL_CHARACTERS } from '../../contract/control-characters.js';

/** Every character a terminal acts on rather than shows (the contract's list, contract/control-characters.ts). */
const CONTROL = new RegExp(CONTROL_CHARACTERS.source, 'g');

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

/**
 * Lines the CLI prints, each made safe with {@link printable} and the line breaks between them kept: what a command
 * writes on stdout or stderr when any part of it came from outside (a tenant's name, an item id from an archive).
 *
 * @example
 * ```ts
 * printableLines('Tenant a\u001b]0;x\u0007\nnext\n'); // 'Tenant a\\x1b]0;x\\x07\nnext\n'
 * ```
 */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}
