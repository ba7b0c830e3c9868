/**
 * The review page is written in one pass (src/plan/render/html-out.ts, html-page-text.ts): each piece copied
 * once, each plan string escaped once. It must write the very bytes the page had before, so this holds it to the
 * renderer as it was (a frozen copy in ./support/html-before/, with the overview it read) on plans the planner
 * makes — 300 CrudApis against a base of 299, schema changes with migrations, data loss, issues, mixed kinds —
 * and on random plans with hostile names, issues, limits, endpoints, access rules, secrets, bases and budgets.
 *
 * A deliberate change to the page changes both: make it in ./support/html-before/ too (or replace that copy with
 * the renderer before your change and make yours only in src/), so this keeps comparing like with like.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import type { CrudApiConfig } from '../../src/components/crud/config.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { StaticSite } from '../../src/components/web/index.js';
import type { JsonValue, PlanIssue, ResourcePlan } from '../../src/model/plan.js';
import type { BudgetLimits } from '../../src/plan/checks/budget.js';
import { renderPlanHtml, type RenderHtmlOptions } from '../../src/plan/render/index.js';
import { arbitraryCrudBackend, arbitraryPlan, planText } from '../support/plan-arbitraries.js';
import { renderPlanHtml as renderBefore } from './support/html-before/html.js';
import { propertyRuns } from './support/budget.js';

/** The first place two pages differ, with some context, for a readable failure. */
function firstDifference(now: string, before: string): string | undefined {
  if (now === before) return undefined;
  let i = 0;
  while (i < now.length && now[i] === before[i]) i++;
  return (
    `pages differ at ${i} (lengths ${now.length} and ${before.length}):\n` +
    `now:    ${JSON.stringify(now.slice(Math.max(0, i - 60), i + 80))}\n` +
    `before: ${JSON.stringify(before.slice(Math.max(0, i - 60), i + 80))}`
  );
}

const same = (plan: ResourcePlan, options?: RenderHtmlOptions) =>
  expect(
    firstDifference(renderPlanHtml(plan, options), renderBefore(plan, options)),
  ).toBeUndefined();

const crudApis = (n: number, extra: Partial<CrudApiConfig> = {}) =>
  Object.fromEntries(
    Array.from({ length: n }, (_, i) => [
      `api${i}`,
      CrudApi.define(`Api${i}`, {
        entityName: `Entity${i}`,
        schema: { id: 'string', name: 'string', price: 'number' },
        ...extra,
      } as CrudApiConfig<Record<string, never>>),
    ]),
  );

describe('the review page writes the same bytes as before', () => {
  it('300 CrudApis, alone and against a base of 299, with budgets', () => {
    const plan = defineBackend(crudApis(300), { environment: 'prod', location: 'eastus' }).plan();
    const base = defineBackend(crudApis(299), { environment: 'prod', location: 'eastus' }).plan();
    same(plan);
    same(plan, { base });
    same(base, { base: plan, budget: { maxMonthlyUsd: 1, maxCostIncreaseUsd: 0 } });
    same(plan, { budget: { maxMonthlyUsd: 1e6 } });
  });

  it('schema changes with migrations, data loss, issues and mixed kinds', () => {
    const orders = (schema: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      CrudApi.define('OrderApi', {
        entityName: 'Order',
        schema: { id: 'string', ...schema },
        ...extra,
      } as never);
    const v1 = defineBackend(
      {
        orders: orders({ amountCents: 'integer', note: 'string' }),
        notes: CrudApi.define('NoteApi', {
          entityName: 'Note',
          schema: { id: 'string', text: 'string' },
          partitionKey: '/id',
        }),
        worker: FunctionsApp.define('Worker', {
          runtime: 'node',
          version: '20',
          functions: { ping: { trigger: 'http' }, work: { trigger: 'queue', queueName: 'jobs' } },
        }),
        site: StaticSite.define('Site', { sourceDirectory: './site' }),
      },
      { environment: 'pr-7', backendId: 'shop' },
    ).plan();
    const v2 = defineBackend(
      {
        orders: orders(
          { total: { type: 'number', required: true, default: 0 }, note: 'number' },
          { schemaVersion: 2, migrations: { 2: './migrations/order-v2.ts' } },
        ),
        // Another partition key: the container is replaced, and its data lost.
        notes: CrudApi.define('NoteApi', {
          entityName: 'Note',
          schema: { id: 'string', text: 'string' },
          partitionKey: '/text',
        }),
        // Two routes on one path: issues on the page.
        a: FunctionsApp.define('A', {
          runtime: 'node',
          version: '20',
          functions: { ping: { trigger: 'http' } },
        }),
        b: FunctionsApp.define('B', {
          runtime: 'node',
          version: '20',
          functions: { ping: { trigger: 'http' } },
        }),
      },
      { environment: 'pr-7', backendId: 'shop' },
    ).plan();
    expect(v2.issues.length).toBeGreaterThan(0);
    same(v2, { base: v1 });
    same(v1, { base: v2, budget: { maxCostIncreaseUsd: 0 } });
    same(v2);
  });

  it('random backends the planner accepts, against random bases (schema changes, versions)', () => {
    fc.assert(
      fc.property(arbitraryCrudBackend(), arbitraryCrudBackend(), (after, before) => {
        const plan = (b: typeof after) =>
          defineBackend(
            Object.fromEntries(
              b.apis.map((a) => [
                a.id,
                CrudApi.define(a.id, a.config as CrudApiConfig<Record<string, never>>),
              ]),
            ),
            b.auth ? {} : { auth: 'none' as const },
          ).plan();
        const p = plan(after);
        const base = plan(before);
        same(p);
        same(p, { base });
      }),
      { numRuns: propertyRuns(40) },
    );
  });

  it('random plans with hostile names, issues, limits, endpoints, access rules and secrets', () => {
    const issue: fc.Arbitrary<PlanIssue> = fc.record({
      severity: fc.constantFrom('error' as const, 'warning' as const, 'info' as const),
      code: fc.constantFrom('ROUTE_CONFLICT', 'SECRET_IN_CONFIG', 'RELATION_CASCADE_CYCLE'),
      message: planText,
      components: fc.option(fc.array(planText, { maxLength: 3 }), { nil: undefined }),
      resolution: fc.option(planText, { nil: undefined }),
    }) as fc.Arbitrary<PlanIssue>;
    const violation = fc.record({
      limit: planText,
      allowed: fc.nat(100),
      requested: fc.nat(200),
      resourceType: fc.constantFrom('cosmos', 'functions'),
      message: planText,
      solutions: fc.array(planText, { maxLength: 3 }),
    });
    const outputs: fc.Arbitrary<Record<string, JsonValue>> = fc.record(
      {
        apiEndpoint: fc.oneof(
          planText.map((t) => `https://func-x.azurewebsites.net/api/${t}`),
          fc.constant(''),
          planText,
        ),
        siteEndpoint: planText.map((t) => `http://${t}`),
        containerName: planText,
        access: fc.array(
          fc.oneof(
            fc.record({ allow: fc.constant('owner') }),
            fc.record({ allow: fc.constant('role'), role: planText }),
            fc.record({
              allow: fc.constant('authenticated'),
              operations: fc.subarray(['read', 'list', 'create']),
            }),
          ),
          { maxLength: 3 },
        ),
        ownerField: planText,
      },
      { requiredKeys: [] },
    );
    const budget: fc.Arbitrary<BudgetLimits | undefined> = fc.option(
      fc.record(
        { maxMonthlyUsd: fc.nat(5000), maxCostIncreaseUsd: fc.nat(100) },
        { requiredKeys: [] },
      ),
      { nil: undefined },
    );
    const enriched = fc
      .tuple(
        arbitraryPlan(),
        fc.array(issue, { maxLength: 4 }),
        fc.array(violation, { maxLength: 2 }),
        fc.array(outputs, { maxLength: 12 }),
        fc.array(planText, { maxLength: 3 }),
        fc.constantFrom('', '\u0000', '\u0000z', ' ≈ →'),
      )
      .map(([plan, issues, limitViolations, outs, secrets, tail]): ResourcePlan => {
        // Keys and ids with a NUL (the diagram's edges once joined them with one) or beyond Latin-1, kept consistent.
        const k = (s: string) => `${s}${tail}`;
        const renamed = tail
          ? {
              ...plan,
              components: plan.components.map((c) => ({
                ...c,
                key: k(c.key),
                id: k(c.id),
                resources: Object.fromEntries(
                  Object.entries(c.resources).map(([t, r]) => [t, k(r)]),
                ),
              })),
              resources: plan.resources.map((r) => ({
                ...r,
                key: k(r.key),
                consumers: r.consumers.map(k),
              })),
            }
          : plan;
        const resources = renamed.resources.map((r, i) =>
          i === 0 && secrets.length > 0
            ? { ...r, type: 'keyvault', config: { secrets } }
            : i === 1
              ? { ...r, type: 'network', config: { existingDnsZones: { 'privatelink.x': 'id' } } }
              : r,
        );
        return {
          ...renamed,
          resources,
          components: renamed.components.map((c, i) => ({ ...c, outputs: outs[i] ?? {} })),
          issues,
          limitViolations,
        };
      });
    fc.assert(
      fc.property(enriched, fc.option(enriched, { nil: undefined }), budget, (plan, base, b) => {
        same(plan);
        // A cost-increase limit needs a base (BUDGET_INVALID without one, as before).
        const limits = b && !base ? { maxMonthlyUsd: b.maxMonthlyUsd } : b;
        same(plan, { ...(base ? { base } : {}), ...(limits ? { budget: limits } : {}) });
      }),
      { numRuns: propertyRuns(300) },
    );
  });
});
