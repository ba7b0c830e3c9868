import { problemResponse } from '../../http/response.js';
import { keepLimitHeaders, type RatePolicy, rateLimitHeaders } from '../../usage/limit-headers.js';
import type { Passed, TenantContext } from '../context.js';
import { refuse } from '../stage-list.js';
import { limitedTenant } from './limited-tenant.js';

const WINDOW_SECONDS = 60;

/**
 * The request rates of a tenant's plan (`requestsPerMinute`) and of each of its callers (`tenants.perUser
 * .requestsPerMinute`), per UTC minute over every instance (this one's live count, the others' last flushed
 * `minute` items): over either → 429 `rate-limited` with `Retry-After` (seconds until the minute ends) and the
 * `RateLimit-Policy`/`RateLimit` headers, which every answer of a limited tenant carries. Each instance sees the
 * others' counts at most one flush plus one read interval late (1 s each by default), so the tenant's requests
 * admitted in a minute exceed the limit by at most what the other instances admitted meanwhile (docs/tenants.md).
 *
 * @example
 * ```ts
 * const passed = await rateLimit(ctx); // 429 once the tenant's 600th request of the minute is served
 * ```
 */
export async function rateLimit(ctx: TenantContext): Promise<Passed<TenantContext>> {
  const limited = limitedTenant(ctx);
  const tenantMax = limited?.plan.requestsPerMinute;
  const userMax =
    limited?.user === undefined ? undefined : limited.registry.perUser?.requestsPerMinute;
  if (!limited || (tenantMax === undefined && userMax === undefined)) return { ok: true, ctx };
  const { meter, tenant, user } = limited;
  const count = await meter.minuteCount(tenant, user);
  const now = meter.clock();
  const minuteEnd = Date.parse(`${count.minute}:00.000Z`) + WINDOW_SECONDS * 1000;
  const reset = Math.max(1, Math.ceil((minuteEnd - now) / 1000));
  const policies: RatePolicy[] = [];
  if (tenantMax !== undefined)
    policies.push({
      name: 'tenant',
      quota: tenantMax,
      windowSeconds: WINDOW_SECONDS,
      remaining: tenantMax - count.tenant,
      resetSeconds: reset,
    });
  if (userMax !== undefined)
    policies.push({
      name: 'user',
      quota: userMax,
      windowSeconds: WINDOW_SECONDS,
      remaining: userMax - count.user,
      resetSeconds: reset,
    });
  const over = policies.find((p) => p.remaining <= 0);
  if (over) {
    return refuse(
      problemResponse(
        'rate-limited',
        over.name === 'tenant'
          ? `Your directory made its plan's ${over.quota} requests this minute: retry after ${reset} s.`
          : `You made your ${over.quota} requests this minute: retry after ${reset} s.`,
        {
          headers: { 'Retry-After': String(reset), ...rateLimitHeaders(policies) },
          policy: over.name,
        },
      ),
    );
  }
  meter.admit(tenant, user);
  // This request takes one of what was left.
  keepLimitHeaders(
    ctx.request,
    rateLimitHeaders(policies.map((p) => ({ ...p, remaining: p.remaining - 1 }))),
  );
  return { ok: true, ctx };
}
