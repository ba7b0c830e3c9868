import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deadline } from '../../support/patience.js';

/** What one snippet printed and what went wrong when it ran. */
export interface RunResult {
  readonly output: string;
  readonly errors: readonly string[];
}

/** The runner: snippet modules one after another in one node process (./snippet-runner.mjs). */
const RUNNER = join(import.meta.dirname, 'snippet-runner.mjs');

/**
 * The runner catches a snippet that waits forever itself (its process idle, ./snippet-runner.mjs). What it cannot
 * catch is a snippet that blocks its event loop; this watchdog stops the runner when no snippet has finished
 * while it used STUCK_CPU_S seconds of CPU (read from /proc, a bound on work: a snippet takes ~0.1 s of it), or —
 * where /proc is not there, or as a last resort — STUCK_WALL_MS of wall time, far beyond what a loaded machine
 * needs for one snippet (the slowest, the first import of a subpath's bundle, took seconds at load 7–11).
 */
const STUCK_CPU_S = 120;
export const STUCK_WALL_MS = deadline(10 * 60_000);
const CHECK_MS = 2_000;

/** The CPU seconds (user + system) a process has used so far, or undefined without /proc. */
function cpuSecondsOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat (proc(5)): fields 14 and 15 (utime, stime) in clock ticks of USER_HZ, 100 on Linux,
    // after the parenthesised command name.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * Runs `batch` (built snippet modules) in one runner process with `cwd`, writing its results to `out`, and gives
 * each module's result; a module the runner did not finish is named as the one that hung (the first) or as not
 * run (the rest).
 */
export function runSnippetBatch(
  batch: readonly string[],
  cwd: string,
  out: string,
): Promise<Map<string, RunResult>> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--enable-source-maps', RUNNER, out, ...batch], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let output = '';
    const collect = (d: Buffer) => {
      output += String(d);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const cpuNow = () => (child.pid === undefined ? undefined : cpuSecondsOf(child.pid));
    let progress = { wall: performance.now(), cpu: cpuNow() };
    let stopped: string | undefined;
    (child.stdio[3] as NodeJS.ReadableStream).on('data', () => {
      progress = { wall: performance.now(), cpu: cpuNow() };
    });
    const watchdog = setInterval(() => {
      const cpu = cpuNow();
      const busy = cpu !== undefined && progress.cpu !== undefined ? cpu - progress.cpu : 0;
      const waited = performance.now() - progress.wall;
      if (busy < STUCK_CPU_S && waited < STUCK_WALL_MS) return;
      stopped =
        busy >= STUCK_CPU_S
          ? `used ${STUCK_CPU_S} s of CPU without finishing (a loop that never ends?)`
          : `did not finish in ${String(STUCK_WALL_MS / 60_000)} minutes`;
      child.kill('SIGKILL');
    }, CHECK_MS);
    child.on('close', (code, signal) => {
      clearInterval(watchdog);
      // A line of JSON per finished snippet (./snippet-runner.mjs); none when it stopped before the first.
      const parsed: Record<string, RunResult> = {};
      let lines: string[] = [];
      try {
        lines = readFileSync(out, 'utf8').split('\n');
      } catch {
        // the runner stopped before it started
      }
      for (const line of lines.filter(Boolean)) {
        try {
          const { file, ...result } = JSON.parse(line) as RunResult & { file: string };
          parsed[file] = result;
        } catch {
          // a line cut short where the runner was stopped: that snippet counts as unfinished
        }
      }
      const unfinished = batch.filter((f) => !parsed[f]);
      const why = stopped ?? `the runner exited (${signal ?? code}) before it finished`;
      done(
        new Map(
          batch.map((file) => [
            file,
            parsed[file] ?? {
              output,
              errors: [
                file === unfinished[0]
                  ? `this snippet ${why}; the runner was stopped`
                  : `not run: the runner was stopped at an earlier snippet (${unfinished[0]})`,
              ],
            },
          ]),
        ),
      );
    });
  });
}
