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
// Each phase measured: the import of the package and defineBackend (the config's check) are timed in every process;
// the plan's own phases in PHASES (default 3) further cold processes of their own, each plan under V8's sampling
// CPU profiler (the child's PHASES=1): the time under each function the planner calls, median and range over the
// processes — the profiler slows the plan, so those processes' times are in no ratio — and beneath, the merge
// phase's parts two calls deep (each type's merge and what it calls, the references, the deploys, the standalone
// prices). The spread between runs is printed beside every ratio: min, median and max of the processes' (cold) or
// plans' (warm) own plan ÷ copy.
// Not a timed test: nothing fails on a slow machine. Run after `npm run build`:
//   N=10000 RUNS=5 COLD=5 npx tsx bench/plan-scale.ts      (N=1000 for the linearity check; PHASES=0: no profile)
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
const profiled = Number(process.env.PHASES ?? 3);
const child = fileURLToPath(new URL('./support/plan-scale-child.mjs', import.meta.url));

interface Runs {
  /** The package's import (cold processes: one each). */
  loads: number[];
  defines: number[];
  /** defineBackend of the N definitions, before each plan: the config's check and normalization. */
  backends: number[];
  plans: number[];
  copies: number[];
  /** The main thread's CPU time of each plan and copy (empty where it cannot be read). */
  planCpu: number[];
  copyCpu: number[];
}
/** ms under each phase of one profiled plan, by the phase function's name. */
type Phases = Record<string, number>;

/** One child process of plain node: `planRuns` plans of fresh backends of one set of N definitions. */
function planProcess(
  dist: string,
  planRuns: number,
  phases = false,
): Runs & { phases: Phases[]; mergeParts: Phases[] } {
  const out = execFileSync(process.execPath, [child], {
    env: {
      ...process.env,
      ATAKORA_DIST: dist,
      N: String(n),
      RUNS: String(planRuns),
      PHASES: phases ? '1' : '0',
    },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Runs & {
    phases: Phases[];
    mergeParts: Phases[];
  };
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const loadAtStart = load();
const empty = (): Runs => ({
  loads: [],
  defines: [],
  backends: [],
  plans: [],
  copies: [],
  planCpu: [],
  copyCpu: [],
});
const warm = new Map(builds.map(([label]) => [label, empty()]));
const cold = new Map(builds.map(([label]) => [label, empty()]));
for (const [label, dist] of builds) {
  const one = planProcess(dist, runs + 1);
  // The process's first plan is a cold one: warm figures are the plans after it.
  warm.set(label, {
    loads: one.loads,
    defines: one.defines,
    backends: one.backends.slice(1),
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
    all.loads.push(...one.loads);
    all.defines.push(...one.defines);
    all.backends.push(...one.backends);
    all.plans.push(...one.plans);
    all.copies.push(...one.copies);
    all.planCpu.push(...one.planCpu);
    all.copyCpu.push(...one.copyCpu);
  }
}

// The plan's phases, in processes of their own (profiled, so in no ratio): one cold plan each, builds alternating.
const phases = new Map(builds.map(([label]) => [label, [] as Phases[]]));
/** The merge phase's parts in the same profiles, `caller › callee` (the child's partsOf). */
const mergeParts = new Map(builds.map(([label]) => [label, [] as Phases[]]));
for (let i = 0; i < profiled; i++)
  for (const [label, dist] of builds) {
    const one = planProcess(dist, 1, true);
    phases.get(label)!.push(...one.phases);
    mergeParts.get(label)!.push(...one.mergeParts);
  }

const fmt = (xs: readonly number[]) => xs.map((x) => x.toFixed(0)).join(' ');
const spread = (xs: readonly number[]) =>
  `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
/** min / median / max of ratios: the spread between runs. */
const ratioSpread = (xs: readonly number[]) =>
  `min ×${Math.min(...xs).toFixed(2)}, median ×${median(xs).toFixed(2)}, max ×${Math.max(...xs).toFixed(2)}`;
function report(
  what: 'warm' | 'cold',
  label: string,
  { loads, defines, backends, plans, copies, planCpu, copyCpu }: Runs,
): void {
  const target = what === 'warm' ? 1.1 : 1.2;
  const name = `${what}${label ? ` [${label}]` : ''}`;
  const ratio = median(plans) / median(copies);
  const pairs = plans.map((p, i) => p / copies[i]!);
  console.log(
    `${name} import of the package: ${fmt(loads)} ms (median ${median(loads).toFixed(0)}, ${spread(loads)})`,
  );
  console.log(
    `${name} define of ${n} CrudApis (the entry's part, before plan): ${fmt(defines)} ms`,
  );
  console.log(
    `${name} defineBackend (the config's check), before each plan: ${fmt(backends)} ms (median ${median(backends).toFixed(0)})`,
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
  console.log(`${name} spread of the own ratios, wall: ${ratioSpread(pairs)}`);
  if (planCpu.length === 0) return;
  const cpuPairs = planCpu.map((p, i) => p / copyCpu[i]!);
  const cpuRatio = median(planCpu) / median(copyCpu);
  console.log(
    `${name} main-thread CPU: plan median ${median(planCpu).toFixed(0)} ms, copy ${median(copyCpu).toFixed(0)} ms: ` +
      `×${cpuRatio.toFixed(2)}; own ratios ×${median(cpuPairs).toFixed(2)} (${cpuPairs.map((r) => r.toFixed(2)).join(' ')})`,
  );
  console.log(`${name} spread of the own ratios, CPU: ${ratioSpread(cpuPairs)}`);
  if (what === 'cold' && label !== 'base')
    recordRatio('cold-plan', {
      label: `first plan of ${n} CrudApis in a fresh process ÷ its cold JSON copy`,
      ratio,
      budget: 1.2,
      detail:
        `wall, median of ${plans.length} processes (own ratios ×${Math.min(...pairs).toFixed(2)}–×${Math.max(...pairs).toFixed(2)}); ` +
        `main-thread CPU ×${cpuRatio.toFixed(2)}; ` +
        `load ${loadAtStart} → ${load()}`,
    });
}
console.log(
  `plan-scale: N=${n}, warm RUNS=${runs} (after each process's first plan), cold COLD=${coldProcesses} processes${builds.length > 1 ? ' per build, alternating' : ''}; plain node on the built package`,
);
console.log(`load average (1, 5, 15 min): ${loadAtStart} at the start, ${load()} at the end`);
for (const [label] of builds) report('warm', label, warm.get(label)!);
for (const [label] of builds) report('cold', label, cold.get(label)!);

/**
 * Each phase of the cold plan: median ms (min–max) over the profiled processes, the largest first; with `parts`,
 * the merge phase's parts beneath (shares of the whole plan; a part's callees are inside it, so they do not add up).
 */
function reportPhases(label: string, profiles: readonly Phases[], parts: readonly Phases[]): void {
  if (profiles.length === 0) return;
  const total = median(profiles.map((p) => Object.values(p).reduce((t, x) => t + x, 0)));
  const rowsOf = (of: readonly Phases[], min: number) =>
    [...new Set(of.flatMap((p) => Object.keys(p)))]
      .map((phase) => ({ phase, ms: of.map((p) => p[phase] ?? 0) }))
      .filter(({ ms }) => median(ms) >= min)
      .sort((a, b) => median(b.ms) - median(a.ms));
  const print = ({ phase, ms }: { phase: string; ms: number[] }, width: number) =>
    console.log(
      `  ${phase.padEnd(width)} ${median(ms).toFixed(1).padStart(7)} ms  ${((100 * median(ms)) / total).toFixed(1).padStart(5)}%  (${Math.min(...ms).toFixed(1)}–${Math.max(...ms).toFixed(1)})`,
    );
  console.log(
    `cold plan by phase${label ? ` [${label}]` : ''} (${profiles.length} processes of their own, each plan under the CPU profiler: in no ratio), median ${total.toFixed(0)} ms in all:`,
  );
  for (const row of rowsOf(profiles, 0)) print(row, 28);
  if (parts.length === 0) return;
  // Parts under 1 % of the plan are left out: the merge calls a dozen small helpers per type.
  console.log(`the merge phase's parts (caller › callee, by function name; ≥ 1 % of the plan):`);
  for (const row of rowsOf(parts, total / 100)) print(row, 52);
}
for (const [label] of builds) reportPhases(label, phases.get(label)!, mergeParts.get(label)!);
