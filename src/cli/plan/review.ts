import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { AtakoraError } from '../../model/errors.js';
import type { ResourcePlan } from '../../model/plan.js';
import { evaluateBudget, type BudgetLimits } from '../../plan/checks/budget.js';
import { resourcePlanSchema } from '../../plan/plan-schema.js';
import { UsageError } from '../shared/usage-error.js';
import { at } from '../../model/at.js';

const AMOUNT = /^\d+(\.\d+)?$/;

/**
 * The budget flags of `plan` and `diff` as limits: `--max-monthly-usd N`, `--max-cost-increase-usd N` (the latter
 * only with a base plan). A malformed amount is a usage error (exit 2).
 *
 * @example
 * ```ts
 * budgetFlags({ 'max-monthly-usd': '250' }, false); // { maxMonthlyUsd: 250 }
 * ```
 */
export function budgetFlags(
  values: {
    readonly 'max-monthly-usd'?: string | undefined;
    readonly 'max-cost-increase-usd'?: string | undefined;
  },
  hasBase: boolean,
): BudgetLimits {
  const amount = (flag: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    if (!AMOUNT.test(v.trim()))
      throw new UsageError(
        `--${flag} takes an amount of US dollars a month, 0 or more (e.g. 250 or 12.5); got "${v}".`,
      );
    return Number(v);
  };
  const maxMonthlyUsd = amount('max-monthly-usd', values['max-monthly-usd']);
  const maxCostIncreaseUsd = amount('max-cost-increase-usd', values['max-cost-increase-usd']);
  if (maxCostIncreaseUsd !== undefined && !hasBase) {
    throw new UsageError(
      '--max-cost-increase-usd needs a plan to compare with: atakora plan <entry> --base before.json, or ' +
        'atakora diff <before> <after>.',
    );
  }
  return {
    ...(maxMonthlyUsd !== undefined ? { maxMonthlyUsd } : {}),
    ...(maxCostIncreaseUsd !== undefined ? { maxCostIncreaseUsd } : {}),
  };
}

/**
 * The plans of a saved plan file given as `--base` (one plan, or an array for an entry with several backends).
 * A missing, unreadable or malformed file is a `PLAN_FILE_INVALID` error naming the file and what is wrong.
 *
 * @example
 * ```ts
 * const bases = readBasePlans('before.json');
 * ```
 */
export function readBasePlans(file: string): ResourcePlan[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const missing = (e as { code?: string }).code === 'ENOENT';
    throw new AtakoraError(
      'PLAN_FILE_INVALID',
      missing
        ? `The base plan ${file} does not exist.`
        : `The base plan ${file} is not readable JSON: ${(e as Error).message}`,
      { path: ['--base'], details: { file } },
    );
  }
  const list = Array.isArray(data) ? data : [data];
  if (list.length === 0)
    throw new AtakoraError(
      'PLAN_FILE_INVALID',
      `The base plan ${file} is an empty array: it holds no plan.`,
      { path: ['--base'], details: { file } },
    );
  return list.map((p, i) => {
    const parsed = resourcePlanSchema.safeParse(p);
    if (!parsed.success) {
      const issue = at(parsed.error.issues, 0);
      throw new AtakoraError(
        'PLAN_FILE_INVALID',
        `The base plan ${file}${list.length > 1 ? `[${i}]` : ''} is not a saved ResourcePlan (version 1): ${issue.message} at ${issue.path.join('.') || '(root)'}.`,
        { path: ['--base'], details: { file } },
      );
    }
    return parsed.data as ResourcePlan;
  });
}

/**
 * The base plan for `plan`: the one of the same backend and environment, else the only one.
 *
 * @example
 * ```ts
 * baseFor(readBasePlans('before.json'), plan);
 * ```
 */
export function baseFor(
  bases: readonly ResourcePlan[],
  plan: ResourcePlan,
): ResourcePlan | undefined {
  return (
    bases.find((b) => b.backendId === plan.backendId && b.environment === plan.environment) ??
    (bases.length === 1 ? bases[0] : undefined)
  );
}

/**
 * Write the rendered outputs: to `out` when given (one file per plan; with several plans each file name gets
 * `-<backendId>-<environment>`), printing each path; else to stdout. Several HTML pages need `--out`.
 *
 * @example
 * ```ts
 * emit([[plan, html]], { out: 'plan.html', html: true, write: (s) => process.stdout.write(s) });
 * ```
 */
export function emit(
  pages: readonly (readonly [ResourcePlan, string])[],
  options: {
    readonly out: string | undefined;
    readonly html: boolean;
    readonly write: (s: string) => void;
  },
): void {
  const { out, write } = options;
  if (out === undefined) {
    if (options.html && pages.length > 1)
      throw new UsageError(
        `The entry has ${pages.length} backends: --format html writes a page for each, so it needs --out <file>.`,
      );
    write(pages.map(([, text]) => text.replace(/\n$/, '')).join('\n\n') + '\n');
    return;
  }
  for (const [plan, text] of pages) {
    const ext = extname(out);
    const file =
      pages.length === 1
        ? out
        : join(
            dirname(out),
            `${basename(out, ext)}-${`${plan.backendId}-${plan.environment}`.replace(/[^A-Za-z0-9_.-]/g, '_')}${ext}`,
          );
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    write(`${file}\n`);
  }
}

/**
 * The budget gate: each plan against the limits (and its base), every verdict on stderr. True when any is over.
 *
 * @example
 * ```ts
 * const over = budgetGate([[plan, base]], { maxMonthlyUsd: 250 }, (s) => process.stderr.write(s));
 * ```
 */
export function budgetGate(
  pairs: readonly (readonly [ResourcePlan, ResourcePlan | undefined])[],
  limits: BudgetLimits,
  err: (s: string) => void,
): boolean {
  if (limits.maxMonthlyUsd === undefined && limits.maxCostIncreaseUsd === undefined) return false;
  let over = false;
  for (const [plan, base] of pairs) {
    if (limits.maxCostIncreaseUsd !== undefined && !base) {
      throw new AtakoraError(
        'BUDGET_INVALID',
        `No base plan of ${plan.backendId} (${plan.environment}) to measure the cost increase from.`,
        { path: ['--base'] },
      );
    }
    const result = evaluateBudget(plan, limits, base);
    over ||= result.over;
    for (const c of result.checks)
      err(`${c.over ? 'Budget exceeded' : 'Budget ok'}: ${c.message}\n`);
  }
  return over;
}
