/**
 * What the benches that scan 10k items (bench/search.ts, bench/aggregate.ts) share: the handlers' options and a
 * seeded random source, so each run writes the same items.
 */
import { DEFAULT_COSMOS_POLICY } from '../../src/runtime/data/cosmos-policy.js';

/**
 * The handlers' options: no log, and every side under one bound well above the runtime's 10 s guard — on a loaded
 * machine dev's scan of 10k items can pass it, and a 503 would end the run instead of timing it (the bench
 * measures time, not the guard).
 *
 * @example
 * ```ts
 * const { collection } = createCrudHandlers(entity, container, SCAN_OPTIONS);
 * ```
 */
export const SCAN_OPTIONS = {
  logger: () => undefined,
  cosmos: { ...DEFAULT_COSMOS_POLICY, timeoutMs: 120_000 },
};

/**
 * A seeded uniform source in [0, 1) (Park–Miller): the same sequence for the same seed, every run.
 *
 * @example
 * ```ts
 * const rand = seededRandom(7);
 * rand(); // 0.000157… (7 × 48271 ÷ (2³¹ − 1))
 * ```
 */
export function seededRandom(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 48271) % 2147483647) / 2147483647;
}
