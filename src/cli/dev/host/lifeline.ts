/**
 * The lifeline of `atakora dev`'s child processes (the workers, Azurite): each is started with its stdin a pipe
 * that only the dev command holds and never writes to. However that process ends — Ctrl-C, `kill -9`, a crash, a
 * test runner tearing its worker down without `stop()` — the system closes its end, the child reads end-of-file
 * and exits with it, instead of keeping its port (the next `atakora dev` would find it taken) and polling queues
 * and change feeds for no one. A signal the dev command handles still stops them in order (SIGTERM, stopWorker).
 */

/** The stdio a dev child starts with: stdin its lifeline, stdout and stderr read by the dev command. */
export const LIFELINE_STDIO: ['pipe', 'pipe', 'pipe'] = ['pipe', 'pipe', 'pipe'];

/**
 * Set (`1`) in a worker whose output no one reads (DevOptions.quietWorkers: `atakora verify`'s proof stacks): its
 * invocation contexts log nothing (host.ts, worker-functions.ts).
 */
export const DEV_QUIET_ENV = 'ATAKORA_DEV_QUIET';

/**
 * In a dev child: exit once the dev command's end of stdin is closed.
 *
 * @example
 * ```ts
 * exitWithDevCommand(); // first thing in host.ts
 * ```
 */
export function exitWithDevCommand(): void {
  process.stdin.once('end', () => process.exit(0));
  // Unreferenced: the pipe ends the child when it closes, but never keeps it alive (Azurite leaves on SIGTERM by
  // letting its event loop empty, so a referenced stdin would keep it running).
  (process.stdin as NodeJS.ReadStream & { unref?: () => void }).resume().unref?.();
}

/**
 * {@link exitWithDevCommand} as a `node --require` preload, for a child whose main is not ours (Azurite).
 *
 * @example
 * ```ts
 * writeFileSync(join(dir, 'lifeline.cjs'), LIFELINE_PRELOAD);
 * ```
 */
export const LIFELINE_PRELOAD = `'use strict';
process.stdin.once('end', () => process.exit(0));
const stdin = process.stdin.resume();
if (typeof stdin.unref === 'function') stdin.unref();
`;
