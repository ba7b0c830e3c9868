const NAMES: readonly (readonly string[] | undefined)[] = [
  undefined,
  undefined,
  undefined,
  undefined,
  ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
];
const LOWEST = [0, 0, 0, 1, 1, 0];
const HIGHEST = [59, 59, 23, 31, 12, 6];

/**
 * Whether a 6-field NCRONTAB schedule (`{second} {minute} {hour} {day} {month} {day-of-week}`, as
 * `FunctionsApp.define` checked it) fires at `at`, in UTC as the Functions host does by default
 * (learn.microsoft.com/azure/azure-functions/functions-bindings-timer#ncrontab-time-zones).
 *
 * @example
 * ```ts
 * firesAt('0 0 2 * * *', new Date('2026-01-01T02:00:00Z')); // true
 * ```
 */
export function firesAt(schedule: string, at: Date): boolean {
  const now = [
    at.getUTCSeconds(),
    at.getUTCMinutes(),
    at.getUTCHours(),
    at.getUTCDate(),
    at.getUTCMonth() + 1,
    at.getUTCDay(),
  ];
  return schedule
    .trim()
    .split(/\s+/)
    .every((field, i) => fieldMatches(field, now[i]!, i));
}

function fieldMatches(field: string, value: number, i: number): boolean {
  const number = (v: string): number => {
    const named = NAMES[i]?.indexOf(v.toUpperCase()) ?? -1;
    return named >= 0 ? LOWEST[i]! + named : Number(v);
  };
  return field.split(',').some((part) => {
    const [range = '*', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const [lo, hi] =
      range === '*'
        ? [LOWEST[i]!, HIGHEST[i]!]
        : range.includes('-')
          ? (range.split('-').map(number) as [number, number])
          : [number(range), stepText === undefined ? number(range) : HIGHEST[i]!];
    return value >= lo && value <= hi && (value - lo) % step === 0;
  });
}
