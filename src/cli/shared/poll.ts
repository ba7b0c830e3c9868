/** How a {@link pollUntil} ended. */
export interface PollOutcome {
  readonly ok: boolean;
  readonly attempts: number;
  /** The last failure (`HTTP 503`, `ECONNREFUSED`, `timeout`), or what the successful attempt said. */
  readonly last: string;
  readonly elapsedMs: number;
}

/** Options of {@link pollUntil}. */
export interface PollOptions {
  /** Give up after this long. */
  readonly timeoutMs: number;
  /** First wait between attempts; doubles up to `maxDelayMs`. */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Called after each failed attempt. */
  readonly onAttempt?: (attempt: number, last: string) => void;
}

/**
 * Try `attempt` until it succeeds or `timeoutMs` has passed, waiting 1 s, 2 s, 4 s … (at most `maxDelayMs`)
 * between tries. Each try gets a signal that aborts it after 10 s, or when the time left runs out (never under a
 * second: the last try may start at the deadline, and a slow success is still one). An attempt returns
 * `{ ok: true, said }` or a failure's description; a throw is described as `timeout` or its network code. What
 * the deploy's health check and its site check both do with what they fetch.
 *
 * @example
 * ```ts
 * const outcome = await pollUntil(async (signal) => {
 *   const status = await probeStatus(healthUrl, { signal }); // azure/probe.ts
 *   return status === 200 ? { ok: true, said: 'HTTP 200' } : `HTTP ${status}`;
 * }, { timeoutMs: 300_000 });
 * ```
 */
export async function pollUntil(
  attempt: (signal: AbortSignal) => Promise<{ ok: true; said: string } | string>,
  options: PollOptions,
): Promise<PollOutcome> {
  const { timeoutMs, initialDelayMs = 1000, maxDelayMs = 15_000 } = options;
  const start = Date.now();
  const deadline = start + timeoutMs;
  let delay = initialDelayMs;
  let attempts = 0;
  let last = 'not tried';
  for (;;) {
    attempts++;
    const remaining = Math.max(1000, deadline - Date.now());
    try {
      const result = await attempt(AbortSignal.timeout(Math.min(10_000, remaining)));
      if (typeof result !== 'string')
        return { ok: true, attempts, last: result.said, elapsedMs: Date.now() - start };
      last = result;
    } catch (e) {
      last = describeFailure(e);
    }
    options.onAttempt?.(attempts, last);
    const wait = Math.min(delay, deadline - Date.now());
    if (wait <= 0) return { ok: false, attempts, last, elapsedMs: Date.now() - start };
    await new Promise((r) => setTimeout(r, wait));
    delay = Math.min(delay * 2, maxDelayMs);
  }
}

function describeFailure(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timeout';
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}
