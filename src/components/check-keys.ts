import { AtakoraError } from '../model/errors.js';

/**
 * Reject keys a definition does not know, with the path and, for a near miss, the key that was probably
 * meant: a misspelt optional key (`partitonKey`) would otherwise be dropped silently and the default used.
 *
 * @example
 * ```ts
 * checkKnownKeys({ entityName: 'User', partitonKey: '/id' }, ['entityName', 'partitionKey'], ['components', 'UserApi', 'config'], 'CrudApi UserApi');
 * // AtakoraError CONFIG_UNKNOWN_KEY: CrudApi UserApi: unknown key "partitonKey" (did you mean "partitionKey"?).
 * ```
 */
export function checkKnownKeys(value: object, known: readonly string[], path: readonly (string | number)[], what: string): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const guess = closest(key, known);
    throw new AtakoraError('CONFIG_UNKNOWN_KEY', `${what}: unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}.`, {
      path: [...path, key],
      details: { key, known },
      resolution: `${guess ? `Rename it to "${guess}"` : 'Remove it'}; the accepted keys here are: ${known.join(', ')}.`,
    });
  }
}

/** The known key within a small edit distance (case ignored), if exactly one is nearest. */
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
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
    }
    [prev2, prev] = [prev, row];
  }
  return prev[b.length]!;
}

/**
 * The keys of a config interface as a runtime list, checked both ways by the compiler: a listed key that `T`
 * lacks, or a key of `T` left out, is a type error — so adding an option to a config type without adding it
 * here fails to compile instead of being rejected at run time as unknown.
 *
 * @example
 * ```ts
 * const CACHE_KEYS = keysOf<{ enabled: boolean; ttl?: number }>()(['enabled', 'ttl']);
 * ```
 */
export const keysOf = <T>() =>
  <const K extends readonly (keyof T & string)[]>(keys: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : { readonly missingKeys: Exclude<keyof T, K[number]> })): readonly string[] => keys;
