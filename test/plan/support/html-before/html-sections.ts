import type { JsonValue, PlanIssue, ResourcePlan } from '../../../../src/model/plan.js';
import type { PlanOverview } from './overview.js';
import { secretsToSet } from '../../../../src/plan/render/overview-lines.js';
import { signedUsd, usd } from '../../../../src/plan/checks/budget.js';
import { accessRows } from '../../../../src/plan/render/access-lines.js';
import { attrText, el, esc } from './html-escape.js';
import { retentionLine } from '../../../../src/plan/render/retention-line.js';
import { backupLine } from '../../../../src/plan/render/backup-line.js';

/**
 * The cost section: each shared resource's monthly estimate beside what its consumers would pay owning one each
 * (≈ one copy per consumer at this price), then the plan's totals, shared vs unshared, as the planner summed them.
 * With a base plan, a column of each resource's change.
 *
 * @example
 * ```ts
 * const html = costSection(plan, base);
 * ```
 */
export function costSection(plan: ResourcePlan, base?: ResourcePlan): string {
  const { shared, unshared } = plan.summary.estimatedMonthlyUsd;
  const baseCost = new Map(base?.resources.map((r) => [r.key, r.estimatedMonthlyUsd]) ?? []);
  const head = [
    'Resource',
    'Azure name',
    'Type',
    'Consumers',
    'Shared USD/month',
    'Unshared ≈ USD/month',
    ...(base ? ['Change'] : []),
  ];
  const rows = plan.resources.map((r) => {
    const copies = Math.max(1, r.consumers.length);
    const cells = [
      el('td', r.key),
      `<td>${el('code', r.name)}</td>`,
      el('td', r.type),
      el('td', r.consumers.join(', ') || '-'),
      el('td', usd(r.estimatedMonthlyUsd), { class: 'num' }),
      el('td', `${usd(copies * r.estimatedMonthlyUsd)}${copies > 1 ? ` (${copies} copies)` : ''}`, {
        class: 'num',
      }),
    ];
    if (base)
      cells.push(
        el('td', signedUsd(r.estimatedMonthlyUsd - (baseCost.get(r.key) ?? 0)), { class: 'num' }),
      );
    return `<tr${attrText({ 'data-key': r.key })}>${cells.join('')}</tr>`;
  });
  const saving = unshared > 0 ? Math.round((1 - shared / unshared) * 100) : 0;
  const bar = (value: number, cls: string, label: string) => {
    const pct =
      unshared > 0 ? Math.max(1, Math.round((value / Math.max(unshared, shared)) * 100)) : 0;
    return (
      `<div class="bar-row"><span class="bar-label">${esc(label)}</span><span class="bar ${cls}" ` +
      `style="width:${pct}%"></span><span class="bar-value">${esc(usd(value))}</span></div>`
    );
  };
  return [
    '<section id="cost" aria-labelledby="cost-heading">',
    '<h2 id="cost-heading">Cost</h2>',
    `<p>Estimated <strong id="estimate" data-usd="${shared}">${esc(usd(shared))}</strong> a month shared, ` +
      `against ${esc(usd(unshared))} with every component on its own resources (${saving}% less). Rough list ` +
      `prices: see docs/cost-model.md.</p>`,
    `<div class="bars" ` +
      `aria-hidden="true">${bar(shared, 'shared', 'shared')}${bar(unshared, 'unshared', 'unshared')}</div>`,
    `<div class="scroll"><table ` +
      `class="cost"><thead><tr>${head.map((h) => el('th', h, { scope: 'col' })).join('')}</tr></thead>`,
    `<tbody>${rows.join('')}</tbody>`,
    `<tfoot><tr><th scope="row" colspan="4">Total (the planner prices each consumer's own copy from its own ` +
      `needs)</th>${el('td', usd(shared), { class: 'num' })}${el('td', usd(unshared), { class: 'num' })}${base ? el('td', signedUsd(shared - base.summary.estimatedMonthlyUsd.shared), { class: 'num' }) : ''}</tr></tfoot></table></div>`,
    '</section>',
  ].join('\n');
}

/**
 * The diagram's text alternative: each component with the shared resources it uses, each resource with the
 * Terraform resources behind it; and the components' endpoints and access rules.
 *
 * @example
 * ```ts
 * const html = componentsSection(plan);
 * ```
 */
export function componentsSection(plan: ResourcePlan): string {
  const byKey = new Map(plan.resources.map((r) => [r.key, r]));
  const access = new Map(accessRows(plan.components).map(([c, rules]) => [c, rules]));
  const items = plan.components.map((c) => {
    const uses =
      Object.values(c.resources)
        .map((k) => `${byKey.get(k)?.name ?? k} (${k})`)
        .join(', ') || 'no shared resource';
    const endpoints = endpointsOf(c.outputs)
      .map(([k, v]) => `<li>${esc(k)}: ${el('code', v)}</li>`)
      .join('');
    const rules = access.get(`${c.key} (${c.id})`);
    return (
      `<li${attrText({ 'data-component': c.key })}>${el('strong', c.id)} (${esc(c.key)}, ${esc(c.type)}) ` +
      `uses ${esc(uses)}` +
      `${rules ? `; access: ${esc(rules)}` : ''}${endpoints ? `<ul>${endpoints}</ul>` : ''}</li>`
    );
  });
  const resources = plan.resources.map((r) => {
    const retention = retentionLine(r);
    const kept = retention
      ? el('p', `Deleted data: ${retention.text}.`, {
          class: 'retention',
          'data-versioning': String(retention.versioning),
          'data-deleted-retention-days': String(retention.deletedRetentionDays),
        })
      : '';
    const backup = backupLine(r);
    const backedUp = backup
      ? el('p', `Backup: ${backup.text}.`, { class: 'backup', 'data-backup-mode': backup.mode })
      : '';
    return (
      `<li${attrText({ 'data-resource': r.key })}>${el('code', r.name)} (${esc(r.key)}, ${esc(r.type)}), ` +
      `used by ${esc(r.consumers.join(', ') || 'no component')}: ` +
      `${r.deploys.length} Terraform resource${r.deploys.length === 1 ? '' : 's'}${kept}${backedUp}<ul class="deploys">${r.deploys.map((d) => `<li>${el('code', `${d.terraformType}.${d.name}`)}</li>`).join('')}</ul></li>`
    );
  });
  return [
    '<section id="components" aria-labelledby="components-heading">',
    '<h2 id="components-heading">Components and resources (text)</h2>',
    `<h3>Components (${plan.components.length})</h3><ul class="alt">${items.join('')}</ul>`,
    `<h3>Shared resources (${plan.resources.length})</h3><ul class="alt">${resources.join('')}</ul>`,
    '</section>',
  ].join('\n');
}

/**
 * What apply creates and the "before you deploy" block, with the same facts as the text and Markdown formats
 * (`planOverview`).
 *
 * @example
 * ```ts
 * const html = beforeYouDeploySection(plan, planOverview(plan));
 * ```
 */
export function beforeYouDeploySection(plan: ResourcePlan, o: PlanOverview): string {
  const b = o.beforeYouDeploy;
  const secrets = secretsToSet(plan);
  const li = (html: string) => `<li>${html}</li>`;
  const creates = [
    li(
      `${o.terraformResources.total} Terraform resources of ` +
        `${Object.keys(o.terraformResources.byType).length} types (${plan.summary.resources} shared Azure ` +
        `resources)`,
    ),
    ...o.endpoints.map((e) =>
      li(`endpoint ${esc(`${e.component}.${e.output}`)}: ${el('code', e.url)}`),
    ),
    ...(o.registrations.length > 0
      ? [
          li(
            `Microsoft Entra ID app registrations: ${o.registrations.map((r) => el('code', r)).join(', ')}`,
          ),
        ]
      : []),
  ];
  const before = [
    li(`subscription: ${esc(b.subscription)}`),
    li(
      `roles at subscription scope (the stack creates its resource group; do not pre-create it): ` +
        esc(b.roles.join(' + ')),
    ),
    ...(b.directoryPermission ? [li(`directory permission to ${esc(b.directoryPermission)}`)] : []),
    li(
      `resource providers: ${esc(b.resourceProviders.join(', '))}${b.registeredByStack.length ? ` (${esc(b.registeredByStack.join(', '))} registered by the stack's provider block; the rest by azurerm's default set, or register them beforehand)` : " (registered by azurerm's default set, or register them beforehand)"}`,
    ),
    ...(b.deployerAddresses ? [li(`deployer addresses: ${esc(b.deployerAddresses)}`)] : []),
    ...(b.reusedDnsZonesNeed
      ? [
          li(
            `private DNS zones reused: ${b.reusedDnsZones.map((z) => el('code', z)).join(', ')} ` +
              `(${esc(b.reusedDnsZonesNeed)})`,
          ),
        ]
      : []),
    // The same line as the text and Markdown formats (overview-lines.ts): names only.
    ...(secrets.length > 0
      ? [
          li(
            `secrets to set in this environment (names only; ${el('code', 'atakora secret set <entry> <NAME>')}, ` +
              `the value on stdin): ${secrets.map((x) => el('code', x)).join(', ')}`,
          ),
        ]
      : []),
  ];
  return [
    '<section id="before-you-deploy" aria-labelledby="deploy-heading">',
    '<h2 id="deploy-heading">Before you deploy</h2>',
    `<h3>What apply creates</h3><ul>${creates.join('')}</ul>`,
    `<h3>What must be true first</h3><ul>${before.join('')}</ul>`,
    '</section>',
  ].join('\n');
}

/**
 * Errors, warnings and limit violations of the plan (empty when there are none).
 *
 * @example
 * ```ts
 * const html = issuesSection(plan);
 * ```
 */
export function issuesSection(plan: ResourcePlan): string {
  if (plan.issues.length === 0 && plan.limitViolations.length === 0) return '';
  const issue = (i: PlanIssue) =>
    `<li class="${i.severity}">${el('span', i.severity, { class: `badge ${i.severity}` })} ${el('strong', i.code)}: ${esc(i.message)}` +
    `${i.components?.length ? ` (components: ${esc(i.components.join(', '))})` : ''}${i.resolution ? ` <em>Fix:</em> ${esc(i.resolution)}` : ''}</li>`;
  const violations = plan.limitViolations.map(
    (v) =>
      `<li class="error">${el('span', 'error', { class: 'badge error' })} ${el('strong', v.limit)}: ` +
      `${esc(v.message)} (Limit: ${v.allowed}, Requested: ${v.requested})` +
      `<ol>${v.solutions.map((s) => el('li', s)).join('')}</ol></li>`,
  );
  return [
    '<section id="issues" aria-labelledby="issues-heading">',
    '<h2 id="issues-heading">Issues</h2>',
    `<ul ` +
      `class="issues">${[...plan.issues.filter((i) => i.severity === 'error').map(issue), ...violations, ...plan.issues.filter((i) => i.severity === 'warning').map(issue)].join('')}</ul>`,
    '</section>',
  ].join('\n');
}

/** Outputs whose value is a URL. */
function endpointsOf(outputs: Readonly<Record<string, JsonValue>>): [string, string][] {
  return Object.entries(outputs).filter(
    (e): e is [string, string] => typeof e[1] === 'string' && /^https?:\/\//.test(e[1]),
  );
}
