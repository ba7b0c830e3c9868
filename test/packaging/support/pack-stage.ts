import {
  copyFileSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  symlinkSync,
} from 'node:fs';
import { join } from 'node:path';

/**
 * The repository as `npm pack` reads it, minus `node_modules` and `.git`, hard-linked into `dest` (copied where a
 * link cannot be made, as across file systems): what pack.test.ts packs.
 *
 * Why: npm's file list (npm-packlist) starts from an Arborist tree of the folder's installed packages, read by loading
 * every package.json under node_modules — ~2 of the ~9 CPU-s a `npm pack` of the repository took, for a tree whose
 * only use is `bundleDependencies` (none: pack.test.ts asserts it). `.git` is never packed. Everything else npm's
 * rules read (package.json's `files`, `.npmignore`/`.gitignore` files, the stray files the test looks for) is in the
 * copy, so the tarball is the one the repository packs (the same file list and the same shasum, checked by hand when
 * this was written).
 *
 * A file another test removes while this runs (a bundle beside an example, a dev state file) is skipped: it was
 * never part of the package.
 *
 * @example
 * ```ts
 * stagePackage(repoRoot, join(workDir, 'stage')); // then `npm pack` with cwd stage
 * ```
 */
export function stagePackage(repoRoot: string, dest: string): void {
  mkdirSync(dest, { recursive: true });
  for (const name of readdirSync(repoRoot)) {
    if (name === 'node_modules' || name === '.git') continue;
    linkTree(join(repoRoot, name), join(dest, name));
  }
}

function linkTree(from: string, to: string): void {
  let stat;
  try {
    stat = lstatSync(from);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (stat.isDirectory()) {
    mkdirSync(to, { recursive: true });
    for (const name of readdirSync(from)) linkTree(join(from, name), join(to, name));
  } else if (stat.isSymbolicLink()) {
    symlinkSync(readlinkSync(from), to);
  } else if (stat.isFile()) {
    try {
      linkSync(from, to);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EXDEV' && code !== 'EPERM') throw e;
      copyFileSync(from, to);
    }
  }
}
