#!/usr/bin/env node
// `npm test`: the build, vitest and the static checks. The static checks run at a lower scheduling priority beside
// the rest: the suite leaves about a fifth of two cores idle while its files wait on child processes, servers and
// timers, and the build (tsc is one thread) half of them. eslint's typed lint runs in the build's compile once it has
// emitted (scripts/compile.mjs), on the TypeScript program tsc's emit just built and checked, instead of building
// and checking one of its own; the checks that read only the sources (dependency-cruiser, Biome,
// scripts/static-checks.mjs) start with the build, tsd (the package's types, dist/*.d.ts) once it is done
// (docs/performance.md, "The suite"). The build's and vitest's output stream as they run; the static checks print
// theirs whole when they end. The command fails if any part does. Arguments go to vitest (`npm test -- test/plan`).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBuild } from './build.mjs';
import { collect, run } from './collect.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const vitestBin = join(root, 'node_modules', 'vitest', 'vitest.mjs');

// Beside vitest's own report, where the time went: the slowest files (wall, CPU and child processes' CPU) and
// the time spent starting shared parts (test/support/profile-reporter.ts; docs/performance.md, "The suite").
// Arguments that name reporters of their own replace both.
const args = process.argv.slice(2);
const reporters = args.some((a) => a.startsWith('--reporter'))
  ? []
  : ['--reporter=default', '--reporter=./test/support/profile-reporter.ts'];

/** vitest with its output straight through; resolves to its exit code. */
const runVitest = () =>
  run(process.execPath, [vitestBin, 'run', ...reporters, ...args], { cwd: root });

/** The static checks named by `filter` (`--only=…` / `--except=…`), at the lower priority (`--background`). */
const staticChecks = (filter) =>
  collect(process.execPath, [join(root, 'scripts', 'static-checks.mjs'), '--background', filter], {
    cwd: root,
  });

const word = (code) =>
  code === undefined ? 'not run' : code === 0 ? 'ok' : `failed, exit ${code}`;

const started = Date.now();
const sourceChecks = staticChecks('--except=tsd,eslint');
const { built, linted } = startBuild({ lint: true });
const build = await built;
const [afterBuild, vitest] =
  build === 0
    ? await Promise.all([staticChecks('--only=tsd'), runVitest()])
    : [{ code: 1, output: '── tsd: not run, the build failed\n' }, undefined];
const early = await sourceChecks;
const lint = await linted;
const lintOutput = `── eslint (${(lint.ms / 1000).toFixed(1)} s): ${word(lint.code)}\n${lint.output}`;
const statics = {
  code: lint.code || early.code || afterBuild.code,
  output: lintOutput + early.output + afterBuild.output,
};
// After vitest's summary, so neither is cut into the other.
process.stdout.write(statics.output);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
process.stdout.write(
  `npm test: build ${word(build)}, vitest ${word(vitest)}, static checks ${word(statics.code)} ` +
    `(${seconds} s)\n`,
);
process.exitCode = build === 0 && statics.code === 0 && vitest === 0 ? 0 : 1;
