import type { MeterKey } from '../../model/billing.js';
import type { MarketplaceLink } from '../../contract/marketplace/marketplace-link.js';
import type { HourCounts } from '../usage/usage-items.js';
import { hourKeyAt, hourStartOf, meterValues, monthStartOf } from '../billing/meter-values.js';

const HOUR_MS = 3_600_000;

/**
 * Where the billing term holding the hour starting at `ms` began: the subscription's current term, else the one
 * before its last renewal, else (no term known) the UTC month — what a plan's included quantity is counted over
 * ("only send usage events … above the base fee": Learn, "Marketplace metered billing APIs").
 *
 * @example
 * ```ts
 * termStartOf(link, Date.parse('2026-11-25T10:00:00Z')); // Date.parse(link.term.startDate) when inside that term
 * ```
 */
export function termStartOf(
  link: Pick<MarketplaceLink, 'term' | 'previousTerm'>,
  ms: number,
): number {
  for (const term of [link.term, link.previousTerm]) {
    if (!term) continue;
    const start = Date.parse(term.startDate);
    if (ms >= start) return Math.floor(start / HOUR_MS) * HOUR_MS;
  }
  return monthStartOf(ms);
}

/**
 * The hour a subscription was activated in (`hour`, its key), with the usage the ledger held of it at the activation
 * (`baseline`, per meter: `MarketplaceLink.activationHourBaseline`) and the share of the hour before it (`share`,
 * 0 to 1).
 */
export interface ActivationHour {
  readonly hour: string;
  readonly baseline: Readonly<Partial<Record<MeterKey, number>>>;
  readonly share: number;
}

/**
 * What of the activation hour's `value` on `m` came after the activation: a counted meter's value less the baseline
 * (never below 0), the stored GB-hours' the share of the hour after it, rounded down (the ledger values an hour's
 * storage by its bytes at the hour's end: what was stored before the activation stays stored after it, so only
 * time divides it). Either way, what is unsure is not billed.
 *
 * @example
 * ```ts
 * afterActivation(110, 'requests', { hour: '2026-11-25T10', baseline: { requests: 60 }, share: 0.25 }); // 50
 * afterActivation(8, 'storedGbHours', { hour: '2026-11-25T10', baseline: {}, share: 0.25 }); // 6
 * ```
 */
export function afterActivation(value: number, m: MeterKey, a: ActivationHour): number {
  if (m === 'storedGbHours') return Math.floor(value * (1 - Math.min(1, Math.max(0, a.share))));
  return Math.max(0, value - (a.baseline[m] ?? 0));
}

/**
 * Each due hour's quantity on each meter above what the plan includes: an hour sends what the term's running total
 * gained in it past `included` (`max(0, after − included) − max(0, before − included)`), so a term's events add up to
 * its usage above the included quantity, whatever hours it fell in — the hour of `activation` only with what came after
 * it ({@link afterActivation}), in its event and in the running total alike. The hours' values are the Stripe export's
 * (runtime/billing/meter-values.ts: whole requests, RU and GB-hours carried within the month) — the same ledger, the
 * same numbers. `hours` must hold every ledger hour from the earliest term start on; `from`/`to` are hour keys (`to`
 * excluded).
 *
 * @example
 * ```ts
 * aboveIncluded(hourTotals(items), 0, ['requests'], '2026-11-25T10', '2026-11-25T12', (ms) => termStart, { requests: 100 });
 * ```
 */
export function aboveIncluded(
  hours: ReadonlyMap<string, HourCounts>,
  storedNow: number,
  meters: readonly MeterKey[],
  from: string,
  to: string,
  periodStartOf: (ms: number) => number,
  included: Readonly<Partial<Record<MeterKey, number>>>,
  activation?: ActivationHour,
): Map<string, Map<MeterKey, number>> {
  const out = new Map<string, Map<MeterKey, number>>();
  const first = hourStartOf(from);
  const end = hourStartOf(to);
  if (!(end > first)) return out;
  let earliest = first;
  for (let t = first; t < end; t += HOUR_MS) earliest = Math.min(earliest, periodStartOf(t));
  const values = meterValues(hours, storedNow, meters, hourKeyAt(earliest), to);
  const valueAt = (u: number, m: MeterKey): number => {
    const v = values.get(hourKeyAt(u))?.get(m) ?? 0;
    return activation && hourKeyAt(u) === activation.hour ? afterActivation(v, m, activation) : v;
  };
  for (let t = first; t < end; t += HOUR_MS) {
    const start = periodStartOf(t);
    const row = new Map<MeterKey, number>();
    for (const m of meters) {
      let before = 0;
      for (let u = start; u < t; u += HOUR_MS) before += valueAt(u, m);
      const after = before + valueAt(t, m);
      const inc = included[m] ?? 0;
      row.set(m, Math.max(0, after - inc) - Math.max(0, before - inc));
    }
    out.set(hourKeyAt(t), row);
  }
  return out;
}
