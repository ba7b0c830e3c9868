import { median } from './stats.js';

/**
 * Interleaved pairs of two calls (A then B, B then A, so a machine that slows down moves both alike), the p50 of
 * each after a warm-up: what bench/mcp.ts and bench/agents.ts compare.
 *
 * @example
 * ```ts
 * const { a, b } = await interleavedPairs(withKey, withToken, { warmup: 40, ops: 300 });
 * console.log(`×${(a / b).toFixed(2)}`);
 * ```
 */
export async function interleavedPairs(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  { warmup, ops }: { readonly warmup: number; readonly ops: number },
): Promise<{ a: number; b: number }> {
  const timed = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < warmup + ops; i++) {
    const [x, y] =
      i % 2 ? [await timed(a), await timed(b)] : [await timed(b), await timed(a)].reverse();
    if (i >= warmup) {
      as.push(x!);
      bs.push(y!);
    }
  }
  return { a: median(as), b: median(bs) };
}
