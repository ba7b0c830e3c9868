import type { JsonValue, PlanIssue, ResourcePlan } from '../../model/plan.js';
import { costDelta, signedUsd } from '../checks/budget.js';
import { pendingMigrations, schemaGuard } from '../schema-guard.js';
import { diffPlans, STATEFUL_TERRAFORM_TYPES, type PlanDiff } from '../diff/diff.js';
import { accessRows } from './access-lines.js';
import { overviewLines } from './overview-lines.js';
import { tenantPlanLines } from './tenant-plan-lines.js';
import { marketplaceLines } from './marketplace-lines.js';
import { packageLines } from './package-lines.js';

/**
 * A plan as a pull-request comment (GitHub-flavoured Markdown): heading, summary line, resources with their
 * consumers and estimated cost, components with their endpoints, then errors (❌), warnings (⚠️) and limit
 * violations. Every table cell is escaped, so names and messages cannot break the table. The first line states
 * the monthly estimate or, given a `base` plan (what is deployed now), the cost delta against it; the changes
 * since the base follow the summary.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * const deployed = backend.plan();
 * await writeFile('plan.md', renderPlanMarkdown(backend.plan(), { base: deployed }));
 * ```
 */
export function renderPlanMarkdown(
  plan: ResourcePlan,
  options: { readonly byType?: boolean; readonly base?: ResourcePlan } = {},
): string {
  const s = plan.summary;
  const { shared, unshared } = s.estimatedMonthlyUsd;
  const saving = unshared > 0 ? Math.round((1 - shared / unshared) * 100) : 0;
  const errors =
    plan.issues.filter((i) => i.severity === 'error').length + plan.limitViolations.length;
  const warnings = plan.issues.filter((i) => i.severity === 'warning').length;
  const out: string[] = [
    `## Atakora plan: ${inline(plan.backendId)} (${inline(plan.environment)}, ${inline(plan.location)}) · ${options.base ? costLine(options.base, plan) : `estimated ${usd(shared)}/month`}`,
    '',
    `**${s.resources}** shared resources instead of **${s.unsharedResources}** ` +
      `(${Math.round(s.reduction * 100)}% fewer) · ` +
      `estimated **${usd(shared)}**/month vs ${usd(unshared)} unshared (${saving}% less) · ${errors} ` +
      `error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
    '',
    ...(options.base
      ? [...sinceBase(diffPlans(options.base, plan)), ...schemaLines(options.base, plan)]
      : []),
    '### Resources',
    '',
    row(['Resource', 'Azure name', 'Type', 'Consumers', 'Est. USD/month']),
    '| --- | --- | --- | --- | ---: |',
    ...plan.resources.map((r) =>
      row([
        code(r.key),
        code(r.name),
        inline(r.type),
        inline(r.consumers.join(', ')),
        usd(r.estimatedMonthlyUsd),
      ]),
    ),
    '',
    '### Components',
    '',
    row(['Component', 'Type', 'Endpoints']),
    '| --- | --- | --- |',
    ...plan.components.map((c) =>
      row([
        `${code(c.key)} (${inline(c.id)})`,
        inline(c.type),
        endpoints(c.outputs)
          .map(([k, v]) => `${inline(k)}: ${inline(v)}`)
          .join('<br>') || '-',
      ]),
    ),
  ];
  const access = accessRows(plan.components);
  if (access.length > 0) {
    out.push(
      '',
      '### Access rules',
      '',
      row(['Component', 'Rules (any allows)', 'Owner field']),
      '| --- | --- | --- |',
      ...access.map(([c, rules, owner]) => row([inline(c), inline(rules), code(owner)])),
    );
  }
  // What will happen: the Terraform resource count, endpoints and what must be true first.
  out.push('', ...overviewLines(plan, { byType: options.byType ?? false, markdown: true }));
  out.push(...tenantPlanLines(plan, { markdown: true }));
  out.push(...packageLines(plan, { markdown: true }));
  out.push(...marketplaceLines(plan, { markdown: true }));
  if (plan.issues.length > 0 || plan.limitViolations.length > 0) {
    out.push('', '### Issues', '');
    for (const i of plan.issues) out.push(issueLine(i));
    for (const v of plan.limitViolations) {
      out.push(
        `- ❌ **${v.limit}**: ${inline(v.message)} (Limit: ${v.allowed}, Requested: ${v.requested})`,
      );
      v.solutions.forEach((sol, n) => out.push(`  ${n + 1}. ${inline(sol)}`));
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * A plan diff as a pull-request comment: data-loss errors first, then the resource-level changes and the
 * Terraform resources created, replaced, changed and destroyed. Given the two plans' estimates (`cost`), the
 * first line states the monthly cost delta.
 *
 * @example
 * ```ts
 * const mainPlan = defineBackend({ users }).plan();
 * const branchPlan = defineBackend({ users, orders }).plan(); // the branch adds an OrderApi
 * const md = renderDiffMarkdown(diffPlans(mainPlan, branchPlan), { cost: { before: mainPlan, after: branchPlan } });
 * ```
 */
export function renderDiffMarkdown(
  diff: PlanDiff,
  options: { readonly cost?: { readonly before: ResourcePlan; readonly after: ResourcePlan } } = {},
): string {
  const r = diff.summary.resources;
  const d = diff.summary.deploys;
  const out: string[] = [
    `## Atakora plan diff${options.cost ? ` · ${costLine(options.cost.before, options.cost.after)}` : ''}`,
    '',
  ];
  if (diff.hasDataLoss)
    out.push('> [!CAUTION]', '> This change **destroys data**: see the errors below.', '');
  out.push(
    `Resources: ${r.adds} to add, ${r.changes} to change, ${r.replacements} to replace, ${r.removes} to remove · ` +
      `Terraform resources: ${d.adds} to create, ${d.changes} to update, ${d.replacements} to replace, ` +
      `${d.removes} to destroy`,
  );
  if (diff.issues.length > 0) out.push('', '### Issues', '', ...diff.issues.map(issueLine));
  const rows: string[][] = [
    ...diff.resources.adds.map((x) => ['➕ add', code(x.key), code(x.name), '']),
    ...diff.resources.replacements.map((x) => [
      '♻️ replace',
      code(x.key),
      x.nameBefore === x.nameAfter
        ? code(x.nameAfter)
        : `${code(x.nameBefore)} → ${code(x.nameAfter)}`,
      inline(x.reasons.join('; ')),
    ]),
    ...diff.resources.changes.map((x) => [
      '✏️ change',
      code(x.key),
      code(x.name),
      x.changes
        .map((c) => `${code(c.pathText)}: ${code(json(c.before))} → ${code(json(c.after))}`)
        .join('<br>'),
    ]),
    ...diff.resources.removes.map((x) => ['➖ remove', code(x.key), code(x.name), '']),
  ];
  if (rows.length > 0)
    out.push(
      '',
      '### Resources',
      '',
      row(['Action', 'Resource', 'Azure name', 'Details']),
      '| --- | --- | --- | --- |',
      ...rows.map(row),
    );
  const deployRows: string[][] = [
    ...diff.deploys.adds.map((x) => ['create', code(x.address), '']),
    ...diff.deploys.replacements.map((x) => [
      x.stateful ? '❌ replace' : 'replace',
      code(x.address),
      inline(x.reason),
    ]),
    ...diff.deploys.changes.map((x) => ['update', code(x.address), x.paths.map(code).join(', ')]),
    ...diff.deploys.removes.map((x) => [
      STATEFUL_TERRAFORM_TYPES.includes(x.terraformType) ? '❌ destroy' : 'destroy',
      code(x.address),
      '',
    ]),
  ];
  if (deployRows.length > 0)
    out.push(
      '',
      '### Terraform resources',
      '',
      row(['Action', 'Address', 'Why']),
      '| --- | --- | --- |',
      ...deployRows.map(row),
    );
  if (rows.length === 0 && deployRows.length === 0) out.push('', 'No changes.');
  return `${out.join('\n')}\n`;
}

/** `cost +$1.70/month ($16.18 → $17.88)`: the delta first, as a PR comment's first line shows it. */
function costLine(base: ResourcePlan, plan: ResourcePlan): string {
  const c = costDelta(base, plan);
  return `cost ${signedUsd(c.deltaUsd)}/month (${usd(c.beforeUsd)} → ${usd(c.afterUsd)})`;
}

/** The changes since the base plan, in two lines (the diff format has the details). */
function sinceBase(diff: PlanDiff): string[] {
  const r = diff.summary.resources;
  const d = diff.summary.deploys;
  return [
    ...(diff.hasDataLoss
      ? [
          '> [!CAUTION]',
          `> Against the base this change **destroys data**: ${diff.issues.map((i) => inline(i.message)).join(' ')}`,
          '',
        ]
      : []),
    `Since the base: ${r.adds} to add, ${r.changes} to change, ${r.replacements} to replace, ${r.removes} to ` +
      `remove · ` +
      `Terraform: ${d.adds} to create, ${d.changes} to update, ${d.replacements} to replace, ${d.removes} to destroy`,
    '',
  ];
}

/** The CrudApi schema changes since the base, the migrations they make pending, and what diff and deploy refuse. */
function schemaLines(base: ResourcePlan, plan: ResourcePlan): string[] {
  const { changes, violations } = schemaGuard(base, plan);
  const pending = pendingMigrations(base, plan);
  if (changes.length === 0 && pending.length === 0 && violations.length === 0) return [];
  const ids = [...new Set(changes.map((c) => c.componentId))];
  const out: string[] = [];
  if (ids.length)
    out.push(
      `Schema: ${ids
        .map(
          (id) =>
            `${id}: ${changes
              .filter((c) => c.componentId === id)
              .map((c) => `${c.field} ${c.kind}${c.needsMigration ? ' (needs a migration)' : ''}`)
              .join(', ')}`,
        )
        .join(' · ')}`,
      '',
    );
  if (pending.length)
    out.push(
      `Pending migrations: ${pending
        .map(
          (m) =>
            `${m.componentId} schemaVersion ${String(m.from)} → ${String(m.to)} (` +
            m.steps
              .map(
                (s) =>
                  `step ${String(s.version)}: ${s.module === undefined ? 'none' : code(s.module)}`,
              )
              .join('; ') +
            ')',
        )
        .join(' · ')}`,
      '',
    );
  for (const v of violations) out.push(`- ❌ **${v.code}**: ${inline(v.message)}`);
  if (violations.length) out.push('');
  return out;
}

function issueLine(i: PlanIssue): string {
  const fix = i.resolution ? ` _Fix:_ ${inline(i.resolution)}` : '';
  return `- ${i.severity === 'error' ? '❌' : '⚠️'} **${i.code}**: ${inline(i.message)}${fix}`;
}

/** Outputs whose value is a URL, sorted by output name (outputs already are). */
function endpoints(outputs: Readonly<Record<string, JsonValue>>): [string, string][] {
  return Object.entries(outputs).filter(
    (e): e is [string, string] => typeof e[1] === 'string' && /^https?:\/\//.test(e[1]),
  );
}

/** A table row; `|` and line breaks would end the cell or the row. */
function row(cells: readonly string[]): string {
  return `| ${cells.map((c) => c.replace(/\r?\n/g, '<br>').replace(/\|/g, '\\|')).join(' | ')} |`;
}

/** Text from the plan in running Markdown: no raw HTML, no line breaks. */
function inline(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, ' ');
}

/** A code span that survives backticks in the value. */
function code(s: string): string {
  const text = s.replace(/\r?\n/g, ' ');
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

const json = (v: JsonValue | undefined) => (v === undefined ? '(none)' : JSON.stringify(v));
const usd = (n: number) => `$${n.toFixed(2)}`;
