/**
 * Azure's Cosmos DB limits and bills the plan reads: 500 databases + containers per account (a limit violation,
 * before an apply that would fail at the 501st), and throughput and storage billed in every region of the account
 * (the estimate and the budget gate multiply by the regions).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import { evaluateBudget } from '../../src/plan/checks/budget.js';
import { cosmosMonthlyUsd } from '../../src/resources/cosmos/prices.js';

const apis = (n: number, extra: Record<string, unknown> = {}) =>
  Object.fromEntries(
    Array.from({ length: n }, (_, i) => [
      `api${i}`,
      CrudApi.define(`Api${i}`, { entityName: `Thing${i}`, schema: { id: 'string' }, ...extra }),
    ]),
  );

describe('databases + containers per Cosmos DB account (Azure: 500)', () => {
  it('250 CrudApis (a database and a container each) plan clean; 251 are a limit violation', () => {
    const at = (n: number) =>
      defineBackend(apis(n), { environment: 'prod', limits: { maxFunctionsPerApp: 1000 } }).plan();
    expect(
      at(250).limitViolations.filter((v) => v.limit === 'maxContainersPerCosmosAccount'),
    ).toEqual([]);
    const over = at(251).limitViolations.filter((v) => v.limit === 'maxContainersPerCosmosAccount');
    expect(over).toEqual([
      expect.objectContaining({
        allowed: 500,
        requested: 502,
        resourceType: 'cosmos',
        solutions: ['Split components across multiple backends', 'Request Azure quota increase'],
      }),
    ]);
    expect(over[0]!.message).toContain('databases and containers per Cosmos DB account');
  });

  it('counts shared databases once and lease containers too; a configured ceiling wins', () => {
    const shared = (i: number, onChange?: string) =>
      CrudApi.define(`Api${i}`, {
        entityName: `Thing${i}`,
        schema: { id: 'string' },
        databaseName: 'app-db',
        ...(onChange ? { onChange } : {}),
      });
    const plan = defineBackend(
      { a: shared(0), b: shared(1, `${import.meta.dirname}/../packaging/fixtures/on-booking.ts`) },
      { environment: 'prod', limits: { maxContainersPerCosmosAccount: 3 } },
    ).plan();
    // One database, two containers and a lease container: 4 > 3.
    expect(plan.limitViolations).toEqual([
      expect.objectContaining({
        limit: 'maxContainersPerCosmosAccount',
        allowed: 3,
        requested: 4,
        solutions: [
          'Increase maxContainersPerCosmosAccount in backend config',
          'Split components across multiple backends',
          'Request Azure quota increase',
        ],
      }),
    ]);
  });

  it('apply refuses the plan (ResourceLimitError) instead of failing in Azure', () => {
    const backend = defineBackend(apis(251), {
      environment: 'prod',
      limits: { maxFunctionsPerApp: 1000 },
    });
    expect(() => backend.apply(undefined as never)).toThrow(/databases and containers/);
  });
});

describe('multi-region Cosmos DB: billed in every region', () => {
  const regions = ['westus2', 'northeurope', 'japaneast', 'australiaeast', 'brazilsouth'];
  const config = (n: number, extra: Partial<BackendConfig> = {}): BackendConfig => ({
    environment: 'prod',
    location: 'eastus',
    ...(n > 1
      ? {
          cosmosConfig: {
            failoverPolicies: regions
              .slice(0, n - 1)
              .map((locationName, i) => ({ locationName, priority: i + 1 })),
          },
        }
      : { autoScale: { enabled: false } }),
    ...extra,
  });
  const cosmosUsd = (n: number, extra: Partial<BackendConfig> = {}, apiExtra = {}) =>
    defineBackend(apis(2, { throughput: 400, ...apiExtra }), config(n, extra))
      .plan()
      .resources.filter((r) => r.type === 'cosmos')
      .reduce((s, r) => s + r.estimatedMonthlyUsd, 0);

  it('two regions cost twice one region: throughput and storage each ×2', () => {
    const one = cosmosUsd(1);
    expect(one).toBeCloseTo(2 * 23.61, 2);
    expect(cosmosUsd(2)).toBeCloseTo(2 * one, 2);
    expect(cosmosUsd(3)).toBeCloseTo(3 * one, 2);
  });

  it('the budget gate (--max-monthly-usd) sees the multi-region cost', () => {
    const plan = defineBackend(apis(2, { throughput: 400 }), config(3)).plan();
    const single = defineBackend(apis(2, { throughput: 400 }), config(1)).plan();
    const budget = single.summary.estimatedMonthlyUsd.shared + 1;
    expect(evaluateBudget(single, { maxMonthlyUsd: budget }).over).toBe(false);
    expect(evaluateBudget(plan, { maxMonthlyUsd: budget }).over).toBe(true);
  });

  it('property: the price never falls as regions are added, and is linear in them', () => {
    const container = fc.record(
      {
        throughput: fc.integer({ min: 4, max: 100 }).map((x) => x * 100),
        autoscaleMaxThroughput: fc.integer({ min: 1, max: 50 }).map((x) => x * 1000),
      },
      { requiredKeys: [] },
    );
    const databases = fc.array(
      fc.record(
        {
          throughput: fc.integer({ min: 4, max: 100 }).map((x) => x * 100),
          containers: fc.array(container, { maxLength: 4 }),
        },
        { requiredKeys: ['containers'] },
      ),
      { minLength: 1, maxLength: 4 },
    );
    fc.assert(
      fc.property(databases, fc.integer({ min: 1, max: 8 }), (dbs, n) => {
        const at = (regions: number) =>
          cosmosMonthlyUsd({ serverless: false, regions, databases: dbs });
        expect(at(n + 1)).toBeGreaterThanOrEqual(at(n));
        expect(at(n)).toBeCloseTo(n * at(1), 1);
      }),
      { numRuns: 300 },
    );
  });

  it('property: planned backends cost more, never less, with each failover region added', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.boolean(), (n, autoscale) => {
        const extra: Partial<BackendConfig> = autoscale
          ? { autoScale: { enabled: true, maxThroughput: 4000 } }
          : {};
        const apiExtra = autoscale ? { throughput: undefined } : {};
        expect(cosmosUsd(n + 1, extra, apiExtra)).toBeGreaterThan(cosmosUsd(n, extra, apiExtra));
      }),
      { numRuns: 12 },
    );
  });
});
