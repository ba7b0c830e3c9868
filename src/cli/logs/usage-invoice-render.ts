import { printable } from '../shared/terminal-text.js';
import type { StripeInvoiceUnread, StripeInvoiceView } from './usage-invoice-preview.js';
import type { LedgerUsage, TenantUsage } from './usage-ledger-report.js';

const day = (iso: string) => iso.slice(0, 16).replace('T', ' ');

/** Stripe's preview of a tenant's next invoice as lines: its period, each line with its own period, the amount due. */
function previewLines(p: StripeInvoiceView | StripeInvoiceUnread | null | undefined): string[] {
  if (p === undefined) return [];
  if (p === null)
    return [
      '    Stripe’s preview: none (no subscription Stripe would invoice next, or a canceled one).',
    ];
  if ('error' in p) return [`    Stripe’s preview: not read (Stripe: ${printable(p.error)})`];
  const cur = p.currency.toUpperCase();
  return [
    `    Stripe’s preview of the next invoice${p.subscription ? ` (${printable(p.subscription)})` : ''}, ` +
      `period ${day(p.periodStart)} to ${day(p.periodEnd)} UTC:`,
    ...p.lines.map(
      (l) =>
        `      ${printable(l.description ?? l.price ?? 'line')}${l.price ? ` [${printable(l.price)}]` : ''}, ` +
        `${day(l.periodStart)} to ${day(l.periodEnd)}: ${l.amount.toFixed(2)} ${cur}`,
    ),
    ...(p.moreLines ? ['      … more lines in Stripe (the total counts them)'] : []),
    `    Stripe’s total: ${p.total.toFixed(2)} ${cur} (amount due ${p.amountDue.toFixed(2)} ${cur})`,
  ];
}

/** Our estimate of the calendar month, said to be ours: each line, its total. */
function estimateLines(t: TenantUsage): string[] {
  const inv = t.invoice;
  if (!inv) return [];
  const cur = (inv.currency ?? '').toUpperCase();
  return [
    '    our estimate (the calendar month at Stripe’s prices, recomputed by us — not Stripe’s figure):',
    ...inv.lines.map((l) => {
      const what =
        l.item === 'plan' ? `plan ${printable(l.name)}` : `${l.item} (${printable(l.name)})`;
      const at = l.unitPrice ? ` × ${printable(l.unitPrice)}` : '';
      const price = l.price ? ` [${printable(l.price)}]` : '';
      const amount = l.amount === undefined ? '' : `  ${l.amount.toFixed(2)} ${cur}`;
      return `    ${what}: ${String(l.quantity)}${at}${price}${amount}`;
    }),
    ...(inv.total !== undefined ? [`    invoice total: ${inv.total.toFixed(2)} ${cur}`] : []),
  ];
}

/**
 * The invoices of `atakora usage --month` as text lines (empty without them): per billed tenant Stripe's own figure
 * first — the preview of its subscription's next invoice, per billing period (the month in progress, with the key)
 * — then our estimate apart and labelled as ours (the plan's price and each meter's calendar-month quantity × its
 * Stripe price), then the cost to serve and the margin. Every value from the registry or Stripe escaped.
 *
 * @example
 * ```ts
 * lines.push(...formatInvoices(report));
 * ```
 */
export function formatInvoices(u: LedgerUsage): string[] {
  if (!u.invoices) return [];
  const out = ['', `INVOICES — ${u.invoices.note}`];
  if (u.invoices.previewNote !== undefined) out.push(`  ${u.invoices.previewNote}`);
  const billed = u.tenants.filter((t) => t.invoice !== undefined);
  if (billed.length === 0) out.push('  No tenant has a Stripe customer.');
  for (const t of billed) {
    const inv = t.invoice;
    if (!inv) continue;
    out.push(
      `  ${printable(t.tenant)} (${printable(inv.customer)})${t.plan ? `, plan ${printable(t.plan)}` : ''}:`,
      ...previewLines(t.stripeInvoice),
      ...estimateLines(t),
      `    cost to serve (our Azure estimate, not invoiced): ${t.estimatedUsd.total.toFixed(2)} USD` +
        (t.marginUsd === undefined ? '' : `; margin ${t.marginUsd.toFixed(2)} USD`),
    );
    for (const n of inv.notes) out.push(`    note: ${printable(n)}`);
  }
  return out;
}
