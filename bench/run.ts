/**
 * `npm run bench` (`npx tsx bench/run.ts`): planner, import and synth timings, each against a baseline
 * measured in the same run on the same machine. Bounded work (well under two minutes), no assertions: it
 * prints numbers and never fails because a machine is slow.
 *
 *   (a) plan() of 10 … 10,000 CrudApis and of as many mixed components (CrudApi, FunctionsApp, StaticSite),
 *       against a JSON copy of the same plan (median after a warm-up; growth factor per ×10)
 *   (b) import time of '@atakora/component' vs 'cdktf' (child processes, median of 5)
 *   (c) apply + synth of 10 and 100 CrudApis vs a typed cdktf program that writes the same Terraform with the
 *       azurerm classes directly (bench/baseline/), checked to synthesize the same bytes (cdk.tf.json, the
 *       package asset, manifest.json) — the one assertion here: a baseline that drifted from what apply
 *       writes would make the ratio meaningless, so the run stops with the difference — and the peak RSS
 *       and time of a 100-component synth in fresh processes (alternating pairs, COLD_PAIRS=3); printed
 *       beside the targets: pair ratios ≤ ×1.15, cold ≤ ×1.2
 *
 * Needs `npm run build` first (the package self-reference, the runtime bundle and its prebuilt zip live in dist/).
 * `PARTS=c npx tsx bench/run.ts` runs only part (c) (any of a, b, c; all by default).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, freemem, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'cdktf';
import { defineBackend } from '../src/backend/define-backend.js';
import { CrudApi } from '../src/components/crud/index.js';
import { FunctionsApp } from '../src/components/functions/index.js';
import { StaticSite } from '../src/components/web/index.js';
import { ResourceGroupStack } from '../src/apply/resource-group-stack.js';
import { CrudApisBaselineStack } from './baseline/crud-apis-stack.js';
import { benchBackendSpec, runtimePackageFile } from './baseline/specs.js';
import { outputDifference } from './baseline/same-output.js';
import { median, planBesideCopy } from './support/stats.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------------------------------------- helpers

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)]
    .map((l) => `  ${l}`)
    .join('\n');
}

/**
 * N CrudApi definitions keyed api0…apiN-1, each with its own entity (so its own database and container).
 * With `buildBackend` and the stack of `synthAtakora`, the twin of `benchBackendSpec(n)` (bench/baseline/specs.ts).
 */
function crudApis(n: number): Record<string, ReturnType<typeof CrudApi.define>> {
  const out: Record<string, ReturnType<typeof CrudApi.define>> = {};
  for (let i = 0; i < n; i++) {
    out[`api${i}`] = CrudApi.define(`Api${i}`, {
      entityName: `Entity${i}`,
      schema: { id: 'string', name: 'string', price: 'number' },
    });
  }
  return out;
}

/**
 * N mixed components: half CrudApis (two consistency levels, so two Cosmos groups), a quarter FunctionsApps
 * (queue and HTTP triggers), a quarter StaticSites — the kinds that plan different resource types.
 */
function mixedComponents(n: number): Record<string, ReturnType<typeof CrudApi.define>> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    out[`c${i}`] =
      i % 4 === 1
        ? FunctionsApp.define(`Fn${i}`, {
            runtime: 'node',
            version: '20',
            functions:
              i % 8 === 1
                ? { work: { trigger: 'queue', queueName: `queue-${i}` } }
                : { ping: { trigger: 'http' } },
          })
        : i % 4 === 3
          ? StaticSite.define(`Site${i}`, { sourceDirectory: `./site${i}` })
          : CrudApi.define(`Api${i}`, {
              entityName: `Entity${i}`,
              schema: { id: 'string', name: 'string' },
              ...(i % 8 === 2 ? { consistency: 'Strong' as const } : {}),
            });
  }
  return out as Record<string, ReturnType<typeof CrudApi.define>>;
}

const buildBackend = (defs: Record<string, ReturnType<typeof CrudApi.define>>) =>
  defineBackend(defs as Record<string, ReturnType<typeof CrudApi.define>>, {
    environment: 'bench',
    location: 'eastus',
  });

// ------------------------------------------------------------------------------------------- (c) synth

/** Where the time of one atakora synth goes (ms). */
interface Phases {
  build: number;
  plan: number;
  apply: number;
  synth: number;
}

/** Apply a backend of n CrudApis to a fresh stack and synthesize it into a temp dir. */
function synthAtakora(n: number, defs = crudApis(n)): { outdir: string; phases: Phases } {
  const outdir = mkdtempSync(join(tmpdir(), 'atakora-bench-'));
  const t0 = performance.now();
  const app = new App({ outdir });
  const stack = new ResourceGroupStack(app, 'Bench', {
    resourceGroupName: 'rg-bench',
    location: 'eastus',
  });
  const backend = buildBackend(defs);
  const t1 = performance.now();
  backend.plan();
  const t2 = performance.now();
  backend.apply(stack);
  const t3 = performance.now();
  app.synth();
  const t4 = performance.now();
  return { outdir, phases: { build: t1 - t0, plan: t2 - t1, apply: t3 - t2, synth: t4 - t3 } };
}

let packageFile: string | undefined;

/** Budgets: apply + synth within ×1.15 of the typed baseline (pair medians), ×1.2 cold in a fresh process. */
const SYNTH_PAIR_TARGET = 1.15;
const SYNTH_COLD_TARGET = 1.2;
/** Fresh-process pairs for the cold figure (each child is one synth of 100 CrudApis, a few seconds under tsx). */
const COLD_PAIRS = Number(process.env['COLD_PAIRS'] ?? 3);

/**
 * The baseline: bench/baseline/crud-apis-stack.ts, a typed cdktf program declaring the same resources with the
 * azurerm classes directly, for the same n APIs (its literal names in benchBackendSpec), synthesized into a temp dir.
 */
function synthBaseline(n: number): { outdir: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'atakora-bench-base-'));
  const app = new App({ outdir });
  new CrudApisBaselineStack(app, benchBackendSpec(n, (packageFile ??= runtimePackageFile())));
  app.synth();
  return { outdir };
}

/** Stop the run when the two programs did not write the same bytes: the comparison would be meaningless. */
function assertSameOutput(atakora: string, baseline: string, n: number): void {
  const difference = outputDifference(atakora, baseline);
  if (difference) {
    throw new Error(
      `bench/run.ts (c): the baseline cdktf program and atakora synthesized different output for ${n} CrudApis ` +
        `(atakora ${atakora}, baseline ${baseline}, both kept); update bench/baseline/ to what apply writes:\n${difference}`,
    );
  }
}

function timeSynth(
  kind: 'atakora' | 'baseline',
  n: number,
): { ms: number; outdir: string; phases?: Phases } {
  const t0 = performance.now();
  const r = kind === 'atakora' ? synthAtakora(n, crudApis(n)) : synthBaseline(n);
  return { ms: performance.now() - t0, ...r };
}

// ------------------------------------------------------------------------------- child-process entries

/** `--child synth <atakora|baseline> <n>`: one synth, then print maxRSS (bytes) as JSON. */
function child(args: readonly string[]): void {
  const [what, kind, nText] = args;
  if (what !== 'synth') throw new Error(`unknown child task ${String(what)}`);
  const n = Number(nText);
  const t0 = performance.now();
  const { outdir } = kind === 'atakora' ? synthAtakora(n) : synthBaseline(n);
  const elapsed = performance.now() - t0;
  rmSync(outdir, { recursive: true, force: true });
  // process.resourceUsage().maxRSS is in kilobytes.
  process.stdout.write(
    JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024, ms: elapsed }) + '\n',
  );
}

function runChild(args: readonly string[]): { maxRssBytes: number; ms: number } | undefined {
  // Re-run this file under the same loader tsx started us with.
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--child', ...args],
    { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
  );
  const line = r.stdout?.trim().split('\n').at(-1);
  try {
    return line ? (JSON.parse(line) as { maxRssBytes: number; ms: number }) : undefined;
  } catch {
    return undefined;
  }
}

/** Wall time of `node -e <code>` from the repository root (so the package self-reference resolves). */
function timeNode(code: string): number | undefined {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-e', code], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const elapsed = performance.now() - t0;
  return r.status === 0 ? elapsed : undefined;
}

// ------------------------------------------------------------------------------------------------ main

function main(): void {
  const started = performance.now();
  const cpuList = cpus();
  console.log('Atakora Backend benchmark');
  console.log(
    `  machine: ${cpuList.length} × ${cpuList[0]?.model.trim() ?? 'unknown cpu'}, ${mib(totalmem())} RAM (${mib(freemem())} free), ${platform()} ${release()}`,
  );
  console.log(`  node ${process.version}, started ${new Date().toISOString()}`);
  console.log('');

  // PARTS=ac (say) runs only those parts; all by default.
  const parts = process.env['PARTS'] ?? 'abc';
  if (parts.includes('a')) partA();
  if (parts.includes('b')) partB();
  if (parts.includes('c')) partC();
  console.log(`Total bench time ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}

function partA(): void {
  // (a) plan() scaling
  console.log(
    '(a) backend.plan() — object form, N CrudApis (each its own entity) and N mixed components, fresh backend per run;',
  );
  console.log(
    '    baseline: JSON.parse(JSON.stringify(plan)) of the same plan, the floor for producing that much data',
  );
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const [label, make] of [
    ['CrudApi', crudApis],
    ['mixed', mixedComponents],
  ] as const) {
    let previous: number | undefined;
    for (const [n, runs] of [
      [10, 25],
      [100, 15],
      [1_000, 7],
      [10_000, 3],
    ] as const) {
      const defs = make(n);
      buildBackend(defs).plan(); // warm-up
      const times: number[] = [];
      const copies: number[] = [];
      let resources = 0;
      for (let i = 0; i < runs; i++) {
        const { plan, planMs, copyMs } = planBesideCopy(buildBackend(defs)); // a fresh backend each run
        copies.push(copyMs);
        times.push(planMs);
        resources = plan.summary.resources;
        if (i === 0 && plan.limitViolations.length)
          notes.push(
            `${label} N=${n}: ${plan.limitViolations.map((v) => `${v.limit} ${v.requested} > ${v.allowed}`).join(', ')}`,
          );
      }
      const m = median(times);
      rows.push([
        label,
        n.toLocaleString('en-US'),
        String(runs),
        ms(m),
        `${((m * 1000) / n).toFixed(1)}`,
        previous ? `×${(m / previous).toFixed(1)}` : '—',
        ms(median(copies)),
        `×${(m / median(copies)).toFixed(1)}`,
        String(resources),
      ]);
      previous = m;
    }
  }
  console.log(
    table(
      [
        'kind',
        'N',
        'runs',
        'plan ms',
        'µs/component',
        'growth per ×10',
        'JSON copy ms',
        'plan ÷ copy',
        'planned resources',
      ],
      rows,
    ),
  );
  console.log('  (linear scaling shows as ×10 per row)');
  for (const note of notes)
    console.log(
      `  note: the plan reports an Azure limit at ${note} (as data; plan() still completes)`,
    );
  console.log('');
}

function partB(): void {
  // (b) import time
  console.log(
    '(b) import time — `node -e "import(...)"` child processes, interleaved, median of 5',
  );
  const targets: [string, string][] = [
    ['node (no import)', '0'],
    ["import('cdktf')", "import('cdktf').then(() => {})"],
    ["import('@atakora/component')", "import('@atakora/component').then(() => {})"],
    ["import('@atakora/component/backend')", "import('@atakora/component/backend').then(() => {})"],
  ];
  const importTimes = new Map<string, number[]>(targets.map(([label]) => [label, []]));
  const failed = new Set<string>();
  for (let i = 0; i < 5; i++) {
    for (const [label, code] of targets) {
      const t = timeNode(code);
      if (t === undefined) failed.add(label);
      else importTimes.get(label)!.push(t);
    }
  }
  const cdktfMedian = median(importTimes.get("import('cdktf')")!);
  const nodeMedian = median(importTimes.get('node (no import)')!);
  console.log(
    table(
      ['what', 'median ms', 'minus bare node', 'vs cdktf'],
      targets.map(([label]) => {
        const xs = importTimes.get(label)!;
        if (failed.has(label) || xs.length === 0)
          return [label, 'failed (run npm run build first)', '', ''];
        const m = median(xs);
        return [
          label,
          ms(m),
          ms(m - nodeMedian),
          label.includes('atakora')
            ? `×${((m - nodeMedian) / (cdktfMedian - nodeMedian)).toFixed(2)} (raw ×${(m / cdktfMedian).toFixed(2)})`
            : '',
        ];
      }),
    ),
  );
  console.log(
    '  (vs cdktf: import cost above bare node start-up, atakora ÷ cdktf; the package loads cdktf plus the azurerm deep imports it uses)',
  );
  console.log('');
}

function partC(): void {
  // (c) synth vs a typed cdktf program writing the same Terraform, checked byte-identical
  console.log(
    '(c) apply + synth (App → stack → resources → app.synth() into a temp dir) vs bench/baseline/, a typed cdktf program',
  );
  console.log(
    '    declaring the same resources with the azurerm classes; both outputs checked byte-identical first',
  );
  rmSync(timeSynth('atakora', 3).outdir, { recursive: true, force: true }); // warm-up: module loading, JIT
  rmSync(timeSynth('baseline', 3).outdir, { recursive: true, force: true });
  const synthRows: string[][] = [];
  const phaseRows: string[][] = [];
  for (const [n, runs] of [
    [10, 9],
    [100, 7],
  ] as const) {
    const a: number[] = [];
    const b: number[] = [];
    const phases: Phases[] = [];
    for (let i = 0; i < runs; i++) {
      // Alternate which side goes first, so neither always runs on a heap the other just filled.
      const first = i % 2 === 0 ? timeSynth('atakora', n) : timeSynth('baseline', n);
      const second = i % 2 === 0 ? timeSynth('baseline', n) : timeSynth('atakora', n);
      const [ra, rb] = i % 2 === 0 ? [first, second] : [second, first];
      a.push(ra.ms);
      b.push(rb.ms);
      if (ra.phases) phases.push(ra.phases);
      if (i === 0) assertSameOutput(ra.outdir, rb.outdir, n); // throws, keeping both directories, on any difference
      rmSync(ra.outdir, { recursive: true, force: true });
      rmSync(rb.outdir, { recursive: true, force: true });
    }
    // Each pair ran back to back: the spread of their ratios is the machine's noise, which medians alone hide.
    const pairs = a.map((x, i) => x / b[i]!).sort((p, q) => p - q);
    synthRows.push([
      String(n),
      String(runs),
      ms(median(a)),
      ms(median(b)),
      `×${(median(a) / median(b)).toFixed(2)}`,
      `×${median(pairs).toFixed(2)} (×${pairs[0]!.toFixed(2)}–×${pairs.at(-1)!.toFixed(2)})`,
      `≤ ×${SYNTH_PAIR_TARGET}`,
      'same bytes',
    ]);
    const pm = (k: keyof Phases) => ms(median(phases.map((p) => p[k])));
    phaseRows.push([String(n), pm('build'), pm('plan'), pm('apply'), pm('synth')]);
  }
  console.log(
    table(
      [
        'N CrudApis',
        'runs',
        'atakora ms',
        'baseline ms',
        'ratio',
        'pair ratios: median (range)',
        'target',
        'output (cdk.tf.json, asset, manifest)',
      ],
      synthRows,
    ),
  );
  console.log(
    '  (atakora = define + plan + apply + synth; baseline = its constructs + synth; both copy the same prebuilt runtime zip as a FILE asset)',
  );
  console.log('');
  console.log('    where the atakora time goes (median ms per phase)');
  console.log(
    table(['N CrudApis', 'stack + build', 'plan', 'apply (constructs)', 'app.synth()'], phaseRows),
  );

  // Fresh processes, alternating which goes first: the cold figure is one run each, so take a few pairs.
  const coldA: { maxRssBytes: number; ms: number }[] = [];
  const coldB: { maxRssBytes: number; ms: number }[] = [];
  for (let i = 0; i < COLD_PAIRS; i++) {
    const [first, second] =
      i % 2 === 0 ? (['atakora', 'baseline'] as const) : (['baseline', 'atakora'] as const);
    const r1 = runChild(['synth', first, '100']);
    const r2 = runChild(['synth', second, '100']);
    const [ra, rb] = first === 'atakora' ? [r1, r2] : [r2, r1];
    if (ra && rb) {
      coldA.push(ra);
      coldB.push(rb);
    }
  }
  const coldPairs = coldA.map((x, i) => x.ms / coldB[i]!.ms).sort((p, q) => p - q);
  const rss = (xs: { maxRssBytes: number }[]) => median(xs.map((x) => x.maxRssBytes));
  const coldMs = (xs: { ms: number }[]) => median(xs.map((x) => x.ms));
  console.log('');
  console.log(
    `    one 100-CrudApi synth in a fresh process, ${COLD_PAIRS} alternating pairs (medians): peak RSS (process.resourceUsage().maxRSS, includes`,
  );
  console.log(
    '    module loading) and the time of the synth after the imports (apply loads the azurerm bindings it uses on first use; the',
  );
  console.log(
    '    baseline has them imported already, and so does atakora here, since this file imports both)',
  );
  const ok = coldA.length > 0;
  console.log(
    table(
      ['process', 'maxRSS', 'synth ms (cold)', 'target'],
      [
        ['atakora', ok ? mib(rss(coldA)) : 'failed', ok ? ms(coldMs(coldA)) : '', ''],
        [
          'baseline cdktf program',
          ok ? mib(rss(coldB)) : 'failed',
          ok ? ms(coldMs(coldB)) : '',
          '',
        ],
        [
          'ratio',
          ok ? `×${(rss(coldA) / rss(coldB)).toFixed(2)}` : '',
          ok
            ? `pairs ×${median(coldPairs).toFixed(2)} (×${coldPairs[0]!.toFixed(2)}–×${coldPairs.at(-1)!.toFixed(2)})`
            : '',
          `≤ ×${SYNTH_COLD_TARGET}`,
        ],
      ],
    ),
  );
  console.log('');
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) child(process.argv.slice(childAt + 1));
else main();
