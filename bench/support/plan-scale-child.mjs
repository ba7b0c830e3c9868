// One process of bench/plan-scale.ts: what `atakora plan` runs — plain `node` on the built package, no tsx (no
// loader hooks, no source maps). Defines N CrudApis, then plans RUNS fresh backends of them, each plan followed by
// its floor: a JSON copy of that plan (`JSON.parse(JSON.stringify(plan))`) made right after, in the same process.
// Prints one JSON line: { defines, plans, copies } in ms. Environment: ATAKORA_DIST (a file URL of dist/index.js),
// N (default 10000), RUNS (default 1; the first plan is this process's cold one).
const { defineBackend, CrudApi } = await import(
  process.env.ATAKORA_DIST ?? new URL('../../dist/index.js', import.meta.url).href
);
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
for (let r = 0; r < runs; r++) {
  // plan() is cached per backend: a new one each time.
  const backend = defineBackend(defs, { environment: 'bench', location: 'eastus' });
  const t0 = performance.now();
  const plan = backend.plan();
  const t1 = performance.now();
  JSON.parse(JSON.stringify(plan));
  plans.push(t1 - t0);
  copies.push(performance.now() - t1);
}
console.log(JSON.stringify({ defines, plans, copies }));
