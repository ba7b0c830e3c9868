// The docs' snippet runner (test/docs/snippets.test.ts): runs snippet modules one after the other in a fresh
// directory each (its cwd), capturing their output, and writes { file: { output, errors } } as JSON after each.
// Usage: node snippet-runner.mjs <results.json> <module.js>…; each finished snippet is also announced on fd 3
// (a line with its file), which is how the test's watchdog sees progress.
//
// A snippet that never finishes is caught by the work its process does, not by the clock: it has hung when it has
// not settled and the process did almost no work (under IDLE_SHARE of one core) for IDLE_LIMIT_MS in a row — it
// waits on something that does not come (a server, a browser sign-in, a timer). A loaded machine slows a snippet
// down but does not make it idle: its process keeps getting CPU time, so a busy machine cannot fail a healthy
// snippet (a 10 s wall-clock limit failed two trivial snippets at load 7–11). A snippet that blocks the
// event loop (a CPU-bound loop) cannot be seen from in here; the test's watchdog stops the runner then.
import { appendFileSync, mkdirSync, writeFileSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const SAMPLE_MS = 250;
const IDLE_SHARE = 0.02;
const IDLE_LIMIT_MS = 15_000;

const [out, ...files] = process.argv.slice(2);
writeFileSync(out, '');
let current = { output: '', errors: [] };
const show = (e) =>
  e instanceof Error
    ? e.name === 'SnippetFailure'
      ? e.message
      : (e.code ? `${e.name} ${e.code}: ` : '') + e.stack
    : String(e);
for (const stream of [process.stdout, process.stderr])
  stream.write = (chunk) => {
    current.output += String(chunk);
    return true;
  };
process.on('unhandledRejection', (e) => current.errors.push(`unhandled rejection: ${show(e)}`));
process.on('uncaughtException', (e) => current.errors.push(`uncaught exception: ${show(e)}`));

/**
 * Resolves with 'idle' once the process has done almost no work for IDLE_LIMIT_MS in a row. A sample that comes
 * much later than asked means the event loop was blocked — by work (a synchronous import, a CPU-bound step) —
 * so it counts as busy, never as idle.
 */
function idle() {
  let timer;
  const promise = new Promise((resolve) => {
    let last = performance.now();
    let cpu = process.cpuUsage();
    let idleMs = 0;
    timer = setInterval(() => {
      const now = performance.now();
      const used = process.cpuUsage(cpu);
      const elapsed = now - last;
      const workedMs = (used.user + used.system) / 1000;
      last = now;
      cpu = process.cpuUsage();
      idleMs = elapsed < SAMPLE_MS * 4 && workedMs < elapsed * IDLE_SHARE ? idleMs + elapsed : 0;
      if (idleMs >= IDLE_LIMIT_MS) resolve('idle');
    }, SAMPLE_MS);
  });
  return { promise, stop: () => clearInterval(timer) };
}

for (const file of files) {
  current = { output: '', errors: [] };
  const cwd = file.replace(/\.m?js$/, '.cwd');
  mkdirSync(cwd);
  process.chdir(cwd);
  const watch = idle();
  try {
    const end = await Promise.race([import(pathToFileURL(file).href), watch.promise]);
    if (end === 'idle')
      current.errors.push(
        `did not finish, and its process did no work for ${IDLE_LIMIT_MS / 1000} s: it waits on something ` +
          'that does not come (a server, a browser sign-in, a timer). A snippet must not start anything ' +
          'long-running: mark it <!-- snippet: no-run (what it needs) -->',
      );
  } catch (e) {
    current.errors.push(show(e));
  }
  watch.stop();
  await new Promise((r) => setImmediate(r));
  // After each snippet, so that a snippet that hangs is the one the test names when the runner is stopped.
  appendFileSync(out, `${JSON.stringify({ file, ...current })}\n`);
  writeSync(3, `${file}\n`);
}
process.exit(0);
