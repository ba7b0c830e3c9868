import type { PlanIssue, PlannedResource, ResourcePlan } from '../../model/plan.js';
import type { PlanOverview } from '../overview.js';
import { secretsToSet } from './overview-lines.js';
import { signedUsd, usd } from '../checks/budget.js';
import { accessRows } from './access-lines.js';
import { at } from '../../model/at.js';
import { el, esc } from './html-escape.js';
import type { HtmlOut } from './html-out.js';
import type { PageText } from './html-page-text.js';
import { retentionLine } from './retention-line.js';
import { backupLine } from './backup-line.js';
import { realtimeEventsLine } from './realtime-events-line.js';

/**
 * The cost section: each shared resource's monthly estimate beside what its consumers would pay owning one each
 * (≈ one copy per consumer at this price), then the plan's totals, shared vs unshared, as the planner summed them.
 * With a base plan, a column of each resource's change. Written into the page's `out`.
 *
 * @example
 * ```ts
 * writeCostSection(out, plan, pageText(), base);
 * ```
 */
export function writeCostSection(
  out: HtmlOut,
  plan: ResourcePlan,
  text: PageText,
  base?: ResourcePlan,
): void {
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
  const saving = unshared > 0 ? Math.round((1 - shared / unshared) * 100) : 0;
  const bar = (value: number, cls: string, label: string) => {
    const pct =
      unshared > 0 ? Math.max(1, Math.round((value / Math.max(unshared, shared)) * 100)) : 0;
    return (
      `<div class="bar-row"><span class="bar-label">${esc(label)}</span><span class="bar ${cls}" ` +
      `style="width:${pct}%"></span><span class="bar-value">${esc(usd(value))}</span></div>`
    );
  };
  out.add(
    '<section id="cost" aria-labelledby="cost-heading">\n<h2 id="cost-heading">Cost</h2>\n' +
      `<p>Estimated <strong id="estimate" data-usd="${shared}">${esc(usd(shared))}</strong> a month shared, ` +
      `against ${esc(usd(unshared))} with every component on its own resources (${saving}% less). Rough list ` +
      `prices: see docs/cost-model.md.</p>\n` +
      `<div class="bars" aria-hidden="true">${bar(shared, 'shared', 'shared')}${bar(unshared, 'unshared', 'unshared')}</div>\n` +
      `<div class="scroll"><table class="cost"><thead><tr>${head.map((h) => el('th', h, { scope: 'col' })).join('')}</tr></thead>\n` +
      '<tbody>',
  );
  for (const r of plan.resources) {
    const t = text.resource(r);
    const copies = Math.max(1, r.consumers.length);
    out.add(
      `<tr data-key="${t.key}"><td>${t.key}</td><td><code>${t.name}</code></td><td>${t.type}</td>` +
        `<td>${t.consumers === '' ? '-' : t.consumers}</td>` +
        `<td class="num">${esc(usd(r.estimatedMonthlyUsd))}</td>` +
        `<td class="num">${esc(`${usd(copies * r.estimatedMonthlyUsd)}${copies > 1 ? ` (${copies} copies)` : ''}`)}</td>` +
        (base
          ? `<td class="num">${esc(signedUsd(r.estimatedMonthlyUsd - (baseCost.get(r.key) ?? 0)))}</td>`
          : '') +
        '</tr>',
    );
  }
  out.add(
    '</tbody>\n' +
      `<tfoot><tr><th scope="row" colspan="4">Total (the planner prices each consumer's own copy from its own ` +
      `needs)</th>${el('td', usd(shared), { class: 'num' })}${el('td', usd(unshared), { class: 'num' })}${base ? el('td', signedUsd(shared - base.summary.estimatedMonthlyUsd.shared), { class: 'num' }) : ''}</tr></tfoot></table></div>\n` +
      '</section>',
  );
}

/**
 * The diagram's text alternative: each component with the shared resources it uses, each resource with the
 * Terraform resources behind it; and the components' endpoints and access rules. Written into the page's `out`;
 * what many components share (the resources they use, the access rules) is put in words and escaped once.
 *
 * @example
 * ```ts
 * writeComponentsSection(out, plan, pageText());
 * ```
 */
export function writeComponentsSection(out: HtmlOut, plan: ResourcePlan, text: PageText): void {
  const byKey = new Map<string, PlannedResource>();
  for (const r of plan.resources) byKey.set(r.key, r);
  const access = new Map<string, string>();
  for (const [c, rules] of accessRows(plan.components)) access.set(c, rules);
  // Components on the same resources share one usage record (the planner's), so its words are made once.
  const usesOf = new Map<Readonly<Record<string, string>>, string>();
  out.add(
    '<section id="components" aria-labelledby="components-heading">\n' +
      '<h2 id="components-heading">Components and resources (text)</h2>\n' +
      `<h3>Components (${plan.components.length})</h3><ul class="alt">`,
  );
  for (const c of plan.components) {
    let uses = usesOf.get(c.resources);
    if (uses === undefined) {
      uses = esc(
        Object.values(c.resources)
          .map((k) => `${byKey.get(k)?.name ?? k} (${k})`)
          .join(', ') || 'no shared resource',
      );
      usesOf.set(c.resources, uses);
    }
    const t = text.component(c);
    const rules = access.get(`${c.key} (${c.id})`);
    let endpoints = '';
    for (const k in c.outputs) {
      if (!Object.hasOwn(c.outputs, k)) continue;
      const v = c.outputs[k];
      if (typeof v === 'string' && isUrl(v))
        endpoints += `<li>${esc(k)}: <code>${esc(v)}</code></li>`;
    }
    out.add(
      `<li data-component="${t.key}"><strong>${t.id}</strong> (${t.key}, ${t.type}) uses ${uses}` +
        `${rules ? `; access: ${esc(rules)}` : ''}${endpoints ? `<ul>${endpoints}</ul>` : ''}</li>`,
    );
  }
  out.add(`</ul>\n<h3>Shared resources (${plan.resources.length})</h3><ul class="alt">`);
  for (const r of plan.resources) {
    const t = text.resource(r);
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
    const events = realtimeEventsLine(plan, r);
    const realtime = events ? el('p', `${events}.`, { class: 'realtime-events' }) : '';
    out.add(
      `<li data-resource="${t.key}"><code>${t.name}</code> (${t.key}, ${t.type}), ` +
        `used by ${t.consumers === '' ? 'no component' : t.consumers}: ` +
        `${r.deploys.length} Terraform resource${r.deploys.length === 1 ? '' : 's'}${kept}${backedUp}${realtime}` +
        '<ul class="deploys">',
    );
    const addresses = t.escapedAddresses;
    for (let i = 0; i < addresses.length; i++) out.add(`<li><code>${at(addresses, i)}</code></li>`);
    out.add('</ul></li>');
  }
  out.add('</ul>\n</section>');
}

/**
 * What apply creates and the "before you deploy" block, with the same facts as the text and Markdown formats
 * (`planOverview`). Written into the page's `out` (a line per endpoint: 1,000 of them at 1,000 CrudApis).
 *
 * @example
 * ```ts
 * writeBeforeYouDeploySection(out, plan, planOverview(plan));
 * ```
 */
export function writeBeforeYouDeploySection(
  out: HtmlOut,
  plan: ResourcePlan,
  o: PlanOverview,
): void {
  const b = o.beforeYouDeploy;
  const secrets = secretsToSet(plan);
  const li = (html: string) => `<li>${html}</li>`;
  out.add(
    '<section id="before-you-deploy" aria-labelledby="deploy-heading">\n' +
      '<h2 id="deploy-heading">Before you deploy</h2>\n<h3>What apply creates</h3><ul>' +
      li(
        `${o.terraformResources.total} Terraform resources of ` +
          `${Object.keys(o.terraformResources.byType).length} types (${plan.summary.resources} shared Azure ` +
          `resources)`,
      ),
  );
  for (const e of o.endpoints)
    out.add(`<li>endpoint ${esc(e.component)}.${esc(e.output)}: <code>${esc(e.url)}</code></li>`);
  if (o.registrations.length > 0)
    out.add(
      li(
        `Microsoft Entra ID app registrations: ${o.registrations.map((r) => el('code', r)).join(', ')}`,
      ),
    );
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
  out.add(`</ul>\n<h3>What must be true first</h3><ul>${before.join('')}</ul>\n</section>`);
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

/** An output value that is a URL (`/^https?:\/\//`, without a regular expression per output). */
function isUrl(v: string): boolean {
  return v.startsWith('https://') || v.startsWith('http://');
}
