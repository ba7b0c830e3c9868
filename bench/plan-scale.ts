// Planner scale check (issue 26): plan N CrudApis (default 10,000) and print each plan's time beside a JSON copy
// of that plan made in the same process (the floor: what merely copying the plan's data costs).
// - warm: RUNS plans of fresh backends of the same definitions in one process (what a long process, a test
//   suite or `atakora dev` pays from the second plan on);
// - cold: COLD child processes that each plan once (what `atakora plan` pays: an unwarmed JIT and a small heap).
// Each process also times defining the N CrudApis (what the entry does before plan; the warm one's is first).
// Not a timed test: nothing fails on a slow machine. Run after `npm run build`:
//   N=10000 RUNS=5 COLD=3 npx tsx bench/plan-scale.ts      (N=1000 for the linearity check)
// ATAKORA_DIST=/path/to/other/dist/index.js measures another build (an A/B of two commits).
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, planBesideCopy } from './support/stats.js';

const dist = process.env.ATAKORA_DIST ? pathToFileURL(process.env.ATAKORA_DIST).href : new URL('../dist/index.js', import.meta.url).href;
const n = Number(process.env.N ?? 10000);

interface Runs { defines: number[]; plans: number[]; copies: number[] }

/** One process's plans: `runs` fresh backends of one set of definitions, each plan then its JSON copy. */
async function planRuns(runs: number): Promise<Runs> {
  const { defineBackend, CrudApi } = (await import(dist)) as typeof import('../src/index.js');
  const d0 = performance.now();
  const defs: Record<string, ReturnType<typeof CrudApi.define>> = {};
  for (let i = 0; i < n; i++) defs[`api${i}`] = CrudApi.define(`Api${i}`, { entityName: `Entity${i}`, schema: { id: 'string', name: 'string', price: 'number' } });
  const defines = [performance.now() - d0];
  const plans: number[] = [];
  const copies: number[] = [];
  for (let r = 0; r < runs; r++) {
    const { planMs, copyMs } = planBesideCopy(defineBackend(defs, { environment: 'bench', location: 'eastus' }));
    plans.push(planMs);
    copies.push(copyMs);
  }
  return { defines, plans, copies };
}

if (process.env.PLAN_SCALE_CHILD) {
  console.log(JSON.stringify(await planRuns(1)));
} else {
  const fmt = (xs: readonly number[]) => xs.map((x) => x.toFixed(0)).join(' ');
  const report = (what: string, { defines, plans, copies }: Runs) => {
    console.log(`${what} define of ${n} CrudApis (the entry's part, before plan): ${fmt(defines)} ms`);
    console.log(`${what} plan of ${n} CrudApis: ${fmt(plans)} ms (median ${median(plans).toFixed(0)})`);
    console.log(`${what} JSON copy of the plan: ${fmt(copies)} ms (median ${median(copies).toFixed(0)}); plan ÷ copy ×${(median(plans) / median(copies)).toFixed(2)}`);
  };
  report('warm', await planRuns(Number(process.env.RUNS ?? 5)));
  const cold: Runs = { defines: [], plans: [], copies: [] };
  for (let i = 0; i < Number(process.env.COLD ?? 3); i++) {
    const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], { env: { ...process.env, PLAN_SCALE_CHILD: '1' }, encoding: 'utf8' });
    const one = JSON.parse(out.trim().split('\n').at(-1)!) as Runs;
    cold.defines.push(...one.defines);
    cold.plans.push(...one.plans);
    cold.copies.push(...one.copies);
  }
  report('cold', cold);
}
