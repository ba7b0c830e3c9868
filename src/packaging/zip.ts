import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { createHash } from 'node:crypto';
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
 * Function App package stays far below 4 GiB). Deterministic bytes mean no spurious redeploys.
 *
 * @example
 * ```ts
 * const bytes = zipEntries([{ name: 'host.json', data: Buffer.from('{"version":"2.0"}') }]);
 * ```
 */
export function zipEntries(entries: readonly ZipEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [i, e] of sorted.entries()) {
    if (i > 0 && at(sorted, i - 1).name === e.name)
      throw new Error(`zip: duplicate entry ${e.name}`);
    const name = Buffer.from(e.name, 'utf8');
    const { body, stored, crc } = compressed(e.data);
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

/** An entry's bytes as the archive holds them: deflated, or stored when deflate does not help. */
interface Compressed {
  readonly body: Buffer;
  readonly stored: boolean;
  readonly crc: number;
}

// Every Node app's package carries the same prebuilt side files (the trace exporter, the billing, e-mail and OpenAI
// clients: ~2 MB), and a process that packages several apps or stacks deflated them again for each (~55 ms of
// level 9 a package; hashing them is ~2 ms). So large entries are deflated once per content in a process. A cache
// of bytes derived from bytes (same input, same output), safe to lose; bounded, the oldest dropped first.
const MEMO_MIN_BYTES = 64 * 1024;
const MEMO_MAX_BYTES = 64 * 1024 * 1024;
const memo = new Map<string, Compressed>();
let memoBytes = 0;

function compressed(data: Uint8Array): Compressed {
  if (data.length < MEMO_MIN_BYTES) return deflated(data);
  const key = createHash('sha256').update(data).digest('hex');
  const known = memo.get(key);
  if (known) return known;
  const made = deflated(data);
  memo.set(key, made);
  memoBytes += made.body.length;
  for (const [k, v] of memo) {
    if (memoBytes <= MEMO_MAX_BYTES) break;
    memo.delete(k);
    memoBytes -= v.body.length;
  }
  return made;
}

function deflated(data: Uint8Array): Compressed {
  const d = deflateRawSync(data, { level: 9 });
  // Store when deflate does not help (already compressed data), as zip tools do.
  const stored = d.length >= data.length;
  return { body: stored ? Buffer.from(data) : d, stored, crc: crc32(data) };
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
