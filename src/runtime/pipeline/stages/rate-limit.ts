import type { HttpResponseInit } from '@azure/functions';
import { problemResponse } from '../../http/response.js';
import { keepLimitHeaders, type RatePolicy, rateLimitHeaders } from '../../usage/limit-headers.js';
import type { MinuteCount } from '../../usage/usage-meter.js';
import type { TenantContext } from '../context.js';
import type { LimitedTenant } from './limited-tenant.js';

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
 * const refusal = await rateLimit(ctx, limited); // 429 once the tenant's 600th request of the minute is served
 * ```
 */
export function rateLimit(
  ctx: TenantContext,
  limited: LimitedTenant,
): HttpResponseInit | undefined | Promise<HttpResponseInit | undefined> {
  const tenantMax = limited.plan.requestsPerMinute;
  const userMax =
    limited.user === undefined ? undefined : limited.registry.perUser?.requestsPerMinute;
  if (tenantMax === undefined && userMax === undefined) return undefined;
  const count = limited.meter.minuteCount(limited.tenant, limited.user);
  return count instanceof Promise
    ? count.then((c) => decide(ctx, limited, tenantMax, userMax, c))
    : decide(ctx, limited, tenantMax, userMax, count);
}

function decide(
  ctx: TenantContext,
  limited: LimitedTenant,
  tenantMax: number | undefined,
  userMax: number | undefined,
  count: MinuteCount,
): HttpResponseInit | undefined {
  const { meter, tenant, user } = limited;
  const reset = Math.max(
    1,
    Math.ceil((count.minuteStart + WINDOW_SECONDS * 1000 - meter.clock()) / 1000),
  );
  const tenantLeft = tenantMax === undefined ? Infinity : tenantMax - count.tenant;
  const userLeft = userMax === undefined ? Infinity : userMax - count.user;
  if (tenantLeft <= 0 || userLeft <= 0)
    return refused(
      tenantLeft <= 0 ? 'tenant' : 'user',
      tenantMax,
      userMax,
      tenantLeft,
      userLeft,
      reset,
    );
  meter.admit(tenant, user);
  // What the headers say is left once this request took one. Made here, as text, without the refusal's policy
  // objects: every request of a limited tenant carries them.
  keepLimitHeaders(ctx.request, {
    'RateLimit-Policy': policyText(tenantMax, userMax),
    RateLimit:
      tenantMax === undefined
        ? left('user', userLeft, reset)
        : userMax === undefined
          ? left('tenant', tenantLeft, reset)
          : `${left('tenant', tenantLeft, reset)}, ${left('user', userLeft, reset)}`,
  });
  return undefined;
}

// One item of the `RateLimit` field once this request took one (module-level: no closure made per request).
const left = (name: string, n: number, reset: number): string =>
  `"${name}";r=${Math.max(0, n - 1)};t=${reset}`;

function refused(
  over: 'tenant' | 'user',
  tenantMax: number | undefined,
  userMax: number | undefined,
  tenantLeft: number,
  userLeft: number,
  reset: number,
): HttpResponseInit {
  const policies: RatePolicy[] = [];
  const policy = (name: string, quota: number, remaining: number): RatePolicy => ({
    name,
    quota,
    windowSeconds: WINDOW_SECONDS,
    remaining,
    resetSeconds: reset,
  });
  if (tenantMax !== undefined) policies.push(policy('tenant', tenantMax, tenantLeft));
  if (userMax !== undefined) policies.push(policy('user', userMax, userLeft));
  return problemResponse(
    'rate-limited',
    over === 'tenant'
      ? `Your directory made its plan's ${tenantMax} requests this minute: retry after ${reset} s.`
      : `You made your ${userMax} requests this minute: retry after ${reset} s.`,
    {
      headers: { 'Retry-After': String(reset), ...rateLimitHeaders(policies) },
      policy: over,
    },
  );
}

// The policy header depends on the plan alone: made once per pair of bounds met in a row, not per request.
let lastPolicy: { tenant: number | undefined; user: number | undefined; text: string } = {
  tenant: Number.NaN,
  user: Number.NaN,
  text: '',
};

function policyText(tenantMax: number | undefined, userMax: number | undefined): string {
  if (lastPolicy.tenant === tenantMax && lastPolicy.user === userMax) return lastPolicy.text;
  // The same text rateLimitHeaders makes of the policies (limit-headers.ts).
  const q = (name: string, quota: number) => `"${name}";q=${quota};w=${WINDOW_SECONDS}`;
  const text =
    tenantMax === undefined
      ? q('user', userMax ?? 0)
      : userMax === undefined
        ? q('tenant', tenantMax)
        : `${q('tenant', tenantMax)}, ${q('user', userMax)}`;
  lastPolicy = { tenant: tenantMax, user: userMax, text };
  return text;
}
