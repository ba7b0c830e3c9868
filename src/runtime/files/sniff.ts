/**
 * A look at a file's first bytes before it is served: the declared type is the client's word, so bytes that
 * contradict it are refused. Two checks, both on the runtime's own copy (never on the staged blob, which the
 * upload URL can still change):
 * - a type with a fixed signature (PNG, JPEG, GIF, WebP, PDF, ZIP) must start with it;
 * - a type a browser never runs as a page must not start like markup a browser would sniff as HTML or XML
 *   (WHATWG MIME Sniffing, "rules for identifying an unknown MIME type": https://mimesniff.spec.whatwg.org/#rules-for-identifying-an-unknown-mime-type),
 *   so a page declared `text/plain` or `image/png` cannot be opened as one by a lax reader.
 */

/** How many leading bytes the checks read. */
export const SNIFF_BYTES = 512;

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

/** The WHATWG sniffer's HTML-starting tags (each followed by a space or `>`), and XML's declaration. */
const MARKUP_START =
  /^<(?:!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|svg|object|embed|meta|link|form|img)(?:[\s>/])|^<!--|^<\?xml/i;

/**
 * Why the leading bytes contradict the declared media type, or undefined when they do not.
 *
 * @example
 * ```ts
 * sniffRefusal('image/png', Buffer.from('<html><script>…')); // 'does not start with the image/png signature'
 * sniffRefusal('text/plain', Buffer.from('hello'));          // undefined
 * ```
 */
export function sniffRefusal(type: string, head: Uint8Array): string | undefined {
  if (head.length === 0) return undefined;
  const signatures = SIGNATURES[type];
  if (signatures && !signatures.some((s) => startsWith(head, s)))
    return `does not start with the ${type} signature`;
  if (MARKUP_TYPES.has(type)) return undefined;
  const text = Buffer.from(head)
    .toString('latin1')
    .replace(/^(?:\xef\xbb\xbf|\xfe\xff|\xff\xfe)/, '')
    .replace(/^[\t\n\f\r ]+/, '');
  return MARKUP_START.test(text)
    ? `starts like an HTML or XML document, which a browser could run as a page`
    : undefined;
}

/**
 * Whether a media type is one a browser runs as a page or script when opened: served as a download
 * (`Content-Disposition: attachment`), never inline, even when the FileStore accepts it.
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

function ascii(text: string): number[] {
  return Array.from(Buffer.from(text, 'latin1'));
}

function startsWith(head: Uint8Array, signature: readonly (number | undefined)[]): boolean {
  return (
    head.length >= signature.length && signature.every((b, i) => b === undefined || head[i] === b)
  );
}
