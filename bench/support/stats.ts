/**
 * The median of some timings (the mean of the middle two for an even count): the figure every bench prints.
 *
 * @example
 * ```ts
 * median([3, 1, 2]); // 2
 * ```
 */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * One `plan()` of a fresh backend timed beside its floor, a JSON copy of the same plan made right after in the
 * same process (what merely producing that much data costs). `plan()` is cached per backend: pass a new one.
 *
 * @example
 * ```ts
 * const { plan, planMs, copyMs } = planBesideCopy(defineBackend(defs));
 * ```
 */
export function planBesideCopy<P>(backend: { plan(): P }): {
  plan: P;
  planMs: number;
  copyMs: number;
} {
  const t0 = performance.now();
  const plan = backend.plan();
  const t1 = performance.now();
  JSON.parse(JSON.stringify(plan));
  return { plan, planMs: t1 - t0, copyMs: performance.now() - t1 };
}
