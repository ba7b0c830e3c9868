/**
 * Each plan as a package (`plan.tenantPlans.packages`, DESIGN §2 "`atakora plan` prints each plan as a package"), for
 * random plan sets: every declared plan is a package, once, in name order; its price, seats, items and features are
 * the config's (every feature when no plan declares any); its cost to serve is the tenant plan cost model's worst
 * case, monotone in the plan's limits and blind to seats and items; the margin is the fee (one seat's, per seat) less
 * that cost; and every renderer of `atakora plan` shows every package.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { BackendConfig, TenantPlan } from '../../src/model/config.js';
import type { ResourcePlan, TenantPlanPackage } from '../../src/model/plan.js';
import { BUILT_IN_FEATURES } from '../../src/model/plans/plan-features.js';
import { renderPlanHtml, renderPlanMarkdown, renderPlanText } from '../../src/plan/render/index.js';
import { resourcePlanSchema } from '../../src/plan/plan-schema.js';

const projects = CrudApi.define('ProjectApi', {
  entityName: 'Project',
  schema: { id: 'string', name: 'string' },
});
const notes = CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });

const LIMITS = [
  'requestsPerMinute',
  'requestUnitsPerDay',
  'storageMb',
  'realtimeConnections',
] as const;
const bound = fc.integer({ min: 1, max: 10_000_000 });
const FEATURES = [...BUILT_IN_FEATURES, 'reports', 'exports-csv'];

const planArb = fc.record(
  {
    requestsPerMinute: bound,
    requestUnitsPerDay: bound,
    storageMb: bound,
    realtimeConnections: bound,
    members: fc.integer({ min: 1, max: 5_000 }),
    items: fc.record(
      {
        ProjectApi: fc.integer({ min: 1, max: 10_000 }),
        NoteApi: fc.integer({ min: 1, max: 10_000 }),
      },
      { requiredKeys: [] },
    ),
    features: fc.uniqueArray(fc.constantFrom(...FEATURES)),
    monthlyFeeUsd: fc.integer({ min: 0, max: 100_000 }).map((c) => c / 100),
    stripe: fc.record(
      {
        // One price per plan (BILLING_CONFIG_INVALID otherwise): planOf gives each its own.
        price: fc.constant('price_1QpLans'),
        perSeat: fc.constant(true as const),
        trialDays: fc.integer({ min: 1, max: 730 }),
      },
      { requiredKeys: ['price'] },
    ),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<TenantPlan>;

const plansArb = fc.dictionary(
  fc.constantFrom('free', 'team', 'pro', 'enterprise', 'b2b_x'),
  planArb,
  {
    minKeys: 1,
    maxKeys: 4,
  },
);

function planOf(given: Readonly<Record<string, TenantPlan>>, realtime: boolean): ResourcePlan {
  const names = Object.keys(given).sort();
  const plans = Object.fromEntries(
    names.map((n, i) => {
      const p = given[n]!;
      return [
        n,
        p.stripe ? { ...p, stripe: { ...p.stripe, price: `price_1QpLans${'ABCDE'[i]!}` } } : p,
      ];
    }),
  );
  return defineBackend({ projects, notes }, {
    backendId: 'pkg',
    auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'any' },
    ...(realtime ? { realtime: { sku: 'Standard_S1', units: 1 } } : {}),
    tenants: {
      by: 'membership',
      createTenants: 'any-user',
      plans,
      defaultPlan: names[0]!,
      // Subscriptions only where a plan names a price (BILLING_CONFIG_INVALID otherwise).
      ...(names.some((n) => given[n]!.stripe)
        ? {
            billing: {
              stripe: { secret: 'STRIPE_KEY', webhookSecret: 'STRIPE_WEBHOOK_SECRET', meters: {} },
            },
          }
        : {}),
    },
  } as BackendConfig).plan();
}

const packagesOf = (plan: ResourcePlan): readonly TenantPlanPackage[] => {
  const packages = plan.tenantPlans?.packages;
  if (!packages) throw new Error('the plan has no packages');
  return packages;
};

/** A cost as an order: unbounded (null) is above every amount. */
const rank = (usd: number | null): number => (usd === null ? Number.POSITIVE_INFINITY : usd);

describe('plan.tenantPlans.packages (property)', () => {
  it('is the config: every plan once, its price, seats, items and features; cost and margin from the cost model', () => {
    fc.assert(
      fc.property(plansArb, fc.boolean(), (plans, realtime) => {
        const plan = planOf(plans, realtime);
        expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
        expect(resourcePlanSchema.safeParse(JSON.parse(JSON.stringify(plan))).success).toBe(true);
        const packages = packagesOf(plan);
        const names = Object.keys(plans).sort();
        expect(packages.map((p) => p.plan)).toEqual(names);
        const declaring = Object.values(plans).some((p) => p.features !== undefined);
        const bounded = [
          ...new Set(Object.values(plans).flatMap((p) => Object.keys(p.items ?? {}))),
        ].sort();
        for (const [i, p] of packages.entries()) {
          const c = plans[p.plan]!;
          const cost = plan.tenantPlans!.plans[i]!;
          expect(cost.plan).toBe(p.plan);
          expect(p.isDefault).toBe(p.plan === names[0]);
          expect(p.price).toEqual({
            monthlyUsd: c.monthlyFeeUsd ?? null,
            stripePrice: c.stripe ? `price_1QpLans${'ABCDE'[i]!}` : null,
            perSeat: c.stripe?.perSeat === true,
            trialDays: c.stripe?.trialDays ?? null,
            marketplacePlan: null,
          });
          expect(p.seats).toBe(c.members ?? null);
          expect(p.items).toEqual(
            bounded.map((crudApi) => ({ crudApi, limit: c.items?.[crudApi] ?? null })),
          );
          const want = declaring
            ? [...new Set(c.features ?? [])].sort()
            : [...BUILT_IN_FEATURES].sort();
          expect(p.features).toEqual({
            all: !declaring,
            names: want,
            application: want.filter((n) => !(BUILT_IN_FEATURES as readonly string[]).includes(n)),
          });
          expect(p.costToServe).toEqual({
            monthlyUsd: cost.worstCaseMonthlyUsd,
            boundedMonthlyUsd: cost.boundedMonthlyUsd,
            unbounded: cost.unbounded,
          });
          if (c.monthlyFeeUsd === undefined) expect(p.margin).toBeNull();
          else {
            const worst = cost.worstCaseMonthlyUsd;
            const fee = c.monthlyFeeUsd;
            expect(p.margin?.monthlyUsd).toBe(
              worst === null ? null : Math.round((fee - worst) * 100) / 100,
            );
            expect(p.margin?.atSeatLimitUsd).toBe(
              worst !== null && c.stripe?.perSeat === true && c.members !== undefined
                ? Math.round((fee * c.members - worst) * 100) / 100
                : null,
            );
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('costs no less when a limit is raised or removed, and the same whatever its seats and items', () => {
    fc.assert(
      fc.property(
        plansArb,
        fc.boolean(),
        fc.constantFrom(...LIMITS),
        fc.option(fc.integer({ min: 1, max: 10_000_000 }), { nil: undefined }),
        fc.integer({ min: 1, max: 5_000 }),
        (plans, realtime, limit, raise, members) => {
          const name = Object.keys(plans).sort()[0]!;
          const before = plans[name]!;
          // Raised by `raise`, or removed (unbounded) when there is none to raise by.
          const { [limit]: old, ...rest } = before;
          const raised: TenantPlan =
            raise === undefined || old === undefined ? rest : { ...rest, [limit]: old + raise };
          const cost = (p: ResourcePlan) => packagesOf(p).find((x) => x.plan === name)!.costToServe;
          const was = cost(planOf(plans, realtime));
          const now = cost(planOf({ ...plans, [name]: raised }, realtime));
          expect(rank(now.monthlyUsd)).toBeGreaterThanOrEqual(rank(was.monthlyUsd));
          expect(
            now.boundedMonthlyUsd >= was.boundedMonthlyUsd ||
              now.unbounded.length > was.unbounded.length,
          ).toBe(true);
          // Seats and items cost nothing of their own.
          const seated = cost(
            planOf(
              { ...plans, [name]: { ...before, members, items: { ProjectApi: members } } },
              realtime,
            ),
          );
          expect(seated).toEqual(was);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('every format of atakora plan shows every package: text, Markdown, HTML', () => {
    fc.assert(
      fc.property(plansArb, (plans) => {
        const plan = planOf(plans, false);
        const text = renderPlanText(plan, { color: false });
        const markdown = renderPlanMarkdown(plan);
        const html = renderPlanHtml(plan);
        for (const p of packagesOf(plan)) {
          const seats = p.seats === null ? 'unlimited' : String(p.seats);
          expect(text).toContain(`\n  ${p.plan}${p.isDefault ? ' (default)' : ''}: price `);
          expect(text).toContain(`    seats: ${seats}; items: `);
          expect(markdown).toContain(`| ${p.plan}${p.isDefault ? ' (default)' : ''} | `);
          expect(html).toContain(`data-plan="${p.plan}" data-seats="${seats}"`);
        }
      }),
      { numRuns: 15 },
    );
  });
});
