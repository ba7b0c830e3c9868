import { at } from '../../model/at.js';
/**
 * The known key within a small edit distance (case ignored), if exactly one is nearest: the "did you mean"
 * of unknown component keys, backend config keys and feature flags.
 *
 * @example
 * ```ts
 * closest('enviroment', ['environment', 'location']); // 'environment'
 * ```
 */
export function closest(key: string, known: readonly string[]): string | undefined {
  const k = key.toLowerCase();
  const limit = Math.max(1, Math.min(3, Math.floor(k.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of known) {
    const d = distance(k, candidate.toLowerCase(), bestDistance);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** Levenshtein distance with transpositions counted as one edit, cut off at `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) >= max) return max;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(at(prev, j) + 1, at(row, j - 1) + 1, at(prev, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, at(prev2, j - 2) + 1);
      row.push(d);
    }
    [prev2, prev] = [prev, row];
  }
  return at(prev, b.length);
}
