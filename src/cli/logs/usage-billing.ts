import { METER_KEYS, type MeterKey } from '../../model/billing.js';
import type { RuntimeBilling } from '../../model/runtime-manifest.js';
import type { BillingRecord, BillingStore } from '../../runtime/billing/billing-store.js';
import { dueHours } from '../../runtime/billing/export-usage.js';
import type { MeterEventSender } from '../../runtime/billing/meter-sender.js';
import type { MeterErrorReport } from '../../runtime/billing/stripe-reads.js';
import {
  hourStartOf,
  hourTotals,
  meterValues,
  monthStartOf,
} from '../../runtime/billing/meter-values.js';
import { num } from '../../runtime/usage/tenant-usage.js';
import { printable } from '../shared/terminal-text.js';

/** One hour whose figures disagree: the ledger's value now, what was sent, and (with `--check`) Stripe's. */
export interface HourDifference {
  readonly hour: string;
  readonly ledger: number;
  readonly sent: number | null;
  readonly stripe?: number;
  /**
   * `stripe-refused`: Stripe took the event (the export recorded it sent), then refused it when it applied it — a
   * meter error report names its identifier (an unknown customer, an archived meter): it is not billed.
   */
  readonly state:
    | 'unsent'
    | 'sending'
    | 'refused'
    | 'changed'
    | 'stripe-differs'
    | 'stripe-refused';
  readonly error?: string;
}

/** One tenant's meter over the window: the ledger's whole values, what Stripe took, what waits or was refused. */
export interface MeterReconciliation {
  readonly meter: MeterKey;
  readonly eventName: string;
  /** Sum of the hours' values as the ledger gives them now (what the export would send). */
  readonly ledger: number;
  /** Sum of the values recorded as sent. */
  readonly sent: number;
  /** Sum of the values written but not confirmed (an outage, a crash: the next run resends them). */
  readonly pending: number;
  readonly refused: number;
  /** With `--check`: Stripe's meter event summaries over the sent hours. */
  readonly stripe?: number;
  /** The hours that differ, oldest first. */
  readonly hours: readonly HourDifference[];
}

/** `atakora usage --billing` as data (`--json`). */
export interface BillingReconciliation {
  readonly source: 'billing';
  readonly backendId: string;
  readonly where: string;
  /** Closed hours from the start of the hour `--since` ago to the last one exported (10 minutes after its end). */
  readonly from: string;
  readonly to: string;
  readonly meters: RuntimeBilling['meters'];
  readonly checked: boolean;
  readonly tenants: readonly {
    readonly tenant: string;
    readonly customer: string;
    readonly meters: readonly MeterReconciliation[];
  }[];
  /**
   * With `--check`: Stripe's meter error reports on the declared meters (events it accepted and then refused), each
   * with how many of the refused events it names as samples are this backend's (`ours`).
   */
  readonly stripeErrors?: readonly (MeterErrorReport & { readonly ours: number })[];
  /** Every meter of every tenant: ledger = sent, nothing pending or refused (and with `--check`, Stripe = sent). */
  readonly equal: boolean;
}

const HOUR_MS = 3_600_000;

/**
 * Reconcile the ledger with what the export sent, per tenant with a customer and per declared meter, over the
 * closed hours from `fromMs`: each hour's value recomputed from the ledger now (so a ledger changed after its hour
 * was sent shows, `changed`), the records' values, and with a sender Stripe's own per-hour summaries.
 *
 * @example
 * ```ts
 * const r = await reconcileBilling({ backendId, where: 'local', billing, store, fromMs, now: Date.now() });
 * r.equal; // true when every sent value is the ledger's
 * ```
 */
export async function reconcileBilling(o: {
  readonly backendId: string;
  readonly where: string;
  readonly billing: RuntimeBilling;
  readonly store: BillingStore;
  readonly fromMs: number;
  readonly now: number;
  readonly tenant?: string | undefined;
  readonly check?: MeterEventSender | undefined;
  /** With `--check`: Stripe's meter error reports of the declared meters (runtime/billing/stripe-reads.ts). */
  readonly stripeErrors?: readonly MeterErrorReport[] | undefined;
}): Promise<BillingReconciliation> {
  const to = dueHours(o.now).to;
  const from = new Date(Math.floor(o.fromMs / HOUR_MS) * HOUR_MS).toISOString().slice(0, 13);
  const meters = METER_KEYS.filter((m) => o.billing.meters[m] !== undefined);
  const customers = (await o.store.customers()).filter(
    (c) => o.tenant === undefined || c.tenant === o.tenant,
  );
  // The identifiers Stripe names as refused, with why (`code: message`).
  const refusedBy = new Map<string, string>();
  for (const r of o.stripeErrors ?? [])
    for (const e of r.samples) refusedBy.set(e.identifier, `${r.code}: ${e.message}`);
  const ours = new Set<string>();
  const tenants = [];
  for (const { tenant, customer } of customers) {
    const ledger = await o.store.ledger(
      tenant,
      new Date(monthStartOf(hourStartOf(from))).toISOString(),
    );
    const storedNow = ledger.stored.reduce(
      (s, i) => s + num(i['itemBytes']) + num(i['fileBytes']),
      0,
    );
    const values = meterValues(hourTotals(ledger.hours), storedNow, meters, from, to);
    const rows: MeterReconciliation[] = [];
    for (const meter of meters) {
      const eventName = o.billing.meters[meter] ?? '';
      const records = new Map(
        ledger.records
          .filter(
            (r) => r.meter === meter && r.hour.slice(0, 13) >= from && r.hour.slice(0, 13) < to,
          )
          .map((r) => [r.hour.slice(0, 13), r]),
      );
      const summaries = o.check
        ? await o.check.hourValues(
            eventName,
            customer,
            hourStartOf(from) / 1000,
            hourStartOf(to) / 1000,
          )
        : undefined;
      for (const r of records.values()) if (refusedBy.has(r.identifier)) ours.add(r.identifier);
      rows.push(meterRow(meter, eventName, values, records, summaries, refusedBy));
    }
    tenants.push({ tenant, customer, meters: rows });
  }
  const equal = tenants.every((t) => t.meters.every((m) => m.hours.length === 0));
  return {
    source: 'billing',
    backendId: o.backendId,
    where: o.where,
    from: `${from}:00:00.000Z`,
    to: `${to}:00:00.000Z`,
    meters: o.billing.meters,
    checked: o.check !== undefined,
    tenants,
    ...(o.stripeErrors
      ? {
          stripeErrors: o.stripeErrors.map((r) => ({
            ...r,
            ours: r.samples.filter((e) => ours.has(e.identifier)).length,
          })),
        }
      : {}),
    equal,
  };
}

function meterRow(
  meter: MeterKey,
  eventName: string,
  values: ReadonlyMap<string, ReadonlyMap<MeterKey, number>>,
  records: ReadonlyMap<string, BillingRecord>,
  summaries: ReadonlyMap<number, number> | undefined,
  refusedBy: ReadonlyMap<string, string>,
): MeterReconciliation {
  let ledger = 0;
  let sent = 0;
  let pending = 0;
  let refused = 0;
  let stripe = 0;
  const hours: HourDifference[] = [];
  const keys = [...new Set([...values.keys(), ...records.keys()])].sort();
  for (const hour of keys) {
    const value = values.get(hour)?.get(meter) ?? 0;
    const r = records.get(hour);
    const inStripe = summaries?.get(hourStartOf(hour) / 1000) ?? 0;
    ledger += value;
    stripe += inStripe;
    const diff = (
      state: HourDifference['state'],
      error = r?.state === 'sent' ? undefined : r?.error,
    ) =>
      hours.push({
        hour: `${hour}:00:00.000Z`,
        ledger: value,
        sent: r?.state === 'sent' ? r.value : null,
        ...(summaries ? { stripe: inStripe } : {}),
        state,
        ...(error !== undefined ? { error } : {}),
      });
    if (!r) {
      if (value > 0) diff('unsent');
      continue;
    }
    if (r.state === 'sending') {
      pending += r.value;
      diff('sending');
    } else if (r.state === 'refused') {
      refused += r.value;
      diff('refused');
    } else {
      sent += r.value;
      const refusal = refusedBy.get(r.identifier);
      if (refusal !== undefined) diff('stripe-refused', refusal);
      else if (r.value !== value) diff('changed');
      else if (summaries && inStripe !== r.value) diff('stripe-differs');
    }
  }
  return {
    meter,
    eventName,
    ledger,
    sent,
    pending,
    refused,
    ...(summaries ? { stripe } : {}),
    hours,
  };
}

/**
 * The reconciliation as text: a line per tenant and meter (ledger, sent, pending, refused, and Stripe with
 * `--check`), then each hour that differs and why, then whether everything is equal. Ids and names escaped.
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
  if (r.tenants.length === 0) return `${head}\nNo tenant has a Stripe customer.\n`;
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
      for (const h of m.hours)
        notes.push(
          `  ${printable(t.tenant)} ${m.meter} ${h.hour}: ${h.state} — ledger ${String(h.ledger)}, sent ` +
            `${h.sent === null ? '-' : String(h.sent)}${h.stripe === undefined ? '' : `, Stripe ${String(h.stripe)}`}` +
            (h.error === undefined ? '' : ` (${printable(h.error)})`),
        );
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
    '',
    table,
    ...(notes.length ? ['', 'Hours that differ:', ...notes] : []),
    ...(errors.length
      ? ['', 'Refused by Stripe after accepting (meter error reports):', ...errors]
      : []),
    '',
    r.equal
      ? 'Equal: every hour the ledger holds was sent once, with its value.'
      : 'Not equal: see the hours above (docs/billing.md, "Reconciliation" and "Corrections").',
    '',
  ].join('\n');
}
