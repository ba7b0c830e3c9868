import type { HourItem, MinuteItem, StoredItem } from './usage-items.js';
import {
  type DayView,
  num,
  type Peers,
  type StoredView,
  type TenantUsage,
} from './tenant-usage.js';

// What the limits see of a tenant from the ledger's items: the other instances' counts apart from `instance`'s own
// (read back as its base), and the sums with what this process counted live. Pure: the meter reads, these add up.

/**
 * The other instances' `minute` items of `minute`: their requests and each caller's.
 *
 * @example
 * ```ts
 * const others = peersOf(await store.minutes('contoso', minute), minute, meter.instance);
 * ```
 */
export function peersOf(items: readonly MinuteItem[], minute: string, instance: string): Peers {
  const users: Record<string, number> = {};
  let requests = 0;
  for (const item of items) {
    if (item.instance === instance) continue;
    requests += num(item.requests);
    for (const [u, n] of Object.entries(item.users ?? {})) users[u] = (users[u] ?? 0) + num(n);
  }
  return { minute, requests, users };
}

/**
 * The RU of `day` in the others' `hour` items, and `instance`'s own by hour.
 *
 * @example
 * ```ts
 * const view = dayViewOf(await store.hours('contoso', '2026-03-01T00:00:00.000Z'), '2026-03-01', 'i-1');
 * ```
 */
export function dayViewOf(items: readonly HourItem[], day: string, instance: string): DayView {
  let others = 0;
  const mine = new Map<string, number>();
  for (const item of items) {
    if (!item.hour.startsWith(day)) continue;
    if (item.instance === instance) mine.set(item.hour.slice(0, 13), num(item.ru));
    else others += num(item.ru);
  }
  return { others, mine };
}

/**
 * The RU of `day` over every instance: the others', this one's base and what it counted live.
 *
 * @example
 * ```ts
 * const ru = dayOf(t, '2026-03-01', view);
 * ```
 */
export function dayOf(t: TenantUsage, day: string, view: DayView): number {
  let ru = view.others;
  // Hours of this instance's own ledger items (its totals before this process) not counted live here…
  for (const [h, before] of view.mine)
    if (!t.hours.has(h) && h.startsWith(day)) ru += t.hourBase.get(h)?.ru ?? before;
  // …and the hours counted live, on their base (read back before this instance's first flush of the hour).
  for (const [h, live] of t.hours)
    if (h.startsWith(day)) ru += (t.hourBase.get(h)?.ru ?? view.mine.get(h) ?? 0) + live.ru;
  return ru;
}

/**
 * The bytes in the others' `stored` items, and `instance`'s own.
 *
 * @example
 * ```ts
 * const view = storedViewOf(await store.stored('contoso'), 'i-1');
 * ```
 */
export function storedViewOf(items: readonly StoredItem[], instance: string): StoredView {
  let others = 0;
  let mine = 0;
  for (const item of items) {
    const n = num(item.itemBytes) + num(item.fileBytes);
    if (item.instance === instance) mine = n;
    else others += n;
  }
  return { others, mine };
}

/**
 * The bytes stored over every instance: the others', this one's base and what it counted live.
 *
 * @example
 * ```ts
 * const bytes = storedOf(t, view);
 * ```
 */
export function storedOf(t: TenantUsage, view: StoredView): number {
  const base = t.bytesBase ? t.bytesBase.itemBytes + t.bytesBase.fileBytes : view.mine;
  return view.others + base + t.bytes.itemBytes + t.bytes.fileBytes;
}
