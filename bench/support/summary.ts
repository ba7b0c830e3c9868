/**
 * The headline ratios of one `npm run bench`, gathered from the scripts that measure them: each records its ratio
 * (against a baseline it measured itself, in the same run) with {@link recordRatio}, and `bench/summary.ts` prints
 * them together at the end. The file lives in the package's cache folder; `bench/summary.ts reset` empties it at
 * the start of a run, so a ratio left over from an earlier run is never printed as this run's.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../node_modules/.cache/atakora-bench/ratios.json',
);

/** One headline ratio: what was measured against what, the figure, its budget, and how it was taken. */
export interface RecordedRatio {
  readonly label: string;
  readonly ratio: number;
  readonly budget: number;
  readonly detail: string;
}

type Recorded = Record<string, RecordedRatio & { readonly at: string }>;

function read(): Recorded {
  try {
    return JSON.parse(readFileSync(FILE, 'utf8')) as Recorded;
  } catch {
    return {};
  }
}

/**
 * Record a ratio under `key` for the run's summary (a later record of the same key replaces it).
 *
 * @example
 * ```ts
 * recordRatio('plan-page', { label: 'renderPlanHtml ÷ JSON.stringify', ratio: 2.4, budget: 3, detail: 'medians of 9' });
 * ```
 */
export function recordRatio(key: string, ratio: RecordedRatio): void {
  mkdirSync(dirname(FILE), { recursive: true });
  writeFileSync(
    FILE,
    JSON.stringify({ ...read(), [key]: { ...ratio, at: new Date().toISOString() } }, null, 2),
  );
}

/**
 * The ratios recorded since the last {@link resetRatios}, in the order they were recorded.
 *
 * @example
 * ```ts
 * for (const [key, r] of recordedRatios()) console.log(key, r.ratio);
 * ```
 */
export function recordedRatios(): [string, RecordedRatio & { readonly at: string }][] {
  return Object.entries(read());
}

/**
 * Forget every recorded ratio (the start of a run).
 *
 * @example
 * ```ts
 * resetRatios();
 * ```
 */
export function resetRatios(): void {
  rmSync(FILE, { force: true });
}
