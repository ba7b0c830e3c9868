import { probeStatus } from '../azure/probe.js';
import { pollUntil } from '../shared/poll.js';

/** One app to verify: its name (for messages) and the URL of its health route. */
export interface HealthTarget {
  readonly app: string;
  readonly url: string;
}

/** The outcome for one app. */
export interface HealthResult extends HealthTarget {
  readonly ok: boolean;
  readonly attempts: number;
  /** The last answer: `HTTP 503`, or the network error (`ECONNREFUSED`, `timeout`). */
  readonly last: string;
  readonly elapsedMs: number;
}

/** Options of {@link verifyHealth}. */
export interface HealthOptions {
  /** Give up after this long (per app, all apps polled at once). */
  readonly timeoutMs: number;
  /** First wait between attempts; doubles up to `maxDelayMs`. */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Called after each failed attempt. */
  readonly onAttempt?: (target: HealthTarget, attempt: number, last: string) => void;
}

/**
 * Poll `GET <url>` of each app until it answers 200, waiting 1 s, 2 s, 4 s … (at most 15 s) between
 * attempts, within `timeoutMs`. A new Function App can take minutes to answer: the platform starts the host,
 * which reads its package and settings, and role assignments it needs may still be propagating
 * (https://learn.microsoft.com/azure/role-based-access-control/troubleshooting#symptom---role-assignment-changes-are-not-being-detected).
 * The health route (`GET api/health`, anonymous, DESIGN §6) reads every container the app owns, so 200 means
 * the app runs and reaches its data.
 *
 * @example
 * ```ts
 * const results = await verifyHealth(
 *   [
 *     {
 *       app: 'func-backend-prod-k3x9a1',
 *       url: 'https://func-backend-prod-k3x9a1.azurewebsites.net/api/health',
 *     },
 *   ],
 *   { timeoutMs: 300_000 },
 * );
 * const failed = results.filter((r) => !r.ok);
 * ```
 */
export async function verifyHealth(
  targets: readonly HealthTarget[],
  options: HealthOptions,
): Promise<HealthResult[]> {
  return Promise.all(targets.map((t) => verifyOne(t, options)));
}

async function verifyOne(target: HealthTarget, options: HealthOptions): Promise<HealthResult> {
  const outcome = await pollUntil(
    async (signal) => {
      const status = await probeStatus(target.url, { signal });
      return status === 200 ? { ok: true, said: 'HTTP 200' } : `HTTP ${status}`;
    },
    {
      ...options,
      onAttempt:
        options.onAttempt && ((attempt, last) => options.onAttempt?.(target, attempt, last)),
    },
  );
  return { ...target, ...outcome };
}
