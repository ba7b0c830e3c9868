/**
 * A value written as a `$filter` literal: strings in single quotes with `'` doubled (`O'Brien` → `'O''Brien'`),
 * finite numbers as JSON writes them, `true`, `false`, `null`. What the typed client uses to build a query
 * string; the result still needs `encodeURIComponent` (or `URLSearchParams`) to go in a URL.
 *
 * @throws RangeError for a number that is not finite (no literal can carry it).
 * @example
 * ```ts
 * `$filter=${encodeURIComponent(`name eq ${formatLiteral("O'Brien")}`)}`; // name eq 'O''Brien'
 * formatLiteral(2.5); // '2.5'
 * ```
 */
export function formatLiteral(value: string | number | boolean | null): string {
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`${value} cannot be written in a $filter.`);
    return JSON.stringify(value);
  }
  return String(value);
}
