import type { HttpResponseInit } from '@azure/functions';
import type { Passed, TenantContext } from '../context.js';
import { refuse } from '../stage-list.js';
import { dayQuota } from './day-quota.js';
import { type LimitedTenant, limitedTenant } from './limited-tenant.js';
import { rateLimit } from './rate-limit.js';

/**
 * One limit: the refusal that ends the request, or undefined to let it through — a promise only when the limit
 * has to read the ledger first (the others' counts older than the meter's read interval), so a request whose
 * counts are fresh passes every limit without a microtask.
 *
 * @example
 * ```ts
 * const everyone: LimitCheck = () => undefined;
 * ```
 */
export type LimitCheck = (
  ctx: TenantContext,
  limited: LimitedTenant,
) => HttpResponseInit | undefined | Promise<HttpResponseInit | undefined>;

/**
 * The limit checks, in order: each sees the request and its limited tenant and refuses it or lets it through (a
 * plan's quota, a rate limit: 429 with `Retry-After`); a limit is one file and one line here. The quota comes
 * first: the rate limit counts the request it lets through in the minute's window, which a refused one must not
 * take. The storage quota is not here: only a write knows what it adds (the body's stored size against the item
 * it replaces, a file's size) and whose bytes they are (a shared item's creator), so each write holds its bytes
 * itself (runtime/usage/storage-holds.ts) — one admitted here and refused there took its place in the window.
 *
 * @example
 * ```ts
 * export const LIMITS: readonly LimitCheck[] = [rateLimit];
 * ```
 */
export const LIMITS: readonly LimitCheck[] = [dayQuota, rateLimit];

/**
 * Limits: every check of {@link LIMITS} in order for a tenant a plan limits, the first refusal ending the request.
 * Synchronous while the checks are (the meter's views fresh: almost every request); only a check that answers a
 * promise is awaited.
 *
 * @example
 * ```ts
 * const limited = await limits(confined.ctx);
 * ```
 */
export function limits<R>(
  ctx: TenantContext<R>,
): Passed<TenantContext<R>> | Promise<Passed<TenantContext<R>>> {
  const limited = LIMITS.length === 0 ? undefined : limitedTenant(ctx);
  return limited ? checkFrom(0, ctx, limited) : { ok: true, ctx };
}

/** The checks from the `i`-th on. */
function checkFrom<R>(
  i: number,
  ctx: TenantContext<R>,
  limited: LimitedTenant,
): Passed<TenantContext<R>> | Promise<Passed<TenantContext<R>>> {
  for (; i < LIMITS.length; i++) {
    const refusal = LIMITS[i]!(ctx as TenantContext, limited);
    if (refusal instanceof Promise) {
      const next = i + 1;
      return refusal.then((r) => (r ? refuse(r) : checkFrom(next, ctx, limited)));
    }
    if (refusal) return refuse(refusal);
  }
  return { ok: true, ctx };
}
