// `atakora plan`, `synth` and `diff`: what loads cdktf, the plan renderers and the plan schema, so main loads this
// module only for them (a `--help`, `secret` or `migrate` starts without it).
import { readFileSync } from 'node:fs';
import type { Backend } from '../../backend/backend.js';
import type { ResourcePlan } from '../../model/plan.js';
import { at } from '../../model/at.js';
import { diffPlans } from '../../plan/diff/diff.js';
import { resourcePlanSchema } from '../../plan/plan-schema.js';
import {
  renderDiffMarkdown,
  renderDiffText,
  renderPlanHtml,
  renderPlanMarkdown,
  renderPlanMermaid,
  renderPlanText,
} from '../../plan/render/index.js';
import { costDelta, signedUsd, usd, type BudgetLimits } from '../../plan/checks/budget.js';
import { accessReview, renderAccessChangesText } from '../../access/matrix/review.js';
import { synthStacks } from '../entry/synth-stacks.js';
import type { CommandIo } from '../shared/command-line.js';
import { loadInEnvironment } from '../shared/environment-option.js';
import { colors } from '../shared/style.js';
import { UsageError } from '../shared/usage-error.js';
import { baseFor, budgetGate, emit, readBasePlans } from './review.js';
import { reportSchemaGuard } from './schema-guard-report.js';

/** Where plan, synth and diff write; `stdout.isTTY` turns colours on. */
type Io = CommandIo & { readonly stdout: { isTTY?: boolean } };

/** plan's and diff's review: the page's file (`--out`), the base plan (`--base`), the budget's limits. */
export interface Review {
  readonly out: string | undefined;
  readonly base: string | undefined;
  readonly limits: BudgetLimits;
}

/**
 * `atakora plan <entry>`: each backend's plan in `format`, the budget gate; 1 on plan errors or over budget.
 *
 * @example
 * ```ts
 * const code = await planCommand(['backend.ts'], 'markdown', io);
 * ```
 */
export async function planCommand(
  args: string[],
  format: string,
  io: Io,
  byType = false,
  review: Review = { out: undefined, base: undefined, limits: {} },
  environment?: string,
): Promise<number> {
  if (args.length !== 1) throw new UsageError('plan takes exactly one <entry>.');
  if (!['text', 'markdown', 'mermaid', 'json', 'html'].includes(format))
    throw new UsageError(`Unknown format: ${format}`);
  const bases = review.base !== undefined ? readBasePlans(review.base) : undefined;
  const plans = (await loadInEnvironment(at(args, 0), environment)).map((b) => b.plan());
  const pairs = plans.map((p) => [p, bases ? baseFor(bases, p) : undefined] as const);
  if (format === 'json') emitJson(at(plans, 0), plans, review.out, io);
  else {
    const render = (p: ResourcePlan, base: ResourcePlan | undefined): string => {
      if (format === 'html')
        return renderPlanHtml(p, { ...(base ? { base } : {}), budget: review.limits });
      if (format === 'markdown')
        return renderPlanMarkdown(p, { byType, ...(base ? { base } : {}) });
      if (format === 'mermaid') return renderPlanMermaid(p);
      const text = renderPlanText(p, {
        color: colors(io.stdout).on && review.out === undefined,
        byType,
      });
      if (!base) return text;
      const c = costDelta(base, p);
      return (
        `${text}\nSince the base plan (monthly cost ${signedUsd(c.deltaUsd)}: ${usd(c.beforeUsd)} → ` +
        `${usd(c.afterUsd)}):\n${renderDiffText(diffPlans(base, p))}`
      );
    };
    emit(
      pairs.map(([p, base]) => [p, render(p, base)] as const),
      { out: review.out, html: format === 'html', write: io.out },
    );
  }
  const over = budgetGate(pairs, review.limits, io.err);
  return plans.some(hasErrors) || over ? 1 : 0;
}

/**
 * `atakora synth <entry>`: one cdk.tf.json per backend under `outdir`, their paths on stdout.
 *
 * @example
 * ```ts
 * const code = await synthCommand(['backend.ts'], 'cdktf.out', undefined, io);
 * ```
 */
export async function synthCommand(
  args: string[],
  outdir: string,
  resourceGroup: string | undefined,
  io: Io,
  environment?: string,
): Promise<number> {
  if (args.length !== 1) throw new UsageError('synth takes exactly one <entry>.');
  const stacks = await synthStacks(await loadInEnvironment(at(args, 0), environment), {
    outdir,
    resourceGroup,
    log: (l) => {
      io.err(l + '\n');
    },
  });
  for (const s of stacks) io.out(`${outdir}/stacks/${s.name}/cdk.tf.json\n`);
  return 0;
}

/**
 * `atakora diff <before> <after>`: the changes, data loss, the budget and schema guards; 1 when one refuses.
 *
 * @example
 * ```ts
 * const code = await diffCommand(['before.json', 'backend.ts'], 'text', io);
 * ```
 */
export async function diffCommand(
  args: string[],
  format: string,
  io: Io,
  review: Review = { out: undefined, base: undefined, limits: {} },
  environment?: string,
  guard: { readonly allowSchemaChange: boolean } = { allowSchemaChange: false },
): Promise<number> {
  if (args.length !== 2) throw new UsageError('diff takes <before> and <after>.');
  if (!['text', 'markdown', 'json', 'html'].includes(format))
    throw new UsageError(`Unknown format: ${format}`);
  if (review.base !== undefined)
    throw new UsageError('diff compares <before> with <after>: --base is for atakora plan.');
  const [before, after] = [
    await plansOf(at(args, 0), environment),
    await plansOf(at(args, 1), environment),
  ];
  const pairs = after.map(
    (a) =>
      [
        a,
        before.find((b) => b.backendId === a.backendId && b.environment === a.environment) ??
          at(before, 0),
      ] as const,
  );
  const diffs = pairs.map(([a, b]) => diffPlans(b, a));
  if (format === 'json') emitJson(at(after, 0), diffs, review.out, io);
  else {
    const render = ([a, b]: readonly [ResourcePlan, ResourcePlan], i: number): string =>
      format === 'html'
        ? renderPlanHtml(a, { base: b, budget: review.limits })
        : (format === 'markdown'
            ? renderDiffMarkdown(at(diffs, i), { cost: { before: b, after: a } })
            : renderDiffText(at(diffs, i))) + renderAccessChangesText(accessReview(a, b));
    emit(
      pairs.map((pair, i) => [pair[0], render(pair, i)] as const),
      { out: review.out, html: format === 'html', write: io.out },
    );
  }
  const over = budgetGate(pairs, review.limits, io.err);
  const schemaBlocked = reportSchemaGuard(pairs, io.err, guard.allowSchemaChange);
  return diffs.some((d) => d.hasDataLoss) || over || schemaBlocked ? 1 : 0;
}

/** `--json`: one value as it is, several as a list, to `--out` (named after `first`) or stdout. */
function emitJson(
  first: ResourcePlan,
  values: readonly unknown[],
  out: string | undefined,
  io: Io,
) {
  const json = JSON.stringify(values.length === 1 ? values[0] : values, null, 2);
  emit([[first, `${json}\n`]], { out, html: false, write: io.out });
}

/** A saved plan as written (its environment is its own), or an entry's plans in `--environment`'s. */
async function plansOf(source: string, environment?: string): Promise<ResourcePlan[]> {
  if (source.endsWith('.json')) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(source, 'utf8'));
    } catch (e) {
      throw new UsageError(`Cannot read plan ${source}: ${(e as Error).message}`);
    }
    const list = Array.isArray(data) ? data : [data];
    if (list.length === 0)
      throw new UsageError(`${source} holds no saved ResourcePlan (an empty list).`);
    return list.map((p, i) => {
      const parsed = resourcePlanSchema.safeParse(p);
      if (!parsed.success) {
        const issue = at(parsed.error.issues, 0);
        throw new UsageError(
          `${source}${list.length > 1 ? `[${i}]` : ''} is not a saved ResourcePlan (version 1): ${issue.message} at ${issue.path.join('.') || '(root)'}.`,
        );
      }
      return parsed.data as ResourcePlan;
    });
  }
  return (await loadInEnvironment(source, environment)).map((b: Backend) => b.plan());
}

function hasErrors(plan: ResourcePlan): boolean {
  return plan.limitViolations.length > 0 || plan.issues.some((i) => i.severity === 'error');
}
