/**
 * A look at a file's first bytes before it is served: the declared type is the client's word, so bytes that
 * contradict it are refused. Two checks, both on the runtime's own copy (never on the staged blob, which the
 * upload URL can still change):
 * - a type with a fixed signature (PNG, JPEG, GIF, WebP, PDF, ZIP) must start with it;
 * - a type a browser never runs as a page must not start like markup a browser would sniff as HTML or XML, read
 *   as browsers read it (WHATWG MIME Sniffing, "rules for identifying an unknown MIME type":
 *   https://mimesniff.spec.whatwg.org/#rules-for-identifying-an-unknown-mime-type — the "resource header" of up to
 *   1,445 bytes, leading whitespace bytes skipped before each pattern, the HTML patterns case-insensitive and
 *   ended by a space or `>`), and after a byte order mark as a decoder reads it: UTF-8, or UTF-16 in either order
 *   (https://encoding.spec.whatwg.org/#bom-sniff).
 *
 * What is served inline is a short list the checks vouch for ({@link servedInline}); everything else is a download.
 * Blob Storage cannot send `X-Content-Type-Options: nosniff` (a SAS fixes only Cache-Control, Content-Disposition,
 * -Encoding, -Language and -Type), so an inline type must be one no browser sniffs into a page.
 */

/**
 * How many leading bytes the checks read: more than any browser sniffs (the WHATWG resource header is 1,445
 * bytes), so whitespace padding cannot push markup past what is read while a browser still finds it.
 */
export const SNIFF_BYTES = 4096;

const SIGNATURES: Readonly<Record<string, readonly (readonly (number | undefined)[])[]>> = {
  'image/png': [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  'image/jpeg': [[0xff, 0xd8, 0xff]],
  'image/gif': [ascii('GIF87a'), ascii('GIF89a')],
  // RIFF, four bytes of length, WEBP.
  'image/webp': [[...ascii('RIFF'), undefined, undefined, undefined, undefined, ...ascii('WEBP')]],
  'application/pdf': [ascii('%PDF-')],
  'application/zip': [[0x50, 0x4b, 0x03, 0x04]],
};

/** Types that are markup by nature: declaring one is an explicit choice the FileStore's contentTypes allowed. */
const MARKUP_TYPES = new Set([
  'text/html',
  'application/xhtml+xml',
  'image/svg+xml',
  'text/xml',
  'application/xml',
]);

/**
 * The types served inline (`Content-Disposition: inline`): each is checked at completion — the four image
 * signatures and PDF's, and plain text that does not start like markup — and none is one a browser sniffs into a
 * page (an image is only ever sniffed as another image; `text/plain` only as text or binary: WHATWG MIME Sniffing,
 * "sniffing a mislabeled binary resource", "sniffing in an image context").
 */
const INLINE_SAFE = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
]);

/**
 * The WHATWG sniffer's HTML-starting tags (each ended by a space or `>`; also `/` or another whitespace here, so
 * more is refused than a browser would run) and `<!--`, XML's declaration, and what starts SVG or any doctype.
 */
const MARKUP_START =
  /^<(?:!doctype|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|svg|object|embed|meta|link|form|img|math)(?:[\s>/]|$)|^<!--|^<\?xml/i;

/** What the WHATWG pattern matcher skips before a pattern (0x09, 0x0A, 0x0C, 0x0D, 0x20), and U+FEFF. */
const LEADING = /^[\t\n\f\r \ufeff]+/;

/**
 * Why the leading bytes contradict the declared media type, or undefined when they do not.
 *
 * @example
 * ```ts
 * sniffRefusal('image/png', Buffer.from('<html><script>…')); // 'does not start with the image/png signature'
 * sniffRefusal('text/plain', Buffer.from(' '.repeat(600) + '<html>')); // 'starts like an HTML or XML document, …'
 * sniffRefusal('text/plain', Buffer.from('hello'));          // undefined
 * ```
 */
export function sniffRefusal(type: string, head: Uint8Array): string | undefined {
  if (head.length === 0) return undefined;
  const signatures = SIGNATURES[type];
  if (signatures && !signatures.some((s) => startsWith(head, s)))
    return `does not start with the ${type} signature`;
  if (MARKUP_TYPES.has(type)) return undefined;
  return readings(head).some((text) => MARKUP_START.test(text.replace(LEADING, '')))
    ? 'starts like an HTML or XML document, which a browser could run as a page'
    : undefined;
}

/**
 * Whether a stored file is served inline: only the short list of types whose bytes the completion checks vouch
 * for; any other type — markup, script, an unknown or made-up type a browser would sniff — is a download
 * (`attachment`), whatever the FileStore's `contentTypes` allow.
 *
 * @example
 * ```ts
 * servedInline('image/png');       // true
 * servedInline('unknown/unknown'); // false
 * servedInline('image/svg+xml');   // false
 * ```
 */
export function servedInline(type: string): boolean {
  return INLINE_SAFE.has(type);
}

/**
 * Whether a media type is one a browser runs as a page or script when opened (never inline: {@link servedInline}
 * is the rule the download URL follows; this names the worst of what it keeps out).
 *
 * @example
 * ```ts
 * isActiveContent('image/svg+xml'); // true
 * isActiveContent('image/png');     // false
 * ```
 */
export function isActiveContent(type: string): boolean {
  return (
    MARKUP_TYPES.has(type) ||
    type === 'text/javascript' ||
    type === 'application/javascript' ||
    type.endsWith('+xml')
  );
}

/**
 * The ways a browser could read the head as text: byte by byte (what the sniffer's patterns match), and after a
 * byte order mark as the decoder it selects reads it (UTF-16 code units, so `FF FE 3C 00 68 00 …` is `<h…`).
 */
function readings(head: Uint8Array): string[] {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  const out = [bytes.toString('latin1').replace(/^(?:\xef\xbb\xbf)+/, '')];
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) out.push(bytes.toString('utf8'));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) out.push(utf16(bytes.subarray(2), 'le'));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) out.push(utf16(bytes.subarray(2), 'be'));
  return out;
}

function utf16(bytes: Buffer, order: 'le' | 'be'): string {
  const even = bytes.subarray(0, bytes.length - (bytes.length % 2));
  if (order === 'le') return even.toString('utf16le');
  const swapped = Buffer.from(even);
  swapped.swap16();
  return swapped.toString('utf16le');
}

function ascii(text: string): number[] {
  return Array.from(Buffer.from(text, 'latin1'));
}

function startsWith(head: Uint8Array, signature: readonly (number | undefined)[]): boolean {
  return (
    head.length >= signature.length && signature.every((b, i) => b === undefined || head[i] === b)
  );
}
