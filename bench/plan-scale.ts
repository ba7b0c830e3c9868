// Planner scale check (issue 26): plan N CrudApis (default 10,000) RUNS times, each plan followed in the same
// process by a JSON copy of it (the floor: what merely copying the plan's data costs), and print both with
// their medians. Not a timed test: nothing fails on a slow machine. Run after `npm run build`:
//   N=10000 RUNS=5 npx tsx bench/plan-scale.ts      (N=1000 for the linearity check)
import { median } from './support/stats.js';

const { defineBackend, CrudApi } = (await import(new URL('../dist/index.js', import.meta.url).href)) as typeof import('../src/index.js');
const n = Number(process.env.N ?? 10000);
const runs = Number(process.env.RUNS ?? 5);
const defs: Record<string, ReturnType<typeof CrudApi.define>> = {};
for (let i = 0; i < n; i++) defs[`api${i}`] = CrudApi.define(`Api${i}`, { entityName: `Entity${i}`, schema: { id: 'string', name: 'string', price: 'number' } });
const plans: number[] = [];
const copies: number[] = [];
for (let r = 0; r < runs; r++) {
  const backend = defineBackend(defs, { environment: 'bench', location: 'eastus' });
  const t0 = performance.now();
  const plan = backend.plan();
  const t1 = performance.now();
  JSON.parse(JSON.stringify(plan));
  copies.push(performance.now() - t1);
  plans.push(t1 - t0);
}
const fmt = (xs: readonly number[]) => xs.map((x) => x.toFixed(0)).join(' ');
console.log(`plan of ${n} CrudApis: ${fmt(plans)} ms (median ${median(plans).toFixed(0)})`);
console.log(`JSON copy of the plan: ${fmt(copies)} ms (median ${median(copies).toFixed(0)}); plan ÷ copy ×${(median(plans) / median(copies)).toFixed(2)}`);
