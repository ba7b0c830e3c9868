import {
  BILLING_GRACE_MS,
  MAX_IDENTIFIER_LENGTH,
  METER_KEYS,
  type MeterKey,
  meterIdentifier,
  STRIPE_WINDOW_MS,
} from '../../model/billing.js';
import type { RuntimeBilling } from '../../model/runtime-manifest.js';
import { num } from '../usage/tenant-usage.js';
import {
  type BilledTenant,
  type BillingRecord,
  billingRecordId,
  type BillingStore,
} from './billing-store.js';
import type { MeterEventSender, SendOutcome } from './meter-sender.js';
import {
  eventTimestamp,
  hourKeyAt,
  hourStartOf,
  hourTotals,
  meterValues,
  monthStartOf,
} from './meter-values.js';

const HOUR_MS = 3_600_000;
/** Stripe keeps an identifier unique "within a rolling period of at least 24 hours" (API reference, `identifier`). */
const IDENTIFIER_WINDOW_MS = 23 * HOUR_MS;

/** How a run paces itself against Stripe's rate limits and outages (tests shrink the waits). */
export interface ExportPacing {
  /** Tenants sent at once (each tenant's events one after another: one call per customer and meter at a time). */
  readonly concurrency: number;
  /** First wait after a 429, doubled each time (with jitter) up to `maxBackoffMs`; default 500 ms. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  /** Tries of one event through 429s before it waits for the next run; default 5. */
  readonly rateLimitTries: number;
  /** Failed sends in a row (5xx, no answer, after the SDK's own retries) that end the run: an outage; default 3. */
  readonly outageAfter: number;
  /** Events one run sends at most; the rest wait for the next run. Default 5,000. */
  readonly maxEvents: number;
  readonly sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_PACING: ExportPacing = {
  concurrency: 4,
  backoffMs: 500,
  maxBackoffMs: 8_000,
  rateLimitTries: 5,
  outageAfter: 3,
  maxEvents: 5_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** What one run did, as the timer logs it and `atakora usage export` prints it. */
export interface ExportReport {
  /** Events Stripe took in this run. */
  sent: number;
  /** Events resent after a crash or an outage that Stripe already held (its identifier refused as a duplicate). */
  duplicates: number;
  /** Events left for a later run (429s past their tries, 5xx, an outage, the run's bound). */
  pending: number;
  /** Events Stripe refused (an unknown customer or meter, a timestamp outside its window): kept with the reason. */
  refused: number;
  /** Hours due that were recorded as sent before this run. */
  alreadySent: number;
  /** Tenants with a customer, and those whose identifiers would pass Stripe's 100 characters (not exported). */
  tenants: number;
  skippedTenants: string[];
  /** Why the run ended early (an outage, a refused key), if it did. */
  stopped?: string;
  /** The closed hours considered: from the oldest Stripe still takes to the last closed 10 minutes ago. */
  from: string;
  to: string;
}

/** What a run needs: where it reads and writes, how it sends, which meters, its clock, its log. */
export interface ExportInput {
  readonly backendId: string;
  /** The deployment's environment (the manifest's; `local`'s is its plan's): part of every new identifier. */
  readonly environment: string;
  readonly billing: RuntimeBilling;
  readonly store: BillingStore;
  readonly sender: MeterEventSender;
  readonly now?: () => number;
  /** Send the hour in progress too, as if it had closed (`atakora usage export --local --close-hour`: dev only). */
  readonly closeOpenHour?: boolean;
  readonly pacing?: Partial<ExportPacing>;
  /** One JSON object per notable event (a refusal, an outage); never the key. */
  readonly log?: (line: Record<string, unknown>) => void;
}

/**
 * The hours a run at `now` exports: each closed UTC hour that ended at least 10 minutes ago (the instances' last
 * flushes are in) and that starts inside Stripe's 35-day window, less an hour of margin. Hour keys, `to` excluded.
 *
 * @example
 * ```ts
 * dueHours(Date.parse('2026-11-25T11:10:00Z')); // { from: '2026-10-21T12', to: '2026-11-25T11' }
 * dueHours(Date.parse('2026-11-25T11:10:00Z'), { closeOpenHour: true }).to; // '2026-11-25T12'
 * ```
 */
export function dueHours(
  now: number,
  opts: { readonly closeOpenHour?: boolean } = {},
): { from: string; to: string } {
  // Under dev only (`usage export --local --close-hour`): the hour in progress counts as closed, so a developer sees
  // an hour exported without waiting for it to end; its later requests are never sent.
  const to = opts.closeOpenHour
    ? (Math.floor(now / HOUR_MS) + 1) * HOUR_MS
    : Math.floor((now - BILLING_GRACE_MS) / HOUR_MS) * HOUR_MS;
  const from = Math.ceil((now - STRIPE_WINDOW_MS + HOUR_MS) / HOUR_MS) * HOUR_MS;
  return { from: hourKeyAt(from), to: hourKeyAt(Math.max(from, to)) };
}

/**
 * Export every due hour of every tenant with a Stripe customer, per declared meter, as one meter event each — the
 * contract's identifier, the hour's start as timestamp (the subscription's period start in the hour it starts in:
 * meter-values.ts `eventTimestamp`), the ledger's whole value — exactly once: a record is
 * written `sending` before its event goes out and `sent` after Stripe took it, so a run killed between the two
 * resends that very event (Stripe refuses the identifier it holds: a duplicate proves it arrived), an outage leaves
 * the rest `sending` for the next run, and a record's send older than Stripe's 24-hour identifier window is checked
 * against its meter event summaries before it is sent again. Suspended tenants are exported (their usage happened);
 * a zero hour sends nothing.
 *
 * @example
 * ```ts
 * const report = await exportUsage({ backendId: 'saas', environment: 'prod', billing, store, sender });
 * ```
 */
export async function exportUsage(input: ExportInput): Promise<ExportReport> {
  const now = (input.now ?? Date.now)();
  const pacing = { ...DEFAULT_PACING, ...input.pacing };
  const due = dueHours(now, { closeOpenHour: input.closeOpenHour === true });
  const report: ExportReport = {
    sent: 0,
    duplicates: 0,
    pending: 0,
    refused: 0,
    alreadySent: 0,
    tenants: 0,
    skippedTenants: [],
    from: `${due.from}:00:00.000Z`,
    to: `${due.to}:00:00.000Z`,
  };
  const customers = await input.store.customers();
  report.tenants = customers.length;
  const run: Run = { input, pacing, report, now, failures: 0, events: 0 };
  const queue = [...customers];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift())
      await exportTenant(run, next, sinceRecord(due, next.since));
  };
  await Promise.all(Array.from({ length: Math.max(1, pacing.concurrency) }, worker));
  return report;
}

/**
 * The hours due that are the record's: none before the hour it was created in. An organization erased keeps its
 * ledger lines (what it used is a record), and an id given again to a new organization must never have the hours of
 * the one before sent to its customer — those stay in the ledger unsent (docs/tenants.md).
 */
function sinceRecord(
  due: { from: string; to: string },
  since: string | undefined,
): { from: string; to: string } {
  if (since === undefined) return due;
  const first = hourKeyAt(Date.parse(since));
  return first > due.from ? { from: first > due.to ? due.to : first, to: due.to } : due;
}

/** A run's state, shared by its workers. */
interface Run {
  readonly input: ExportInput;
  readonly pacing: ExportPacing;
  readonly report: ExportReport;
  readonly now: number;
  /** Failed sends in a row (an outage ends the run). */
  failures: number;
  events: number;
}

/** The meters the config declares, in the contract's order. */
const metersOf = (billing: RuntimeBilling): MeterKey[] =>
  METER_KEYS.filter((m) => billing.meters[m] !== undefined);

async function exportTenant(
  run: Run,
  billed: BilledTenant,
  due: { from: string; to: string },
): Promise<void> {
  const { input, report } = run;
  const { tenant, customer } = billed;
  const meters = metersOf(input.billing);
  const longest = meterIdentifier(
    input.backendId,
    input.environment,
    tenant,
    due.from,
    'realtimeMessages',
  );
  if (longest.length > MAX_IDENTIFIER_LENGTH) {
    report.skippedTenants.push(tenant);
    input.log?.({ event: 'billing-identifier-too-long', tenant });
    return;
  }
  if (run.report.stopped !== undefined) return;
  const monthStart = new Date(monthStartOf(hourStartOf(due.from))).toISOString();
  const ledger = await input.store.ledger(tenant, monthStart);
  const storedNow = ledger.stored.reduce(
    (s, item) => s + num(item['itemBytes']) + num(item['fileBytes']),
    0,
  );
  const values = meterValues(hourTotals(ledger.hours), storedNow, meters, due.from, due.to);
  const records = new Map(ledger.records.map((r) => [r.id, r]));
  for (const [hour, byMeter] of values)
    for (const [meter, value] of byMeter) {
      if (run.report.stopped !== undefined) return;
      const id = billingRecordId(hour, meter);
      const held = records.get(id);
      if (held?.state === 'sent') {
        report.alreadySent++;
        continue;
      }
      // An hour already tried is resent as it was first written (an identifier of the earlier form, without the
      // environment, included: Stripe holds that one); a new hour with nothing in it sends nothing.
      if (!held && value <= 0) continue;
      if (run.events >= run.pacing.maxEvents) {
        report.pending++;
        continue;
      }
      run.events++;
      const record =
        held ??
        (await begin(run, {
          tenant,
          customer,
          hour,
          meter,
          value,
          createdOn: run.now,
          timestamp: eventTimestamp(hour, billed.periodStart),
        }));
      if (record) await deliver(run, record);
    }
}

/** Write the record of a new event, `sending`; undefined when another run wrote it first (that run sends it). */
async function begin(
  run: Run,
  e: {
    tenant: string;
    customer: string;
    hour: string;
    meter: MeterKey;
    value: number;
    createdOn: number;
    timestamp: number;
  },
): Promise<BillingRecord | undefined> {
  const { backendId, environment, billing } = run.input;
  const record: BillingRecord = {
    id: billingRecordId(e.hour, e.meter),
    tenant: e.tenant,
    kind: 'billing',
    hour: `${e.hour}:00:00.000Z`,
    meter: e.meter,
    eventName: billing.meters[e.meter] ?? '',
    identifier: meterIdentifier(backendId, environment, e.tenant, e.hour, e.meter),
    customer: e.customer,
    value: e.value,
    timestamp: e.timestamp,
    state: 'sending',
    attempts: 0,
    createdOn: new Date(e.createdOn).toISOString(),
  };
  return (await run.input.store.create(record)) === 'created' ? record : undefined;
}

/** Send one record's event (paced), and write what became of it. */
async function deliver(run: Run, record: BillingRecord): Promise<void> {
  const { input, report } = run;
  // Sent more than a day ago and not confirmed: Stripe may have forgotten the identifier, so its summary decides.
  if (
    record.attempts > 0 &&
    run.now - Date.parse(record.createdOn) > IDENTIFIER_WINDOW_MS &&
    (await heldByStripe(run, record))
  ) {
    report.duplicates++;
    await input.store.replace({
      ...record,
      state: 'sent',
      sentOn: new Date(run.now).toISOString(),
    });
    return;
  }
  const outcome = await sendPaced(run, record);
  const attempts = record.attempts + 1;
  if (outcome.kind === 'sent' || outcome.kind === 'duplicate') {
    run.failures = 0;
    report[outcome.kind === 'sent' ? 'sent' : 'duplicates']++;
    const { error: _e, ...rest } = record;
    await input.store.replace({
      ...rest,
      state: 'sent',
      attempts,
      sentOn: new Date(run.now).toISOString(),
    });
    return;
  }
  const error = `${outcome.status === undefined ? '' : `${String(outcome.status)} `}${outcome.message}`;
  if (outcome.kind === 'refused') {
    run.failures = 0;
    report.refused++;
    input.log?.({
      event: 'billing-event-refused',
      tenant: record.tenant,
      identifier: record.identifier,
      error,
    });
    await input.store.replace({ ...record, state: 'refused', attempts, error });
    return;
  }
  report.pending++;
  await input.store.replace({ ...record, state: 'sending', attempts, error });
  if (outcome.kind === 'stop')
    report.stopped =
      outcome.status === 403
        ? // A restricted key without the permission (docs/billing.md, "The key's permissions").
          `the key lacks Stripe's permission Billing meter events: Write: ${error}`
        : `Stripe refused the key: ${error}`;
  else if (
    outcome.kind === 'retry' &&
    !outcome.rateLimited &&
    ++run.failures >= run.pacing.outageAfter
  )
    report.stopped = `Stripe unavailable (${String(run.failures)} sends failed in a row): ${error}`;
  if (report.stopped !== undefined)
    input.log?.({ event: 'billing-export-stopped', reason: report.stopped });
}

/** One send, tried again after each 429 with exponential backoff and jitter, up to the pacing's tries. */
async function sendPaced(run: Run, record: BillingRecord): Promise<SendOutcome> {
  const { pacing } = run;
  for (let attempt = 1; ; attempt++) {
    const outcome = await run.input.sender.send({
      eventName: record.eventName,
      identifier: record.identifier,
      customer: record.customer,
      value: record.value,
      timestamp: record.timestamp,
    });
    if (outcome.kind !== 'retry' || !outcome.rateLimited || attempt >= pacing.rateLimitTries)
      return outcome;
    const wait = Math.min(pacing.maxBackoffMs, pacing.backoffMs * 2 ** (attempt - 1));
    await pacing.sleep(wait / 2 + Math.random() * (wait / 2));
  }
}

/**
 * Whether Stripe's summary of the record's hour holds its value already (the summary may be read; else no). The
 * hour's bounds, never the event's timestamp (a period start inside the hour): with `value_grouping_window=hour`
 * each summary spans one clock hour, `start_time` on the hour (Stripe API reference, "List billing meter event
 * summaries", its example), so the hour's summary is keyed by the hour's start whatever minute the event carries.
 */
async function heldByStripe(run: Run, record: BillingRecord): Promise<boolean> {
  const start = Math.floor(hourStartOf(record.hour.slice(0, 13)) / 1000);
  try {
    const values = await run.input.sender.hourValues(
      record.eventName,
      record.customer,
      start,
      start + 3600,
    );
    return (values.get(start) ?? 0) >= record.value;
  } catch {
    return false;
  }
}
