import { problemResponse } from '../../http/response.js';
import type { Passed, TenantContext } from '../context.js';
import { refuse } from '../stage-list.js';
import { limitedTenant } from './limited-tenant.js';

const DAY_MS = 86_400_000;

/**
 * The plan's `requestUnitsPerDay`: once the tenant's RU of this UTC day (every instance's `hour` items of today,
 * this instance's live count) reach it → 429 `quota-exceeded` with `Retry-After` until the UTC day ends. The
 * request that crosses the bound is served (its RU is known only once it ran); the next ones are refused.
 *
 * @example
 * ```ts
 * const passed = await dayQuota(ctx);
 * ```
 */
export async function dayQuota(ctx: TenantContext): Promise<Passed<TenantContext>> {
  const limited = limitedTenant(ctx);
  const max = limited?.plan.requestUnitsPerDay;
  if (!limited || max === undefined) return { ok: true, ctx };
  const spent = await limited.meter.dayRu(limited.tenant);
  if (spent < max) return { ok: true, ctx };
  const now = limited.meter.clock();
  const retry = Math.max(1, Math.ceil((DAY_MS - (now % DAY_MS)) / 1000));
  return refuse(
    problemResponse(
      'quota-exceeded',
      `Your directory used its plan's ${max} request units of today (UTC): retry after ${retry} s.`,
      { headers: { 'Retry-After': String(retry) }, quota: 'requestUnitsPerDay' },
    ),
  );
}
