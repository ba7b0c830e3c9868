/**
 * Parts a worker shares between the test files it runs (vitest.config.ts: `isolate: false` keeps one module cache
 * per worker, so a module-level value lives from file to file): started on first need, stopped when the worker
 * ends. Vitest ends a worker with SIGTERM and SIGKILL 500 ms later, and a process killed by a signal runs no
 * 'exit' listeners: so the worker stops them on SIGTERM itself, synchronously (a child process killed, a folder
 * removed), then exits. A part that is a child process must also end when the worker dies without this (SIGKILL):
 * see the orphan guard in ./azurite.ts.
 */
const stops: (() => void)[] = [];
let hooked = false;

function stopAll(): void {
  for (const stop of stops.splice(0).reverse()) {
    try {
      stop();
    } catch {
      // one part's failure to stop must not keep the others running
    }
  }
}

/** Run `stop` (synchronous) when this worker process ends. */
export function onWorkerExit(stop: () => void): void {
  stops.push(stop);
  if (hooked) return;
  hooked = true;
  process.once('exit', stopAll);
  process.once('SIGTERM', () => {
    stopAll();
    process.exit(143);
  });
}
