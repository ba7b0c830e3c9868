import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { at } from '../model/at.js';

/** One file of a zip: its path inside the archive (forward slashes) and its bytes. */
export interface ZipEntry {
  readonly name: string;
  readonly data: Uint8Array;
}

// 1980-01-01 00:00:00, the earliest MS-DOS time: a fixed stamp, so the same files give the same bytes.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
// "Version made by" 3.20 on Unix, so the external attributes below are read as mode bits (0644 files).
const MADE_BY = (3 << 8) | 20;
const FILE_MODE = (0o100644 << 16) >>> 0;

/**
 * A zip archive whose bytes depend only on the entries' names and contents: entries sorted by name, fixed
 * timestamps and modes, maximum deflate (APPNOTE 6.3.x local headers + central directory, no ZIP64: a
 * Function App package stays far below 4 GiB). Deterministic bytes mean no spurious redeploys. `store`: every entry
 * stored, not deflated (a package unpacked at once on this machine, never uploaded: atakora dev's).
 *
 * @example
 * ```ts
 * const bytes = zipEntries([{ name: 'host.json', data: Buffer.from('{"version":"2.0"}') }]);
 * ```
 */
export function zipEntries(
  entries: readonly ZipEntry[],
  options: { readonly store?: boolean } = {},
): Buffer {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [i, e] of sorted.entries()) {
    if (i > 0 && at(sorted, i - 1).name === e.name)
      throw new Error(`zip: duplicate entry ${e.name}`);
    const name = Buffer.from(e.name, 'utf8');
    const deflated = options.store === true ? undefined : deflateOf(e.data);
    // Store when deflate does not help (already compressed data), as zip tools do.
    const stored = deflated === undefined || deflated.length >= e.data.length;
    const body = stored ? Buffer.from(e.data) : deflated;
    const crc = crc32(e.data);
    // The fields the local header (at 4) and the central directory's entry (at 6) both hold, in the same order.
    const common = (header: Buffer, at: number): Buffer => {
      header.writeUInt16LE(20, at); // version needed: 2.0 (deflate)
      header.writeUInt16LE(0x0800, at + 2); // UTF-8 names
      header.writeUInt16LE(stored ? 0 : 8, at + 4);
      header.writeUInt16LE(DOS_TIME, at + 6);
      header.writeUInt16LE(DOS_DATE, at + 8);
      header.writeUInt32LE(crc, at + 10);
      header.writeUInt32LE(body.length, at + 14);
      header.writeUInt32LE(e.data.length, at + 18);
      header.writeUInt16LE(name.length, at + 22);
      return header;
    };
    const local = common(Buffer.alloc(30), 4);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(0, 28);
    const central = common(Buffer.alloc(46), 6);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY, 4);
    central.writeUInt32LE(FILE_MODE, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * Deflated bodies of large entries by their content's SHA-256, most recent last, at most DEFLATED_MAX bytes of
 * them. A Function App package's big entries (the bundled runtime and handlers with their source map, the runtime's
 * side files: ~13 MB) are the same bytes again and again — each `atakora dev` start and reload, each app sharing the
 * runtime, each session after the last one removed its package — and deflating them at level 9 was ~0.8 CPU-s a
 * time, where hashing them is a few ms. The same input deflates to the same bytes, so a hit gives exactly what a
 * fresh deflate would: the zip's bytes do not depend on the memo.
 */
const deflatedByDigest = new Map<string, Buffer>();
let deflatedBytes = 0;
const DEFLATED_MIN = 64 * 1024;
const DEFLATED_MAX = 64 * 1024 * 1024;

function deflateOf(data: Uint8Array): Buffer {
  if (data.length < DEFLATED_MIN) return deflateRawSync(data, { level: 9 });
  const digest = createHash('sha256').update(data).digest('base64');
  const known = deflatedByDigest.get(digest);
  if (known) {
    deflatedByDigest.delete(digest);
    deflatedByDigest.set(digest, known);
    return known;
  }
  const deflated = deflateRawSync(data, { level: 9 });
  deflatedByDigest.set(digest, deflated);
  deflatedBytes += deflated.length;
  for (const [oldest, bytes] of deflatedByDigest) {
    if (deflatedBytes <= DEFLATED_MAX) break;
    deflatedByDigest.delete(oldest);
    deflatedBytes -= bytes.length;
  }
  return deflated;
}

/**
 * Every file under `dir` as zip entries (paths relative to `dir`, forward slashes), in sorted order.
 *
 * @example
 * ```ts
 * const bytes = zipEntries(directoryEntries('dist/runtime-app'));
 * ```
 */
export function directoryEntries(dir: string): ZipEntry[] {
  const out: ZipEntry[] = [];
  const walk = (d: string): void => {
    for (const item of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, item.name);
      if (item.isDirectory()) walk(full);
      else if (item.isFile())
        out.push({ name: relative(dir, full).split(sep).join('/'), data: readFileSync(full) });
    }
  };
  walk(dir);
  return out;
}
