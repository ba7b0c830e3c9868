import { BILLING_GRACE_MS, METER_KEYS } from '../../model/billing.js';
import { MARKETPLACE_BATCH_SIZE, MARKETPLACE_WINDOW_MS } from '../../model/marketplace.js';
import type { RuntimeMarketplace } from '../../model/runtime-manifest.js';
import type { MarketplaceLink } from '../../contract/marketplace/marketplace-link.js';
import type { TenantRecord } from '../../contract/tenants.js';
import { meteringChannelOf } from '../../contract/marketplace/billing-channel.js';
import { num } from '../usage/tenant-usage.js';
import { hourKeyAt, hourStartOf, hourTotals } from '../billing/meter-values.js';
import {
  MarketplaceCallError,
  type MarketplaceClient,
  type UsageEvent,
} from './marketplace-port.js';
import { type MeteringRecord, meteringRecordId, type MeteringStore } from './metering-store.js';
import { aboveIncluded, type ActivationHour, termStartOf } from './metering-values.js';
import { organizationGone } from './organization-billing.js';
import type { PurchaseClaims } from './purchase-claims.js';

const HOUR_MS = 3_600_000;

/** What one run did, as the timer logs it and `atakora usage export` prints it. */
export interface MeteringReport {
  /** Events Marketplace accepted in this run. */
  sent: number;
  /** Events resent after a kill or a 5xx that Marketplace held already (`Duplicate`: delivered before). */
  duplicates: number;
  /** Events left `sending` for a later run (a 5xx, no answer, the run stopped). */
  pending: number;
  /** Events Marketplace refused (`Expired`, `ResourceNotActive`, `InvalidDimension`, …): kept with its status. */
  refused: number;
  /** `batchUsageEvent` calls made (each at most 25 events). */
  calls: number;
  /** Subscriptions linked and `Subscribed`, whose usage was read. */
  subscriptions: number;
  stopped?: string;
  /** The closed hours considered: those that started within Marketplace's 24 hours, less one for the run. */
  from: string;
  to: string;
}

/** What a run needs: the offer, where it reads and writes, Marketplace, its clock and its log. */
export interface MeteringInput {
  readonly marketplace: RuntimeMarketplace;
  readonly claims: PurchaseClaims;
  readonly read: (organization: string) => Promise<TenantRecord | undefined>;
  readonly store: MeteringStore;
  readonly client: MarketplaceClient;
  readonly now?: () => number;
  /** Send the hour in progress too, as if it had closed (`atakora usage export --local --close-hour`: dev only). */
  readonly closeOpenHour?: boolean;
  readonly log?: (line: Record<string, unknown>) => void;
}

/**
 * The hours a run at `now` may send: each closed UTC hour that ended at least 10 minutes ago (the instances' last
 * flushes are in) and that started within Marketplace's window ("Usage events can only be emitted for the past 24
 * hours", Learn), less an hour of margin for the run itself. Hour keys, `to` excluded.
 *
 * @example
 * ```ts
 * meteringHours(Date.parse('2026-11-25T11:10:00Z')); // { from: '2026-11-24T12', to: '2026-11-25T11' }
 * ```
 */
export function meteringHours(now: number, closeOpenHour = false): { from: string; to: string } {
  const to = closeOpenHour
    ? (Math.floor(now / HOUR_MS) + 1) * HOUR_MS
    : Math.floor((now - BILLING_GRACE_MS) / HOUR_MS) * HOUR_MS;
  const from = Math.ceil((now - MARKETPLACE_WINDOW_MS + HOUR_MS) / HOUR_MS) * HOUR_MS;
  return { from: hourKeyAt(from), to: hourKeyAt(Math.max(from, to)) };
}

/** A pending event and the record it is sent for. */
interface Pending {
  readonly record: MeteringRecord;
  readonly event: UsageEvent;
}

/**
 * Send every due hour of every organization a `Subscribed` Marketplace subscription bills, per declared dimension,
 * as usage events (DESIGN §2): one per subscription, dimension and closed hour, within the 24 hours, only above the
 * plan's included quantity (metering-values.ts), never usage before the activation (its hour billed less what the
 * ledger held of it at the activation, its event stamped at the activation), at most 25 a `batchUsageEvent` call — exactly once: a record is written `sending` before its
 * event goes out and `sent` once Marketplace answers `Accepted` (or `Duplicate`: it holds that subscription,
 * dimension and hour already — a run killed after the call, or a 5xx after Marketplace took it), so a resend is
 * harmless and nothing is sent twice or lost. A 5xx or no answer leaves the batch `sending` for the next run (three
 * such calls in a row end the run); a refused app (401/403) ends it at once.
 *
 * @example
 * ```ts
 * const report = await exportMarketplaceUsage({ marketplace, claims, read, store, client });
 * ```
 */
export async function exportMarketplaceUsage(input: MeteringInput): Promise<MeteringReport> {
  const now = (input.now ?? Date.now)();
  const due = meteringHours(now, input.closeOpenHour === true);
  const report: MeteringReport = {
    sent: 0,
    duplicates: 0,
    pending: 0,
    refused: 0,
    calls: 0,
    subscriptions: 0,
    from: `${due.from}:00:00.000Z`,
    to: `${due.to}:00:00.000Z`,
  };
  const pending: Pending[] = [];
  for (const [subscriptionId, claim] of await input.claims.all()) {
    const record = await input.read(claim.organization);
    const link = record?.marketplace;
    if (!record || organizationGone(record) || !link) continue;
    if (link.subscriptionId.toLowerCase() !== subscriptionId || link.status !== 'Subscribed')
      continue;
    // One channel meters an organization (billing-channel.ts): never beside a live Stripe subscription.
    if (meteringChannelOf(record) !== 'marketplace') continue;
    report.subscriptions++;
    pending.push(...(await organizationEvents(input, record, link, due, now)));
  }
  let failures = 0;
  for (let i = 0; i < pending.length && report.stopped === undefined; i += MARKETPLACE_BATCH_SIZE) {
    const batch = pending.slice(i, i + MARKETPLACE_BATCH_SIZE);
    const failed = await sendBatch(input, batch, report, now);
    failures = failed ? failures + 1 : 0;
    if (failed === 'stop' || failures >= 3)
      report.stopped = `Azure Marketplace ${failed === 'stop' ? 'refused the fulfillment app' : 'unavailable'}`;
  }
  report.pending +=
    pending.length - Math.min(pending.length, report.calls * MARKETPLACE_BATCH_SIZE);
  if (report.stopped !== undefined)
    input.log?.({ event: 'marketplace-metering-stopped', reason: report.stopped });
  return report;
}

/** One organization's events due: records still `sending` (as first written) and new hours above the included. */
async function organizationEvents(
  input: MeteringInput,
  record: TenantRecord,
  link: MarketplaceLink,
  due: { from: string; to: string },
  now: number,
): Promise<Pending[]> {
  const meters = METER_KEYS.filter((m) => input.marketplace.dimensions[m] !== undefined);
  if (meters.length === 0 || link.activatedOn === undefined) return [];
  // Billing starts at activation, in the hour it falls in, from the activation on: the ledger counts by the hour, so
  // that hour is billed less the baseline the landing read of it with the activation (activation-baseline.ts). Its
  // event is stamped at the activation — "effectiveStartTime: Time in UTC when the usage event occurred" (Learn,
  // "Marketplace metered billing APIs") — never before the subscription began. Without a baseline (a link activated
  // before one was kept, or its read failed) billing starts at the next hour: usage before activation never billed.
  const activated = Date.parse(link.activatedOn);
  const baseline = link.activationHourBaseline;
  const first = (baseline ? Math.floor : Math.ceil)(activated / HOUR_MS) * HOUR_MS;
  const from = hourKeyAt(Math.max(hourStartOf(due.from), first));
  if (from >= due.to) return [];
  // Counted from activation: usage before it (the hours before, and the activation hour's baseline: a trial on our
  // side, the landing's first requests) is no part of the term's included quantity — never billed, it uses none.
  const periodOf = (ms: number) => Math.max(termStartOf(link, ms), first);
  const activation: ActivationHour | undefined = baseline
    ? { hour: hourKeyAt(first), baseline, share: (activated - first) / HOUR_MS }
    : undefined;
  const ledger = await input.store.ledger(
    record.id,
    new Date(periodOf(hourStartOf(from))).toISOString(),
  );
  const storedNow = ledger.stored.reduce(
    (s, i) => s + num(i['itemBytes']) + num(i['fileBytes']),
    0,
  );
  const included = input.marketplace.included[record.plan] ?? {};
  const values = aboveIncluded(
    hourTotals(ledger.hours),
    storedNow,
    meters,
    from,
    due.to,
    periodOf,
    included,
    activation,
  );
  const held = new Map(ledger.records.map((r) => [r.id, r]));
  const out: Pending[] = [];
  for (const r of ledger.records)
    if (r.state === 'sending' && r.subscriptionId === link.subscriptionId) {
      // Outside Marketplace's 24 hours it can take it no more: refused as Expired (`--check` says if it arrived).
      if (now - Date.parse(r.hour) >= MARKETPLACE_WINDOW_MS) {
        await input.store.replace({ ...r, state: 'refused', status: 'Expired' });
        continue;
      }
      out.push({ record: r, event: eventOf(r) });
    }
  for (const [hour, byMeter] of values)
    for (const [meter, quantity] of byMeter) {
      if (quantity <= 0 || held.has(meteringRecordId(hour, meter))) continue;
      const r: MeteringRecord = {
        id: meteringRecordId(hour, meter),
        tenant: record.id,
        kind: 'marketplace',
        hour: `${hour}:00:00.000Z`,
        meter,
        dimension: input.marketplace.dimensions[meter] ?? '',
        subscriptionId: link.subscriptionId,
        planId: link.planId,
        quantity,
        state: 'sending',
        attempts: 0,
        createdOn: new Date(now).toISOString(),
        ...(hourStartOf(hour) < activated ? { startTime: link.activatedOn } : {}),
      };
      if ((await input.store.create(r)) === 'created') out.push({ record: r, event: eventOf(r) });
    }
  return out;
}

/**
 * The usage event of a record: the subscription as `resourceId`, as `effectiveStartTime` the hour's start — or, for
 * the hour of activation, the activation (whole seconds, within that hour: Marketplace keeps one event an hour).
 */
const eventOf = (r: MeteringRecord): UsageEvent => ({
  resourceId: r.subscriptionId,
  quantity: r.quantity,
  dimension: r.dimension,
  effectiveStartTime:
    r.startTime !== undefined && r.startTime.slice(0, 13) === r.hour.slice(0, 13)
      ? `${r.startTime.slice(0, 19)}Z`
      : `${r.hour.slice(0, 13)}:00:00Z`,
  planId: r.planId,
});

// Statuses that mean Marketplace holds the event; and those it will never take (refused for good).
const HELD = new Set(['Accepted', 'Duplicate']);
const RETRY = new Set(['Error']);

/** One `batchUsageEvent` call and what became of each record; `true` for a failed call, `'stop'` for a refused app. */
async function sendBatch(
  input: MeteringInput,
  batch: readonly Pending[],
  report: MeteringReport,
  now: number,
): Promise<boolean | 'stop'> {
  report.calls++;
  let results;
  try {
    results = await input.client.batchUsage(batch.map((p) => p.event));
  } catch (e) {
    const err = e instanceof MarketplaceCallError ? e : undefined;
    for (const p of batch)
      await input.store.replace({
        ...p.record,
        attempts: p.record.attempts + 1,
        status: err ? String(err.status ?? 'no answer') : 'error',
      });
    report.pending += batch.length;
    input.log?.({ event: 'marketplace-batch-failed', status: err?.status, message: err?.message });
    return err && !err.retryable ? 'stop' : true;
  }
  const key = (e: { resourceId: string; dimension: string; effectiveStartTime: string }) =>
    `${e.resourceId.toLowerCase()}|${e.dimension}|${e.effectiveStartTime.slice(0, 13)}`;
  const byKey = new Map(results.map((r) => [key(r), r]));
  for (const p of batch) {
    const r = byKey.get(key(p.event));
    const attempts = p.record.attempts + 1;
    if (r && HELD.has(r.status)) {
      report[r.status === 'Accepted' ? 'sent' : 'duplicates']++;
      await input.store.replace({
        ...p.record,
        state: 'sent',
        attempts,
        status: r.status,
        sentOn: new Date(now).toISOString(),
      });
    } else if (!r || RETRY.has(r.status)) {
      report.pending++;
      await input.store.replace({ ...p.record, attempts, status: r?.status ?? 'no result' });
    } else {
      report.refused++;
      input.log?.({
        event: 'marketplace-event-refused',
        tenant: p.record.tenant,
        status: r.status,
      });
      await input.store.replace({ ...p.record, state: 'refused', attempts, status: r.status });
    }
  }
  return false;
}
