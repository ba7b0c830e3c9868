import { appendFileSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Where the suite's time goes, recorded by the workers for test/support/profile-reporter.ts when it is on
 * (ATAKORA_TEST_PROFILE names a file; `npm test` turns it on): per test file, its CPU seconds — the worker's own
 * and those of the child processes it waited for (the CLI, tsc, Azurite, a dev session), read from /proc — and
 * each start of a shared part (the local Cosmos DB server, Azurite, a runtime build, …) with its wall time.
 * Also the garbage collector's time during the file (a worker's files share one heap, vitest.config.ts isolate:
 * false: what an earlier file leaves reachable is marked again by every major GC of every later file) and the
 * worker's heapUsed as the file ends. Nothing is recorded without the variable, and nothing here changes what a
 * test does.
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
      /** Seconds of GC pauses ('gc' performance entries) while the file ran. */
      readonly gcS: number;
      /** The worker's heapUsed (bytes) as the file started and as it ended. */
      readonly heapStart: number;
      readonly heapEnd: number;
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
 * The worker's GC seconds so far: one observer per worker (the setup file runs once per test file, and files
 * share the worker's globals), its entries taken synchronously so a file's last collections count for it.
 */
const gcKey = Symbol.for('atakora.test.profile-gc');
type GcClock = { observer: PerformanceObserver; ms: number };
function gcSecondsNow(): number {
  const scope = globalThis as { [gcKey]?: GcClock };
  let clock = scope[gcKey];
  if (!clock) {
    const made: GcClock = {
      observer: new PerformanceObserver((list) => add(list.getEntries())),
      ms: 0,
    };
    const add = (entries: readonly { duration: number }[]) => {
      for (const e of entries) made.ms += e.duration;
    };
    made.observer.observe({ entryTypes: ['gc'] });
    scope[gcKey] = clock = made;
  }
  for (const e of clock.observer.takeRecords()) clock.ms += e.duration;
  return clock.ms / 1000;
}

/**
 * The worker's heapUsed now; with ATAKORA_TEST_PROFILE_LIVE set, after a full GC, so it is what the files so far
 * left reachable (not counted as anyone's GC time: a measuring aid that costs ~0.1–1 CPU-s a file).
 */
function heapNow(): number {
  if (!process.env['ATAKORA_TEST_PROFILE_LIVE']) return process.memoryUsage().heapUsed;
  gcSecondsNow();
  setFlagsFromString('--expose-gc');
  const began = performance.now();
  (runInNewContext('gc') as () => void)();
  // Its 'gc' entry arrives later, asynchronously: taken off the clock now.
  const clock = (globalThis as { [gcKey]?: GcClock })[gcKey];
  if (clock) clock.ms -= performance.now() - began;
  return process.memoryUsage().heapUsed;
}

/**
 * Measures the current test file from now until `end` is called (test/setup.ts: from before the file is
 * imported to its last afterAll).
 */
export function profileFile(): { end(): void } {
  const on = Boolean(process.env[PROFILE]);
  const start = on ? cpuNow() : undefined;
  const gcStart = on ? gcSecondsNow() : 0;
  const heapStart = on ? heapNow() : 0;
  return {
    end() {
      const now = start && cpuNow();
      if (!start || !now) return;
      record({
        kind: 'file',
        file: currentFile(),
        cpuS: now.own - start.own,
        childCpuS: now.children - start.children,
        gcS: gcSecondsNow() - gcStart,
        heapStart,
        heapEnd: heapNow(),
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
