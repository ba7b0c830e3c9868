/**
 * `npx tsx bench/cli-start-before-after.ts`: the CLI's cold start now against the CLI before its rooms were drawn
 * (one Azure room, no command importing another, `atakora dev` split by concern), as whole processes, the two
 * commands of a pair run back to back, RUNS rounds after a warm-up round. Budget: within ×1.10 of before.
 *
 * "Before" is the tree at BEFORE_COMMIT, extracted with `git archive` and built once (tsc and the bundles, as `npm
 * run build` does) into node_modules/.cache/atakora-cli-before/; later runs reuse it. A clone without that commit
 * (a shallow one) prints why and measures nothing. Needs `npm run build` (the CLI now runs from dist/).
 *
 * Each side runs its own CLI on an entry inside its own package folder, so the entry imports that side's library:
 *   atakora --version, atakora deploy --help   (the command line and a command loaded on use)
 *   atakora plan entry.mjs --json              (load, plan)
 *   atakora synth entry.mjs                    (load, plan, apply, synth)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { median } from './support/stats.js';

/** The last commit before the CLI's rooms: main at the start of that work. */
const BEFORE_COMMIT = '98d4bffdbaddc2f15496b88b042c6f6c17360b3f';
const root = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env['RUNS'] ?? 7);
const before = join(
  root,
  'node_modules',
  '.cache',
  'atakora-cli-before',
  BEFORE_COMMIT.slice(0, 12),
);

function buildBefore(): boolean {
  if (existsSync(join(before, 'dist', 'cli', 'bin.js'))) return true;
  try {
    execFileSync('git', ['cat-file', '-e', `${BEFORE_COMMIT}^{commit}`], {
      cwd: root,
      stdio: 'ignore',
    });
  } catch {
    console.log(
      `CLI start before/after: commit ${BEFORE_COMMIT.slice(0, 12)} is not in this clone (shallow?): nothing measured.`,
    );
    return false;
  }
  rmSync(before, { recursive: true, force: true });
  mkdirSync(before, { recursive: true });
  const archive = execFileSync('git', ['archive', '--format=tar', BEFORE_COMMIT], {
    cwd: root,
    maxBuffer: 1 << 30,
  });
  execFileSync('tar', ['-x', '-C', before], { input: archive });
  // Its dependencies are this tree's: the same lock file's packages (the restructure added none it loads at start).
  symlinkSync(join(root, 'node_modules'), join(before, 'node_modules'), 'dir');
  console.log(`CLI start before/after: building the CLI of ${BEFORE_COMMIT.slice(0, 12)} once…`);
  for (const args of [
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    ['scripts/bundle-dist.mjs'],
    ['scripts/build-runtime.mjs'],
  ])
    execFileSync(process.execPath, args, { cwd: before, stdio: ['ignore', 'ignore', 'inherit'] });
  return true;
}

const backend = `defineBackend({
  users: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string', email: 'string' } }),
  orders: CrudApi.define('OrderApi', { entityName: 'Order', schema: { id: 'string', total: 'number' }, partitionKey: '/id' }),
}, { backendId: 'bench', environment: 'dev', location: 'eastus' })`;
const entry = `import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
export default ${backend};
`;

/** A folder inside `pkg` (so the entry imports that package by name) with the entry. */
function workDir(pkg: string): string {
  const dir = mkdtempSync(join(pkg, '.tmp-bench-cli-ba-'));
  writeFileSync(join(dir, 'entry.mjs'), entry);
  return dir;
}

function once(pkg: string, cwd: string, args: readonly string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, [join(pkg, 'dist/cli/bin.js'), ...args], {
    cwd,
    encoding: 'utf8',
  });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${pkg}: atakora ${args.join(' ')}: ${r.stderr}`);
  return ms;
}

if (buildBefore()) {
  const dirs = { before: workDir(before), after: workDir(root) };
  const commands: [string, string[]][] = [
    ['atakora --version', ['--version']],
    ['atakora deploy --help', ['deploy', '--help']],
    ['atakora plan entry.mjs --json', ['plan', 'entry.mjs', '--json']],
    ['atakora synth entry.mjs', ['synth', 'entry.mjs', '--out', 'out']],
  ];
  try {
    for (const [, args] of commands) {
      once(before, dirs.before, args);
      once(root, dirs.after, args);
    }
    const rows = commands.map(([name, args]) => {
      const pairs: { before: number; after: number }[] = [];
      for (let round = 0; round < RUNS; round++) {
        // Alternate which side goes first, so neither always runs on a warmer machine.
        const first = round % 2 === 0 ? 'before' : 'after';
        const t: Record<string, number> = {};
        for (const side of first === 'before' ? ['before', 'after'] : ['after', 'before'])
          t[side] = once(side === 'before' ? before : root, dirs[side as 'before' | 'after'], args);
        pairs.push({ before: t['before']!, after: t['after']! });
      }
      return { name, pairs };
    });
    console.log(
      `CLI cold start now against before the CLI's rooms (${BEFORE_COMMIT.slice(0, 12)}), whole processes, median of ${RUNS} pairs (node ${process.version}); budget ×1.10`,
    );
    for (const { name, pairs } of rows) {
      const ratios = pairs.map((p) => p.after / p.before).sort((a, b) => a - b);
      console.log(
        `  ${name.padEnd(30)} before ${median(pairs.map((p) => p.before))
          .toFixed(0)
          .padStart(5)} ms   after ` +
          `${median(pairs.map((p) => p.after))
            .toFixed(0)
            .padStart(5)} ms   ×${median(ratios).toFixed(2)} ` +
          `(pairs ×${ratios.map((r) => r.toFixed(2)).join(' ×')})`,
      );
    }
  } finally {
    rmSync(dirs.before, { recursive: true, force: true });
    rmSync(dirs.after, { recursive: true, force: true });
  }
}
