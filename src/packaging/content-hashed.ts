import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
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
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const partial = `${file}.${String(process.pid)}.partial`;
  writeFileSync(partial, bytes);
  renameSync(partial, file);
  return file;
}
