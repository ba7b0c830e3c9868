/**
 * File names and first bytes: which characters a name may not hold (and where the first one is), and what the
 * completion's sniff refuses. Property tests over arbitrary names; examples for each signature.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unsafeFileNameCharacter } from '../../src/contract/files.js';
import { isActiveContent, sniffRefusal } from '../../src/runtime/files/sniff.js';

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

  it('serves script-capable types as downloads', () => {
    for (const t of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/javascript'])
      expect(isActiveContent(t), t).toBe(true);
    for (const t of ['image/png', 'application/pdf', 'text/plain'])
      expect(isActiveContent(t), t).toBe(false);
  });
});
