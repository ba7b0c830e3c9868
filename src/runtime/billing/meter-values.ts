import type { MeterKey } from '../../model/billing.js';
import { type HourCounts, zeroHour } from '../usage/usage-items.js';
import { add, num } from '../usage/tenant-usage.js';

// What one tenant's hours are worth on each meter, from the ledger alone (pure: items in, values out), so the timer,
// `atakora usage export` and `--billing` compute the same value for the same ledger.

const HOUR_MS = 3_600_000;
const GIB = 1024n ** 3n;

/** The UTC hour key (`YYYY-MM-DDTHH`) of the hour starting at `ms`. */
export const hourKeyAt = (ms: number): string => new Date(ms).toISOString().slice(0, 13);

/** The start (ms) of the hour `key` (`YYYY-MM-DDTHH`). */
export const hourStartOf = (key: string): number => Date.parse(`${key}:00:00.000Z`);

/**
 * The `timestamp` (seconds) of an hour's meter event: the hour's start, or — when the subscription's current billing
 * period starts inside that hour (`periodStart`, ISO) — the period's start. A meter aggregates its events "over a
 * billing period" (Stripe API reference, "Meters"; "Sum: Bill based on the sum of all usage values for the billing
 * period", "Record usage for billing"), an event belonging to the period its timestamp falls in: the hour a
 * subscription starts in, stamped at the hour's start, falls before the first period and is never billed (as
 * Stripe's own preview showed on a first real deploy). Stamped at the period's start, the whole hour is billed in the first
 * period (the ledger counts by the hour: its minutes before the start go with it). A renewal inside an hour sends
 * that hour to the new, open period rather than to the one whose invoice Stripe is finalizing (its finalization
 * grace period is one hour by default, "Configure an invoice finalization grace period", and the export sends an hour
 * 10 minutes after it ends). Stripe takes a timestamp "within the past 35 calendar days" and "up to 5 minutes in the
 * future" (API reference, "Create a billing meter event", `timestamp`): a period start read from Stripe has
 * happened already, and it lies inside an hour the export still sends.
 *
 * @example
 * ```ts
 * eventTimestamp('2026-11-25T10'); // 1795600800 (10:00)
 * eventTimestamp('2026-11-25T10', '2026-11-25T10:23:45.000Z'); // 1795602225 (10:23:45)
 * eventTimestamp('2026-11-25T10', '2026-11-01T00:00:00.000Z'); // 1795600800 (a period started before the hour)
 * ```
 */
export function eventTimestamp(hour: string, periodStart?: string): number {
  const start = hourStartOf(hour);
  const period = periodStart === undefined ? Number.NaN : Date.parse(periodStart);
  if (!(period > start && period < start + HOUR_MS)) return start / 1000;
  // Stripe's periods are whole seconds; a fraction is rounded up, and never past the hour's last second.
  return Math.min(Math.ceil(period / 1000), (start + HOUR_MS) / 1000 - 1);
}

/** The start (ms) of the UTC month holding `ms`. */
export const monthStartOf = (ms: number): number => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};

/**
 * A tenant's `hour` items (every instance's) summed by hour key.
 *
 * @example
 * ```ts
 * hourTotals([{ hour: '2026-11-25T10:00:00.000Z', requests: 3 }, { hour: '2026-11-25T10:00:00.000Z', requests: 2 }])
 *   .get('2026-11-25T10')?.requests; // 5
 * ```
 */
export function hourTotals(
  items: readonly Readonly<Record<string, unknown>>[],
): Map<string, HourCounts> {
  const out = new Map<string, HourCounts>();
  for (const item of items) {
    const hour = item['hour'];
    if (typeof hour !== 'string' || hour.length < 13) continue;
    const key = hour.slice(0, 13);
    out.set(
      key,
      add(out.get(key) ?? zeroHour(), {
        requests: num(item['requests']),
        refused: num(item['refused']),
        ru: num(item['ru']),
        messages: num(item['messages']),
        itemBytes: num(item['itemBytes']),
        fileBytes: num(item['fileBytes']),
      }),
    );
  }
  return out;
}

/**
 * Each hour's whole value on each meter, for the hours from `from` to `to` (hour keys, `to` excluded), as Stripe
 * takes them: "The numerical usage value in the payload only accepts whole number values" (Stripe, "Record usage for
 * billing with the API", Usage values). Requests and realtime messages are whole already. Request units (the ledger
 * keeps two decimals) and stored GB-hours are carried within the UTC month: an hour sends the whole units the
 * month's running total gained in it, so a month's events add up to its total, less under one unit — never a fraction
 * lost each hour. Stored bytes at an hour's end are the tenant's stored bytes now less what each later hour added
 * (the `stored` items and the hours' signed byte counts, docs/tenants.md "The usage ledger"), in GiB.
 *
 * `hours` must hold every hour of the ledger from the start of `from`'s month to now.
 *
 * @example
 * ```ts
 * const values = meterValues(hourTotals(items), storedBytes, ['requests'], '2026-11-25T10', '2026-11-25T12');
 * values.get('2026-11-25T10')?.get('requests'); // the requests of that hour
 * ```
 */
export function meterValues(
  hours: ReadonlyMap<string, HourCounts>,
  storedNow: number,
  meters: readonly MeterKey[],
  from: string,
  to: string,
): Map<string, Map<MeterKey, number>> {
  const out = new Map<string, Map<MeterKey, number>>();
  const start = monthStartOf(hourStartOf(from));
  const end = hourStartOf(to);
  if (!(end > hourStartOf(from))) return out;
  // Bytes added in hours at or after `end` (the open hour and anything later), then walked back hour by hour.
  let laterBytes = 0;
  for (const [key, c] of hours)
    if (hourStartOf(key) >= end) laterBytes += c.itemBytes + c.fileBytes;
  const endBytes = new Map<number, number>();
  for (let t = end - HOUR_MS; t >= start; t -= HOUR_MS) {
    endBytes.set(t, Math.max(0, storedNow - laterBytes));
    const c = hours.get(hourKeyAt(t));
    if (c) laterBytes += c.itemBytes + c.fileBytes;
  }
  let month = -1;
  let centiRu = 0;
  let byteHours = 0n;
  for (let t = start; t < end; t += HOUR_MS) {
    if (monthStartOf(t) !== month) {
      month = monthStartOf(t);
      centiRu = 0;
      byteHours = 0n;
    }
    const c = hours.get(hourKeyAt(t)) ?? zeroHour();
    const ruBefore = Math.floor(centiRu / 100);
    centiRu += Math.max(0, Math.round(c.ru * 100));
    const gbBefore = byteHours / GIB;
    byteHours += BigInt(Math.trunc(endBytes.get(t) ?? 0));
    if (t < hourStartOf(from)) continue;
    const values = new Map<MeterKey, number>();
    for (const m of meters)
      values.set(
        m,
        m === 'requests'
          ? Math.max(0, Math.round(c.requests))
          : m === 'realtimeMessages'
            ? Math.max(0, Math.round(c.messages))
            : m === 'requestUnits'
              ? Math.floor(centiRu / 100) - ruBefore
              : Number(byteHours / GIB - gbBefore),
      );
    out.set(hourKeyAt(t), values);
  }
  return out;
}
