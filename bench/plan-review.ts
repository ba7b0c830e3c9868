/**
 * The review page's price: `renderPlanHtml` of a plan of N CrudApis (default 1,000) — alone, and against a base
 * plan of N − 1 (the diff and its sections too) — beside the JSON renderer of the same plan
 * (`JSON.stringify(plan, null, 2)`, what `atakora plan --json` prints). Budgets: the page within ×3 of the JSON
 * renderer, and under 1 s absolute, at N components. Runs interleaved (JSON, HTML, HTML with base, …) after a
 * warm-up of {@link WARMUP} rounds, on the built package (`dist/index.js`, as `atakora plan` runs it); medians of
 * wall time, and of the main thread's own CPU time (Linux, /proc/self/task/<pid>/schedstat: on a machine shared with
 * other work the steadier figure). Both return a string the same way: `JSON.stringify` builds its text in parts, and
 * so does the page (src/plan/render/html-out.ts). The first render of each in this process (JSON, the page, then the
 * page with base: the code both pages share compiled once) — before V8 has optimized the page's code, what one
 * `atakora plan --format html` pays — is printed beside: held to the 1 s budget, not to the ratio (`JSON.stringify`
 * is native code and has no warm-up). Asserts nothing (a shared machine is noisy). Needs `npm run build`.
 *
 *   npx tsx bench/plan-review.ts [N=1000] [runs=25]
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { median } from './support/stats.js';
import { recordRatio } from './support/summary.js';

// The built package, as the CLI runs it (typed by its source: dist/ is absent until `npm run build`).
const lib = (await import(
  new URL('../dist/index.js', import.meta.url).href
)) as typeof import('../src/index.js');
const { defineBackend, CrudApi, renderPlanHtml } = lib;

const N = Math.max(Number(process.argv[2] ?? 1000) || 1000, 1);
/**
 * Timed runs of each. A page with a base varies run to run by a fifth (a young-generation collection or two lands in
 * some and not others): the median of 9 ranged ×2.26–3.17 of JSON over six processes, of 25 ×2.69–2.88 in the same
 * alternation.
 */
const RUNS = Math.max(Number(process.argv[3] ?? 25) || 25, 3);
const BUDGET_MS = 1000;
const BUDGET_RATIO = 3;
/**
 * Rounds (JSON, page, page with base) before the timed runs. In a fresh process the page's renders 1–6 take 1.5–3×
 * a settled one while V8 compiles, optimizes and — on the base plan's objects — deoptimizes and optimizes again the
 * page's code (per-render times, three processes: 55–78, 52–63, 35–51, 38–71, 38–54, 21–25, then 20–31 ms; JSON in
 * a fourth 10.8, 17.1, 11.5, 12.6, 9.0, 12.7, then 7.9–10.5 ms). With two rounds, the median of nine runs was one of
 * those renders as often as not (×2.97 to ×4.73 in three runs of one build; ×2.5–2.7 settled, 30 interleaved
 * rounds): ten leave the timed runs to settled code.
 */
const WARMUP = 10;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const loadAtStart = load();

/** The main thread's CPU time so far in ms (Linux), or NaN where it cannot be read. */
const schedstat = `/proc/self/task/${process.pid}/schedstat`;
function threadMs(): number {
  try {
    return Number(readFileSync(schedstat, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return Number.NaN;
  }
}

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

const time = (f: () => string): { ms: number; cpu: number; bytes: number } => {
  const c0 = threadMs();
  const t0 = performance.now();
  const s = f();
  const ms = performance.now() - t0;
  return { ms, cpu: threadMs() - c0, bytes: s.length };
};
const json = () => JSON.stringify(plan, null, 2);
const html = () => renderPlanHtml(plan);
const htmlWithBase = () => renderPlanHtml(plan, { base });

const first = { json: time(json), html: time(html), base: time(htmlWithBase) };
for (let i = 1; i < WARMUP; i++) {
  json();
  html();
  htmlWithBase();
}
const runs = { json: [] as number[], html: [] as number[], base: [] as number[] };
const cpu = { json: [] as number[], html: [] as number[], base: [] as number[] };
let sizes = { json: 0, html: 0, base: 0 };
for (let i = 0; i < RUNS; i++) {
  const j = time(json);
  const h = time(html);
  const b = time(htmlWithBase);
  runs.json.push(j.ms);
  runs.html.push(h.ms);
  runs.base.push(b.ms);
  cpu.json.push(j.cpu);
  cpu.html.push(h.cpu);
  cpu.base.push(b.cpu);
  sizes = { json: j.bytes, html: h.bytes, base: b.bytes };
}

const deploys = plan.resources.reduce((n, r) => n + r.deploys.length, 0);
const fmt = (xs: readonly number[]) =>
  `median ${median(xs).toFixed(1)} ms (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`;
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
const verdict = (ms: number, ratio: number) =>
  `budget ×${BUDGET_RATIO} and < ${BUDGET_MS} ms: ${ratio <= BUDGET_RATIO && ms < BUDGET_MS ? 'ok' : 'OVER'}`;
const ratio = (xs: readonly number[]) => median(xs) / median(runs.json);
const cpuRatio = (xs: readonly number[]) => median(xs) / median(cpu.json);
console.log(
  `plan-review: ${N} CrudApis (${plan.resources.length} shared resources, ${deploys} Terraform resources), ${RUNS} interleaved runs after a warm-up of ${WARMUP} rounds`,
);
const cold =
  `JSON ${first.json.ms.toFixed(1)} ms, page ${first.html.ms.toFixed(1)} ms (×${(first.html.ms / first.json.ms).toFixed(2)}), ` +
  `page with base ${first.base.ms.toFixed(1)} ms (×${(first.base.ms / first.json.ms).toFixed(2)})`;
const coldWorst = Math.max(first.html.ms, first.base.ms);
console.log(
  `  first render in this process (cold): ${cold}; under ${BUDGET_MS} ms: ${coldWorst < BUDGET_MS ? 'ok' : 'OVER'}`,
);
console.log(`  JSON renderer (JSON.stringify, 2-space):  ${fmt(runs.json)}, ${kib(sizes.json)}`);
console.log(
  `  renderPlanHtml(plan):                     ${fmt(runs.html)}, ${kib(sizes.html)}  ×${ratio(runs.html).toFixed(2)} of JSON; ${verdict(median(runs.html), ratio(runs.html))}`,
);
console.log(
  `  renderPlanHtml(plan, { base }) (N − 1):   ${fmt(runs.base)}, ${kib(sizes.base)}  ×${ratio(runs.base).toFixed(2)} of JSON; ${verdict(median(runs.base), ratio(runs.base))}`,
);
if (!Number.isNaN(median(cpu.json)))
  console.log(
    `  main-thread CPU, medians: JSON ${median(cpu.json).toFixed(1)} ms, page ${median(cpu.html).toFixed(1)} ms ` +
      `(×${cpuRatio(cpu.html).toFixed(2)}), page with base ${median(cpu.base).toFixed(1)} ms (×${cpuRatio(cpu.base).toFixed(2)})`,
  );
console.log(`  load average (1, 5, 15 min): ${loadAtStart} at the start, ${load()} at the end`);
recordRatio('plan-page', {
  label: `renderPlanHtml of ${N} CrudApis ÷ JSON.stringify(plan, null, 2)`,
  ratio: ratio(runs.html),
  budget: BUDGET_RATIO,
  detail:
    `wall, medians of ${RUNS} interleaved runs after ${WARMUP} rounds of warm-up; main-thread CPU ×${cpuRatio(cpu.html).toFixed(2)}; ` +
    `with a base ×${ratio(runs.base).toFixed(2)}; first render (cold) ${cold}; load ${loadAtStart} → ${load()}`,
});
