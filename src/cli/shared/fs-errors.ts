import { mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ErrorCode } from '../../model/error-codes.js';
import { AtakoraError } from '../../model/errors.js';

/** What the CLI was doing with a path: what the path is, for the message, and where it came from. */
export interface FsTarget {
  /** What the path is, as the message names it: `the output folder (--out)`, `atakora dev's working folder`. */
  readonly what: string;
  /** Where on the command line it came from, the error's `path`: `['synth', '--out']`. */
  readonly at: readonly string[];
  /** How to choose another path, for the resolution: `pass another --out`. */
  readonly instead?: string;
  /** A working folder under the system temporary folder, not a path the user named: the fix is TMPDIR. */
  readonly temporary?: boolean;
}

const PERMISSION = new Set(['EACCES', 'EPERM', 'EROFS']);
const NO_SPACE = new Set(['ENOSPC', 'EDQUOT']);
/** Node's errno code for "a path component is not a directory" (not an Atakora code). */
const NOT_A_DIRECTORY = 'ENOTDIR';

/**
 * Whether `e` is an error of a file-system call (Node's `ErrnoException`: an `E…` code and the syscall).
 *
 * @example
 * ```ts
 * try { mkdirSync('a/b'); } catch (e) { if (isFsError(e)) console.log(e.code, e.path); } // ENOENT a/b
 * ```
 */
export function isFsError(
  e: unknown,
): e is NodeJS.ErrnoException & { code: string; syscall: string } {
  const x = e as { code?: unknown; syscall?: unknown } | null;
  return (
    x !== null &&
    typeof x === 'object' &&
    typeof x.code === 'string' &&
    /^E[A-Z]+$/.test(x.code) &&
    typeof x.syscall === 'string'
  );
}

/**
 * The `AtakoraError` for a failed file-system call on `file`: what went wrong in words, the path, and the fix.
 * A folder that cannot exist because a file sits in its place (or in a parent's) is `FS_NOT_A_FOLDER` naming
 * that file; a folder where a file is wanted `FS_IS_A_FOLDER`; a missing path `FS_NOT_FOUND`; no permission or a
 * read-only file system `FS_PERMISSION_DENIED`; a full disk `FS_NO_SPACE`; anything else `FS_FAILED`. For a
 * working folder under the system temporary folder the resolution says how to move it (TMPDIR).
 *
 * @example
 * ```ts
 * fsError(
 *   enotdir,
 *   { what: 'the output folder (--out)', at: ['synth', '--out'], instead: 'pass another --out' },
 *   'notes.txt/out',
 * );
 * // FS_NOT_A_FOLDER: the output folder (--out) notes.txt/out cannot be created: notes.txt is a file, not a folder.
 * ```
 */
export function fsError(
  e: NodeJS.ErrnoException,
  target: FsTarget,
  file: string = e.path ?? '',
): AtakoraError {
  const code = e.code ?? 'EIO';
  const shown = isAbsolute(file) ? file : `${file} (${resolve(file)})`;
  const instead = target.temporary
    ? `point TMPDIR at a folder you can write (the temporary folder is now ${tmpdir()})`
    : (target.instead ?? 'choose another path');
  const make = (c: ErrorCode, message: string, resolution: string) =>
    new AtakoraError(c, message, {
      path: target.at,
      resolution,
      cause: e,
      details: { file: resolve(file), errno: code, syscall: e.syscall ?? '' },
    });
  const what = cap(target.what);
  const call = e.syscall ?? 'access';
  const blocker = fileInTheWay(resolve(file));
  if (code === NOT_A_DIRECTORY || (code === 'EEXIST' && blocker !== undefined)) {
    const where =
      blocker === undefined || blocker === resolve(file)
        ? `${shown} is a file, not a folder.`
        : `${shown} cannot be a folder: ${blocker} is a file.`;
    return make(
      'FS_NOT_A_FOLDER',
      `${what}: ${where}`,
      `Give a folder path that does not pass through a file (missing folders are created), or move ` +
        `${blocker ?? 'the file'} away; or ${instead}.`,
    );
  }
  if (code === 'EISDIR') {
    return make(
      'FS_IS_A_FOLDER',
      `${what}: ${shown} is a folder, not a file.`,
      `Name a file, not a folder; or ${instead}.`,
    );
  }
  if (code === 'ENOENT') {
    return make(
      'FS_NOT_FOUND',
      `${what}: ${shown} does not exist (${call}).`,
      `Check the path: a relative path starts at the working directory ${process.cwd()}; or ${instead}.`,
    );
  }
  if (PERMISSION.has(code)) {
    const reason =
      code === 'EROFS' ? 'is on a read-only file system' : 'may not be written by this user';
    return make(
      'FS_PERMISSION_DENIED',
      `${what}: ${shown} ${reason} (${code} on ${call}).`,
      `Make ${nearestExisting(resolve(file))} writable for this user, or ${instead}.`,
    );
  }
  if (NO_SPACE.has(code)) {
    return make(
      'FS_NO_SPACE',
      `${what}: no space left to write ${shown} (${code}).`,
      `Free some space on that disk, or ${instead}.`,
    );
  }
  return make(
    'FS_FAILED',
    `${what}: ${shown} failed: ${code} on ${call} (${e.message}).`,
    `Fix what the system reported for that path, or ${instead}.`,
  );
}

/**
 * `mkdir -p dir`, returning its absolute path; a failure (or a file in the way) as {@link fsError}.
 *
 * @example
 * ```ts
 * ensureFolder('cdktf.out/a/b', { what: 'the output folder (--out)', at: ['synth', '--out'] }); // '/project/cdktf.out/a/b'
 * ```
 */
export function ensureFolder(dir: string, target: FsTarget): string {
  const full = resolve(dir);
  try {
    mkdirSync(full, { recursive: true });
    // mkdir -p of an existing file succeeds on some platforms' Node versions: check what is there.
    if (!statSync(full).isDirectory()) {
      throw Object.assign(new Error(`${NOT_A_DIRECTORY}: not a directory, mkdir '${full}'`), {
        code: NOT_A_DIRECTORY,
        syscall: 'mkdir',
        path: full,
      });
    }
  } catch (e) {
    if (isFsError(e)) throw fsError(e, target, dir);
    throw e;
  }
  return full;
}

/**
 * Run a file-system step, its failure as {@link fsError} about `file`.
 *
 * @example
 * ```ts
 * const work = withFs({ what: 'the working folder of atakora dev', at: ['dev'] }, tmpdir(), () =>
 *   mkdtempSync(join(tmpdir(), 'atakora-dev-')),
 * );
 * ```
 */
export function withFs<T>(target: FsTarget, file: string, step: () => T): T {
  try {
    return step();
  } catch (e) {
    if (isFsError(e)) throw fsError(e, target, e.path ?? file);
    throw e;
  }
}

/**
 * The target of a file-system error nobody caught on the way (main's last resort): named by what the call did,
 * and a working folder when it is under the system temporary folder.
 *
 * @example
 * ```ts
 * fallbackTarget('synth', 'mkdir', 'cdktf.out/stacks'); // { what: 'a folder atakora synth writes', at: ['synth'], temporary: false }
 * ```
 */
export function fallbackTarget(command: string, syscall: string, path = ''): FsTarget {
  const folder = ['mkdir', 'mkdtemp', 'rmdir', 'scandir', 'opendir'].includes(syscall);
  const reads = ['open', 'read', 'scandir', 'stat', 'lstat', 'access'].includes(syscall);
  return {
    what: `a ${folder ? 'folder' : 'file'} atakora ${command} ${reads ? 'uses' : 'writes'}`,
    at: [command],
    temporary: isWorkingFolder(path),
  };
}

/**
 * Whether a path is one of our working folders under the system temporary folder, not one the user named: a
 * relative path is the user's (`--out cdktf.out`), and so is anything inside the project (the working
 * directory), even when the checkout itself lives under the temporary folder (a clone in /tmp).
 */
function isWorkingFolder(path: string): boolean {
  if (path === '' || !isAbsolute(path)) return false;
  const cwd = process.cwd();
  const temp = resolve(tmpdir());
  if (cwd !== temp && under(path, cwd)) return false;
  return under(path, temp);
}

/** The path itself or the nearest parent that exists and is not a folder: what keeps `path` from being one. */
function fileInTheWay(path: string): string | undefined {
  for (let p = path; ; p = dirname(p)) {
    const kind = kindOf(p);
    if (kind === 'file') return p;
    if (kind === 'folder' || dirname(p) === p) return undefined;
  }
}

function nearestExisting(path: string): string {
  for (let p = path; ; p = dirname(p)) if (kindOf(p) !== undefined || dirname(p) === p) return p;
}

function kindOf(path: string): 'file' | 'folder' | undefined {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'file';
  } catch {
    return undefined;
  }
}

const under = (path: string, folder: string) =>
  path === folder || path.startsWith(folder.endsWith('/') ? folder : `${folder}/`);
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
