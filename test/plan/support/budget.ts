/**
 * What `npm test` spends on test/plan's costliest property runs (the suite within 6 minutes on a quiet 2-core
 * machine). Each of those properties names its long run — the count it ran before — and `npm test` runs
 * {@link PROPERTY_SHARE} of it (at least {@link MIN_RUNS}), as test/model/budget.ts sizes the stateful models.
 * fast-check draws a fresh seed every run and prints the seed and the shrunk case of a failure, so every
 * `npm test` still tries new cases, and a failure replays with `fc.assert`'s `seed` and `path`.
 * Long runs, to look for new faults: `ATAKORA_PROPERTY_RUNS=full npx vitest run test/plan` (every long run in full),
 * or a factor of the long run (`ATAKORA_PROPERTY_RUNS=3`: three times it).
 */
export const PROPERTY_SHARE = 1 / 3;
/** The fewest runs a budgeted property makes. */
export const MIN_RUNS = 10;

/** The runs of a property whose long run is `long`, under this run's budget (ATAKORA_PROPERTY_RUNS). */
export function propertyRuns(long: number): number {
  const asked = process.env['ATAKORA_PROPERTY_RUNS'];
  if (asked === 'full') return long;
  const factor = asked === undefined || asked === '' ? PROPERTY_SHARE : Number(asked);
  if (!Number.isFinite(factor) || factor <= 0)
    throw new Error(
      `ATAKORA_PROPERTY_RUNS is "full" or a positive factor of the long runs, not "${asked}"`,
    );
  return Math.max(Math.min(long, MIN_RUNS), Math.ceil(long * factor));
}
