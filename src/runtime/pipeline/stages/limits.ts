import type { Passed, Stage, TenantContext } from '../context.js';
import { dayQuota } from './day-quota.js';
import { rateLimit } from './rate-limit.js';
import { storageQuota } from './storage-quota.js';

/**
 * The limit checks, in order: each sees the caller and the tenant and passes the context on or refuses (a plan's
 * quota, a rate limit: 429 with `Retry-After`); a limit is one file and one line here. The quotas come first: the
 * rate limit counts the request it lets through in the minute's window, which a refused one must not take.
 *
 * @example
 * ```ts
 * export const LIMITS: readonly Stage<TenantContext, TenantContext>[] = [rateLimit];
 * ```
 */
export const LIMITS: readonly Stage<TenantContext, TenantContext>[] = [
  storageQuota,
  dayQuota,
  rateLimit,
];

/**
 * Limits: every check of {@link LIMITS} in order, the first refusal ending the request (synchronous while the
 * checks are: an empty list costs the request nothing).
 *
 * @example
 * ```ts
 * const limited = await limits(confined.ctx);
 * ```
 */
export function limits<R>(
  ctx: TenantContext<R>,
): Passed<TenantContext<R>> | Promise<Passed<TenantContext<R>>> {
  return LIMITS.length === 0 ? { ok: true, ctx } : checkFrom(0, ctx);
}

/** The checks from the `i`-th on, awaiting only those that answer a promise. */
async function checkFrom<R>(i: number, ctx: TenantContext<R>): Promise<Passed<TenantContext<R>>> {
  let current: TenantContext<R> = ctx;
  for (const check of LIMITS.slice(i)) {
    const passed = await check(current as TenantContext);
    if (!passed.ok) return passed;
    // A limit passes on the context it was given, extended: the route's own fields are still there.
    current = passed.ctx as TenantContext<R>;
  }
  return { ok: true, ctx: current };
}
