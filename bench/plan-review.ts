/**
 * The review page's price: `renderPlanHtml` of a plan of N CrudApis (default 1,000) — alone, and against a base
 * plan of N − 1 (the diff and its sections too) — beside the JSON renderer of the same plan
 * (`JSON.stringify(plan, null, 2)`, what `atakora plan --json` prints). Budget: under 1 s absolute for the page of
 * N components; the ratio to JSON is printed as the figure to watch. Runs interleaved (JSON, HTML, HTML
 * with base, …) after a warm-up, on the built package (`dist/index.js`, as `atakora plan` runs it); medians.
 * Asserts nothing (a shared machine is noisy). Needs `npm run build`.
 *
 *   npx tsx bench/plan-review.ts [N=1000] [runs=9]
 */
import { median } from './support/stats.js';

// The built package, as the CLI runs it (typed by its source: dist/ is absent until `npm run build`).
const lib = (await import(
  new URL('../dist/index.js', import.meta.url).href
)) as typeof import('../src/index.js');
const { defineBackend, CrudApi, renderPlanHtml } = lib;

const N = Math.max(Number(process.argv[2] ?? 1000) || 1000, 1);
const RUNS = Math.max(Number(process.argv[3] ?? 9) || 9, 3);
const BUDGET_MS = 1000;

const defs = (n: number) =>
  Object.fromEntries(
    Array.from({ length: n }, (_, i) => [
      `api${i}`,
      CrudApi.define(`Api${i}`, {
        entityName: `Entity${i}`,
        schema: { id: 'string', name: 'string', price: 'number' },
      }),
    ]),
  );
const plan = defineBackend(defs(N), { environment: 'prod', location: 'eastus' }).plan();
const base = defineBackend(defs(Math.max(N - 1, 1)), {
  environment: 'prod',
  location: 'eastus',
}).plan();

const time = (f: () => string): { ms: number; bytes: number } => {
  const t0 = performance.now();
  const s = f();
  return { ms: performance.now() - t0, bytes: s.length };
};
const json = () => JSON.stringify(plan, null, 2);
const html = () => renderPlanHtml(plan);
const htmlWithBase = () => renderPlanHtml(plan, { base });

for (let i = 0; i < 2; i++) {
  json();
  html();
  htmlWithBase();
}
const runs = { json: [] as number[], html: [] as number[], base: [] as number[] };
let sizes = { json: 0, html: 0, base: 0 };
for (let i = 0; i < RUNS; i++) {
  const j = time(json);
  const h = time(html);
  const b = time(htmlWithBase);
  runs.json.push(j.ms);
  runs.html.push(h.ms);
  runs.base.push(b.ms);
  sizes = { json: j.bytes, html: h.bytes, base: b.bytes };
}

const deploys = plan.resources.reduce((n, r) => n + r.deploys.length, 0);
const fmt = (xs: readonly number[]) =>
  `median ${median(xs).toFixed(1)} ms (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`;
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
const verdict = (ms: number) => (ms < BUDGET_MS ? 'ok' : 'OVER');
console.log(
  `plan-review: ${N} CrudApis (${plan.resources.length} shared resources, ${deploys} Terraform resources), ${RUNS} interleaved runs after a warm-up`,
);
console.log(`  JSON renderer (JSON.stringify, 2-space):  ${fmt(runs.json)}, ${kib(sizes.json)}`);
console.log(
  `  renderPlanHtml(plan):                     ${fmt(runs.html)}, ${kib(sizes.html)}  ×${(median(runs.html) / median(runs.json)).toFixed(2)} of JSON; budget < ${BUDGET_MS} ms: ${verdict(median(runs.html))}`,
);
console.log(
  `  renderPlanHtml(plan, { base }) (N − 1):   ${fmt(runs.base)}, ${kib(sizes.base)}  ×${(median(runs.base) / median(runs.json)).toFixed(2)} of JSON; budget < ${BUDGET_MS} ms: ${verdict(median(runs.base))}`,
);
