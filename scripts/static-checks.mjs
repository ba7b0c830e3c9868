#!/usr/bin/env node
// The static checks in two lanes: eslint (typed rules, the longest) beside the layer rules (dependency-cruiser), then
// the type tests (tsd) and the formatter's check (Biome, biome.json: `npx biome format --write .` applies it). Each
// keeps one core busy: one after another they were about 33 s of the test command on the 2-core development machine
// (docs/performance.md, "The suite"). Each tool's output is printed whole once its lane ends, and the step fails if
// any of them does. `npm test` runs all but eslint from here (`--except=eslint,…`): its eslint runs in the build's
// compile, on the program tsc's emit built (scripts/compile.mjs), with the same config, files and cache.
import { setPriority } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collect } from './collect.mjs';

// `--background` (scripts/test.mjs, beside vitest): a lower priority, which the tools started below inherit, so
// the checks take the cores' idle time and leave the suite its pace. A system that refuses it runs them as usual.
if (process.argv.includes('--background')) {
  try {
    setPriority(10);
  } catch {
    // Not permitted here: the same checks at normal priority.
  }
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) =>
  join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
// eslint keeps its results per file under node_modules/.cache, keyed by the file's absolute path, its text and the
// config (whose key holds this folder's path too): a second `npm test` in the same checkout lints the files whose
// text changed only; a fresh clone, `npm ci` (it removes node_modules) and CI lint everything (~90 CPU-s;
// docs/performance.md, "The suite, round 5, fourth pass"). Typed rules read other files' types and the cache keys on
// the file's own text, so after a change of types alone `rm -rf node_modules/.cache/eslint`.
const lanes = [
  [
    [
      'eslint',
      [
        bin('eslint'),
        'src',
        '--cache',
        '--cache-strategy',
        'content',
        '--cache-location',
        join(root, 'node_modules', '.cache', 'eslint', ''),
      ],
    ],
  ],
  [
    ['dependency-cruiser', [bin('depcruise'), 'src', '--config', '.dependency-cruiser.cjs']],
    // tsd's own command, with the type check of node_modules' declarations that tsd discards left out
    // (scripts/type-tests.cjs): the same tests, report and exit code.
    ['tsd', [process.execPath, join(root, 'scripts', 'type-tests.cjs')]],
    ['biome format', [bin('biome'), 'format', '.']],
  ],
];

const check = async ([name, [command, ...args]]) => ({
  name,
  ...(await collect(command, args, { cwd: root, shell: process.platform === 'win32' })),
});

// `--only a,b` / `--except a,b` (scripts/test.mjs): the checks that do not read dist/ start beside the build; tsd,
// which types the package as users import it (dist/*.d.ts), after it.
const pick = (flag) =>
  process.argv
    .find((a) => a.startsWith(`${flag}=`))
    ?.slice(flag.length + 1)
    .split(',');
const only = pick('--only');
const except = pick('--except');
const wanted = ([name]) => (!only || only.includes(name)) && !except?.includes(name);

const runs = lanes.map(async (lane) => {
  const results = [];
  for (const c of lane) if (wanted(c)) results.push(await check(c));
  return results;
});

let failed = false;
for (const r of (await Promise.all(runs)).flat()) {
  process.stdout.write(
    `── ${r.name} (${(r.ms / 1000).toFixed(1)} s): ${r.code === 0 ? 'ok' : `failed, exit ${r.code}`}\n${r.output}`,
  );
  if (r.code !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
