import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import { HOURS_PER_MONTH, PRICE_DATE } from '../../src/kit/pure/resources/prices.js';
import {
  COSMOS_PRICES,
  SERVERLESS_WORKLOAD,
  cosmosMonthlyUsd,
} from '../../src/resources/cosmos/prices.js';
import { FUNCTIONS_PRICES, functionPlanMonthlyUsd } from '../../src/resources/functions/prices.js';
import { storageMonthlyUsd } from '../../src/resources/storage/prices.js';

type Extra = { enableServerless?: boolean; throughput?: number };
const api = (id: 'UserApi' | 'ProductApi' | 'OrderApi', extra: Extra = {}) =>
  CrudApi.define(id, { entityName: id.replace('Api', ''), schema: { id: 'string' }, ...extra });
const keyOf = { UserApi: 'userApi', ProductApi: 'productApi', OrderApi: 'orderApi' } as const;
const IDS = ['UserApi', 'ProductApi', 'OrderApi'] as const;

function planOf(ids: readonly (typeof IDS)[number][], extra: Extra = {}): ResourcePlan {
  return defineBackend(Object.fromEntries(ids.map((id) => [keyOf[id], api(id, extra)])), {
    environment: 'prod',
    location: 'eastus',
  }).plan();
}
/** What the same components cost as truly separate backends: each one planned alone. */
const standAlone = (extra: Extra = {}) =>
  IDS.reduce((s, id) => s + planOf([id], extra).summary.estimatedMonthlyUsd.shared, 0);
const round2 = (n: number) => Math.round(n * 100) / 100;

describe('price table', () => {
  it('is dated', () => expect(PRICE_DATE).toBe('2026-11'));

  it("gives the seeds' ~$24 for the smallest provisioned account and nothing for an empty serverless one", () => {
    expect(round2((400 / 100) * COSMOS_PRICES.provisionedPer100RuSHour * HOURS_PER_MONTH)).toBe(
      23.36,
    );
    expect(
      cosmosMonthlyUsd({ serverless: false, databases: [{ containers: [{ throughput: 400 }] }] }),
    ).toBe(23.61);
    expect(cosmosMonthlyUsd({ serverless: true, databases: [] })).toBe(0);
    expect(cosmosMonthlyUsd({ serverless: true, databases: [{ containers: [{}, {}] }] })).toBe(
      2 *
        (SERVERLESS_WORKLOAD.millionRuPerContainer * COSMOS_PRICES.serverlessPerMillionRu +
          SERVERLESS_WORKLOAD.gbPerContainer * COSMOS_PRICES.storagePerGbMonth),
    );
  });

  it('bills shared database throughput once and dedicated container throughput per container', () => {
    const sharedDb = cosmosMonthlyUsd({
      serverless: false,
      databases: [{ throughput: 400, containers: [{}, {}, {}] }],
    });
    const dedicated = cosmosMonthlyUsd({
      serverless: false,
      databases: [{ containers: [{ throughput: 400 }, { throughput: 400 }, { throughput: 400 }] }],
    });
    expect(sharedDb).toBe(round2(23.36 + 0.75));
    expect(dedicated).toBe(round2(3 * 23.36 + 0.75));
    // Autoscale is billed at its floor: 10% of the max at the autoscale rate.
    expect(
      cosmosMonthlyUsd({
        serverless: false,
        databases: [{ containers: [{ autoscaleMaxThroughput: 4000 }] }],
      }),
    ).toBe(round2(4 * 0.012 * 730 + 0.25));
  });

  it('prices Function plans from the table', () => {
    expect(functionPlanMonthlyUsd('Y1')).toBe(FUNCTIONS_PRICES.consumptionAssumedMonthlyUsd);
    expect(functionPlanMonthlyUsd('FC1')).toBe(13);
    expect(functionPlanMonthlyUsd('B1')).toBe(13.14);
    expect(functionPlanMonthlyUsd('P1v3')).toBe(122.64);
    expect(functionPlanMonthlyUsd('EP1')).toBe(157.72);
    expect(functionPlanMonthlyUsd('EP2')).toBe(315.43);
    expect(functionPlanMonthlyUsd('XX9')).toBe(0);
  });

  it('prices storage by redundancy', () => {
    expect(storageMonthlyUsd('Standard', 'LRS')).toBe(0.18);
    expect(storageMonthlyUsd('Standard', 'GRS')).toBe(0.37);
    expect(storageMonthlyUsd('Standard', 'Standard_RAGRS')).toBe(0.46);
    expect(storageMonthlyUsd('Premium', 'LRS')).toBe(1.5);
  });
});

describe("the seeds' three-API backend", () => {
  it('plans Cosmos, Functions and Storage prices from the table', () => {
    const plan = planOf(IDS);
    const usd = Object.fromEntries(plan.resources.map((r) => [r.key, r.estimatedMonthlyUsd]));
    expect(usd).toEqual({ 'cosmos:shared': 4.5, 'functions:shared': 13, 'storage:shared': 0.18 });
  });

  it('summary: $17.68 shared vs $44.04 unshared, exactly what three real stand-alone backends cost', () => {
    const { summary } = planOf(IDS);
    expect(summary.estimatedMonthlyUsd).toEqual({ shared: 17.68, unshared: 44.04 });
    expect(summary.reduction).toBe(0.667);
    // The unshared figure prices each consumer from its own requirements (serverless Cosmos grows with each
    // component's workload), so it equals planning each API alone.
    expect(round2(standAlone())).toBe(summary.estimatedMonthlyUsd.unshared);
    expect(round2(1 - summary.estimatedMonthlyUsd.shared / standAlone())).toBe(0.6);
  });

  it('provisioned with 400 RU/s per container: sharing the account saves nothing on Cosmos', () => {
    const plan = planOf(IDS, { enableServerless: false, throughput: 400 });
    const cosmos = plan.resources.find((r) => r.type === 'cosmos')!;
    expect(cosmos.estimatedMonthlyUsd).toBe(70.83);
    expect(round2(standAlone({ enableServerless: false, throughput: 400 }))).toBe(
      round2(3 * (23.61 + 13 + 0.18)),
    );
    expect(plan.summary.estimatedMonthlyUsd.shared).toBe(round2(70.83 + 13 + 0.18));
  });
});
