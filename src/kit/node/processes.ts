/**
 * Whether a process of this id runs: signal 0 only checks; EPERM means it exists but belongs to another user.
 *
 * @example
 * ```ts
 * if (!processAlive(state.pid)) rmSync(stateFile);
 * ```
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
