#!/usr/bin/env node
// `npm run build`: dist/ afresh — tsc's emit (types and per-file modules, tsconfig.build.json, by scripts/compile.mjs),
// then, side by side, the package's entry-point bundles (scripts/bundle-dist.mjs) and the CRUD runtime's app and zip
// (scripts/build-runtime.mjs). Both read only what tsc wrote and neither writes what the other reads (bundle-dist
// replaces the entry points and dev's host, build-runtime bundles src/runtime with tsc's packaging modules), and
// tsc is one thread: side by side they end in the time of the longer (docs/performance.md, "The suite").
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { run } from './collect.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** `node args` with its output straight through; resolves to its exit code. */
const node = (...args) => run(process.execPath, args, { cwd: root });

/**
 * The compile's young generation: V8's semi-space at 64 MiB instead of 16. TypeScript's parse, check and emit (~5 GB,
 * ~300 scavenges, ~90 with this) and eslint's typed lint allocate mostly short-lived objects; with four times the room
 * between scavenges fewer of them are copied before they die: −5 % of the compile-and-lint's CPU, the same program,
 * output, diagnostics and lint report (only the collector's timing changes), ~0.1 GB more resident at its peak
 * (docs/performance.md, "The suite").
 */
const YOUNG_GENERATION = '--max-semi-space-size=64';

/**
 * The compile (scripts/compile.mjs); with `lint`, the child goes on to lint src/ with the program it emitted from.
 * Resolves `emitted` to tsc's exit code once dist/ is written, `linted` to eslint's `{ code, output, ms }` (with
 * `lint` only).
 */
function compile(lint) {
  const child = spawn(
    process.execPath,
    [YOUNG_GENERATION, join(root, 'scripts', 'compile.mjs'), ...(lint ? ['--lint'] : [])],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit', ...(lint ? ['ipc'] : [])] },
  );
  let linted;
  const ended = new Promise((done) => {
    child.on('error', (e) => done({ code: 1, why: e.message }));
    child.on('close', (code, signal) => done({ code: code ?? 1, why: `exit ${code ?? signal}` }));
  });
  const emitted = new Promise((done) => {
    child.on('message', (m) => {
      if ('emitted' in m) done(m.emitted);
      if ('linted' in m) linted = m.linted;
    });
    // Without the lint, the child's exit code is tsc's; with it, a child that ended before saying "emitted" (killed,
    // out of memory) failed.
    void ended.then(({ code }) => done(lint ? 1 : code));
  });
  return {
    emitted,
    linted: lint
      ? ended.then(
          ({ why }) =>
            linted ?? { code: 1, output: `eslint did not report: the compile's ${why}\n`, ms: 0 },
        )
      : undefined,
  };
}

/**
 * The build; with `lint` (scripts/test.mjs), eslint's typed lint of src/ too, on the compile's program and after its
 * emit, at a lower priority. Resolves `built` to the build's exit code when dist/ is complete; `linted` as compile's.
 *
 * @example
 * const { built, linted } = startBuild({ lint: true });
 * if ((await built) === 0) runTheSuite();
 * const { code, output } = await linted;
 */
export function startBuild({ lint = false } = {}) {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  const { emitted, linted } = compile(lint);
  const built = emitted.then(async (tsc) => {
    if (tsc !== 0) return tsc;
    const codes = await Promise.all([
      node(join(root, 'scripts', 'bundle-dist.mjs')),
      node(join(root, 'scripts', 'build-runtime.mjs')),
    ]);
    return codes.find((c) => c !== 0) ?? 0;
  });
  return { built, linted };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await startBuild().built;
}
