import { AtakoraError } from '../../model/errors.js';
import type { ResourcePlan } from '../../model/plan.js';

/**
 * Spending limits a plan is held to (`atakora plan|diff --max-monthly-usd N --max-cost-increase-usd N`): the
 * monthly estimate, and its rise over a base plan (what is deployed now).
 *
 * @example
 * ```ts
 * const limits: BudgetLimits = { maxMonthlyUsd: 200, maxCostIncreaseUsd: 25 };
 * ```
 */
export interface BudgetLimits {
  /** Most the plan's estimated monthly cost (`summary.estimatedMonthlyUsd.shared`) may be, in USD. */
  readonly maxMonthlyUsd?: number;
  /** Most the estimate may rise over the base plan's, in USD a month. Needs a base plan. */
  readonly maxCostIncreaseUsd?: number;
}

/**
 * One limit checked: what it allows, what the plan comes to, and the sentence a CI log shows.
 *
 * @example
 * ```ts
 * const [check]: readonly BudgetCheck[] = evaluateBudget(backend.plan(), { maxMonthlyUsd: 10 }).checks;
 * console.log(check?.over, check?.message);
 * ```
 */
export interface BudgetCheck {
  readonly limit: keyof BudgetLimits;
  readonly budgetUsd: number;
  /** The estimate (`maxMonthlyUsd`) or the increase over the base (`maxCostIncreaseUsd`). */
  readonly actualUsd: number;
  /** Strictly over: an estimate equal to the budget is within it. */
  readonly over: boolean;
  readonly message: string;
}

/**
 * A plan's cost against its budget: the estimate, the base's and the difference when there is a base, and
 * one check per limit given.
 *
 * @example
 * ```ts
 * const result: BudgetResult = evaluateBudget(backend.plan(), { maxMonthlyUsd: 100 });
 * if (result.over) console.error(result.checks.filter((c) => c.over).map((c) => c.message).join('\n'));
 * ```
 */
export interface BudgetResult {
  readonly over: boolean;
  readonly estimateUsd: number;
  /** Present with a base plan. */
  readonly baseUsd?: number;
  /** `estimateUsd - baseUsd`, present with a base plan. */
  readonly deltaUsd?: number;
  readonly checks: readonly BudgetCheck[];
}

/**
 * The monthly cost change from `base` to `plan`: the difference of their estimates
 * (`summary.estimatedMonthlyUsd.shared`), as computed, unrounded.
 *
 * @example
 * ```ts
 * const before = backend.plan();
 * costDelta(before, before); // { beforeUsd: 41.2, afterUsd: 41.2, deltaUsd: 0 }
 * ```
 */
export function costDelta(
  base: ResourcePlan,
  plan: ResourcePlan,
): { readonly beforeUsd: number; readonly afterUsd: number; readonly deltaUsd: number } {
  const beforeUsd = base.summary.estimatedMonthlyUsd.shared;
  const afterUsd = plan.summary.estimatedMonthlyUsd.shared;
  return { beforeUsd, afterUsd, deltaUsd: afterUsd - beforeUsd };
}

/**
 * Hold a plan to its budget (pure): the estimate against `maxMonthlyUsd`, and with a `base` plan the increase
 * against `maxCostIncreaseUsd`. The CLI's budget gate is this function; it exits 1 when `over`. A limit that
 * is not a finite number ≥ 0, or `maxCostIncreaseUsd` without a base, is a `BUDGET_INVALID` error.
 *
 * @example
 * ```ts
 * const before = backend.plan();
 * const { over, checks } = evaluateBudget(before, { maxMonthlyUsd: 500, maxCostIncreaseUsd: 20 }, before);
 * console.log(over, checks.map((c) => c.message));
 * ```
 */
export function evaluateBudget(
  plan: ResourcePlan,
  limits: BudgetLimits,
  base?: ResourcePlan,
): BudgetResult {
  for (const key of ['maxMonthlyUsd', 'maxCostIncreaseUsd'] as const) {
    const v = limits[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
      throw new AtakoraError(
        'BUDGET_INVALID',
        `The budget ${key} must be a number of US dollars, 0 or more; got ${JSON.stringify(v) ?? String(v)}.`,
        { path: [key] },
      );
    }
  }
  if (limits.maxCostIncreaseUsd !== undefined && !base) {
    throw new AtakoraError(
      'BUDGET_INVALID',
      'A cost-increase budget (maxCostIncreaseUsd) needs a base plan to compare with.',
      {
        path: ['maxCostIncreaseUsd'],
        resolution:
          'Give the plan deployed now as the base: atakora plan <entry> --base before.json, or atakora diff ' +
          '<before> <after>.',
      },
    );
  }
  const estimateUsd = plan.summary.estimatedMonthlyUsd.shared;
  const delta = base ? costDelta(base, plan) : undefined;
  const name = `${plan.backendId} (${plan.environment})`;
  const checks: BudgetCheck[] = [];
  if (limits.maxMonthlyUsd !== undefined) {
    const budgetUsd = limits.maxMonthlyUsd;
    const over = estimateUsd > budgetUsd;
    checks.push({
      limit: 'maxMonthlyUsd',
      budgetUsd,
      actualUsd: estimateUsd,
      over,
      message: over
        ? `${name}: the estimated monthly cost ${usd(estimateUsd)} is over the budget of ${usd(budgetUsd)} ` +
          `(--max-monthly-usd) by ${usd(estimateUsd - budgetUsd)}.`
        : `${name}: the estimated monthly cost ${usd(estimateUsd)} is within the budget of ${usd(budgetUsd)} ` +
          `(--max-monthly-usd).`,
    });
  }
  if (limits.maxCostIncreaseUsd !== undefined && delta) {
    const budgetUsd = limits.maxCostIncreaseUsd;
    const over = delta.deltaUsd > budgetUsd;
    const change = `${signedUsd(delta.deltaUsd)} a month (${usd(delta.beforeUsd)} → ${usd(delta.afterUsd)})`;
    checks.push({
      limit: 'maxCostIncreaseUsd',
      budgetUsd,
      actualUsd: delta.deltaUsd,
      over,
      message: over
        ? `${name}: the estimated monthly cost rises ${change}, over the allowed increase of ${usd(budgetUsd)} ` +
          `(--max-cost-increase-usd).`
        : `${name}: the estimated monthly cost changes ${change}, within the allowed increase of ` +
          `${usd(budgetUsd)} (--max-cost-increase-usd).`,
    });
  }
  return {
    over: checks.some((c) => c.over),
    estimateUsd,
    ...(delta ? { baseUsd: delta.beforeUsd, deltaUsd: delta.deltaUsd } : {}),
    checks,
  };
}

/**
 * US dollars for a person: cents, unless the amount has finer digits (a budget of 0.005 stays 0.005, not 0.01,
 * so a message never shows a budget other than the one given).
 *
 * @example
 * ```ts
 * usd(41.2); // '$41.20'
 * ```
 */
export function usd(n: number): string {
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  // Sums of cents carry float noise (12.000000000000002): that is cents, not a finer amount.
  const cents = Math.round(a * 100) / 100;
  return `${sign}$${Math.abs(cents - a) < 1e-9 ? cents.toFixed(2) : String(a)}`;
}

/**
 * A cost change with its sign: `+$12.00`, `-$3.50`, `$0.00`.
 *
 * @example
 * ```ts
 * signedUsd(41.2 - 29.2); // '+$12.00'
 * ```
 */
export function signedUsd(n: number): string {
  const s = usd(n);
  return s === '$0.00' || s === '-$0.00' ? '$0.00' : n > 0 ? `+${s}` : s;
}
