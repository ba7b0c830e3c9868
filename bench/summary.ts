/**
 * The last step of `npm run bench`: the headline ratios the run measured, each against the baseline its script
 * measured in the same run, beside its budget — the first plan of 10,000 CrudApis in a fresh process against its
 * cold JSON copy (bench/plan-scale.ts), the plan page against `JSON.stringify(plan, null, 2)` (bench/plan-review.ts),
 * tsc on the 500-call builder chain against a flat chain (bench/typecheck.ts), `atakora dev`'s start with tracing
 * against without (bench/dev-start.ts) and a traced CRUD request against an untraced one (bench/traces.ts) — and
 * the load average, since the machine's other work moves every figure. Prints; never fails on a number.
 *
 *   npx tsx bench/summary.ts          print what this run recorded
 *   npx tsx bench/summary.ts reset    forget it (the first step of `npm run bench`)
 */
import { loadavg } from 'node:os';
import { recordedRatios, resetRatios } from './support/summary.js';

if (process.argv[2] === 'reset') {
  resetRatios();
} else {
  const recorded = recordedRatios();
  console.log(
    `Headline ratios of this run (load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} now; ratios of medians, each against a baseline measured in the same run)`,
  );
  if (recorded.length === 0) console.log('  none recorded (run the benches first)');
  for (const [, r] of recorded)
    console.log(
      `  ×${r.ratio.toFixed(2)}  ${r.ratio <= r.budget ? 'ok  ' : 'OVER'} (budget ≤ ×${r.budget})  ${r.label}\n` +
        `         ${r.detail}`,
    );
}
