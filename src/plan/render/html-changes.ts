import type { JsonValue, ResourcePlan } from '../../model/plan.js';
import { costDelta, signedUsd, usd } from '../checks/budget.js';
import { STATEFUL_RESOURCE_TYPES, STATEFUL_TERRAFORM_TYPES, type PlanDiff } from '../diff/diff.js';
import type { DiagramMarks } from './html-diagram.js';
import { attrText, changesTable, el, esc } from './html-escape.js';

/**
 * What the diagram should colour for a diff: added, changed and replaced resources and Terraform resources; a
 * replacement of something that holds data is `data-loss`.
 *
 * @example
 * ```ts
 * const marks = diffMarks(diffPlans(before, after));
 * ```
 */
export function diffMarks(diff: PlanDiff | undefined): DiagramMarks {
  const resources = new Map<string, 'added' | 'changed' | 'replaced' | 'data-loss'>();
  const deploys = new Map<string, 'added' | 'changed' | 'replaced' | 'data-loss'>();
  if (!diff) return { resources, deploys };
  for (const r of diff.resources.adds) resources.set(r.key, 'added');
  for (const r of diff.resources.changes) resources.set(r.key, 'changed');
  for (const r of diff.resources.replacements)
    resources.set(r.key, r.stateful ? 'data-loss' : 'replaced');
  for (const d of diff.deploys.adds) deploys.set(d.address, 'added');
  for (const d of diff.deploys.changes) deploys.set(d.address, 'changed');
  for (const d of diff.deploys.replacements)
    deploys.set(d.address, d.stateful ? 'data-loss' : 'replaced');
  return { resources, deploys };
}

/**
 * The "What changes" section against a base plan: the monthly cost delta (after − base estimate, the exact
 * difference in `data-delta-usd`), then the planned and the Terraform resources added, changed, replaced and
 * removed, data loss flagged on each row it concerns.
 *
 * @example
 * ```ts
 * const html = changesSection(base, plan, diffPlans(base, plan));
 * ```
 */
export function changesSection(base: ResourcePlan, plan: ResourcePlan, diff: PlanDiff): string {
  const cost = costDelta(base, plan);
  const r = diff.summary.resources;
  const d = diff.summary.deploys;
  const costOf = (p: ResourcePlan, key: string) =>
    p.resources.find((x) => x.key === key)?.estimatedMonthlyUsd ?? 0;
  // A resource changed in place can still lose data: one of its Terraform resources (a container) is replaced.
  const losesData = new Set(
    diff.deploys.replacements.filter((x) => x.stateful).map((x) => x.resourceKey),
  );
  const change = (key: string) => signedUsd(costOf(plan, key) - costOf(base, key));
  const rows: string[] = [
    ...diff.resources.adds.map((x) => row('add', x.key, x.name, '', change(x.key), false)),
    ...diff.resources.replacements.map((x) =>
      row(
        'replace',
        x.key,
        x.nameBefore === x.nameAfter ? x.nameAfter : `${x.nameBefore} → ${x.nameAfter}`,
        x.reasons.join('; '),
        change(x.key),
        x.stateful,
      ),
    ),
    ...diff.resources.changes.map((x) =>
      row(
        'change',
        x.key,
        x.name,
        x.changes.map((c) => `${c.pathText}: ${show(c.before)} → ${show(c.after)}`).join('\n'),
        change(x.key),
        losesData.has(x.key),
      ),
    ),
    ...diff.resources.removes.map((x) =>
      row('remove', x.key, x.name, '', change(x.key), STATEFUL_RESOURCE_TYPES.includes(x.type)),
    ),
  ];
  const deployRows: string[] = [
    ...diff.deploys.adds.map((x) => deployRow('create', x.address, '', false)),
    ...diff.deploys.replacements.map((x) => deployRow('replace', x.address, x.reason, x.stateful)),
    ...diff.deploys.changes.map((x) => deployRow('update', x.address, x.paths.join(', '), false)),
    ...diff.deploys.removes.map((x) =>
      deployRow('destroy', x.address, '', STATEFUL_TERRAFORM_TYPES.includes(x.terraformType)),
    ),
  ];
  const out = [
    '<section id="changes" aria-labelledby="changes-heading">',
    '<h2 id="changes-heading">What changes</h2>',
    `<p class="cost-delta"><span class="delta ` +
      `${cost.deltaUsd > 0 ? 'up' : cost.deltaUsd < 0 ? 'down' : 'same'}" ` +
      `id="cost-delta"${attrText({ 'data-delta-usd': String(cost.deltaUsd), 'data-before-usd': String(cost.beforeUsd), 'data-after-usd': String(cost.afterUsd) })}>${esc(signedUsd(cost.deltaUsd))} ` +
      `a month</span> ` +
      `estimated: ${esc(usd(cost.beforeUsd))} before, ${esc(usd(cost.afterUsd))} after.</p>`,
  ];
  out.push(
    el(
      'p',
      `Resources: ${r.adds} to add, ${r.changes} to change, ${r.replacements} to replace, ${r.removes} to remove. ` +
        `Terraform resources: ${d.adds} to create, ${d.changes} to update, ${d.replacements} to replace, ` +
        `${d.removes} to destroy.`,
    ),
  );
  if (rows.length > 0) {
    out.push(
      '<h3>Shared resources</h3>',
      ...changesTable(
        { class: 'changes' },
        ['Action', 'Resource', 'Azure name', 'Details', ['Cost change', { class: 'num' }]],
        rows,
      ),
    );
  }
  if (deployRows.length > 0) {
    out.push(
      '<h3>Terraform resources</h3>',
      ...changesTable({ class: 'changes' }, ['Action', 'Address', 'Why'], deployRows),
    );
  }
  if (rows.length === 0 && deployRows.length === 0) out.push('<p>No changes.</p>');
  out.push('</section>');
  return out.join('\n');
}

/**
 * The warning a diff that destroys data puts at the top of the page, with each data-loss error (empty otherwise).
 *
 * @example
 * ```ts
 * const html = dataLossCallout(diffPlans(before, after));
 * ```
 */
export function dataLossCallout(diff: PlanDiff): string {
  if (!diff.hasDataLoss) return '';
  return (
    '<div class="callout danger" id="data-loss" role="note" aria-label="Data loss"><p><strong>This change ' +
    'destroys data.</strong> Terraform would replace or remove resources that hold data; <code>atakora ' +
    'deploy</code> refuses it without <code>--allow-data-loss</code>.</p>' +
    `<ul>${diff.issues.map((i) => `<li>${el('strong', i.code)}: ${esc(i.message)}${i.resolution ? ` <em>Fix:</em> ${esc(i.resolution)}` : ''}</li>`).join('')}</ul></div>`
  );
}

function badge(action: string, dataLoss: boolean): string {
  return (
    `<span class="badge ` +
    `${esc(action)}">${esc(action)}</span>${dataLoss ? ' <span class="badge data-loss">data loss</span>' : ''}`
  );
}

function row(
  action: string,
  key: string,
  name: string,
  details: string,
  cost: string,
  dataLoss: boolean,
): string {
  return (
    `<tr${attrText({ class: dataLoss ? `${action} data-loss` : action, 'data-action': action, 'data-key': key })}><td>${badge(action, dataLoss)}</td><td>${el('code', key)}</td><td>${el('code', name)}</td>` +
    `<td class="details">${details.split('\n').map(esc).join('<br>')}</td><td class="num">${esc(cost)}</td></tr>`
  );
}

function deployRow(action: string, address: string, why: string, dataLoss: boolean): string {
  return `<tr${attrText({ class: dataLoss ? `${action} data-loss` : action, 'data-action': action, 'data-address': address })}><td>${badge(action, dataLoss)}</td><td>${el('code', address)}</td><td class="details">${esc(why)}</td></tr>`;
}

const show = (v: JsonValue | undefined) => {
  const s = v === undefined ? '(none)' : JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
};
