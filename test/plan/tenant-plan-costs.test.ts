/**
 * Each declared tenant plan's worst-case monthly cost per tenant in the plan (`plan.tenantPlans`): its limits at
 * the prices the plan's own price tables give (the ones `atakora usage` estimates with), unbounded dimensions said
 * to be unbounded, and what the shared resources need to carry it (Web PubSub units, provisioned RU/s).
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import { SAAS_TENANTS } from './support/saas-tenants.js';
import { renderPlanHtml, renderPlanMarkdown, renderPlanText } from '../../src/plan/render/index.js';
import { resourcePlanSchema } from '../../src/plan/plan-schema.js';
import { COSMOS_PRICES } from '../../src/resources/cosmos/prices.js';
import { FUNCTIONS_PRICES } from '../../src/resources/functions/prices.js';

const notes = (realtime: boolean) =>
  CrudApi.define('NoteApi', {
    entityName: 'Note',
    schema: { id: 'string' },
    ...(realtime ? { realtime: true } : {}),
  });

const saas = (extra: Record<string, unknown> = {}, realtime = true) =>
  defineBackend({ notes: notes(realtime) }, {
    backendId: 'saas',
    ...SAAS_TENANTS,
    ...extra,
  } as BackendConfig).plan();

describe('plan.tenantPlans', () => {
  it('prices each bounded plan at its limits, a month of 30 days, at the plan’s own prices', () => {
    const plan = saas({ realtime: { sku: 'Standard_S1', units: 1 } });
    const t = plan.tenantPlans!;
    expect(t.prices).toMatchObject({
      ruPricing: 'serverless',
      usdPerMillionRu: COSMOS_PRICES.serverlessPerMillionRu,
      usdPerGbMonth: COSMOS_PRICES.storagePerGbMonth,
      usdPerMillionRequests: FUNCTIONS_PRICES.fc1PerMillionExecutions,
      usdPerMillionMessages: 1,
    });
    const free = t.plans.find((p) => p.plan === 'free')!;
    expect(free.isDefault).toBe(true);
    expect(free.lines.map((l) => [l.dimension, l.monthlyQuantity, l.monthlyUsd])).toEqual([
      // 100,000 RU × 30 = 3M RU × $0.25/M
      ['requestUnits', 3_000_000, 0.75],
      // 100 MB = 0.09765625 GB × $0.25
      ['storage', 100 / 1024, 0.02],
      // 60 × 43,200 = 2,592,000 executions × $0.40/M
      ['requests', 2_592_000, 1.04],
      // 2,592,000 writes × 5 connections × 2 messages (NoteApi's largest event, 3,516 bytes delivered) × $1/M
      ['realtimeMessages', 2_592_000 * 5 * 2, 25.92],
    ]);
    expect(free.worstCaseMonthlyUsd).toBe(0.75 + 0.02 + 1.04 + 25.92);
    expect(free.unbounded).toEqual([]);
    expect(free.needs).toEqual({
      averageRuPerSecond: 1.16,
      tenantsAtPlannedThroughput: null,
      realtimeConnections: 5,
      webPubSubUnits: 0.005,
      tenantsAtPlannedUnits: 200,
    });
  });

  it('says what is unbounded instead of pricing it at zero', () => {
    const pro = saas({ realtime: { sku: 'Standard_S1', units: 1 } }).tenantPlans!.plans.find(
      (p) => p.plan === 'pro',
    )!;
    expect(pro.worstCaseMonthlyUsd).toBeNull();
    expect(pro.unbounded).toEqual(['requestUnits', 'realtimeMessages']);
    expect(pro.lines.find((l) => l.dimension === 'requestUnits')).toMatchObject({
      monthlyUsd: null,
      basis: 'requestUnitsPerDay is not set',
    });
    // The bounded part: 10 GB × $0.25 + 600 × 43,200 × $0.40/M.
    expect(pro.boundedMonthlyUsd).toBe(2.5 + 10.37);
    expect(pro.needs.tenantsAtPlannedUnits).toBeNull();
  });

  it('Web PubSub units: Free holds 20 connections, Standard 1,000 a unit', () => {
    const free = saas({ environment: 'dev', realtime: { sku: 'Free_F1', units: 1 } }).tenantPlans!;
    expect(free.plans[0]?.needs).toMatchObject({ webPubSubUnits: 0.25, tenantsAtPlannedUnits: 4 });
    expect(free.prices.usdPerMillionMessages).toBe(0);
    expect(free.notes[0]).toContain('Web PubSub Free_F1 × 1 unit(s) holds 20 connections');
    const std = saas({ realtime: { sku: 'Standard_S1', units: 3 } }).tenantPlans!;
    expect(std.plans[0]?.needs.tenantsAtPlannedUnits).toBe(600);
    expect(std.notes[0]).toContain('holds 3000 connections');
    expect(std.notes[0]).toContain('pro: unbounded (realtimeConnections is not set');
  });

  it('without realtime the messages cost nothing; without a registry there is no tenantPlans', () => {
    const plan = saas({}, false);
    const free = plan.tenantPlans!.plans[0]!;
    expect(free.lines.at(-1)).toMatchObject({ dimension: 'realtimeMessages', monthlyUsd: 0 });
    expect(free.worstCaseMonthlyUsd).toBe(0.75 + 0.02 + 1.04);
    expect(defineBackend({ notes: notes(false) }).plan()).not.toHaveProperty('tenantPlans');
  });

  it('is valid against the saved-plan schema and survives a JSON round trip', () => {
    const plan = saas({ realtime: { sku: 'Standard_S1', units: 1 } });
    const again = JSON.parse(JSON.stringify(plan)) as unknown;
    expect(resourcePlanSchema.parse(again)).toEqual(plan);
    expect(Object.isFrozen(plan.tenantPlans?.plans[0]?.lines)).toBe(true);
  });
});

describe('the tenant plans in atakora plan and the review page', () => {
  const plan = saas({ realtime: { sku: 'Standard_S1', units: 1 } });

  it('text and Markdown show each plan’s worst case, what is unbounded, and what one tenant needs', () => {
    const text = renderPlanText(plan);
    expect(text).toContain(
      'Tenant plans (worst-case monthly cost per tenant, every limit used all month):',
    );
    expect(text).toContain(
      '  free (default): $27.73 a month — RU $0.75, storage $0.02, requests $1.04, realtime messages $25.92',
    );
    expect(text).toContain(
      '  pro: unbounded (RU, realtime messages not bounded; the bounded part $12.87)',
    );
    expect(text).toContain(
      '5 connections = 0.005 Web PubSub unit(s) (200 such tenants fill the planned units)',
    );
    expect(text).toContain('Web PubSub Standard_S1 × 1 unit(s) holds 1000 connections');
    const md = renderPlanMarkdown(plan);
    expect(md).toContain('### Tenant plans');
    expect(md).toMatch(/\| pro \| unbounded \| \$2\.50 \| \$10\.37 \| unbounded \| unbounded/);
    expect(renderPlanText(defineBackend({ notes: notes(false) }).plan())).not.toContain(
      'Tenant plans',
    );
  });

  it('the review page has a Tenant plans section, linked from the navigation, strings escaped', () => {
    const html = renderPlanHtml(plan);
    expect(html).toContain('<a href="#tenant-plans">Tenant plans</a>');
    expect(html).toContain('<section id="tenant-plans"');
    expect(html).toContain('data-plan="free" data-worst="27.73"');
    expect(html).toContain('data-plan="pro" data-worst="unbounded"');
  });
});

describe('each plan’s price beside its cost to serve, and the cost drivers no meter bills', () => {
  const priced = () =>
    saas({
      realtime: { sku: 'Standard_S1', units: 1 },
      tenants: {
        ...SAAS_TENANTS.tenants,
        plans: {
          free: SAAS_TENANTS.tenants.plans.free,
          pro: {
            ...SAAS_TENANTS.tenants.plans.pro,
            monthlyFeeUsd: 29,
            stripe: { price: 'price_Pro' },
          },
          team: {
            requestsPerMinute: 60,
            requestUnitsPerDay: 100_000,
            storageMb: 100,
            realtimeConnections: 5,
            monthlyFeeUsd: 99,
          },
        },
        billing: {
          stripe: {
            secret: 'STRIPE_KEY',
            webhookSecret: 'STRIPE_WEBHOOK_SECRET',
            meters: { requests: 'api_requests' },
          },
        },
      },
    });

  it('each plan carries its price and the drivers of its cost that no declared meter bills', () => {
    const t = priced().tenantPlans!;
    const pro = t.plans.find((p) => p.plan === 'pro')!;
    expect([pro.priceMonthlyUsd, pro.stripePrice, pro.unbilled]).toEqual([
      29,
      'price_Pro',
      ['requestUnits', 'storage', 'realtimeMessages'],
    ]);
    const free = t.plans.find((p) => p.plan === 'free')!;
    expect([free.priceMonthlyUsd, free.stripePrice]).toEqual([null, null]);
    // The worst case ($27.73) exceeds no price; team's $99 covers it.
    const team = t.plans.find((p) => p.plan === 'team')!;
    expect(team.unbilled).toEqual(['requestUnits', 'storage', 'realtimeMessages']);
    expect(t.notes).toContain(
      'pro: price $29.00 a month (Stripe price_Pro) against a cost to serve that is unbounded at its limits (RU, ' +
        'realtime messages not bounded); no meter bills RU, storage, realtime messages ' +
        '(tenants.billing.stripe.meters.requestUnits, .storedGbHours, .realtimeMessages): the price alone pays for them.',
    );
    expect(t.notes).toContain(
      'team: price $99.00 a month against a cost to serve of up to $27.73 at its limits; no meter bills RU, ' +
        'storage, realtime messages (tenants.billing.stripe.meters.requestUnits, .storedGbHours, ' +
        '.realtimeMessages): the price alone pays for them.',
    );
    const again = JSON.parse(JSON.stringify(priced())) as unknown;
    expect(resourcePlanSchema.parse(again)).toEqual(priced());
  });

  it('a plan whose worst case passes its price is flagged; a realtime meter takes realtime messages off the list', () => {
    const plan = saas({
      realtime: { sku: 'Standard_S1', units: 1 },
      tenants: {
        ...SAAS_TENANTS.tenants,
        plans: {
          ...SAAS_TENANTS.tenants.plans,
          free: { ...SAAS_TENANTS.tenants.plans.free, monthlyFeeUsd: 5 },
        },
        billing: {
          stripe: {
            secret: 'STRIPE_KEY',
            meters: { requests: 'r', requestUnits: 'ru', realtimeMessages: 'm' },
          },
        },
      },
    });
    const free = plan.tenantPlans!.plans.find((p) => p.plan === 'free')!;
    expect(free.unbilled).toEqual(['storage']);
    expect(plan.tenantPlans!.notes).toContain(
      'free: price $5.00 a month against a cost to serve of up to $27.73 at its limits — more than its price; no ' +
        'meter bills storage (tenants.billing.stripe.meters.storedGbHours): the price alone pays for it.',
    );
  });

  it('text, Markdown and the review page show the price beside the cost to serve and the unbilled drivers', () => {
    const plan = priced();
    const text = renderPlanText(plan);
    expect(text).toContain(
      '    price: $29.00 a month (Stripe price_Pro); not billed by a meter: RU, storage, realtime messages',
    );
    expect(text).toContain(
      '    price: none declared; not billed by a meter: RU, storage, realtime messages',
    );
    const md = renderPlanMarkdown(plan);
    expect(md).toContain('| Price | Not billed by a meter |');
    expect(md).toMatch(/\| pro \|.*\| \$29\.00 \(price_Pro\) \| RU, storage, realtime messages \|/);
    const html = renderPlanHtml(plan);
    expect(html).toContain('data-plan="pro" data-worst="unbounded" data-price="29"');
    expect(html).toContain('<th scope="col">Price / month</th>');
    expect(html).toContain('<td>RU, storage, realtime messages</td>');
  });
});
