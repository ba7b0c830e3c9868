import type { HttpResponseInit } from '@azure/functions';
import { problemResponse } from '../http/response.js';
import { nowOrLater } from '../values/now-or-later.js';
import { type RatePolicy, rateLimitHeaders } from '../usage/limit-headers.js';
import type { MinuteOthers } from '../usage/usage-meter.js';
import { tenantNoun } from '../tenants/tenant-noun.js';
import type { LimitAnswer, LimitedTenant } from './limited-tenant.js';

const WINDOW_SECONDS = 60;

/**
 * The request rates of a tenant's plan (`requestsPerMinute`) and of each of its callers (`tenants.perUser
 * .requestsPerMinute`), per UTC minute over every instance (this one's live count, the others' flushed `minute`
 * items): over either → 429 `rate-limited` with `Retry-After` (seconds until the minute ends) and the
 * `RateLimit-Policy`/`RateLimit` headers, which every answer of a limited tenant carries.
 *
 * The others' counts come from a view read at most once a second while the tenant and the caller are each under
 * half their bound. From half on, a request is admitted only on a ledger read that started after it arrived (one
 * read shared by the requests that wait together): each instance flushes at least once a second, so an admission
 * there misses at most the last second of the others' traffic (DESIGN §2). Refusals never wait for a read: within
 * a minute counts only grow, so a view that says "over" is over on any fresher one too. The extra reads are at most
 * about half a bound per instance, tenant (or caller) and minute — bounded by the plan, never by refused traffic.
 * What is left (docs/tenants.md, "Across instances, and the overshoot"): an admission under half a bound rests on
 * a view up to one second old, so the others' traffic that takes the tenant from under half to over its bound in
 * the two seconds it is unseen is served; then a minute's admissions are at most ⌊B/2⌋ plus their last two seconds.
 *
 * @example
 * ```ts
 * const refusal = await rateLimit(ctx, limited); // 429 once the tenant's 600th request of the minute is served
 * ```
 */
export function rateLimit(_ctx: unknown, limited: LimitedTenant): LimitAnswer {
  const tenantMax = limited.plan.requestsPerMinute;
  const userMax =
    limited.user === undefined ? undefined : limited.registry.perUser?.requestsPerMinute;
  if (tenantMax === undefined && userMax === undefined) return undefined;
  return nowOrLater(limited.meter.minuteOthers(limited.tenant), (others) =>
    decide(limited, tenantMax, userMax, others, false),
  );
}

/** Whether `left` of `max` is within the upper half of the window (where admissions read the others fresh). */
const nearBound = (max: number | undefined, left: number): boolean =>
  max !== undefined && left <= Math.ceil(max / 2);

/**
 * Refuse, read the others fresh, or admit — on this instance's count taken now, in the tick that admits (never on
 * a count computed before an await: two requests of one instance would both admit on it).
 */
function decide(
  limited: LimitedTenant,
  tenantMax: number | undefined,
  userMax: number | undefined,
  others: MinuteOthers,
  fresh: boolean,
): LimitAnswer {
  const { meter, tenant, user } = limited;
  const count = meter.minuteCount(tenant, user, others);
  const reset = Math.max(
    1,
    Math.ceil((count.minuteStart + WINDOW_SECONDS * 1000 - meter.clock()) / 1000),
  );
  const tenantLeft = tenantMax === undefined ? Infinity : tenantMax - count.tenant;
  const userLeft = userMax === undefined ? Infinity : userMax - count.user;
  if (tenantLeft <= 0 || userLeft <= 0)
    return refused(
      tenantNoun(limited.registry),
      tenantLeft <= 0 ? 'tenant' : 'user',
      tenantMax,
      userMax,
      tenantLeft,
      userLeft,
      reset,
    );
  if (!fresh && (nearBound(tenantMax, tenantLeft) || nearBound(userMax, userLeft)))
    return meter.readMinuteOthers(tenant).then((o) => decide(limited, tenantMax, userMax, o, true));
  meter.admit(tenant, user);
  // What the headers say is left once this request took one. Made here, as text, without the refusal's policy
  // objects: every request of a limited tenant carries them.
  limited.limitHeaders = {
    'RateLimit-Policy': policyText(tenantMax, userMax),
    RateLimit:
      tenantMax === undefined
        ? left('user', userLeft, reset)
        : userMax === undefined
          ? left('tenant', tenantLeft, reset)
          : `${left('tenant', tenantLeft, reset)}, ${left('user', userLeft, reset)}`,
  };
  return undefined;
}

// One item of the `RateLimit` field once this request took one (module-level: no closure made per request).
const left = (name: string, n: number, reset: number): string =>
  `"${name}";r=${Math.max(0, n - 1)};t=${reset}`;

function refused(
  noun: string,
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
      ? `Your ${noun} made its plan's ${tenantMax} requests this minute: retry after ${reset} s.`
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
