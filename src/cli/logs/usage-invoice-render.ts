import { printable } from '../shared/terminal-text.js';
import type { LedgerUsage } from './usage-ledger-report.js';

/**
 * The invoices of `atakora usage --month` as text lines (empty without them): per billed tenant its lines — the
 * plan's price, each meter's quantity × its Stripe price — and the total, then its cost to serve and the margin
 * apart; how they were priced first. Every value from the registry or Stripe escaped.
 *
 * @example
 * ```ts
 * lines.push(...formatInvoices(report));
 * ```
 */
export function formatInvoices(u: LedgerUsage): string[] {
  if (!u.invoices) return [];
  const out = ['', `INVOICES — ${u.invoices.note}`];
  const billed = u.tenants.filter((t) => t.invoice !== undefined);
  if (billed.length === 0) out.push('  No tenant has a Stripe customer.');
  for (const t of billed) {
    const inv = t.invoice;
    if (!inv) continue;
    const cur = (inv.currency ?? '').toUpperCase();
    out.push(
      `  ${printable(t.tenant)} (${printable(inv.customer)})${t.plan ? `, plan ${printable(t.plan)}` : ''}:`,
    );
    for (const l of inv.lines) {
      const what =
        l.item === 'plan' ? `plan ${printable(l.name)}` : `${l.item} (${printable(l.name)})`;
      const at = l.unitPrice ? ` × ${printable(l.unitPrice)}` : '';
      const price = l.price ? ` [${printable(l.price)}]` : '';
      const amount = l.amount === undefined ? '' : `  ${l.amount.toFixed(2)} ${cur}`;
      out.push(`    ${what}: ${String(l.quantity)}${at}${price}${amount}`);
    }
    if (inv.total !== undefined) out.push(`    invoice total: ${inv.total.toFixed(2)} ${cur}`);
    out.push(
      `    cost to serve (our Azure estimate, not invoiced): ${t.estimatedUsd.total.toFixed(2)} USD` +
        (t.marginUsd === undefined ? '' : `; margin ${t.marginUsd.toFixed(2)} USD`),
    );
    for (const n of inv.notes) out.push(`    note: ${printable(n)}`);
  }
  return out;
}
