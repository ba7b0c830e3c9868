import { METER_KEYS, type MeterKey } from '../../model/billing.js';
import type { RuntimeBilling } from '../../model/runtime-manifest.js';
import type {
  BillingRecord,
  BillingStore,
  TenantLedger,
} from '../../runtime/billing/billing-store.js';
import { dueHours } from '../../runtime/billing/export-usage.js';
import type { MeterEventSender } from '../../runtime/billing/meter-sender.js';
import type { MeterErrorReport } from '../../runtime/billing/stripe-reads.js';
import {
  hourKeyAt,
  hourStartOf,
  hourTotals,
  meterValues,
  monthStartOf,
} from '../../runtime/billing/meter-values.js';
import { num } from '../../runtime/usage/tenant-usage.js';
import type { PermissionCheck } from './billing-permissions.js';

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
  /**
   * `stripe-pending`: sent less than {@link SUMMARY_LAG_MS} ago and not (all) in Stripe's summaries yet — Stripe
   * aggregates meter events asynchronously; not a difference until that time has passed.
   */
  readonly state:
    | 'unsent'
    | 'sending'
    | 'refused'
    | 'changed'
    | 'stripe-differs'
    | 'stripe-refused'
    | 'stripe-pending';
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
  /** With `--check`: the hours recorded sent whose value was compared with Stripe's summary of them. */
  readonly compared?: readonly string[];
  /** The hours that differ, oldest first (`stripe-pending` ones included: they are not differences yet). */
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
  /**
   * With `--check`: what was compared with Stripe — the hours recorded sent (each tenant's and meter's), their
   * count and the first and last — and how many of them were sent too recently to be in Stripe's summaries yet.
   */
  readonly stripeCompared?: {
    readonly hours: number;
    readonly first?: string;
    readonly last?: string;
    readonly notYet: number;
  };
  /** With `--check`: the key's permissions, each proven by a call of its own (billing-permissions.ts). */
  readonly permissions?: readonly PermissionCheck[];
  /** Every meter of every tenant: ledger = sent, nothing pending or refused (and with `--check`, Stripe = sent). */
  readonly equal: boolean;
}

/**
 * How long after a send a Stripe summary may still lack the event before the difference counts: Stripe "processes
 * meter events asynchronously, so aggregated usage in meter event summaries … might not immediately reflect recently
 * received meter events" ("Record usage for billing with the API") and gives no bound; this is ours.
 */
export const SUMMARY_LAG_MS = 15 * 60_000;

const HOUR_MS = 3_600_000;

/**
 * The window's end (hour key, excluded): the last hour the export has made due — or later, up to the hour in
 * progress, when the export recorded a send of a later hour (`usage export --local --close-hour` sends the hour in
 * progress; an hour that ended under 10 minutes ago is not due yet but may have been sent so): what was sent is
 * always reconciled, never left out of the window and called equal.
 */
function windowEnd(now: number, records: readonly { readonly hour: string }[]): string {
  let to = dueHours(now).to;
  const open = hourKeyAt(Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS);
  for (const r of records) {
    const next = hourKeyAt(hourStartOf(r.hour.slice(0, 13)) + HOUR_MS);
    if (next > to && next <= open) to = next;
  }
  return to;
}

/**
 * Reconcile the ledger with what the export sent, per tenant with a customer and per declared meter, over the
 * closed hours from `fromMs` (and any later hour already sent: {@link windowEnd}): each hour's value recomputed from
 * the ledger now (so a ledger changed after its hour was sent shows, `changed`), the records' values, and with a
 * sender Stripe's own per-hour summaries — an hour sent under {@link SUMMARY_LAG_MS} ago that Stripe's summary does
 * not hold yet is `stripe-pending`, said so, never a difference nor silently equal.
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
  readonly permissions?: readonly PermissionCheck[] | undefined;
}): Promise<BillingReconciliation> {
  const from = new Date(Math.floor(o.fromMs / HOUR_MS) * HOUR_MS).toISOString().slice(0, 13);
  const meters = METER_KEYS.filter((m) => o.billing.meters[m] !== undefined);
  const customers = (await o.store.customers()).filter(
    (c) => o.tenant === undefined || c.tenant === o.tenant,
  );
  const ledgers = new Map<string, TenantLedger>();
  for (const { tenant } of customers)
    ledgers.set(
      tenant,
      await o.store.ledger(tenant, new Date(monthStartOf(hourStartOf(from))).toISOString()),
    );
  const to = windowEnd(
    o.now,
    [...ledgers.values()].flatMap((l) => l.records),
  );
  // The identifiers Stripe names as refused, with why (`code: message`).
  const refusedBy = new Map<string, string>();
  for (const r of o.stripeErrors ?? [])
    for (const e of r.samples) refusedBy.set(e.identifier, `${r.code}: ${e.message}`);
  const ours = new Set<string>();
  const tenants = [];
  for (const { tenant, customer } of customers) {
    const ledger = ledgers.get(tenant) ?? { hours: [], stored: [], records: [] };
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
      rows.push(meterRow(meter, eventName, values, records, summaries, refusedBy, o.now));
    }
    tenants.push({ tenant, customer, meters: rows });
  }
  const equal = tenants.every((t) =>
    t.meters.every((m) => m.hours.every((h) => h.state === 'stripe-pending')),
  );
  const compared = tenants.flatMap((t) => t.meters.flatMap((m) => m.compared ?? [])).sort();
  return {
    source: 'billing',
    backendId: o.backendId,
    where: o.where,
    from: `${from}:00:00.000Z`,
    to: `${to}:00:00.000Z`,
    meters: o.billing.meters,
    checked: o.check !== undefined,
    tenants,
    ...(o.check
      ? {
          stripeCompared: {
            hours: compared.length,
            ...(compared.length ? { first: compared[0], last: compared[compared.length - 1] } : {}),
            notYet: tenants.reduce(
              (n, t) =>
                n +
                t.meters.reduce(
                  (k, m) => k + m.hours.filter((h) => h.state === 'stripe-pending').length,
                  0,
                ),
              0,
            ),
          },
        }
      : {}),
    ...(o.stripeErrors
      ? {
          stripeErrors: o.stripeErrors.map((r) => ({
            ...r,
            ours: r.samples.filter((e) => ours.has(e.identifier)).length,
          })),
        }
      : {}),
    ...(o.permissions ? { permissions: o.permissions } : {}),
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
  now: number,
): MeterReconciliation {
  const compared: string[] = [];
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
      if (summaries) compared.push(`${hour}:00:00.000Z`);
      const refusal = refusedBy.get(r.identifier);
      // Just sent, and Stripe's summary lags behind it: not a difference yet (SUMMARY_LAG_MS).
      const lagging =
        summaries !== undefined &&
        inStripe < r.value &&
        now - Date.parse(r.sentOn ?? r.createdOn) < SUMMARY_LAG_MS;
      if (refusal !== undefined) diff('stripe-refused', refusal);
      else if (r.value !== value) diff('changed');
      else if (lagging) diff('stripe-pending');
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
    ...(summaries ? { stripe, compared } : {}),
    hours,
  };
}
