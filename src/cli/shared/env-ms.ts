/**
 * Milliseconds from an environment variable: a finite number ≥ 0, else `fallback`. Unset and blank are the
 * fallback, not 0: `Number('')` is 0, and a CI file that writes `ATAKORA_ADMIT_SETTLE_MS=` must not turn a wait off.
 *
 * @example
 * ```ts
 * msFromEnv({ ATAKORA_ADMIT_SETTLE_MS: '0' }, 'ATAKORA_ADMIT_SETTLE_MS', 30_000); // 0
 * msFromEnv({ ATAKORA_ADMIT_SETTLE_MS: '' }, 'ATAKORA_ADMIT_SETTLE_MS', 30_000);  // 30000
 * ```
 */
export function msFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const ms = Number(text);
  return Number.isFinite(ms) && ms >= 0 ? ms : fallback;
}
