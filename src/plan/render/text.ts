import type { JsonValue, LimitViolation, PlanIssue, ResourcePlan } from '../../model/plan.js';
import type { PlanDiff } from '../diff/diff.js';
import { accessRows } from './access-lines.js';
import { overviewLines } from './overview-lines.js';
import { retentionLine } from './retention-line.js';
import { backupLine } from './backup-line.js';
import { tenantPlanLines } from './tenant-plan-lines.js';
import { marketplaceLines } from './marketplace-lines.js';
import { packageLines } from './package-lines.js';
import { at } from '../../model/at.js';

/** Options of {@link renderPlanText}. */
export interface RenderTextOptions {
  /** ANSI colours (for a terminal). Default false: plain text, safe for logs and files. */
  readonly color?: boolean;
  /** List the Terraform resources by type (`atakora plan --by-type`). */
  readonly byType?: boolean;
}

const ANSI = {
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  green: '\u001b[32m',
  reset: '\u001b[0m',
} as const;
type Style = keyof Omit<typeof ANSI, 'reset'>;

/**
 * A plan as readable text for a terminal: the resources table (key, Azure name, consumers), then errors and
 * warnings, limit violations in the seeds' shape (message, `Limit:`, `Requested:`, numbered solutions), and
 * the cost summary.
 *
 * @example
 * ```ts
 * console.log(renderPlanText(backend.plan(), { color: process.stdout.isTTY }));
 * ```
 */
export function renderPlanText(plan: ResourcePlan, options: RenderTextOptions = {}): string {
  const paint = (style: Style, s: string) =>
    options.color ? `${ANSI[style]}${s}${ANSI.reset}` : s;
  const out: string[] = [];
  out.push(paint('bold', `Plan for ${plan.backendId} (${plan.environment}, ${plan.location})`), '');

  const rows = plan.resources.map((r) => [
    r.key,
    r.name,
    r.consumers.join(', ') || '-',
    usd(r.estimatedMonthlyUsd),
  ]);
  out.push(
    ...table(['KEY', 'AZURE NAME', 'CONSUMERS', 'USD/MONTH'], rows, [
      false,
      false,
      false,
      true,
    ]).map((l, i) => (i === 0 ? paint('bold', l) : l)),
  );
  if (rows.length === 0) out.push(paint('dim', '(no resources)'));
  for (const r of plan.resources) {
    const retention = retentionLine(r);
    if (retention) out.push('', `Deleted data in ${r.name} (${r.key}): ${retention.text}.`);
    const backup = backupLine(r);
    if (backup) out.push('', `Backup of ${r.name} (${r.key}): ${backup.text}.`);
  }
  // The placeholder would otherwise read as part of the name (docs/deploying.md#names).
  if (plan.naming.atApply && plan.resources.some((r) => r.name.includes(plan.naming.token))) {
    out.push(
      '',
      paint(
        'dim',
        `"${plan.naming.token}" in a name: the deployment-target token, not known yet. It is set at apply ` +
          `from the stack's subscription id and resource group (naming.uniqueSeed shows the final names here; ` +
          `docs/deploying.md#names).`,
      ),
    );
  }
  // Directory objects are no Azure resources of their own (each planned resource lists them in its deploys):
  // say which app registrations the apply creates, since the deployer needs a directory permission for them.
  const registrations = plan.resources.flatMap((r) =>
    r.deploys
      .filter((d) => d.terraformType === 'azuread_application')
      .map((d) => `${d.name} (${r.key})`),
  );
  if (registrations.length > 0)
    out.push('', `Microsoft Entra ID app registrations: ${registrations.join(', ')}`);
  // What will happen: the Terraform resource count, endpoints and what must be true first.
  out.push('', ...overviewLines(plan, { byType: options.byType ?? false, markdown: false }));

  // Who may do what, per CrudApi (access rules; any rule allows, none widens beyond the API's operations).
  const access = accessRows(plan.components);
  if (access.length > 0)
    out.push(
      '',
      'Access rules (a request is allowed when any rule allows it):',
      ...access.map(
        ([c, rules, owner]) =>
          `  ${c}: ${rules}${rules.includes('owner') ? ` [owner field ${owner}]` : ''}`,
      ),
    );

  const errors = plan.issues.filter((i) => i.severity === 'error');
  const warnings = plan.issues.filter((i) => i.severity === 'warning');
  if (errors.length > 0)
    out.push(
      '',
      paint('red', `Errors (${errors.length}):`),
      ...errors.flatMap((i) => issueLines(i, paint)),
    );
  if (warnings.length > 0)
    out.push(
      '',
      paint('yellow', `Warnings (${warnings.length}):`),
      ...warnings.flatMap((i) => issueLines(i, paint)),
    );
  if (plan.limitViolations.length > 0) {
    out.push(
      '',
      paint('red', `Limit violations (${plan.limitViolations.length}):`),
      ...plan.limitViolations.flatMap(violationLines),
    );
  }

  // Each tenant plan at its bounds, with a tenant registry (plan.tenantPlans).
  out.push(...tenantPlanLines(plan, { markdown: false }));
  out.push(...packageLines(plan, { markdown: false }));
  out.push(...marketplaceLines(plan, { markdown: false }));

  const s = plan.summary;
  const { shared, unshared } = s.estimatedMonthlyUsd;
  const saving = unshared > 0 ? Math.round((1 - shared / unshared) * 100) : 0;
  out.push(
    '',
    paint('bold', 'Summary:'),
    `  Resources: ${s.resources} shared instead of ${s.unsharedResources} stand-alone ` +
      `(${Math.round(s.reduction * 100)}% fewer)`,
    `  Estimated monthly cost: ${usd(shared)} shared vs ${usd(unshared)} unshared (${paint('green', `${saving}% reduction`)})`,
  );
  return `${out.join('\n')}\n`;
}

/**
 * A plan diff as text, in the order a reviewer needs it: data-loss errors, then resources added, replaced,
 * changed (with each changed path, before → after) and removed, then the Terraform resource counts.
 *
 * @example
 * ```ts
 * const before = backend.plan();
 * const after = defineBackend({ api, orders }).plan(); // adds an OrderApi
 * const diff = diffPlans(before, after);
 * console.log(renderDiffText(diff));
 * process.exitCode = diff.hasDataLoss ? 1 : 0;
 * ```
 */
export function renderDiffText(diff: PlanDiff, options: RenderTextOptions = {}): string {
  const paint = (style: Style, s: string) =>
    options.color ? `${ANSI[style]}${s}${ANSI.reset}` : s;
  const r = diff.resources;
  const out: string[] = [];
  const errors = diff.issues.filter((i) => i.severity === 'error');
  const warnings = diff.issues.filter((i) => i.severity !== 'error');
  if (errors.length > 0)
    out.push(
      paint('red', `Errors (${errors.length}):`),
      ...errors.flatMap((i) => issueLines(i, paint)),
      '',
    );
  if (warnings.length > 0)
    out.push(
      paint('yellow', `Warnings (${warnings.length}):`),
      ...warnings.flatMap((i) => issueLines(i, paint)),
      '',
    );
  for (const x of r.adds) out.push(paint('green', `+ ${x.key}  ${x.name}`));
  for (const x of r.replacements) {
    out.push(
      paint(
        x.stateful ? 'red' : 'yellow',
        `-/+ ${x.key}  ${x.nameBefore === x.nameAfter ? x.nameAfter : `${x.nameBefore} → ${x.nameAfter}`}`,
      ),
    );
    for (const reason of x.reasons) out.push(`      forces replacement: ${reason}`);
  }
  for (const x of r.changes) {
    out.push(paint('yellow', `~ ${x.key}  ${x.name}`));
    for (const c of x.changes)
      out.push(`      ${c.pathText}: ${show(c.before)} → ${show(c.after)}`);
    for (const u of diff.deploys.changes.filter((u) => u.resourceKey === x.key))
      out.push(`      updates ${u.address}`);
  }
  for (const x of r.removes) out.push(paint('red', `- ${x.key}  ${x.name}`));
  for (const x of diff.deploys.replacements.filter(
    (d) => !r.replacements.some((y) => y.key === d.resourceKey),
  )) {
    out.push(
      paint(x.stateful ? 'red' : 'yellow', `-/+ ${x.address}`),
      `      forces replacement: ${x.reason}`,
    );
  }
  const d = diff.summary.deploys;
  if (out.length === 0 || out.every((l) => l === '')) out.push('No changes.');
  out.push(
    '',
    `Terraform: ${d.adds} to create, ${d.changes} to update, ${d.replacements} to replace, ${d.removes} to destroy.`,
  );
  return `${out.join('\n')}\n`;
}

const show = (v: JsonValue | undefined) => {
  const s = v === undefined ? '(none)' : JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
};

function issueLines(i: PlanIssue, paint: (style: Style, s: string) => string): string[] {
  const mark = i.severity === 'error' ? paint('red', '✖') : paint('yellow', '!');
  const lines = [`  ${mark} ${i.code}: ${i.message}`];
  if (i.components && i.components.length > 0)
    lines.push(`      components: ${i.components.join(', ')}`);
  if (i.resolution) lines.push(`      fix: ${i.resolution}`);
  return lines;
}

/** The seeds' ResourceLimitError shape, so the plan and the thrown error read the same. */
function violationLines(v: LimitViolation): string[] {
  return [
    `  ${v.message}`,
    `    Limit: ${v.allowed}`,
    `    Requested: ${v.requested}`,
    `    Solution: Either:`,
    ...v.solutions.map((s, i) => `      ${i + 1}. ${s}`),
  ];
}

function table(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly boolean[],
): string[] {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (right[c] ? cell.padStart(at(widths, c)) : cell.padEnd(at(widths, c))))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

const usd = (n: number) => `$${n.toFixed(2)}`;
