import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The built CLI's bin, as a user's `npx atakora` runs it. */
export const ATAKORA_BIN = join(resolve(import.meta.dirname, '../..'), 'dist/cli/bin.js');

/**
 * `atakora dev <args>` as a process of the bin in `cwd`: the child at once (so a hook can stop it whatever
 * happens), and `ready`, resolved once its banner says `Ready.` and rejected with what it printed if it exits first.
 * The caller stops it (SIGTERM, or SIGKILL to test an unclean end).
 *
 * @example
 * ```ts
 * const { child, ready } = startDevBin(['backend.ts', '--port', '0'], { cwd: project.dir });
 * await ready;
 * child.kill('SIGTERM');
 * ```
 */
export function startDevBin(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, [ATAKORA_BIN, 'dev', ...args], {
    cwd: options.cwd,
    ...(options.env ? { env: options.env } : {}),
  });
  let out = '';
  const ready = new Promise<void>((ready, fail) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      if (out.includes('Ready.')) ready();
    });
    child.stderr!.on('data', (d: Buffer) => (out += String(d)));
    child.once('exit', (code) => {
      fail(new Error(`atakora dev exited ${String(code)} before it was ready: ${out}`));
    });
  });
  return { child, ready };
}
