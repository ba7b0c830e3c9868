#!/usr/bin/env node
// `npm test` after the build: vitest and the static checks (scripts/static-checks.mjs) side by side. The suite
// leaves about a fifth of two cores idle while its files wait on child processes, servers and timers; the static
// checks run at a lower scheduling priority and fill that time instead of adding their 19–24 s after the suite
// (docs/performance.md, "The suite"). vitest's output streams as it runs; the static checks print theirs whole
// when they end. The command fails if either does. Arguments go to vitest (`npm test -- test/plan`).
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collect } from './collect.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const vitestBin = join(root, 'node_modules', 'vitest', 'vitest.mjs');

// Beside vitest's own report, where the time went: the slowest files (wall, CPU and child processes' CPU) and
// the time spent starting shared parts (test/support/profile-reporter.ts; docs/performance.md, "The suite").
// Arguments that name reporters of their own replace both.
const args = process.argv.slice(2);
const reporters = args.some((a) => a.startsWith('--reporter'))
  ? []
  : ['--reporter=default', '--reporter=./test/support/profile-reporter.ts'];

/** vitest with its output straight through; resolves to its exit code (1 when it could not start or was killed). */
const runVitest = () =>
  new Promise((done) => {
    const child = spawn(process.execPath, [vitestBin, 'run', ...reporters, ...args], {
      cwd: root,
      stdio: 'inherit',
    });
    child.on('error', () => done(1));
    child.on('close', (code) => done(code ?? 1));
  });

const started = Date.now();
const [statics, vitest] = await Promise.all([
  // --background: the checks lower their own priority before starting eslint, tsd and the rest.
  collect(process.execPath, [join(root, 'scripts', 'static-checks.mjs'), '--background'], {
    cwd: root,
  }),
  runVitest(),
]);
// After vitest's summary, so neither is cut into the other.
process.stdout.write(statics.output);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
const word = (code) => (code === 0 ? 'ok' : `failed, exit ${code}`);
process.stdout.write(
  `npm test after the build: vitest ${word(vitest)}, static checks ${word(statics.code)} ` +
    `(${seconds} s)\n`,
);
process.exitCode = statics.code === 0 && vitest === 0 ? 0 : 1;
