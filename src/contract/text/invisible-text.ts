// Characters a reader cannot see but a renderer obeys: the Unicode bidirectional controls (a right-to-left override
// makes `moc.evil` read `live.com`; Unicode TR#9 §2 and UTS #39 "Trojan Source" class), the zero-width and other
// format characters that join or split what looks like one word, and the C0/C1 control characters (ESC, BEL, NUL …)
// a terminal or a mail header acts on. Whoever writes a value a person will read in an e-mail or a log must never
// have them reach it: the invitation routes refuse them in an address (400) and strip them from every e-mailed value.

/**
 * The bidirectional formatting characters (ALM, LRM, RLM, LRE…RLO, LRI…PDI) and the invisible format characters
 * (soft hyphen, Mongolian vowel separator, zero-width space/non-joiner/joiner, word joiner, the invisible math
 * operators, the byte order mark).
 */
const BIDI_OR_ZERO_WIDTH =
  /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** C0 controls, DEL, C1 controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Whether `value` holds a control, bidirectional or zero-width character (what an e-mail address never holds).
 *
 * @example
 * ```ts
 * hasInvisibleCharacters('bob@example.com'); // false
 * hasInvisibleCharacters('bob\u202e@example.com'); // true
 * hasInvisibleCharacters('bob\u001b@example.com'); // true
 * ```
 */
export function hasInvisibleCharacters(value: string): boolean {
  BIDI_OR_ZERO_WIDTH.lastIndex = 0;
  return CONTROL.test(value) || BIDI_OR_ZERO_WIDTH.test(value);
}

/**
 * `value` without its bidirectional and zero-width characters (a name still reads as its author wrote it, only in
 * the order it is stored).
 *
 * @example
 * ```ts
 * withoutBidiOrZeroWidth('Acme\u202e moc.live'); // 'Acme moc.live'
 * ```
 */
export function withoutBidiOrZeroWidth(value: string): string {
  return value.replace(BIDI_OR_ZERO_WIDTH, '');
}
