import type { Passed, Stage, TenantContext } from '../context.js';

/**
 * The limit checks, in order: each sees the caller and the tenant and passes the context on or refuses (a plan's
 * quota, a rate limit: 429 with `Retry-After`). Empty today; a limit is one file and one line here.
 *
 * @example
 * ```ts
 * export const LIMITS: readonly Stage<TenantContext, TenantContext>[] = [rateLimit];
 * ```
 */
export const LIMITS: readonly Stage<TenantContext, TenantContext>[] = [];

/**
 * Limits: every check of {@link LIMITS} in order, the first refusal ending the request.
 *
 * @example
 * ```ts
 * const limited = await limits(confined.ctx);
 * ```
 */
export async function limits<R>(ctx: TenantContext<R>): Promise<Passed<TenantContext<R>>> {
  let current: TenantContext<R> = ctx;
  for (const check of LIMITS) {
    const passed = await check(current as TenantContext);
    if (!passed.ok) return passed;
    current = passed.ctx as TenantContext<R>;
  }
  return { ok: true, ctx: current };
}
