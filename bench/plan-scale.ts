// Planner scale check: plan N CrudApis (default 10,000) and print each plan's time beside a JSON
// copy of that plan made in the same process (the floor: what merely copying the plan's data costs), with the
// targets beside the ratios: warm ≤ ×1.10, cold ≤ ×1.20.
// - warm: one process plans RUNS + 1 fresh backends of the same definitions; its first plan is a cold one and is
//   left out (what a long process, a test suite or `atakora dev` pays from the second plan on);
// - cold: COLD processes that each plan once (what `atakora plan` pays: an unwarmed JIT and a small heap).
// Every plan runs in a child process of plain `node` on the built package (bench/support/plan-scale-child.mjs),
// as `atakora plan` does: no tsx loader hooks, no source maps. Each process also times defining the N CrudApis
// (what the entry does before plan). Ratios: the ratio of the medians (the headline), and the median of each
// process's (cold) or plan's (warm) own plan ÷ copy, a pair measured back to back on a shared machine.
// Beside the wall times, the main thread's own CPU time over the same spans (Linux; see the child), and the load
// average at the start and the end: on a shared machine the CPU ratio is the steadier figure.
// Not a timed test: nothing fails on a slow machine. Run after `npm run build`:
//   N=10000 RUNS=5 COLD=5 npx tsx bench/plan-scale.ts      (N=1000 for the linearity check)
// ATAKORA_DIST=/path/to/other/dist/index.js measures another build; with ATAKORA_DIST_BASE=/path/to/base/dist/index.js
// too, the two builds alternate process by process (base, other, base, other …) and both are printed: an A/B of
// two commits on a noisy machine.
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './support/stats.js';
import { recordRatio } from './support/summary.js';

const distOf = (file: string | undefined) =>
  file ? pathToFileURL(file).href : new URL('../dist/index.js', import.meta.url).href;
const builds: [label: string, dist: string][] = process.env.ATAKORA_DIST_BASE
  ? [
      ['base', distOf(process.env.ATAKORA_DIST_BASE)],
      ['this', distOf(process.env.ATAKORA_DIST)],
    ]
  : [['', distOf(process.env.ATAKORA_DIST)]];
const n = Number(process.env.N ?? 10000);
const runs = Number(process.env.RUNS ?? 5);
const coldProcesses = Number(process.env.COLD ?? 5);
const child = fileURLToPath(new URL('./support/plan-scale-child.mjs', import.meta.url));

interface Runs {
  defines: number[];
  plans: number[];
  copies: number[];
  /** The main thread's CPU time of each plan and copy (empty where it cannot be read). */
  planCpu: number[];
  copyCpu: number[];
}

/** One child process of plain node: `planRuns` plans of fresh backends of one set of N definitions. */
function planProcess(dist: string, planRuns: number): Runs {
  const out = execFileSync(process.execPath, [child], {
    env: { ...process.env, ATAKORA_DIST: dist, N: String(n), RUNS: String(planRuns) },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Runs;
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const loadAtStart = load();
const empty = (): Runs => ({ defines: [], plans: [], copies: [], planCpu: [], copyCpu: [] });
const warm = new Map(builds.map(([label]) => [label, empty()]));
const cold = new Map(builds.map(([label]) => [label, empty()]));
for (const [label, dist] of builds) {
  const one = planProcess(dist, runs + 1);
  // The process's first plan is a cold one: warm figures are the plans after it.
  warm.set(label, {
    defines: one.defines,
    plans: one.plans.slice(1),
    copies: one.copies.slice(1),
    planCpu: one.planCpu.slice(1),
    copyCpu: one.copyCpu.slice(1),
  });
}
for (let i = 0; i < coldProcesses; i++) {
  for (const [label, dist] of builds) {
    const one = planProcess(dist, 1);
    const all = cold.get(label)!;
    all.defines.push(...one.defines);
    all.plans.push(...one.plans);
    all.copies.push(...one.copies);
    all.planCpu.push(...one.planCpu);
    all.copyCpu.push(...one.copyCpu);
  }
}

const fmt = (xs: readonly number[]) => xs.map((x) => x.toFixed(0)).join(' ');
const spread = (xs: readonly number[]) =>
  `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
function report(
  what: 'warm' | 'cold',
  label: string,
  { defines, plans, copies, planCpu, copyCpu }: Runs,
): void {
  const target = what === 'warm' ? 1.1 : 1.2;
  const name = `${what}${label ? ` [${label}]` : ''}`;
  const ratio = median(plans) / median(copies);
  const pairs = plans.map((p, i) => p / copies[i]!);
  console.log(
    `${name} define of ${n} CrudApis (the entry's part, before plan): ${fmt(defines)} ms`,
  );
  console.log(
    `${name} plan of ${n} CrudApis: ${fmt(plans)} ms (median ${median(plans).toFixed(0)}, ${spread(plans)}, n=${plans.length})`,
  );
  console.log(
    `${name} JSON copy of the plan: ${fmt(copies)} ms (median ${median(copies).toFixed(0)}, ${spread(copies)})`,
  );
  console.log(
    `${name} plan ÷ copy ×${ratio.toFixed(2)} (target ≤ ×${target.toFixed(2)}: ${ratio <= target ? 'met' : 'NOT met'}); ` +
      `median of the ${what === 'cold' ? "processes'" : "plans'"} own ratios ×${median(pairs).toFixed(2)} (${pairs.map((r) => r.toFixed(2)).join(' ')})`,
  );
  if (planCpu.length === 0) return;
  const cpuPairs = planCpu.map((p, i) => p / copyCpu[i]!);
  const cpuRatio = median(planCpu) / median(copyCpu);
  console.log(
    `${name} main-thread CPU: plan median ${median(planCpu).toFixed(0)} ms, copy ${median(copyCpu).toFixed(0)} ms: ` +
      `×${cpuRatio.toFixed(2)}; own ratios ×${median(cpuPairs).toFixed(2)} (${cpuPairs.map((r) => r.toFixed(2)).join(' ')})`,
  );
  if (what === 'cold' && label !== 'base')
    recordRatio('cold-plan', {
      label: `first plan of ${n} CrudApis in a fresh process ÷ its cold JSON copy`,
      ratio,
      budget: 1.2,
      detail:
        `wall, median of ${plans.length} processes; main-thread CPU ×${cpuRatio.toFixed(2)}; ` +
        `load ${loadAtStart} → ${load()}`,
    });
}
console.log(
  `plan-scale: N=${n}, warm RUNS=${runs} (after each process's first plan), cold COLD=${coldProcesses} processes${builds.length > 1 ? ' per build, alternating' : ''}; plain node on the built package`,
);
console.log(`load average (1, 5, 15 min): ${loadAtStart} at the start, ${load()} at the end`);
for (const [label] of builds) report('warm', label, warm.get(label)!);
for (const [label] of builds) report('cold', label, cold.get(label)!);
