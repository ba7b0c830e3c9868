/**
 * The rate limits across instances, as a property: two meters ("instances") sharing one ledger on the local Cosmos
 * DB server, each flushing its counts at most — and at least — once per second of an injected clock (a random phase
 * each), random batches of concurrent requests of two tenants and three callers to either instance through the
 * real rate-limit stage. No timer, no sleeping: the clock moves only between batches, when nothing is in flight.
 *
 * For every admission `d` of a tenant (or of one caller) by instance `i` at clock time `t`, with `N` that tenant's
 * (caller's) admissions in the UTC minute over both instances up to and including `d`, `B` its bound, and `U(w)`
 * what the *other* instance admitted of it in the minute at clock times in `(t − w, t]` before `d`:
 *
 *     N ≤ max(B + U(1 s), ⌊B/2⌋ + U(2 s))
 *
 * The first arm is the promise (DESIGN §2: at most one second of the other instances' traffic); the second only
 * exceeds it when the others admitted more than ⌈B/2⌉ in the second before the last one — the documented gap
 * (docs/tenants.md, "Across instances, and the overshoot"). And a refusal is never caused by another tenant's
 * traffic: a tenant (caller) is refused only once its own admissions in the minute reached its bound.
 *
 * `ATAKORA_OVERSHOOT_SEED=<n>` replays a seed (printed by every run), `ATAKORA_MODEL_RUNS=<n>` runs more: `npm test`
 * runs 40 (the suite's property budget, test/model/budget.ts; 100 before, 14 s of CPU on a loaded machine).
 */
import type { Container } from '@azure/cosmos';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeTenantRegistry } from '../../src/model/runtime-manifest.js';
import type { TenantContext } from '../../src/runtime/pipeline/context.js';
import type { LimitedTenant } from '../../src/runtime/limits/limited-tenant.js';
import { rateLimit } from '../../src/runtime/limits/rate-limit.js';
import { UsageMeter } from '../../src/runtime/usage/usage-meter.js';
import { cosmosUsageStore, type UsageStore } from '../../src/runtime/usage/usage-store.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const SEED = Number(process.env.ATAKORA_OVERSHOOT_SEED ?? 7301);
const RUNS = Number(process.env.ATAKORA_MODEL_RUNS ?? 40);

let cosmos: LocalCosmos;
let usage: Container;
let now = 0;
let run = 0;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  usage = await cosmos.container('usage', '/tenant');
});
afterAll(async () => cosmos?.stop());

/** The ledger with its reads counted: `minutes` (the others' counts alone) and `snapshot` (the limits' views). */
function counted(store: UsageStore) {
  const calls = { minutes: 0, snapshot: 0, byMinute: new Map<string, number>() };
  const wrapped: UsageStore = {
    write: store.write.bind(store),
    read: store.read.bind(store),
    hours: store.hours.bind(store),
    stored: store.stored.bind(store),
    connections: store.connections.bind(store),
    minutes: (tenant, minute) => {
      calls.minutes++;
      const key = `${tenant}/${minute}`;
      calls.byMinute.set(key, (calls.byMinute.get(key) ?? 0) + 1);
      return store.minutes(tenant, minute);
    },
    snapshot: (tenant, want) => {
      calls.snapshot++;
      return store.snapshot!(tenant, want);
    },
  };
  return { store: wrapped, calls };
}

interface Admission {
  readonly instance: number;
  readonly tenant: string;
  readonly user: string;
  readonly at: number;
}

/** Two instances and what they admitted, in the order they admitted it. */
function instances(count: number) {
  const log: Admission[] = [];
  const meters = Array.from({ length: count }, (_, i) => {
    const { store, calls } = counted(cosmosUsageStore(usage));
    const meter = new UsageMeter(store, {
      instance: `ovs-${run}-${i}`,
      now: () => now,
      flushIntervalMs: 0,
      // A ledger call that fails here is a fault of the test's own server: seen, not absorbed.
      onError: (e) => {
        throw e;
      },
    });
    // The moment of each admission, in event order (what the stage decided, not when the test saw it).
    const admit = meter.admit.bind(meter);
    meter.admit = (tenant, user) => {
      log.push({ instance: i, tenant, user: user ?? '', at: meter.clock() });
      admit(tenant, user);
    };
    return { meter, calls };
  });
  return { meters, log };
}

const minuteOf = (ms: number) => Math.floor(ms / 60_000);

/** What `i` may have admitted at `d` by the inequality above; `same` picks the admissions of one tenant or caller. */
function overshootBound(
  log: readonly Admission[],
  d: number,
  bound: number,
  same: (a: Admission) => boolean,
): { admitted: number; allowed: number; detail: string } {
  const me = log[d]!;
  const minute = minuteOf(me.at);
  let admitted = 0;
  let u1 = 0;
  let u2 = 0;
  for (let k = 0; k <= d; k++) {
    const a = log[k]!;
    if (!same(a) || minuteOf(a.at) !== minute) continue;
    admitted++;
    if (a.instance === me.instance) continue;
    if (a.at > me.at - 1000) u1++;
    if (a.at > me.at - 2000) u2++;
  }
  const allowed = Math.max(bound + u1, Math.floor(bound / 2) + u2);
  return { admitted, allowed, detail: `B=${bound} U(1s)=${u1} U(2s)=${u2}` };
}

const ctx = () => ({ request: {} }) as unknown as TenantContext;

interface Request {
  readonly instance: number;
  readonly tenant: number;
  readonly user: number;
}
interface Step {
  /** Milliseconds the clock moves on before the batch. */
  readonly tick: number;
  /** Requests sent at once (concurrently) at the step's clock time. */
  readonly batch: readonly Request[];
}

const requestArb: fc.Arbitrary<Request> = fc.record({
  instance: fc.integer({ min: 0, max: 1 }),
  tenant: fc.integer({ min: 0, max: 1 }),
  user: fc.integer({ min: 0, max: 2 }),
});
const stepArb: fc.Arbitrary<Step> = fc.record({
  tick: fc.oneof(
    { weight: 4, arbitrary: fc.constant(0) },
    { weight: 5, arbitrary: fc.integer({ min: 1, max: 700 }) },
    { weight: 1, arbitrary: fc.integer({ min: 700, max: 2500 }) },
  ),
  batch: fc.array(requestArb, { minLength: 1, maxLength: 4 }),
});
const runArb = fc.record({
  tenantMax: fc.array(fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }), {
    minLength: 2,
    maxLength: 2,
  }),
  userMax: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
  // Each instance's flush timer: its phase within the second.
  phases: fc.array(fc.integer({ min: 0, max: 999 }), { minLength: 2, maxLength: 2 }),
  // Where in the UTC minute the run starts (a run may cross into the next minute).
  offset: fc.integer({ min: 0, max: 59_000 }),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 40 }),
});

describe('rate limits across instances', () => {
  it('admitted ≤ max(B + the other’s last second, ⌊B/2⌋ + its two); refused by own traffic only', async () => {
    console.log(
      `overshoot property: seed ${SEED}, ${RUNS} runs (ATAKORA_OVERSHOOT_SEED to replay)`,
    );
    await fc.assert(
      fc.asyncProperty(runArb, async ({ tenantMax, userMax, phases, offset, steps }) => {
        run++;
        now = Date.UTC(2026, 6, 1, 0, 0, 0) + run * 3_600_000 + offset;
        const { meters, log } = instances(2);
        const tenants = [`ovs${run}-a`, `ovs${run}-b`];
        const registry = {
          ...(userMax !== undefined ? { perUser: { requestsPerMinute: userMax } } : {}),
        } as RuntimeTenantRegistry;
        const limited = (r: Request): LimitedTenant => ({
          tenant: tenants[r.tenant]!,
          user: `u${r.user}`,
          plan: tenantMax[r.tenant] === undefined ? {} : { requestsPerMinute: tenantMax[r.tenant] },
          registry,
          meter: meters[r.instance]!.meter,
        });
        // The first flush of each instance at its phase; then each one second after the last.
        const nextFlush = phases.map((p) => now + p);
        const refusals: { request: Request; policy: string; admitted: number }[] = [];
        for (const step of steps) {
          now += step.tick;
          for (const [i, m] of meters.entries())
            if (now >= nextFlush[i]!) {
              await m.meter.flush();
              nextFlush[i] = now + 1000;
            }
          await Promise.all(
            step.batch.map(async (r) => {
              const answer = await rateLimit(ctx(), limited(r));
              if (!answer) return;
              expect(answer.status).toBe(429);
              const policy = JSON.parse(String(answer.body)).policy as string;
              const own = log.filter(
                (a) =>
                  a.tenant === tenants[r.tenant] &&
                  (policy === 'tenant' || a.user === `u${r.user}`) &&
                  minuteOf(a.at) === minuteOf(now),
              ).length;
              refusals.push({ request: r, policy, admitted: own });
            }),
          );
        }
        const where = JSON.stringify({ tenantMax, userMax, phases, offset });
        for (const [d, a] of log.entries()) {
          const t = tenants.indexOf(a.tenant);
          const checks: [string, number | undefined, (b: Admission) => boolean][] = [
            ['tenant', tenantMax[t], (b) => b.tenant === a.tenant],
            ['user', userMax, (b) => b.tenant === a.tenant && b.user === a.user],
          ];
          for (const [name, bound, same] of checks) {
            if (bound === undefined) continue;
            const { admitted, allowed, detail } = overshootBound(log, d, bound, same);
            expect(
              admitted,
              `${name} ${a.tenant}/${a.user} admitted by instance ${a.instance} at +${a.at % 60_000} ms ` +
                `(${detail}) in ${where}`,
            ).toBeLessThanOrEqual(allowed);
          }
        }
        // The reads made for admissions near a bound, per instance, tenant and minute: bounded by the plan (half of
        // each bound, one more per tenant or caller refused on them), however many requests were refused.
        const users = new Set(steps.flatMap((s) => s.batch.map((r) => r.user))).size;
        for (const { calls } of meters)
          for (const [key, reads] of calls.byMinute) {
            const t = tenants.indexOf(key.slice(0, key.indexOf('/')));
            const half = (b: number | undefined) => (b === undefined ? 0 : Math.ceil(b / 2) + 1);
            expect(reads, `reads of ${key} in ${where}`).toBeLessThanOrEqual(
              half(tenantMax[t]) + users * half(userMax),
            );
          }
        // Refused only once that tenant's (caller's) own admissions in the minute reached the bound.
        for (const { request, policy, admitted } of refusals) {
          const bound = policy === 'tenant' ? tenantMax[request.tenant] : userMax;
          expect(bound, `${policy} refusal without a bound in ${where}`).toBeDefined();
          expect(
            admitted,
            `${policy} refusal of ${JSON.stringify(request)} in ${where}`,
          ).toBeGreaterThanOrEqual(bound!);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('what the fresh reads cost', () => {
  it('half a bound of reads per minute, shared by concurrent requests; refused requests read nothing', async () => {
    run++;
    now = Date.UTC(2026, 7, 1, 0, 0, 0) + run * 3_600_000;
    const { meters, log } = instances(2);
    const [a, b] = meters as [(typeof meters)[0], (typeof meters)[0]];
    const tenant = `ovs${run}-cost`;
    const limited = (m: UsageMeter, user: string): LimitedTenant => ({
      tenant,
      user,
      plan: { requestsPerMinute: 10 },
      registry: {} as RuntimeTenantRegistry,
      meter: m,
    });
    // The other instance served 3 and flushed them.
    for (let i = 0; i < 3; i++)
      expect(await rateLimit(ctx(), limited(b.meter, 'b'))).toBeUndefined();
    await b.meter.flush();
    // 40 requests one after another to this instance: 7 served (10 − the other's 3), the first 2 on the view read
    // once (3 + 2 < 10 − 5), the next 5 each on a read of their own; the 33 refused read nothing.
    const answers: number[] = [];
    for (let i = 0; i < 40; i++)
      answers.push((await rateLimit(ctx(), limited(a.meter, 'a')))?.status ?? 200);
    expect(answers.filter((s) => s === 200)).toHaveLength(7);
    expect(answers.slice(7).every((s) => s === 429)).toBe(true);
    expect([a.calls.snapshot, a.calls.minutes]).toEqual([1, 5]);
    // Next minute: 6 concurrent requests, all near the bound once the view holds the other's 8 (flushed below) —
    // one read serves them all: 2 served, 4 refused.
    now += 60_000;
    for (let i = 0; i < 8; i++)
      expect(await rateLimit(ctx(), limited(b.meter, 'b'))).toBeUndefined();
    await b.meter.flush();
    const before = { ...a.calls };
    const burst = await Promise.all(
      Array.from(
        { length: 6 },
        async () => (await rateLimit(ctx(), limited(a.meter, 'a')))?.status ?? 200,
      ),
    );
    expect(burst.filter((s) => s === 200)).toHaveLength(2);
    // The view's read (a new minute) and one read for the six together.
    expect([a.calls.snapshot - before.snapshot, a.calls.minutes - before.minutes]).toEqual([1, 1]);
    expect(log.filter((e) => e.instance === 0)).toHaveLength(9);
  });
});
