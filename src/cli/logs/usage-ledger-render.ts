import { at } from '../../model/at.js';
import { printable } from '../shared/terminal-text.js';
import { csvDocument } from './usage-csv.js';
import type { LedgerUsage, TenantUsage } from './usage-ledger-report.js';
import { formatInvoices } from './usage-invoice-render.js';

/** The CSV columns of `atakora usage --csv`, in order (docs/tenants.md "Usage and costs"). */
export const USAGE_CSV_COLUMNS = [
  'tenant',
  'name',
  'plan',
  'status',
  'requests',
  'refused',
  'request_units',
  'messages',
  'stored_item_bytes',
  'stored_file_bytes',
  'connections',
  'usd_request_units',
  'usd_storage',
  'usd_messages',
  'usd_requests',
  'usd_total',
] as const;

/**
 * The report as CSV: the header row, then one row per tenant.
 *
 * @example
 * ```ts
 * io.out(usageCsv(report)); // 'tenant,name,plan,…\r\n72f988bf-…,Contoso,pro,…\r\n'
 * ```
 */
export function usageCsv(u: LedgerUsage): string {
  return csvDocument([
    USAGE_CSV_COLUMNS,
    ...u.tenants.map((t) => [
      t.tenant,
      t.name,
      t.plan,
      t.status,
      t.requests,
      t.refused,
      t.requestUnits,
      t.messages,
      t.storedItemBytes,
      t.storedFileBytes,
      t.connections,
      t.estimatedUsd.requestUnits,
      t.estimatedUsd.storage,
      t.estimatedUsd.messages,
      t.estimatedUsd.requests,
      t.estimatedUsd.total,
    ]),
  ]);
}

/**
 * The report as text: what was read, a table per tenant, the total and what the estimate is. Every value from the
 * registry or the ledger is escaped (shared/terminal-text.ts): anyone who names a tenant writes what prints here.
 *
 * @example
 * ```ts
 * io.out(formatLedgerUsage(report));
 * ```
 */
export function formatLedgerUsage(u: LedgerUsage): string {
  const month = /^\d{4}-\d{2}$/.test(u.since);
  const head =
    `${printable(u.backendId)} (${printable(u.where)}): usage per tenant from the usage ledger, ${u.from} to ` +
    `${u.to} (${month ? `calendar month ${u.since}, UTC` : `the last ${u.since}, whole UTC hours`}).`;
  const fees = u.tenants.some((t) => t.planFeeUsd !== undefined);
  const invoiced = u.tenants.some((t) => t.invoice !== undefined);
  const margins = u.tenants.some((t) => t.marginUsd !== undefined);
  const previewed = u.tenants.some((t) => t.stripeInvoice !== undefined);
  const cell = (n: number | undefined) => (n === undefined ? '' : n.toFixed(2));
  if (u.tenants.length === 0)
    return `${head}\nNo tenant has usage in that time, and the registry names none.\n`;
  const row = (t: Omit<TenantUsage, 'tenant'> & { tenant: string }) => [
    printable(t.tenant),
    printable(t.name ?? ''),
    printable(t.plan ?? ''),
    printable(t.status ?? ''),
    String(t.requests),
    String(t.refused),
    String(t.requestUnits),
    String(t.messages),
    bytes(t.storedItemBytes + t.storedFileBytes),
    String(t.connections),
    t.estimatedUsd.total.toFixed(4),
    ...(fees ? [cell(t.planFeeUsd)] : []),
    ...(invoiced ? [invoiceCell(t)] : []),
    ...(margins ? [cell(t.marginUsd)] : []),
    ...(previewed ? [previewCell(t)] : []),
  ];
  const lines = [
    [
      'TENANT',
      'NAME',
      'PLAN',
      'STATUS',
      'REQUESTS',
      'REFUSED',
      'RU',
      'MESSAGES',
      'STORED',
      'CONNECTIONS',
      'COST TO SERVE',
      ...(fees ? ['PLAN FEE'] : []),
      ...(invoiced ? ['INVOICE'] : []),
      ...(margins ? ['MARGIN'] : []),
      ...(previewed ? ['STRIPE NEXT'] : []),
    ],
    ...u.tenants.map(row),
  ];
  const widths = at(lines, 0).map((_, i) => Math.max(...lines.map((l) => at(l, i).length)));
  const table = lines
    .map((l) =>
      l
        .map((c, i) => (i < 4 ? c.padEnd(at(widths, i)) : c.padStart(at(widths, i))))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
  const t = u.total;
  return [
    head,
    '',
    table,
    '',
    `total: ${String(t.requests)} requests (${String(t.refused)} refused), ${String(t.requestUnits)} RU, ` +
      `${String(t.messages)} realtime messages, ${bytes(t.storedItemBytes + t.storedFileBytes)} stored, ` +
      `${String(t.connections)} live connections, ~$${t.estimatedUsd.total.toFixed(4)} to serve.`,
    `COST TO SERVE is what each tenant's usage costs you in Azure, not what it pays. ${u.estimate}`,
    ...(invoiced
      ? [
          'INVOICE is our estimate of the calendar month at Stripe’s prices (Stripe invoices per billing period)' +
            (previewed ? '; STRIPE NEXT is Stripe’s own preview of the next invoice.' : '.'),
        ]
      : []),
    ...formatInvoices(u),
    '',
  ].join('\n');
}

/** A tenant's invoice total in its currency, `quantities only` without prices, empty without an invoice. */
function invoiceCell(t: TenantUsage): string {
  const inv = t.invoice;
  if (!inv) return '';
  if (inv.total === undefined) return 'quantities only';
  return `${inv.total.toFixed(2)}${inv.currency === 'usd' ? '' : ` ${(inv.currency ?? '').toUpperCase()}`}`;
}

/** Stripe's preview total of a tenant's next invoice, `none` when Stripe has none, empty when not read. */
function previewCell(t: TenantUsage): string {
  const p = t.stripeInvoice;
  if (p === undefined) return '';
  if (p === null) return 'none';
  if ('error' in p) return 'unread';
  return `${p.total.toFixed(2)}${p.currency === 'usd' ? '' : ` ${p.currency.toUpperCase()}`}`;
}

/** Bytes as a person reads them (binary units, one decimal). */
function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${String(v)} B` : `${v.toFixed(1)} ${at(units, i)}`;
}
