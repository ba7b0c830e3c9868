import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/**
 * A fresh temp folder for an entry that imports the package's sources by absolute path, with the repository's
 * `node_modules` linked in. The CLI bundles a `.ts` entry and imports the bundle natively (as in a user's
 * project), so the packages the sources import (zod, cdktf, …) must resolve from the entry's own folder.
 *
 * @example
 * ```ts
 * const dir = sourceEntryDir('atakora-verify-cli-');
 * writeFileSync(join(dir, 'notes.ts'), `import { defineBackend } from '${SRC}/backend/define-backend.js'; …`);
 * ```
 */
export function sourceEntryDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}
