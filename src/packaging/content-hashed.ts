import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/**
 * Write `bytes` as `<dir>/<stem>-<sha256 prefix>.zip` unless that file already exists, and return its path.
 * The hash in the name makes the Terraform asset change exactly when the package's bytes do; writing to a
 * temporary name first means a concurrent apply never reads half a file.
 *
 * @example
 * ```ts
 * const file = writeContentHashed('dist/runtime-package', 'atakora-runtime', zipBytes);
 * // dist/runtime-package/atakora-runtime-3f1c9a0b7d2e4c61.zip
 * ```
 */
export function writeContentHashed(dir: string, stem: string, bytes: Uint8Array): string {
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const file = join(dir, `${stem}-${hash}.zip`);
  if (existsSync(file)) {
    // Mark it as in use, so that pruning (below, by any process) spares it.
    const now = new Date();
    utimesSync(file, now, now);
  } else {
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${String(process.pid)}.partial`;
    writeFileSync(partial, bytes);
    renameSync(partial, file);
  }
  return file;
}

/**
 * Remove the older packages of one stem (earlier builds of the same app), keeping `keep` and anything used in
 * the last `graceMs`: another apply may still be about to copy its file into a synth output.
 *
 * @example
 * ```ts
 * pruneContentHashed(dir, 'atakora-func-shop-dev-x1', file);
 * ```
 */
export function pruneContentHashed(
  dir: string,
  stem: string,
  keep: string,
  graceMs = 3_600_000,
): void {
  const pattern = new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[0-9a-f]{16}\\.zip$`);
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (file === keep || !pattern.test(name)) continue;
    try {
      if (Date.now() - statSync(file).mtimeMs > graceMs) rmSync(file, { force: true });
    } catch {
      // Pruned by a concurrent apply: nothing to do.
    }
  }
}
