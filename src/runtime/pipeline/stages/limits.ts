import type { HttpResponseInit } from '@azure/functions';
import type { Passed, TenantContext } from '../context.js';
import { PASS, pass, refuse } from '../stage-list.js';
import { dayQuota } from '../../limits/day-quota.js';
import { type LimitedTenant, limitedTenant } from '../../limits/limited-tenant.js';
import { rateLimit } from '../../limits/rate-limit.js';
import { signedInLimited } from '../../limits/signed-in-limit.js';
import { addressLimited } from '../../limits/address-limit.js';
import { features } from '../feature-gate.js';

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
 * itself (limits/storage-quota.ts) — one admitted here and refused there took its place in the window.
 *
 * @example
 * ```ts
 * export const LIMITS: readonly LimitCheck[] = [rateLimit];
 * ```
 */
export const LIMITS: readonly LimitCheck[] = [dayQuota, rateLimit];

type Limited = Passed<{ limitHeaders?: Readonly<Record<string, string>> }>;

/**
 * Limits: the plan's features (pipeline/feature-gate.ts: 402 `feature-not-in-plan` for a door the plan does not
 * include), then every check of {@link LIMITS} in order for a tenant a plan limits, the first refusal ending the request;
 * the `RateLimit` headers the answer carries on the context. Synchronous while the checks are (the meter's views
 * fresh: almost every request); only a check that answers a promise is awaited.
 *
 * @example
 * ```ts
 * const limited = await limits(confined);
 * ```
 */
export function limits(ctx: TenantContext): Limited | Promise<Limited> {
  // The plan's features first: a door outside the plan is refused before it takes a place in the rate window.
  const gated = features(ctx);
  if (!gated.ok) return gated;
  const limited =
    LIMITS.length === 0
      ? undefined
      : (limitedTenant(ctx) ?? signedInLimited(ctx) ?? addressLimited(ctx));
  return limited ? checkFrom(0, ctx, limited) : PASS;
}

/** The checks from the `i`-th on. */
function checkFrom(
  i: number,
  ctx: TenantContext,
  limited: LimitedTenant,
): Limited | Promise<Limited> {
  for (let j = i; j < LIMITS.length; j++) {
    const refusal = LIMITS[j]?.(ctx, limited);
    if (refusal instanceof Promise) {
      const next = j + 1;
      return refusal.then((r) => (r ? refuse(r) : checkFrom(next, ctx, limited)));
    }
    if (refusal) return refuse(refusal);
  }
  return limited.limitHeaders ? pass({ limitHeaders: limited.limitHeaders }) : PASS;
}
