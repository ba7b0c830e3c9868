/**
 * `npx tsx bench/cli-start.ts`: the CLI's cold start against a raw cdktf program that synthesizes the same
 * stack, as whole processes: median of RUNS interleaved rounds after a warm-up round.
 * Prints ratios; fails only when the baseline program's output differs from `atakora synth`'s (below).
 * Needs `npm run build` (the CLI runs from dist/).
 *
 *   atakora plan  entry.ts / entry.mjs     vs  node raw.mjs (declare + plan + apply + synth, plain JS)
 *   atakora synth entry.ts / entry.mjs     vs  tsx raw.ts (the same program, typed, as `npx tsx main.ts` runs it)
 *   atakora synth/plan entry.ts            vs  atakora synth/plan entry.mjs (the .ts entry is bundled by
 *                                              esbuild and imported natively, no loader hooks; target ≤ ×1.2)
 *   atakora synth entry.ts                 vs  tsx bench/baseline/main.ts: a typed cdktf program writing the same
 *                                              Terraform with the azurerm classes, no Atakora; its output is
 *                                              checked byte-identical to atakora synth's before any number is shown
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { outputDifference } from './baseline/same-output.js';
import { median } from './support/stats.js';

const root = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env['RUNS'] ?? 5);
// Inside the package, so the entries import it by name through its own exports (dist/).
const dir = mkdtempSync(join(root, '.tmp-bench-cli-'));
/** Keep the directory when the outputs differ, to look at them. */
let keep = false;
const backend = `defineBackend({
  users: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string', email: 'string' } }),
  orders: CrudApi.define('OrderApi', { entityName: 'Order', schema: { id: 'string', total: 'number' }, partitionKey: '/id' }),
}, { backendId: 'bench', environment: 'dev', location: 'eastus' })`;
const imports = `import { defineBackend } from '@atakora/component/backend';\nimport { CrudApi } from '@atakora/component/crud';\n`;
const raw = `import { App } from 'cdktf';\nimport { ResourceGroupStack } from '@atakora/component/cdk';\n${imports}
const app = new App({ outdir: process.argv[2] });
${backend}.apply(new ResourceGroupStack(app, 'bench-dev', { resourceGroupName: 'rg-bench-dev', location: 'eastus' }));
app.synth();
`;
writeFileSync(join(dir, 'entry.ts'), `${imports}export default ${backend};\n`);
// The same entry with no bundle cache: its own node_modules (empty but for the cache, emptied before each
// run), so the CLI bundles it with esbuild every time, as on the first run after an edit.
mkdirSync(join(dir, 'cold', 'node_modules'), { recursive: true });
writeFileSync(join(dir, 'cold', 'entry.ts'), `${imports}export default ${backend};\n`);
const dropColdCache = () =>
  rmSync(join(dir, 'cold', 'node_modules', '.cache'), { recursive: true, force: true });
writeFileSync(join(dir, 'entry.mjs'), `${imports}export default ${backend};\n`);
writeFileSync(join(dir, 'raw.mjs'), raw);
writeFileSync(join(dir, 'raw.ts'), raw);

const bin = join(root, 'dist/cli/bin.js');
const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');
function once(args: string[], env: Record<string, string> = {}, before?: () => void): number {
  before?.();
  const t = performance.now();
  const r = spawnSync(process.execPath, args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return performance.now() - t;
}

/**
 * Every command once per round, rounds repeated RUNS times after a warm-up round (the OS file cache): a machine
 * that speeds up or slows down during the run moves all the commands alike, instead of whichever ran last.
 */
type Command = [name: string, args: string[], env?: Record<string, string>, before?: () => void];
function timeInterleaved(commands: Command[]): Map<string, number[]> {
  for (const [, args, env, before] of commands) once(args, env, before);
  const times = new Map(commands.map(([name]) => [name, [] as number[]]));
  for (let round = 0; round < RUNS; round++) {
    // Rotate the order each round, so no command always runs right after the same other one.
    for (let i = 0; i < commands.length; i++) {
      const [name, args, env, before] = commands[(i + round) % commands.length]!;
      times.get(name)!.push(once(args, env, before));
    }
  }
  return times;
}

const rows: Command[] = [
  ['raw program, node raw.mjs', [join(dir, 'raw.mjs'), join(dir, 'out-raw')]],
  ['raw program, tsx raw.ts', [tsx, join(dir, 'raw.ts'), join(dir, 'out-raw-ts')]],
  ['atakora plan entry.mjs', [bin, 'plan', 'entry.mjs', '--json']],
  ['atakora plan entry.ts', [bin, 'plan', 'entry.ts', '--json']],
  ['atakora synth entry.mjs', [bin, 'synth', 'entry.mjs', '--out', 'out-js']],
  ['atakora synth entry.ts', [bin, 'synth', 'entry.ts', '--out', 'out-ts']],
  [
    'atakora synth cold/entry.ts, no cache',
    [bin, 'synth', 'cold/entry.ts', '--out', 'out-ts-cold'],
    {},
    dropColdCache,
  ],
  // The previous loader (tsx's hooks), kept behind ATAKORA_TS_LOADER=tsx: the same run's before/after.
  [
    'atakora synth entry.ts, tsx',
    [bin, 'synth', 'entry.ts', '--out', 'out-ts-tsx'],
    { ATAKORA_TS_LOADER: 'tsx' },
  ],
  // The same process as `npx tsx main.ts` of a hand-written cdktf app (cwd = dir, like the CLI: same state path).
  [
    'baseline cdktf program, tsx',
    [tsx, join(root, 'bench/baseline/main.ts'), join(dir, 'out-baseline'), 'cli'],
  ],
];
try {
  const times = timeInterleaved(rows);
  const ms = new Map([...times].map(([name, xs]) => [name, median(xs)]));
  // Both wrote their last run's output into dir: the same bytes, or no figures.
  const difference = outputDifference(join(dir, 'out-ts'), join(dir, 'out-baseline'));
  if (difference) {
    keep = true;
    throw new Error(
      `bench/cli-start.ts: atakora synth and the baseline program wrote different output (kept in ${dir}); update bench/baseline/:\n${difference}`,
    );
  }
  const rawJs = ms.get('raw program, node raw.mjs')!;
  const rawTs = ms.get('raw program, tsx raw.ts')!;
  const baseline = ms.get('baseline cdktf program, tsx')!;
  console.log(
    `CLI cold start, whole processes, median of ${RUNS} (node ${process.version}); ratio vs the raw program in the same language`,
  );
  for (const [name] of rows.slice(0, -1)) {
    const base = name.includes('.ts') ? rawTs : rawJs;
    console.log(
      `  ${name.padEnd(28)} ${ms.get(name)!.toFixed(0).padStart(6)} ms   ×${(ms.get(name)! / base).toFixed(2)}`,
    );
  }
  console.log(
    'Against a typed cdktf program writing the same Terraform (bench/baseline/, checked: same cdk.tf.json, asset and manifest bytes)',
  );
  console.log(
    `  ${'baseline cdktf program, tsx'.padEnd(28)} ${baseline.toFixed(0).padStart(6)} ms   ×1.00`,
  );
  console.log(
    `  ${'atakora synth entry.ts'.padEnd(28)} ${ms.get('atakora synth entry.ts')!.toFixed(0).padStart(6)} ms   ×${(ms.get('atakora synth entry.ts')! / baseline).toFixed(2)}`,
  );
  // The same ratio round by round (each pair ran within seconds of each other): its spread is the noise.
  const perRound = (a: string, b: string) =>
    times
      .get(a)!
      .map((t, i) => t / times.get(b)![i]!)
      .sort((x, y) => x - y);
  const spread = (xs: number[]) =>
    `median ×${median(xs).toFixed(2)}, rounds ×${xs.map((r) => r.toFixed(2)).join(' ×')}`;
  console.log(
    `  per round: ×${perRound('atakora synth entry.ts', 'baseline cdktf program, tsx')
      .map((r) => r.toFixed(2))
      .join(' ×')}`,
  );
  // A TypeScript entry costs what the same entry in JavaScript costs (target ≤ ×1.2).
  console.log(
    'A TypeScript entry against the same entry as .mjs (bundled by esbuild, imported natively; target ≤ ×1.2)',
  );
  console.log(
    `  synth entry.ts ÷ synth entry.mjs   ${spread(perRound('atakora synth entry.ts', 'atakora synth entry.mjs'))}`,
  );
  console.log(
    `  plan  entry.ts ÷ plan  entry.mjs   ${spread(perRound('atakora plan entry.ts', 'atakora plan entry.mjs'))}`,
  );
  console.log(
    `  synth entry.ts without its cached bundle (esbuild each run) ÷ entry.mjs   ${spread(perRound('atakora synth cold/entry.ts, no cache', 'atakora synth entry.mjs'))}`,
  );
  console.log(
    `  synth entry.ts with tsx's hooks (ATAKORA_TS_LOADER=tsx, the loader before) ÷ entry.mjs   ${spread(perRound('atakora synth entry.ts, tsx', 'atakora synth entry.mjs'))}`,
  );
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
