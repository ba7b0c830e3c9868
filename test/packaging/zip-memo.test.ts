import { createHash } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { zipEntries } from '../../src/packaging/zip.js';

// src/packaging/zip.ts deflates a large entry once per content in a process: the archive must not tell.

/** `n` bytes that compress but are not all alike, from `seed`. */
function bytes(n: number, seed: string): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i += 32)
    createHash('sha256')
      .update(`${seed}:${Math.floor(i / 512)}`)
      .digest()
      .copy(out, i);
  return out;
}

/**
 * The single entry of an archive of one: its name and inflated (or stored) bytes, read from the local header.
 * Compared with `Buffer#equals` below, not `toEqual`: a deep equality walks a 256 KiB buffer element by element
 * (~1 CPU-s each); `equals` compares the same bytes at once.
 */
function only(zip: Buffer): { name: string; data: Buffer } {
  const method = zip.readUInt16LE(8);
  const size = zip.readUInt32LE(18);
  const nameLength = zip.readUInt16LE(26);
  const body = zip.subarray(30 + nameLength, 30 + nameLength + size);
  return {
    name: zip.subarray(30, 30 + nameLength).toString('utf8'),
    data: method === 8 ? inflateRawSync(body) : Buffer.from(body),
  };
}

describe('zipEntries with a large entry seen before', () => {
  it('gives the same archive, holding the entry itself, and another content its own', () => {
    const a = bytes(256 * 1024, 'a');
    const b = bytes(256 * 1024, 'b');
    const first = zipEntries([{ name: 'side.js', data: a }]);
    const again = zipEntries([{ name: 'side.js', data: Buffer.from(a) }]);
    expect(again.equals(first)).toBe(true);
    expect(only(again).name).toBe('side.js');
    expect(only(again).data.equals(a)).toBe(true);
    const other = zipEntries([{ name: 'side.js', data: b }]);
    expect(other.equals(first)).toBe(false);
    expect(only(other).data.equals(b)).toBe(true);
    // A second name for the same bytes: the entry is the same content under that name.
    const copy = only(zipEntries([{ name: 'copy.js', data: a }]));
    expect(copy.name).toBe('copy.js');
    expect(copy.data.equals(a)).toBe(true);
  });
});
