/**
 * The budget gate's pure half (evaluateBudget, costDelta) and the Markdown's first line, which states the
 * estimate or, with a base, the cost delta (what a PR comment shows folded).
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { costDelta, evaluateBudget, signedUsd, usd } from '../../src/plan/checks/budget.js';
import { diffPlans } from '../../src/plan/diff/diff.js';
import { renderDiffMarkdown, renderPlanMarkdown } from '../../src/plan/render/index.js';
import { thrown } from '../support/errors.js';

const api = (id: string) =>
  CrudApi.define(id, { entityName: id.replace(/Api$/, ''), schema: { id: 'string' } });
const before = defineBackend(
  { userApi: api('UserApi') },
  { environment: 'prod', backendId: 'shop' },
).plan();
const after = defineBackend(
  { userApi: api('UserApi'), orderApi: api('OrderApi') },
  { environment: 'prod', backendId: 'shop', monitoring: true },
).plan();
const estimate = after.summary.estimatedMonthlyUsd.shared;
const delta = estimate - before.summary.estimatedMonthlyUsd.shared;

describe('evaluateBudget', () => {
  it('is over only when the estimate is strictly over the monthly budget, and names both', () => {
    const over = evaluateBudget(after, { maxMonthlyUsd: estimate - 0.01 });
    expect(over.over).toBe(true);
    expect(over.estimateUsd).toBe(estimate);
    expect(over.checks).toHaveLength(1);
    expect(over.checks[0]).toMatchObject({
      limit: 'maxMonthlyUsd',
      budgetUsd: estimate - 0.01,
      actualUsd: estimate,
      over: true,
    });
    expect(over.checks[0]!.message).toContain(usd(estimate));
    expect(over.checks[0]!.message).toContain(usd(estimate - 0.01));
    expect(evaluateBudget(after, { maxMonthlyUsd: estimate }).over).toBe(false);
    expect(evaluateBudget(after, { maxMonthlyUsd: estimate + 100 }).checks[0]!.message).toContain(
      'within',
    );
    expect(evaluateBudget(after, {})).toEqual({ over: false, estimateUsd: estimate, checks: [] });
  });

  it('with a base: the delta is the difference of the estimates, held to the increase budget', () => {
    expect(delta).toBeGreaterThan(0);
    expect(costDelta(before, after)).toEqual({
      beforeUsd: before.summary.estimatedMonthlyUsd.shared,
      afterUsd: estimate,
      deltaUsd: delta,
    });
    const r = evaluateBudget(
      after,
      { maxCostIncreaseUsd: delta - 0.5, maxMonthlyUsd: 1e6 },
      before,
    );
    expect(r).toMatchObject({
      over: true,
      baseUsd: before.summary.estimatedMonthlyUsd.shared,
      deltaUsd: delta,
    });
    expect(r.checks.map((c) => [c.limit, c.over])).toEqual([
      ['maxMonthlyUsd', false],
      ['maxCostIncreaseUsd', true],
    ]);
    expect(r.checks[1]!.message).toContain(signedUsd(delta));
    expect(evaluateBudget(after, { maxCostIncreaseUsd: delta + 0.5 }, before).over).toBe(false);
    // Cheaper is never over an increase budget of 0.
    expect(evaluateBudget(before, { maxCostIncreaseUsd: 0 }, after).over).toBe(false);
  });

  it('a bad amount or an increase budget without a base is BUDGET_INVALID', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '10' as unknown as number]) {
      const e = thrown(() => evaluateBudget(after, { maxMonthlyUsd: bad }));
      expect(e.code).toBe('BUDGET_INVALID');
      expect(e.path).toEqual(['maxMonthlyUsd']);
    }
    expect(thrown(() => evaluateBudget(after, { maxCostIncreaseUsd: 5 })).code).toBe(
      'BUDGET_INVALID',
    );
  });

  it('money reads as a person writes it', () => {
    expect([usd(41.2), usd(0.005), usd(-3.5), usd(41.2 - 29.2)]).toEqual([
      '$41.20',
      '$0.005',
      '-$3.50',
      '$12.00',
    ]);
    expect([signedUsd(1.7), signedUsd(-1.7), signedUsd(0), signedUsd(-1e-12)]).toEqual([
      '+$1.70',
      '-$1.70',
      '$0.00',
      '$0.00',
    ]);
  });
});

describe('Markdown for pull requests: the first line states the cost', () => {
  it('the estimate without a base, the delta with one (and the changes since the base after the summary)', () => {
    const first = (md: string) => md.split('\n')[0]!;
    expect(first(renderPlanMarkdown(after))).toBe(
      `## Atakora plan: shop (prod, eastus) · estimated ${usd(estimate)}/month`,
    );
    expect(first(renderPlanMarkdown(after, { base: before }))).toBe(
      `## Atakora plan: shop (prod, eastus) · cost ${signedUsd(delta)}/month (${usd(before.summary.estimatedMonthlyUsd.shared)} → ${usd(estimate)})`,
    );
    expect(renderPlanMarkdown(after, { base: before })).toMatch(
      /^Since the base: 1 to add, \d+ to change, 0 to replace, 0 to remove · Terraform: \d+ to create/m,
    );
    const diffMd = renderDiffMarkdown(diffPlans(before, after), { cost: { before, after } });
    expect(first(diffMd)).toBe(
      `## Atakora plan diff · cost ${signedUsd(delta)}/month (${usd(before.summary.estimatedMonthlyUsd.shared)} → ${usd(estimate)})`,
    );
    expect(first(renderDiffMarkdown(diffPlans(before, after)))).toBe('## Atakora plan diff');
  });
});
