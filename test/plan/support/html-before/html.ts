import type { ResourcePlan } from '../../../../src/model/plan.js';
import {
  evaluateBudget,
  signedUsd,
  usd,
  type BudgetLimits,
} from '../../../../src/plan/checks/budget.js';
import { diffPlans } from '../../../../src/plan/diff/diff.js';
import { planOverview } from './overview.js';
import { changesSection, dataLossCallout, diffMarks } from './html-changes.js';
import { architectureSvg } from './html-diagram.js';
import { schemaSection } from './html-schema.js';
import { el, esc } from './html-escape.js';
import {
  beforeYouDeploySection,
  componentsSection,
  costSection,
  issuesSection,
} from './html-sections.js';
import { PAGE_CSS } from './html-style.js';
import { accessReview, renderAccessHtml } from './access.js';

/**
 * Options of {@link renderPlanHtml}.
 *
 * @example
 * ```ts
 * const options: RenderHtmlOptions = { base: backend.plan(), budget: { maxMonthlyUsd: 250, maxCostIncreaseUsd: 20 } };
 * ```
 */
export interface RenderHtmlOptions {
  /** The plan deployed now: the page then shows what changes (`diffPlans(base, plan)`) and the cost delta. */
  readonly base?: ResourcePlan;
  /** Limits to show the plan against (the verdict of {@link evaluateBudget}). */
  readonly budget?: BudgetLimits;
}

// Nothing may leave the page: no script, and a policy that refuses any fetch should a name ever get through.
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/**
 * A plan as one self-contained HTML page for review (`atakora plan --format html`): the architecture drawn as
 * SVG (components → the shared resources they use → the Terraform resources behind them), the cost per resource
 * shared vs unshared, the "before you deploy" block, the issues, a text alternative of the diagram, and — given
 * a `base` plan — what is added, changed, replaced and removed, with data loss flagged and the monthly cost
 * delta (the plan's estimate minus the base's), and the CrudApi schema changes with the migrations they make
 * pending (html-schema.ts). No script, no external file: it works from `file://` and as a CI
 * artifact. Pure and deterministic; every string from the plan is escaped.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * const before = backend.plan();
 * writeFileSync('plan.html', renderPlanHtml(backend.plan(), { base: before, budget: { maxMonthlyUsd: 500 } }));
 * ```
 */
export function renderPlanHtml(plan: ResourcePlan, options: RenderHtmlOptions = {}): string {
  const { base, budget } = options;
  const diff = base ? diffPlans(base, plan) : undefined;
  const title = `Atakora plan: ${plan.backendId} (${plan.environment}, ${plan.location})`;
  const { shared } = plan.summary.estimatedMonthlyUsd;
  const errors =
    plan.issues.filter((i) => i.severity === 'error').length + plan.limitViolations.length;
  const warnings = plan.issues.filter((i) => i.severity === 'warning').length;
  const overview = planOverview(plan);
  const terraform = overview.terraformResources.total;
  const headline = base
    ? `Monthly cost ${signedUsd(shared - base.summary.estimatedMonthlyUsd.shared)} ` +
      `(${usd(base.summary.estimatedMonthlyUsd.shared)} → ${usd(shared)})` +
      (diff?.hasDataLoss ? ' · this change destroys data' : '')
    : `Estimated ${usd(shared)} a month`;
  // The picture first (what changes is marked on it), then the change lists; the delta and any data loss head the page.
  const schema = base ? schemaSection(base, plan) : '';
  const access = renderAccessHtml(accessReview(plan, base));
  const sections = [
    architectureSection(plan, diff !== undefined, diffMarks(diff)),
    ...(base && diff ? [changesSection(base, plan, diff)] : []),
    schema,
    access.section,
    costSection(plan, base),
    beforeYouDeploySection(plan, overview),
    issuesSection(plan),
    componentsSection(plan),
  ].filter((s) => s !== '');
  const nav = [
    ['architecture', 'Architecture'],
    ...(base ? [['changes', 'What changes']] : []),
    ...(schema ? [['schema', 'Schema changes']] : []),
    ['access', 'Access'],
    ['cost', 'Cost'],
    ['before-you-deploy', 'Before you deploy'],
    ...(errors + warnings > 0 ? [['issues', 'Issues']] : []),
    ['components', 'Components (text)'],
  ];
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="generator" content="atakora">',
    `<title>${esc(title)}</title>`,
    `<style>${PAGE_CSS}</style>`,
    '</head>',
    '<body>',
    '<a class="skip" href="#main">Skip to the plan</a>',
    '<header>',
    el('h1', title),
    el(
      'p',
      `${plan.components.length} components · ${plan.summary.resources} shared resources instead of ` +
        `${plan.summary.unsharedResources} · ${terraform} Terraform resources · ` +
        `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
      { class: 'meta' },
    ),
    el('p', headline, { class: 'headline', id: 'headline' }),
    (diff ? dataLossCallout(diff) : '') + access.callout,
    budget ? budgetBlock(plan, budget, base) : '',
    '</header>',
    `<nav aria-label="Sections"><ul>${nav.map(([id, text]) => `<li><a href="#${id}">${esc(text!)}</a></li>`).join('')}</ul></nav>`,
    '<main id="main">',
    ...sections,
    '</main>',
    `<footer><p>Rendered by atakora from the plan of ${esc(plan.backendId)} (plan version ${plan.version}). ` +
      `Prices are rough list prices (docs/cost-model.md).</p></footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function architectureSection(
  plan: ResourcePlan,
  withDiff: boolean,
  marks: ReturnType<typeof diffMarks>,
): string {
  const legend = [
    ['l-comp', 'component'],
    ['l-res', 'shared resource'],
    ['l-tf', 'Terraform resource'],
    ...(withDiff
      ? [
          ['l-add', 'added'],
          ['l-chg', 'changed'],
          ['l-rep', 'replaced'],
          ['l-loss', 'replaced: data loss'],
        ]
      : []),
  ];
  return [
    '<section id="architecture" aria-labelledby="architecture-heading">',
    '<h2 id="architecture-heading">Architecture</h2>',
    '<figure>',
    `<div class="diagram" tabindex="0" role="group" aria-label="Architecture diagram, ` +
      `scrollable">${architectureSvg(plan, marks)}</div>`,
    `<figcaption><ul class="legend">${legend.map(([cls, text]) => `<li><span class="${cls}"></span>${text}</li>`).join('')}</ul>`,
    'The same in text: <a href="#components">Components and resources</a>.</figcaption>',
    '</figure>',
    '</section>',
  ].join('\n');
}

function budgetBlock(
  plan: ResourcePlan,
  budget: BudgetLimits,
  base: ResourcePlan | undefined,
): string {
  const result = evaluateBudget(plan, budget, base);
  if (result.checks.length === 0) return '';
  return (
    `<div id="budget" class="callout ${result.over ? 'danger' : 'ok'}" ` +
    `data-over="${result.over}"><p><strong>${result.over ? 'Over budget' : 'Within budget'}</strong></p>` +
    `<ul>${result.checks.map((c) => el('li', c.message, { class: c.over ? 'over' : 'within' })).join('')}</ul></div>`
  );
}
