import type { HttpResponseInit } from '@azure/functions';
import { problemResponse } from '../http/response.js';
import { nowOrLater } from '../values/now-or-later.js';
import type { LimitAnswer, LimitedTenant } from './limited-tenant.js';
import { tenantNoun } from '../tenants/tenant-noun.js';

const DAY_MS = 86_400_000;

/**
 * The plan's `requestUnitsPerDay`: once the tenant's RU of this UTC day (every instance's `hour` items of today,
 * this instance's live count) reach it → 429 `quota-exceeded` with `Retry-After` until the UTC day ends. The
 * request that crosses the bound is served (its RU is known only once it ran); the next ones are refused.
 *
 * @example
 * ```ts
 * const refusal = dayQuota(ctx, limited); // undefined → within the plan
 * ```
 */
export function dayQuota(_ctx: unknown, limited: LimitedTenant): LimitAnswer {
  const max = limited.plan.requestUnitsPerDay;
  if (max === undefined) return undefined;
  return nowOrLater(limited.meter.dayRu(limited.tenant), (spent) => overDay(limited, max, spent));
}

function overDay(limited: LimitedTenant, max: number, spent: number): HttpResponseInit | undefined {
  if (spent < max) return undefined;
  const now = limited.meter.clock();
  const retry = Math.max(1, Math.ceil((DAY_MS - (now % DAY_MS)) / 1000));
  return problemResponse(
    'quota-exceeded',
    `Your ${tenantNoun(limited.registry)} used its plan's ${max} request units of today (UTC): retry after ${retry} s.`,
    { headers: { 'Retry-After': String(retry) }, quota: 'requestUnitsPerDay' },
  );
}
