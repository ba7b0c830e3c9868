// One process of bench/plan-scale.ts: what `atakora plan` runs — plain `node` on the built package, no tsx (no
// loader hooks, no source maps). Defines N CrudApis, then plans RUNS fresh backends of them, each plan followed by
// its floor: a JSON copy of that plan (`JSON.parse(JSON.stringify(plan))`) made right after, in the same process.
// Prints one JSON line: { defines, plans, copies, planCpu, copyCpu } in ms. Environment: ATAKORA_DIST (a file URL of
// dist/index.js), N (default 10000), RUNS (default 1; the first plan is this process's cold one).
//
// planCpu/copyCpu: the main thread's own CPU time over the same spans (Linux: /proc/self/task/<pid>/schedstat, in
// ns; empty elsewhere). On a machine shared with other work a process waits for a core for much of its wall
// time, and not alike for the plan and the copy; the time its main thread actually ran moves far less with the
// load (GC helper and compiler threads are not in it).
import { readFileSync } from 'node:fs';

const { defineBackend, CrudApi } = await import(
  process.env.ATAKORA_DIST ?? new URL('../../dist/index.js', import.meta.url).href
);
const schedstat = `/proc/self/task/${process.pid}/schedstat`;
const threadMs = () => {
  try {
    return Number(readFileSync(schedstat, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
};
const n = Number(process.env.N ?? 10000);
const runs = Number(process.env.RUNS ?? 1);

const d0 = performance.now();
const defs = {};
for (let i = 0; i < n; i++)
  defs[`api${i}`] = CrudApi.define(`Api${i}`, {
    entityName: `Entity${i}`,
    schema: { id: 'string', name: 'string', price: 'number' },
  });
const defines = [performance.now() - d0];
const plans = [];
const copies = [];
const planCpu = [];
const copyCpu = [];
for (let r = 0; r < runs; r++) {
  // plan() is cached per backend: a new one each time.
  const backend = defineBackend(defs, { environment: 'bench', location: 'eastus' });
  const c0 = threadMs();
  const t0 = performance.now();
  const plan = backend.plan();
  const t1 = performance.now();
  const c1 = threadMs();
  JSON.parse(JSON.stringify(plan));
  const t2 = performance.now();
  const c2 = threadMs();
  plans.push(t1 - t0);
  copies.push(t2 - t1);
  if (c0 !== undefined) {
    planCpu.push(c1 - c0);
    copyCpu.push(c2 - c1);
  }
}
console.log(JSON.stringify({ defines, plans, copies, planCpu, copyCpu }));
