import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { inflateRawSync } from 'node:zlib';

/**
 * Unpack a zip made by {@link zipEntries} (stored or deflated entries) into `dir`, as the platform unpacks a
 * package into wwwroot: what `atakora dev` runs is the package apply deploys.
 *
 * @example
 * ```ts
 * unzipTo(readFileSync(packageFile), mkdtempSync(join(tmpdir(), 'wwwroot-')));
 * ```
 */
export function unzipTo(zip: Buffer, dir: string): string[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let p = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  const root = resolve(dir);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const skip = zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const body = zip.subarray(start, start + size);
    const target = resolve(root, name);
    // A package from codePath is the user's folder, but never let an entry escape the target directory.
    if (!target.startsWith(root + sep)) throw new Error(`zip entry ${name} escapes ${dir}`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, method === 8 ? inflateRawSync(body) : body);
    names.push(name);
    p += 46 + nameLength + skip;
  }
  return names.map((n) => join(dir, n));
}
