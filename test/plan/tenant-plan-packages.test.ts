/**
 * The plan packages' cases the property test does not draw: a plan sold on Azure Marketplace (its Marketplace plan id
 * in the price), a backend whose plans declare no features (every feature, said so) and no items (unlimited), a plan
 * saved before packages existed (parsed and rendered without the block), and a saved plan's hostile strings, escaped
 * on the review page — a plan JSON file is anyone's to write (`atakora diff`, `--base`).
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import { renderPlanHtml, renderPlanMarkdown, renderPlanText } from '../../src/plan/render/index.js';
import { resourcePlanSchema } from '../../src/plan/plan-schema.js';

const projects = CrudApi.define('ProjectApi', {
  entityName: 'Project',
  schema: { id: 'string', name: 'string' },
});

const sold = (): ResourcePlan =>
  defineBackend({ projects }, {
    backendId: 'sold',
    tenants: {
      by: 'membership',
      createTenants: 'any-user',
      defaultPlan: 'free',
      plans: {
        free: { requestsPerMinute: 60 },
        team: {
          requestsPerMinute: 600,
          requestUnitsPerDay: 100_000,
          storageMb: 1_000,
          monthlyFeeUsd: 49,
          stripe: { price: 'price_1QpLansTeam001' },
        },
      },
      billing: {
        stripe: { secret: 'STRIPE_KEY', webhookSecret: 'STRIPE_WEBHOOK_SECRET', meters: {} },
        marketplace: {
          offer: 'sold-projects',
          publisherTenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
          clientId: '5b1c7a3e-8d2f-4c2d-9e8f-1a2b3c4d5e6f',
          secret: 'MARKETPLACE_SECRET',
          plans: { team: 'team-monthly' },
        },
      },
    },
  } as BackendConfig).plan();

describe('plan packages: the cases around the property', () => {
  it('a plan sold on Azure Marketplace names its Marketplace plan; no features declared: every feature', () => {
    const plan = sold();
    const [free, team] = plan.tenantPlans!.packages!;
    if (!free || !team) throw new Error('two packages expected');
    expect(free.price.marketplacePlan).toBeNull();
    expect(team?.price).toEqual({
      monthlyUsd: 49,
      stripePrice: 'price_1QpLansTeam001',
      perSeat: false,
      trialDays: null,
      marketplacePlan: 'team-monthly',
    });
    expect(team?.features.all).toBe(true);
    expect(team?.items).toEqual([]);
    // free leaves RU and storage unbounded: its cost is unbounded; team's margin is its fee less its cost.
    expect(free?.costToServe.monthlyUsd).toBeNull();
    expect(team?.margin?.monthlyUsd).toBe(
      Math.round((49 - team.costToServe.monthlyUsd!) * 100) / 100,
    );
    const text = renderPlanText(plan);
    expect(text).toContain(
      '  team: price $49.00 a month (Stripe price_1QpLansTeam001); Azure Marketplace plan team-monthly\n' +
        '    seats: unlimited; items: unlimited\n' +
        '    features: every feature (no plan declares features)\n',
    );
    expect(text).toContain(
      '  free (default): price none declared\n    seats: unlimited; items: unlimited\n',
    );
    expect(text).toContain(
      'cost to serve at its limits: unbounded (RU, storage not bounded; the bounded part $1.04); margin: unknown (no price declared)',
    );
    expect(renderPlanMarkdown(plan)).toContain(
      '| team | $49.00 a month (Stripe price_1QpLansTeam001); Azure Marketplace plan team-monthly | unlimited | unlimited | every feature (no plan declares features) |',
    );
  });

  it('a plan saved before packages: parsed, rendered without the block', () => {
    const plan = JSON.parse(JSON.stringify(sold())) as {
      tenantPlans: { packages?: unknown; packageAssumptions?: unknown };
    };
    delete plan.tenantPlans.packages;
    delete plan.tenantPlans.packageAssumptions;
    const old = resourcePlanSchema.parse(plan) as ResourcePlan;
    expect(renderPlanText(old)).not.toContain('Plan packages');
    expect(renderPlanMarkdown(old)).not.toContain('### Plan packages');
    const html = renderPlanHtml(old);
    expect(html).not.toContain('id="plan-packages"');
    expect(html).not.toContain('href="#plan-packages"');
  });

  it('a saved plan’s hostile strings stay text on the review page', () => {
    const plan = JSON.parse(JSON.stringify(sold())) as ResourcePlan;
    const evil = '<img src=x onerror=alert(1)>';
    const pkg = plan.tenantPlans!.packages![1]!;
    const hostile: ResourcePlan = {
      ...plan,
      tenantPlans: {
        ...plan.tenantPlans!,
        packages: [
          {
            ...pkg,
            plan: `"${evil}`,
            price: { ...pkg.price, stripePrice: evil, marketplacePlan: evil },
            items: [{ crudApi: evil, limit: 1 }],
            features: { all: false, names: [evil], application: [evil] },
            margin: { monthlyUsd: 1, atSeatLimitUsd: null, basis: `"${evil}` },
          },
        ],
        packageAssumptions: [evil],
      },
    };
    const html = renderPlanHtml(hostile);
    expect(html).toContain('id="plan-packages"');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // Markdown: a pipe in a name cannot split the row.
    const md = renderPlanMarkdown({
      ...hostile,
      tenantPlans: { ...hostile.tenantPlans!, packages: [{ ...pkg, plan: 'a|b' }] },
    });
    expect(md).toContain('| a\\|b | ');
  });

  it('a per-seat price is said per seat in the tenant plans block too, and set against one seat', () => {
    const plan = defineBackend({ projects }, {
      backendId: 'seats',
      tenants: {
        by: 'membership',
        createTenants: 'any-user',
        defaultPlan: 'team',
        plans: {
          team: {
            members: 10,
            requestsPerMinute: 60,
            requestUnitsPerDay: 100_000,
            storageMb: 100,
            monthlyFeeUsd: 1,
            stripe: { price: 'price_1QpLansSeat01', perSeat: true },
          },
        },
        billing: {
          stripe: { secret: 'STRIPE_KEY', webhookSecret: 'STRIPE_WEBHOOK_SECRET', meters: {} },
        },
      },
    } as BackendConfig).plan();
    const text = renderPlanText(plan);
    expect(text).toContain('    price: $1.00 a seat a month (Stripe price_1QpLansSeat01)');
    // $1.81 to serve at its limits: more than one seat pays, less than ten.
    expect(text).toContain(
      'team: price $1.00 a seat a month (Stripe price_1QpLansSeat01, per seat) against a cost to serve of up to ' +
        '$1.81 at its limits — more than one seat’s price;',
    );
    expect(text).toContain('margin: -$0.81 a month at one seat, $8.19 with every seat taken');
    expect(renderPlanMarkdown(plan)).toContain('| $1.00 a seat (price_1QpLansSeat01) |');
    expect(renderPlanHtml(plan)).toContain('>$1.00 a seat (price_1QpLansSeat01)</td>');
  });
});
