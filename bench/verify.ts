/**
 * `atakora verify` of a 6-entity backend (budget: under 60 s on these machines): test/cli/fixtures/verify/shop.ts —
 * six CrudApis of a multi-tenant shop (per-directory customers, orders and cascading order lines with an Admin role,
 * a shared catalogue with shared reviews, realtime notes), 8 principals — derived and proven against atakora dev's
 * stack on loopback with fresh data, timed from the call to the result (dev's start and stop included). Prints each
 * run, the median, the requests sent and the cells proven; records the median against the 60 s budget for the
 * summary. Asserts nothing (a shared machine is noisy).
 *
 *   npx tsx bench/verify.ts [runs=3]
 */
import { loadavg } from 'node:os';
import { verifyEntry } from '../src/cli/verify/run.js';
import { median } from './support/stats.js';
import { recordRatio } from './support/summary.js';

const RUNS = Math.min(Math.max(Number(process.argv[2] ?? 3) || 3, 1), 20);
const BUDGET_S = 60;
const entry = 'test/cli/fixtures/verify/shop.ts';

const seconds: number[] = [];
let last: Awaited<ReturnType<typeof verifyEntry>> | undefined;
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  last = await verifyEntry(entry, { file: false });
  seconds.push((performance.now() - t0) / 1000);
  console.log(
    `run ${String(i + 1)}: ${seconds.at(-1)!.toFixed(1)} s, ${String(last.proof.requests)} requests, ` +
      `${String(last.proof.proven.size)} cells proven, ${String(last.proof.divergences.length)} divergences`,
  );
}
const m = median(seconds);
console.log(
  `atakora verify, 6 CrudApis × ${String(last!.matrix.principals.length)} principals ` +
    `(${String(last!.matrix.rows.length)} routes): median ${m.toFixed(1)} s of ${String(RUNS)} ` +
    `(min ${Math.min(...seconds).toFixed(1)}, max ${Math.max(...seconds).toFixed(1)}); budget < ${String(BUDGET_S)} s; ` +
    `load average ${loadavg()[0]!.toFixed(1)}`,
);
recordRatio('verify', {
  label: 'atakora verify of a 6-entity backend ÷ its 60 s budget',
  ratio: m / BUDGET_S,
  budget: 1,
  detail: `median ${m.toFixed(1)} s of ${String(RUNS)} runs, ${String(last!.proof.requests)} requests each`,
});
