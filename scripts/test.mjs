#!/usr/bin/env node
// `npm test` after the build: vitest and the static checks (scripts/static-checks.mjs) side by side. The suite
// leaves about a fifth of two cores idle while its files wait on child processes, servers and timers; the static
// checks run at a lower scheduling priority and fill that time instead of adding their ~25 s after the suite
// (docs/performance.md, "The suite"). vitest's output streams as it runs; the static checks print theirs whole
// when they end. The command fails if either does. Arguments go to vitest (`npm test -- test/plan`).
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const vitestBin = join(root, 'node_modules', 'vitest', 'vitest.mjs');

/**
 * Runs `node <args>` in the repository; resolves to its exit code (1 when it could not start or was killed) and,
 * with `keep`, what it printed (else its output goes straight through).
 */
const run = (args, keep) =>
  new Promise((done) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: keep ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let output = '';
    child.stdout?.on('data', (d) => {
      output += d;
    });
    child.stderr?.on('data', (d) => {
      output += d;
    });
    child.on('error', (e) => done({ code: 1, output: `${output}${args[0]}: ${e.message}\n` }));
    child.on('close', (code) => done({ code: code ?? 1, output }));
  });

const started = Date.now();
const [statics, vitest] = await Promise.all([
  // --background: the checks lower their own priority before starting eslint, tsd and the rest.
  run([join(root, 'scripts', 'static-checks.mjs'), '--background'], true),
  run([vitestBin, 'run', ...process.argv.slice(2)], false),
]);
// After vitest's summary, so neither is cut into the other.
process.stdout.write(statics.output);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
const word = (code) => (code === 0 ? 'ok' : `failed, exit ${code}`);
process.stdout.write(
  `npm test after the build: vitest ${word(vitest.code)}, static checks ${word(statics.code)} ` +
    `(${seconds} s)\n`,
);
process.exitCode = statics.code === 0 && vitest.code === 0 ? 0 : 1;
