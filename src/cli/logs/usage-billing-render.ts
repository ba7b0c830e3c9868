import { printable } from '../shared/terminal-text.js';
import { formatPermissions } from './billing-permissions.js';
import type { BillingReconciliation, HourDifference } from './usage-billing.js';

/** `2026-11-25T10:00:00.000Z` as `2026-11-25T10:00Z`. */
const short = (iso: string) => `${iso.slice(0, 16)}Z`;

/**
 * What `--check` compared with Stripe, in words: how many sent hours, which (each when few, else the first and the
 * last), and how many of them Stripe's summaries do not hold yet. Without `--check`, nothing.
 */
function comparedLine(r: BillingReconciliation): string[] {
  const c = r.stripeCompared;
  if (!c) return [];
  if (c.hours === 0)
    return [
      'Compared with Stripe: no hour — nothing in this window was recorded sent (run atakora usage export first).',
    ];
  const hours = r.tenants
    .flatMap((t) => t.meters.flatMap((m) => m.compared ?? []))
    .filter((h, i, all) => all.indexOf(h) === i)
    .sort();
  const which =
    hours.length <= 6
      ? hours.map(short).join(', ')
      : `${short(c.first ?? '')} to ${short(c.last ?? '')}`;
  return [
    `Compared with Stripe’s meter event summaries: ${String(c.hours)} sent hour(s) of tenant and meter (${which}).` +
      (c.notYet
        ? ` ${String(c.notYet)} of them, sent in the last 15 minutes, are not in Stripe’s summaries yet: Stripe ` +
          'aggregates meter events asynchronously — run --check again in a few minutes.'
        : ''),
  ];
}

const hourLine = (tenant: string, meter: string, h: HourDifference) =>
  `  ${printable(tenant)} ${meter} ${h.hour}: ${h.state} — ledger ${String(h.ledger)}, sent ` +
  `${h.sent === null ? '-' : String(h.sent)}${h.stripe === undefined ? '' : `, Stripe ${String(h.stripe)}`}` +
  (h.error === undefined ? '' : ` (${printable(h.error)})`);

function verdict(r: BillingReconciliation): string {
  if (!r.equal)
    return 'Not equal: see the hours above (docs/billing.md, "Reconciliation" and "Corrections").';
  if (r.stripeCompared?.notYet)
    return 'Equal so far: every hour the ledger holds was sent once, with its value; the hours Stripe does not hold yet are listed above.';
  return 'Equal: every hour the ledger holds was sent once, with its value.';
}

/**
 * The reconciliation as text: the key's permissions (with `--check`), a line per tenant and meter (ledger, sent,
 * pending, refused, and Stripe with `--check`), each hour that differs and why, what was compared with Stripe, then
 * whether everything is equal. Ids, names and Stripe's messages escaped.
 *
 * @example
 * ```ts
 * io.out(formatBilling(reconciliation));
 * ```
 */
export function formatBilling(r: BillingReconciliation): string {
  const head =
    `${printable(r.backendId)} (${printable(r.where)}): usage sent to Stripe, closed hours ${r.from} to ${r.to}` +
    `${r.checked ? ', checked against Stripe’s meter event summaries' : ''}.`;
  const permissions = formatPermissions(r.permissions ?? []);
  const preface = permissions.length ? ['', ...permissions] : [];
  if (r.tenants.length === 0)
    return [head, ...preface, '', 'No tenant has a Stripe customer.', ''].join('\n');
  const rows = [
    [
      'TENANT',
      'CUSTOMER',
      'METER',
      'LEDGER',
      'SENT',
      'PENDING',
      'REFUSED',
      ...(r.checked ? ['STRIPE'] : []),
    ],
  ];
  const notes: string[] = [];
  for (const t of r.tenants)
    for (const m of t.meters) {
      rows.push([
        printable(t.tenant),
        printable(t.customer),
        `${m.meter} (${printable(m.eventName)})`,
        String(m.ledger),
        String(m.sent),
        String(m.pending),
        String(m.refused),
        ...(r.checked ? [String(m.stripe ?? 0)] : []),
      ]);
      for (const h of m.hours) notes.push(hourLine(t.tenant, m.meter, h));
    }
  const widths = (rows[0] ?? []).map((_, i) =>
    Math.max(...rows.map((row) => (row[i] ?? '').length)),
  );
  const table = rows
    .map((row) =>
      row
        .map((c, i) => (i < 3 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
  const errors = (r.stripeErrors ?? []).map(
    (e) =>
      `  ${printable(e.eventName)}: ${String(e.count)} × ${printable(e.code)} (${String(e.ours)} of ours), ` +
      `${printable(e.windowStart)} to ${printable(e.windowEnd)}`,
  );
  return [
    head,
    ...preface,
    '',
    table,
    ...(notes.length ? ['', 'Hours that differ:', ...notes] : []),
    ...(errors.length
      ? ['', 'Refused by Stripe after accepting (meter error reports):', ...errors]
      : []),
    ...(r.stripeCompared ? ['', ...comparedLine(r)] : []),
    '',
    verdict(r),
    '',
  ].join('\n');
}
