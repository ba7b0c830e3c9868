import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** What `atakora dev` writes into the project that is per machine: state, secrets, local data, checkpoints. */
export const LOCAL_FOLDER = '.atakora/';

/** A `.gitignore` line that ignores `.atakora` at any depth or at the root (`.atakora`, `/.atakora/`, `.atakora/*`). */
const COVERS = /^\/?\.atakora(?:\/(?:\*{1,2})?)?$/;

/**
 * The lines `atakora dev` prints once when the project is a git repository whose ignore files (`.gitignore` in the
 * working folder and up to the repository's root, `.git/info/exclude`) do not cover `.atakora/`: it holds the
 * local secrets file, the dev server's state (its admin key) and a `--data-dir` copy of local data — nothing a
 * repository should carry. Empty when covered, or outside a repository.
 *
 * @example
 * ```ts
 * for (const line of gitignoreHint(process.cwd())) io.err(line + '\n');
 * ```
 */
export function gitignoreHint(cwd: string): string[] {
  const root = gitRoot(resolve(cwd));
  if (!root) return [];
  const files = [join(root, '.git', 'info', 'exclude')];
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    files.push(join(dir, '.gitignore'));
    if (dir === root || dirname(dir) === dir) break;
  }
  if (files.some(covers)) return [];
  return [
    `note: ${LOCAL_FOLDER} (local secrets, dev state with its admin key, --data-dir copies of local data) is not in ` +
      `your .gitignore. Add these lines to ${join(root, '.gitignore')}:`,
    '  .atakora/',
    '  cdktf.out/',
    '  atakora.config.json',
    '(and the folders you pass to --data-dir and to atakora tenant export --out: they hold data).',
  ];
}

/** The folder holding `.git` (a directory, or a worktree's file) at or above `dir`. */
function gitRoot(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

function covers(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    return readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .some((line) => COVERS.test(line.trim()));
  } catch {
    return false;
  }
}
