import { tenantPlansHtml } from './tenant-plan-lines.js';
import { packagesHtml } from './package-lines.js';
import { accessReview } from '../../access/matrix/review.js';
import { accessCallout, writeAccessSection } from './html-access.js';
import type { ResourcePlan } from '../../model/plan.js';
import { evaluateBudget, signedUsd, usd, type BudgetLimits } from '../checks/budget.js';
import { diffPlans } from '../diff/diff.js';
import { planOverview } from '../overview.js';
import { changesSection, dataLossCallout, diffMarks } from './html-changes.js';
import { writeArchitectureSvg } from './html-diagram.js';
import { HtmlOut } from './html-out.js';
import { pageText, type PageText } from './html-page-text.js';
import { schemaSection } from './html-schema.js';
import { el, esc } from './html-escape.js';
import {
  issuesSection,
  writeBeforeYouDeploySection,
  writeComponentsSection,
  writeCostSection,
} from './html-sections.js';
import { PAGE_CSS } from './html-style.js';

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
  // Access (access/matrix/review.ts): the matrix, and each widening since the base called out as data loss is.
  const access = accessReview(plan, base);
  // The sections, by id and heading: the optional ones only when the page has them.
  const nav: Record<string, string | false> = {
    architecture: 'Architecture',
    changes: base ? 'What changes' : false,
    schema: schema ? 'Schema changes' : false,
    access: 'Access',
    cost: 'Cost',
    'tenant-plans': plan.tenantPlans ? 'Tenant plans' : false,
    'plan-packages': plan.tenantPlans?.packages ? 'Plan packages' : false,
    'before-you-deploy': 'Before you deploy',
    issues: errors + warnings > 0 && 'Issues',
    components: 'Components (text)',
  };
  // One pass: the sections and the diagram write their pieces into `out`, each copied once (html-out.ts).
  const out = new HtmlOut();
  out.add(
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
      '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
      `<meta http-equiv="Content-Security-Policy" content="${CSP}">\n` +
      `<meta name="generator" content="atakora">\n<title>${esc(title)}</title>\n<style>${PAGE_CSS}</style>\n` +
      '</head>\n<body>\n<a class="skip" href="#main">Skip to the plan</a>\n<header>\n' +
      `${el('h1', title)}\n` +
      el(
        'p',
        `${plan.components.length} components · ${plan.summary.resources} shared resources instead of ` +
          `${plan.summary.unsharedResources} · ${terraform} Terraform resources · ` +
          `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
        { class: 'meta' },
      ) +
      `\n${el('p', headline, { class: 'headline', id: 'headline' })}\n` +
      `${diff ? dataLossCallout(diff) : ''}${accessCallout(access)}\n${budget ? budgetBlock(plan, budget, base) : ''}\n</header>\n` +
      `<nav aria-label="Sections"><ul>${Object.entries(nav)
        .flatMap(([id, text]) => (text ? [`<li><a href="#${id}">${esc(text)}</a></li>`] : []))
        .join('')}</ul></nav>\n` +
      '<main id="main">\n',
  );
  const text = pageText();
  writeArchitectureSection(out, plan, text, diff !== undefined, diffMarks(diff));
  if (base && diff) out.add(`\n${changesSection(base, plan, diff)}`);
  if (schema !== '') out.add(`\n${schema}`);
  out.add('\n');
  writeAccessSection(out, access);
  out.add('\n');
  writeCostSection(out, plan, text, base);
  out.add('\n');
  if (plan.tenantPlans) out.add(`${tenantPlansHtml(plan)}\n`);
  if (plan.tenantPlans?.packages) out.add(`${packagesHtml(plan)}\n`);
  writeBeforeYouDeploySection(out, plan, overview);
  if (plan.issues.length > 0 || plan.limitViolations.length > 0)
    out.add(`\n${issuesSection(plan)}`);
  out.add('\n');
  writeComponentsSection(out, plan, text);
  out.add(
    '\n</main>\n' +
      `<footer><p>Rendered by atakora from the plan of ${esc(plan.backendId)} (plan version ${plan.version}). ` +
      'Prices are rough list prices (docs/cost-model.md).</p></footer>\n</body>\n</html>\n',
  );
  return out.text();
}

function writeArchitectureSection(
  out: HtmlOut,
  plan: ResourcePlan,
  text: PageText,
  withDiff: boolean,
  marks: ReturnType<typeof diffMarks>,
): void {
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
  out.add(
    '<section id="architecture" aria-labelledby="architecture-heading">\n' +
      '<h2 id="architecture-heading">Architecture</h2>\n<figure>\n' +
      '<div class="diagram" tabindex="0" role="group" aria-label="Architecture diagram, scrollable">',
  );
  writeArchitectureSvg(out, plan, marks, text);
  out.add(
    '</div>\n' +
      `<figcaption><ul class="legend">${legend.map(([cls, text]) => `<li><span class="${cls}"></span>${text}</li>`).join('')}</ul>\n` +
      'The same in text: <a href="#components">Components and resources</a>.</figcaption>\n' +
      '</figure>\n</section>',
  );
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
