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
 * const results = await verifyHealth([{ app: 'func-backend-prod-k3x9a1', url: 'https://func-backend-prod-k3x9a1.azurewebsites.net/api/health' }], { timeoutMs: 300_000 });
 * const failed = results.filter((r) => !r.ok);
 * ```
 */
export async function verifyHealth(targets: readonly HealthTarget[], options: HealthOptions): Promise<HealthResult[]> {
  return Promise.all(targets.map((t) => verifyOne(t, options)));
}

async function verifyOne(target: HealthTarget, options: HealthOptions): Promise<HealthResult> {
  const { timeoutMs, initialDelayMs = 1000, maxDelayMs = 15_000 } = options;
  const start = Date.now();
  const deadline = start + timeoutMs;
  let delay = initialDelayMs;
  let attempts = 0;
  let last = 'not tried';
  for (;;) {
    attempts++;
    // The last attempt may start at the deadline: it still gets a second to answer (a slow 200 is a pass).
    const remaining = Math.max(1000, deadline - Date.now());
    try {
      const res = await fetch(target.url, { signal: AbortSignal.timeout(Math.min(10_000, remaining)), redirect: 'manual', headers: { accept: 'application/json' } });
      await res.body?.cancel();
      if (res.status === 200) return { ...target, ok: true, attempts, last: 'HTTP 200', elapsedMs: Date.now() - start };
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = describeFailure(e);
    }
    options.onAttempt?.(target, attempts, last);
    const wait = Math.min(delay, deadline - Date.now());
    if (wait <= 0) return { ...target, ok: false, attempts, last, elapsedMs: Date.now() - start };
    await new Promise((r) => setTimeout(r, wait));
    delay = Math.min(delay * 2, maxDelayMs);
  }
}

function describeFailure(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timeout';
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}
