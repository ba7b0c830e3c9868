import type { ResourcePlan, TenantPlanPackage } from '../../model/plan.js';
import { usd } from '../checks/budget.js';
import { attrText, el } from './html-escape.js';
import { DIMENSION_LABEL } from '../tenant-plan-prices.js';

const label = (d: string): string => DIMENSION_LABEL[d] ?? d;

/** The Stripe part of a price: `Stripe price_team, per seat, 14-day trial`. */
function stripeText(p: TenantPlanPackage): string | undefined {
  const s = p.price;
  if (s.stripePrice === null) return undefined;
  return [
    `Stripe ${s.stripePrice}`,
    ...(s.monthlyUsd === null ? ['its amount is Stripe’s'] : []),
    ...(s.perSeat ? ['per seat'] : []),
    ...(s.trialDays === null ? [] : [`${String(s.trialDays)}-day trial`]),
  ].join(', ');
}

/**
 * A package's price in words: `$12.00 a seat a month (Stripe price_team, per seat, 14-day trial); Azure Marketplace
 * plan team-monthly`, `Stripe price_x, its amount is Stripe’s`, or `none declared`.
 *
 * @example
 * ```ts
 * packagePrice(pkg); // '$29.00 a month (Stripe price_pro)'
 * ```
 */
export function packagePrice(p: TenantPlanPackage): string {
  const fee = p.price.monthlyUsd;
  const stripe = stripeText(p);
  const base =
    fee !== null
      ? `${usd(fee)} ${p.price.perSeat ? 'a seat ' : ''}a month${stripe === undefined ? '' : ` (${stripe})`}`
      : (stripe ?? 'none declared');
  return p.price.marketplacePlan === null
    ? base
    : `${base}; Azure Marketplace plan ${p.price.marketplacePlan}`;
}

/** `3`, or `unlimited`. */
export const packageSeats = (p: TenantPlanPackage): string =>
  p.seats === null ? 'unlimited' : String(p.seats);

/** `ProjectApi 2, ReportApi unlimited`, or `unlimited` when no plan bounds items. */
export const packageItems = (p: TenantPlanPackage): string =>
  p.items.length === 0
    ? 'unlimited'
    : p.items
        .map((i) => `${i.crudApi} ${i.limit === null ? 'unlimited' : String(i.limit)}`)
        .join(', ');

/** `audit, reports (the application's: reports)`, `none`, or every feature when no plan declares any. */
export function packageFeatures(p: TenantPlanPackage): string {
  const f = p.features;
  if (f.all) return 'every feature (no plan declares features)';
  if (f.names.length === 0) return 'none';
  return (
    f.names.join(', ') +
    (f.application.length === 0 ? '' : ` (the application’s: ${f.application.join(', ')})`)
  );
}

/** `$9.51 a month`, or what is unbounded and the bounded part. */
export function packageCost(p: TenantPlanPackage): string {
  const c = p.costToServe;
  return c.monthlyUsd === null
    ? `unbounded (${c.unbounded.map(label).join(', ')} not bounded; the bounded part ${usd(c.boundedMonthlyUsd)})`
    : `${usd(c.monthlyUsd)} a month`;
}

/** `$2.49 a month, $290.49 with every seat taken`, `none holds (…)`, or `unknown (no price in USD)`. */
export function packageMargin(p: TenantPlanPackage): string {
  const m = p.margin;
  if (m === null)
    return p.price.stripePrice === null
      ? 'unknown (no price declared)'
      : 'unknown (the price’s amount is Stripe’s; monthlyFeeUsd gives it here)';
  if (m.monthlyUsd === null) return 'none holds (the cost to serve is unbounded)';
  return (
    `${usd(m.monthlyUsd)} a month${p.price.perSeat ? ' at one seat' : ''}` +
    (m.atSeatLimitUsd === null ? '' : `, ${usd(m.atSeatLimitUsd)} with every seat taken`)
  );
}

// Plan and feature names come from the config: a pipe would split a table cell.
const md = (s: string): string => s.replace(/\|/g, '\\|');

/**
 * The packages block of `atakora plan` (text, or Markdown): each plan as the product it sells — price, seats, items,
 * features — with the cost to serve an organization at its limits and the margin, then the assumptions. Empty
 * without `plan.tenantPlans.packages`.
 *
 * @example
 * ```ts
 * out.push(...packageLines(plan, { markdown: false }));
 * ```
 */
export function packageLines(plan: ResourcePlan, o: { readonly markdown: boolean }): string[] {
  const packages = plan.tenantPlans?.packages;
  if (!packages) return [];
  const assumptions = plan.tenantPlans?.packageAssumptions ?? [];
  const name = (p: TenantPlanPackage) => `${p.plan}${p.isDefault ? ' (default)' : ''}`;
  if (o.markdown)
    return [
      '',
      '### Plan packages',
      '',
      'What each plan sells, and what an organization using every limit of it costs to serve.',
      '',
      '| Plan | Price | Seats | Items | Features | Cost to serve at its limits | Margin |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...packages.map(
        (p) =>
          `| ${[name(p), packagePrice(p), packageSeats(p), packageItems(p), packageFeatures(p), packageCost(p), packageMargin(p)].map(md).join(' | ')} |`,
      ),
      '',
      ...assumptions.map((a) => `- ${md(a)}`),
    ];
  return [
    '',
    'Plan packages (what each plan sells; the cost to serve an organization at its limits):',
    ...packages.flatMap((p) => [
      `  ${name(p)}: price ${packagePrice(p)}`,
      `    seats: ${packageSeats(p)}; items: ${packageItems(p)}`,
      `    features: ${packageFeatures(p)}`,
      `    cost to serve at its limits: ${packageCost(p)}; margin: ${packageMargin(p)}`,
      ...(p.margin === null ? [] : [`    margin basis: ${p.margin.basis}`]),
    ]),
    ...assumptions.map((a) => `  ${a}`),
  ];
}

/**
 * The review page's Plan packages section: a row per plan (price, seats, items, features, cost to serve at its
 * limits, margin), its figures in data attributes, then the assumptions. Every string escaped. Empty without
 * `plan.tenantPlans.packages`.
 *
 * @example
 * ```ts
 * out.add(packagesHtml(plan));
 * ```
 */
export function packagesHtml(plan: ResourcePlan): string {
  const packages = plan.tenantPlans?.packages;
  if (!packages) return '';
  const head = [
    'Plan',
    'Price',
    'Seats',
    'Items',
    'Features',
    'Cost to serve / month',
    'Margin / month',
  ];
  const rows = packages.map(
    (p) =>
      `<tr${attrText({
        'data-plan': p.plan,
        'data-seats': p.seats === null ? 'unlimited' : String(p.seats),
        'data-cost':
          p.costToServe.monthlyUsd === null ? 'unbounded' : String(p.costToServe.monthlyUsd),
        ...(p.margin === null || p.margin.monthlyUsd === null
          ? {}
          : { 'data-margin': String(p.margin.monthlyUsd) }),
      })}>` +
      el('th', `${p.plan}${p.isDefault ? ' (default)' : ''}`, { scope: 'row' }) +
      el('td', packagePrice(p)) +
      el('td', packageSeats(p), { class: 'num' }) +
      el('td', packageItems(p)) +
      el('td', packageFeatures(p)) +
      el('td', packageCost(p), { class: 'num' }) +
      el('td', packageMargin(p), { class: 'num', title: p.margin?.basis }) +
      '</tr>',
  );
  return (
    '<section id="plan-packages" aria-labelledby="plan-packages-heading">\n' +
    '<h2 id="plan-packages-heading">Plan packages</h2>\n' +
    el(
      'p',
      'What each plan sells — its price, seats, items and features — and what an organization using every limit ' +
        'of it costs to serve, with the margin when the price is known in USD.',
    ) +
    '\n<div class="scroll"><table class="cost"><thead><tr>' +
    `${head.map((h) => el('th', h, { scope: 'col' })).join('')}</tr></thead>\n` +
    `<tbody>${rows.join('\n')}</tbody></table></div>\n` +
    `<ul>${(plan.tenantPlans?.packageAssumptions ?? []).map((n) => el('li', n)).join('')}</ul>\n</section>`
  );
}
