/**
 * File names and first bytes: which characters a name may not hold (and where the first one is), and what the
 * completion's sniff refuses. Property tests over arbitrary names; examples for each signature.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unsafeFileNameCharacter } from '../../src/contract/files.js';
import {
  isActiveContent,
  SNIFF_BYTES,
  servedInline,
  sniffRefusal,
} from '../../src/runtime/files/sniff.js';

const UNSAFE = [
  ...Array.from({ length: 0x20 }, (_, i) => i),
  ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i),
  0x2028,
  0x2029,
  0x202a,
  0x202b,
  0x202c,
  0x202d,
  0x202e,
  0x2066,
  0x2067,
  0x2068,
  0x2069,
].map((c) => String.fromCodePoint(c));
const safeChar = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 1 })
  .filter((c) => ![...c].some((x) => UNSAFE.includes(x)));

describe('unsafeFileNameCharacter', () => {
  it('finds nothing in a name of safe characters', () => {
    fc.assert(
      fc.property(fc.array(safeChar, { maxLength: 40 }), (chars) => {
        expect(unsafeFileNameCharacter(chars.join(''))).toBeUndefined();
      }),
    );
  });

  it('names the first unsafe character and its 1-based position in characters', () => {
    fc.assert(
      fc.property(
        fc.array(safeChar, { maxLength: 20 }),
        fc.constantFrom(...UNSAFE),
        fc.array(fc.oneof(safeChar, fc.constantFrom(...UNSAFE)), { maxLength: 20 }),
        (before, bad, after) => {
          const found = unsafeFileNameCharacter(before.join('') + bad + after.join(''));
          const position = [...before.join('')].length + 1;
          const hex = bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
          expect(found).toEqual({ position, codePoint: `U+${hex}` });
        },
      ),
    );
  });
});

describe('sniffRefusal', () => {
  const bytes = (...b: number[]) => Uint8Array.from(b);
  it('accepts each signature for its type, and refuses other bytes declared as it', () => {
    const ok: [string, Uint8Array][] = [
      ['image/png', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0)],
      ['image/jpeg', bytes(0xff, 0xd8, 0xff, 0xe0)],
      ['image/gif', Buffer.from('GIF89a...')],
      ['image/webp', Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1')],
      ['application/pdf', Buffer.from('%PDF-1.7\n')],
      ['application/zip', bytes(0x50, 0x4b, 0x03, 0x04)],
    ];
    for (const [type, head] of ok) {
      expect(sniffRefusal(type, head), type).toBeUndefined();
      expect(sniffRefusal(type, Buffer.from('plain text')), type).toMatch(/signature/);
    }
  });

  it('refuses markup in a type a browser never runs, after whitespace or a BOM, in any case', () => {
    for (const head of [
      '<!DOCTYPE html><p>x',
      '  \n<HTML>',
      '\ufeff<script>alert(1)</script>',
      '<svg onload=x>',
      '<?xml version="1.0"?>',
      '<!-- c -->',
    ])
      expect(sniffRefusal('text/plain', Buffer.from(head)), head).toMatch(/HTML or XML/);
    expect(sniffRefusal('text/plain', Buffer.from('a < b and <c> text'))).toBeUndefined();
    expect(sniffRefusal('text/html', Buffer.from('<html>'))).toBeUndefined();
    expect(sniffRefusal('image/svg+xml', Buffer.from('<svg/>'))).toBeUndefined();
    expect(sniffRefusal('text/plain', new Uint8Array())).toBeUndefined();
  });

  it('reads as browsers sniff: past any whitespace a browser skips, after BOMs, in UTF-16 too', () => {
    const html = '<html><script>alert(1)</script>';
    const refused: [string, Uint8Array][] = [
      ['600 spaces', Buffer.from(`${' '.repeat(600)}${html}`)],
      ['1,440 mixed whitespace bytes', Buffer.from(`${'\t\n\f\r '.repeat(288)}${html}`)],
      ['a UTF-8 BOM then whitespace', Buffer.from(`\ufeff   \n${html}`)],
      ['two UTF-8 BOMs', Buffer.from(`\ufeff\ufeff${html}`)],
      ['a UTF-16LE BOM', Buffer.concat([bytes(0xff, 0xfe), Buffer.from(`  ${html}`, 'utf16le')])],
      [
        'a UTF-16BE BOM',
        Buffer.from(Buffer.concat([bytes(0xfe, 0xff), Buffer.from(html, 'utf16le').swap16()])),
      ],
      [
        '<svg after a newline',
        Buffer.from('\n<svg xmlns="http://www.w3.org/2000/svg" onload="x"/>'),
      ],
      ['<?xml with a stylesheet', Buffer.from('<?xml-stylesheet href="x.xsl"?><r/>')],
      ['<!DOCTYPE svg', Buffer.from('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN">')],
      ['<a> ended by >', Buffer.from('<a>click</a>')],
      ['<p at the very end', Buffer.from('<p')],
    ];
    for (const type of ['text/plain', 'unknown/unknown', 'application/octet-stream', 'text/csv'])
      for (const [what, head] of refused)
        expect(sniffRefusal(type, head), `${type}: ${what}`).toMatch(/HTML or XML/);
    // What a browser would not make a page of stays accepted.
    for (const ok of ['hello <html>', 'a<b', '<ab>', '# <script> in markdown', ' 3 < 4'])
      expect(sniffRefusal('text/plain', Buffer.from(ok)), ok).toBeUndefined();
    // The checks read enough: the 600 spaces are inside what completion downloads (SNIFF_BYTES).
    expect(SNIFF_BYTES).toBeGreaterThanOrEqual(1445);
  });

  it('serves inline only the short list the checks vouch for; every other type is a download', () => {
    for (const t of [
      'image/png',
      'image/jpeg',
      'image/gif',
      'image/webp',
      'application/pdf',
      'text/plain',
    ])
      expect(servedInline(t), t).toBe(true);
    for (const t of [
      'text/html',
      'image/svg+xml',
      'application/xhtml+xml',
      'text/xml',
      'text/javascript',
      'unknown/unknown',
      'application/unknown',
      'application/octet-stream',
      'text/csv',
      'image/bmp',
      'video/mp4',
      'application/x-made-up',
    ])
      expect(servedInline(t), t).toBe(false);
  });

  it('serves script-capable types as downloads', () => {
    for (const t of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/javascript'])
      expect(isActiveContent(t), t).toBe(true);
    for (const t of ['image/png', 'application/pdf', 'text/plain'])
      expect(isActiveContent(t), t).toBe(false);
  });
});
