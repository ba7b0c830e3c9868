import { appendFileSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

/**
 * Where the suite's time goes, recorded by the workers for test/support/profile-reporter.ts when it is on
 * (ATAKORA_TEST_PROFILE names a file; `npm test` turns it on): per test file, its CPU seconds — the worker's own
 * and those of the child processes it waited for (the CLI, tsc, Azurite, a dev session), read from /proc — and
 * each start of a shared part (the local Cosmos DB server, Azurite, a runtime build, …) with its wall time.
 * Nothing is recorded without the variable, and nothing here changes what a test does.
 */
const PROFILE = 'ATAKORA_TEST_PROFILE';
const root = resolve(import.meta.dirname, '../..');

/** One line of the profile: a test file's cost, or the start of a part it needed. */
export type ProfileLine =
  | {
      readonly kind: 'file';
      readonly file: string;
      readonly cpuS: number;
      readonly childCpuS: number;
    }
  | { readonly kind: 'start'; readonly file: string; readonly part: string; readonly ms: number };

/** The test file the worker is running now (vitest's worker state), relative to the repository. */
function currentFile(): string {
  const state = (globalThis as { __vitest_worker__?: { filepath?: string } }).__vitest_worker__;
  return state?.filepath ? relative(root, state.filepath) : '(outside a test file)';
}

function record(line: ProfileLine): void {
  const out = process.env[PROFILE];
  if (out) appendFileSync(out, `${JSON.stringify(line)}\n`);
}

/** This process's CPU seconds so far and its waited-for children's (proc(5), /proc/self/stat), or undefined. */
function cpuNow(): { own: number; children: number } | undefined {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    // utime, stime, cutime, cstime are fields 14–17, in clock ticks of USER_HZ (100 on Linux).
    return {
      own: (Number(f[11]) + Number(f[12])) / 100,
      children: (Number(f[13]) + Number(f[14])) / 100,
    };
  } catch {
    const u = process.cpuUsage();
    return { own: (u.user + u.system) / 1e6, children: 0 };
  }
}

/**
 * Measures the current test file from now until `end` is called (test/setup.ts: from before the file is
 * imported to its last afterAll).
 */
export function profileFile(): { end(): void } {
  const start = process.env[PROFILE] ? cpuNow() : undefined;
  return {
    end() {
      const now = start && cpuNow();
      if (!start || !now) return;
      record({
        kind: 'file',
        file: currentFile(),
        cpuS: now.own - start.own,
        childCpuS: now.children - start.children,
      });
    },
  };
}

/** `start()`, with its wall time recorded as a start of `part` by the current test file. */
export async function timedStart<T>(part: string, start: () => Promise<T>): Promise<T> {
  if (!process.env[PROFILE]) return start();
  const began = performance.now();
  try {
    return await start();
  } finally {
    record({ kind: 'start', file: currentFile(), part, ms: performance.now() - began });
  }
}
