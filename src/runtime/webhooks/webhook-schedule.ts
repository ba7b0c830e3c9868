import { WEBHOOK_LIMITS } from '../../contract/integrations/webhooks.js';

/**
 * The waits after each failed attempt, in seconds: 5 s, 5 min, 30 min, 2 h, 5 h, then every 10 h — the schedule
 * Standard Webhooks senders use (Svix's: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h) — until the
 * delivery's 24 hours are spent, the last attempt at their end.
 */
export const WEBHOOK_BACKOFF_SECONDS: readonly number[] = [5, 300, 1800, 7200, 18_000, 36_000];

const HOUR_MS = 3_600_000;

/**
 * When a delivery that just failed its `attempts`-th attempt is tried again, or undefined when its 24 hours (from
 * `windowStart`) are spent: the backoff step, or the endpoint's `Retry-After` instead when it gave one (at least a
 * second) — never past the window's end, where one last attempt is made.
 *
 * @example
 * ```ts
 * nextAttemptAt(0, 1, 1_000, undefined); // 6_000: 5 s after the first failure
 * nextAttemptAt(0, 1, 1_000, 60_000);    // 61_000: Retry-After: 60
 * ```
 */
export function nextAttemptAt(
  windowStart: number,
  attempts: number,
  now: number,
  retryAfterMs: number | undefined,
): number | undefined {
  const end = windowStart + WEBHOOK_LIMITS.retryHours * HOUR_MS;
  if (now >= end) return undefined;
  const step =
    WEBHOOK_BACKOFF_SECONDS[Math.min(attempts - 1, WEBHOOK_BACKOFF_SECONDS.length - 1)] ?? 5;
  const wait = retryAfterMs !== undefined ? Math.max(1000, retryAfterMs) : step * 1000;
  return Math.min(now + wait, end);
}

/**
 * Whether an endpoint whose deliveries have failed since `failingSince` (none succeeded since) is disabled now:
 * after 3 days.
 *
 * @example
 * ```ts
 * failedTooLong('2026-01-01T00:00:00.000Z', Date.parse('2026-01-04T00:00:00.000Z')); // true
 * ```
 */
export function failedTooLong(failingSince: string | undefined, now: number): boolean {
  if (failingSince === undefined) return false;
  return now - Date.parse(failingSince) >= WEBHOOK_LIMITS.disableAfterDays * 24 * HOUR_MS;
}
