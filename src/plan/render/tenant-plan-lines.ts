import type { ResourcePlan, TenantPlanCost, TenantPlanCosts } from '../../model/plan.js';
import { usd } from '../checks/budget.js';
import { attrText, el } from './html-escape.js';
import { DIMENSION_LABEL } from '../tenant-plan-prices.js';

const label = (d: string): string => DIMENSION_LABEL[d] ?? d;

/** Whether any plan declares a price: the price and the unbilled drivers are then shown beside each plan. */
const pricing = (t: TenantPlanCosts): boolean =>
  t.plans.some((p) => p.priceMonthlyUsd !== null || p.stripePrice !== null);

/** Whether the plan's price is per seat (its package says so; a plan saved before packages: not known, no). */
const perSeat = (plan: ResourcePlan, name: string): boolean =>
  plan.tenantPlans?.packages?.find((x) => x.plan === name)?.price.perSeat === true;

/** A plan's price in words: `$29.00 (price_Pro)`, `$12.00 a seat (price_Team)`, `price_Pro`, or `none declared`. */
function priceOf(p: TenantPlanCost, seat: boolean): string {
  const id = p.stripePrice;
  if (p.priceMonthlyUsd === null) return id ?? 'none declared';
  return `${usd(p.priceMonthlyUsd)}${seat ? ' a seat' : ''}${id === null ? '' : ` (${id})`}`;
}

const unbilledOf = (p: TenantPlanCost): string =>
  p.unbilled.length === 0 ? 'none' : p.unbilled.map(label).join(', ');

/** A plan's worst case in words: the amount, or what is unbounded and the bounded part. */
function worstCase(p: TenantPlanCost): string {
  return p.worstCaseMonthlyUsd === null
    ? `unbounded (${p.unbounded.map(label).join(', ')} not bounded; the bounded part ${usd(p.boundedMonthlyUsd)})`
    : `${usd(p.worstCaseMonthlyUsd)} a month`;
}

/** What one tenant at its bounds needs of the shared resources, in words. */
function needs(p: TenantPlanCost, t: TenantPlanCosts): string {
  const n = p.needs;
  const parts = [
    n.averageRuPerSecond === null
      ? 'RU/s unbounded'
      : `${String(n.averageRuPerSecond)} RU/s on average` +
        (n.tenantsAtPlannedThroughput === null
          ? ''
          : ` (${String(n.tenantsAtPlannedThroughput)} such tenants fill the planned throughput)`),
  ];
  if (t.prices.usdPerMillionMessages !== null)
    parts.push(
      n.realtimeConnections === null
        ? 'realtime connections unbounded'
        : `${String(n.realtimeConnections)} connections = ${String(n.webPubSubUnits)} Web PubSub unit(s)` +
            (n.tenantsAtPlannedUnits === null
              ? ''
              : ` (${String(n.tenantsAtPlannedUnits)} such tenants fill the planned units)`),
    );
  return parts.join('; ');
}

/** The prices the figures use, in words. */
function pricesLine(t: TenantPlanCosts): string {
  const p = t.prices;
  return (
    `At ${p.priceDate} list prices: RU $${String(p.usdPerMillionRu)} per million (${p.ruPricing}), storage ` +
    `$${String(p.usdPerGbMonth)} per GB-month, $${String(p.usdPerMillionRequests)} per million executions` +
    (p.usdPerMillionMessages === null
      ? ''
      : `, $${String(p.usdPerMillionMessages)} per million realtime messages`) +
    ' — the prices atakora usage estimates with. A month is 30 days at every bound.'
  );
}

/**
 * The tenant plans' block of `atakora plan` (text, or Markdown): each plan's worst-case monthly cost per tenant
 * with its lines, what one tenant needs of the shared resources, the planned capacity against the plans, the
 * prices. Empty without `plan.tenantPlans`.
 *
 * @example
 * ```ts
 * out.push(...tenantPlanLines(plan, { markdown: false }));
 * ```
 */
export function tenantPlanLines(plan: ResourcePlan, o: { readonly markdown: boolean }): string[] {
  const t = plan.tenantPlans;
  if (!t) return [];
  const out: string[] = [
    '',
    o.markdown
      ? '### Tenant plans'
      : 'Tenant plans (worst-case monthly cost per tenant, every limit used all month):',
  ];
  if (o.markdown)
    out.push(
      '',
      'Worst-case monthly cost per tenant, every limit used all month.',
      '',
      `| Plan | RU | Storage | Requests | Realtime messages | Worst case | One tenant needs |${
        pricing(t) ? ' Price | Not billed by a meter |' : ''
      }`,
      `| --- | --- | --- | --- | --- | --- | --- |${pricing(t) ? ' --- | --- |' : ''}`,
    );
  for (const p of t.plans) {
    const name = `${p.plan}${p.isDefault ? ' (default)' : ''}`;
    const cost = (d: string) => {
      const l = p.lines.find((x) => x.dimension === d);
      return l?.monthlyUsd === null || l === undefined ? 'unbounded' : usd(l.monthlyUsd);
    };
    if (o.markdown)
      out.push(
        `| ${md(name)} | ${cost('requestUnits')} | ${cost('storage')} | ${cost('requests')} | ` +
          `${cost('realtimeMessages')} | ${md(worstCase(p))} | ${md(needs(p, t))} |` +
          (pricing(t) ? ` ${md(priceOf(p, perSeat(plan, p.plan)))} | ${unbilledOf(p)} |` : ''),
      );
    else
      out.push(
        `  ${name}: ${worstCase(p)} — ${p.lines.map((l) => `${label(l.dimension)} ${cost(l.dimension)}`).join(', ')}`,
        `    one tenant needs: ${needs(p, t)}`,
        ...(pricing(t)
          ? [
              `    price: ${p.priceMonthlyUsd === null ? priceOf(p, false) : `${usd(p.priceMonthlyUsd)} a ${perSeat(plan, p.plan) ? 'seat a ' : ''}month`}` +
                (p.priceMonthlyUsd !== null && p.stripePrice !== null
                  ? ` (Stripe ${p.stripePrice})`
                  : '') +
                `; not billed by a meter: ${unbilledOf(p)}`,
            ]
          : []),
      );
  }
  out.push(
    ...(o.markdown ? [''] : []),
    ...t.notes.map((n) => (o.markdown ? `- ${md(n)}` : `  ${n}`)),
  );
  out.push(o.markdown ? `- ${pricesLine(t)}` : `  ${pricesLine(t)}`);
  return out;
}

// Plan names come from the config: a pipe would split a table cell.
const md = (s: string): string => s.replace(/\|/g, '\\|');

/**
 * The review page's tenant plans section: a table of each plan's lines and worst case, what one tenant needs,
 * then the notes and prices. Every string escaped. Empty without `plan.tenantPlans`.
 *
 * @example
 * ```ts
 * out.add(tenantPlansHtml(plan));
 * ```
 */
export function tenantPlansHtml(plan: ResourcePlan): string {
  const t = plan.tenantPlans;
  if (!t) return '';
  const head = [
    'Plan',
    'RU',
    'Storage',
    'Requests',
    'Realtime messages',
    'Worst case / tenant / month',
    'One tenant needs',
    ...(pricing(t) ? ['Price / month', 'Not billed by a meter'] : []),
  ];
  const rows = t.plans.map((p) => {
    const worst = p.worstCaseMonthlyUsd === null ? 'unbounded' : String(p.worstCaseMonthlyUsd);
    const cell = (d: string) => {
      const l = p.lines.find((x) => x.dimension === d);
      const value = l === undefined || l.monthlyUsd === null ? 'unbounded' : usd(l.monthlyUsd);
      return el('td', value, { class: 'num', title: l?.basis });
    };
    return (
      `<tr${attrText({
        'data-plan': p.plan,
        'data-worst': worst,
        ...(p.priceMonthlyUsd === null ? {} : { 'data-price': String(p.priceMonthlyUsd) }),
      })}>` +
      el('th', `${p.plan}${p.isDefault ? ' (default)' : ''}`, { scope: 'row' }) +
      cell('requestUnits') +
      cell('storage') +
      cell('requests') +
      cell('realtimeMessages') +
      el('td', worstCase(p), { class: 'num' }) +
      el('td', needs(p, t)) +
      (pricing(t)
        ? el('td', priceOf(p, perSeat(plan, p.plan)), { class: 'num' }) + el('td', unbilledOf(p))
        : '') +
      '</tr>'
    );
  });
  return (
    '<section id="tenant-plans" aria-labelledby="tenant-plans-heading">\n' +
    '<h2 id="tenant-plans-heading">Tenant plans</h2>\n' +
    el(
      'p',
      'Each plan’s worst-case monthly cost per tenant: every limit used all month. An unbounded limit is said ' +
        'to be unbounded, not priced as zero. Its price beside it, and the cost drivers no meter bills (the price ' +
        'alone pays for them), when a plan declares a price.',
    ) +
    '\n<div class="scroll"><table class="cost"><thead><tr>' +
    `${head.map((h) => el('th', h, { scope: 'col' })).join('')}</tr></thead>\n` +
    `<tbody>${rows.join('\n')}</tbody></table></div>\n` +
    `<ul>${[...t.notes, pricesLine(t)].map((n) => el('li', n)).join('')}</ul>\n</section>`
  );
}
