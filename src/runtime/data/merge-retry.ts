/**
 * How PATCH without `If-Match` retries when its own conditional write loses a race: up to `attempts`
 * read-merge-write rounds, waiting a random time up to `baseDelayMs × 2^round` (capped at `maxDelayMs`)
 * between them — "full jitter", so that writers who collided do not collide again in lockstep.
 *
 * @example
 * ```ts
 * createCrudHandlers(entity, container, { mergeRetry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 50 } });
 * ```
 */
export interface MergeRetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * The default {@link MergeRetryPolicy}: 10 rounds, 20 ms base, 500 ms cap (at most ~3 s of waiting, ~1.5 s
 * on average; the call deadline stops it earlier).
 *
 * @example
 * ```ts
 * const policy = { ...DEFAULT_MERGE_RETRY, attempts: 12 };
 * ```
 */
export const DEFAULT_MERGE_RETRY: MergeRetryPolicy = {
  attempts: 10,
  baseDelayMs: 20,
  maxDelayMs: 500,
};

/**
 * Wait before retry round `round` (1-based): uniform in [0, min(maxDelayMs, baseDelayMs × 2^round)).
 *
 * @example
 * ```ts
 * await backoff(DEFAULT_MERGE_RETRY, 2); // 0–80 ms
 * ```
 */
export function backoff(
  policy: MergeRetryPolicy,
  round: number,
  random: () => number = Math.random,
): Promise<void> {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** round);
  const ms = Math.floor(random() * ceiling);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
