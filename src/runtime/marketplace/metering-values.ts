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
 * Each due hour's quantity on each meter above what the plan includes: an hour sends what the term's running total
 * gained in it past `included` (`max(0, after − included) − max(0, before − included)`), so a term's events add up to
 * its usage above the included quantity, whatever hours it fell in. The hours' values are the Stripe export's
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
): Map<string, Map<MeterKey, number>> {
  const out = new Map<string, Map<MeterKey, number>>();
  const first = hourStartOf(from);
  const end = hourStartOf(to);
  if (!(end > first)) return out;
  let earliest = first;
  for (let t = first; t < end; t += HOUR_MS) earliest = Math.min(earliest, periodStartOf(t));
  const values = meterValues(hours, storedNow, meters, hourKeyAt(earliest), to);
  for (let t = first; t < end; t += HOUR_MS) {
    const start = periodStartOf(t);
    const row = new Map<MeterKey, number>();
    for (const m of meters) {
      let before = 0;
      for (let u = start; u < t; u += HOUR_MS) before += values.get(hourKeyAt(u))?.get(m) ?? 0;
      const after = before + (values.get(hourKeyAt(t))?.get(m) ?? 0);
      const inc = included[m] ?? 0;
      row.set(m, Math.max(0, after - inc) - Math.max(0, before - inc));
    }
    out.set(hourKeyAt(t), row);
  }
  return out;
}
