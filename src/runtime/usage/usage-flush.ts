import {
  type HourCounts,
  hourItem,
  hourKey,
  minuteItem,
  storedItem,
  type UsageItem,
  zeroHour,
} from './usage-items.js';
import type { UsageStore } from './usage-store.js';
import { add, num, type TenantUsage } from './tenant-usage.js';

/** What a flush needs of its meter: the ledger, the instance it writes as, its clock and error sink. */
export interface FlushTarget {
  readonly store: UsageStore;
  readonly instance: string;
  readonly now: () => number;
  readonly onError: (error: unknown) => void;
}

/**
 * Write `t`'s changed totals of `tenant` as `to.instance`'s absolute items (its hours, stored bytes and minute), in
 * one batch: what changed meanwhile stays changed, a failed write leaves everything changed for the next flush.
 *
 * @example
 * ```ts
 * await writeTenant({ store, instance: 'i-1', now: Date.now, onError: console.warn }, 'contoso', t);
 * ```
 */
export async function writeTenant(to: FlushTarget, tenant: string, t: TenantUsage): Promise<void> {
  const current = hourKey(to.now());
  const hours = [...t.dirtyHours];
  const withBytes = t.bytesDirty;
  const withMinute = t.minuteDirty;
  t.dirtyHours.clear();
  t.bytesDirty = false;
  t.minuteDirty = false;
  try {
    const items: UsageItem[] = [];
    for (const h of hours) {
      const base = await hourBase(to, tenant, t, h);
      items.push(hourItem(tenant, h, to.instance, add(base, t.hours.get(h) ?? zeroHour())));
    }
    if (withBytes) {
      const base = await bytesBase(to, tenant, t);
      items.push(
        storedItem(tenant, to.instance, {
          itemBytes: base.itemBytes + t.bytes.itemBytes,
          fileBytes: base.fileBytes + t.bytes.fileBytes,
        }),
      );
    }
    if (withMinute && t.minute !== '')
      items.push(
        minuteItem(
          tenant,
          t.minute,
          to.instance,
          t.minuteRequests,
          Object.fromEntries(t.minuteUsers),
        ),
      );
    if (items.length > 0) await to.store.write(tenant, items);
    // An hour that is over and written needs nothing more of this process.
    for (const h of hours)
      if (h < current && !t.dirtyHours.has(h)) {
        t.hours.delete(h);
        t.hourBase.delete(h);
      }
  } catch (e) {
    for (const h of hours) t.dirtyHours.add(h);
    if (withBytes) t.bytesDirty = true;
    if (withMinute) t.minuteDirty = true;
    to.onError(e);
  }
}

/** `to.instance`'s totals of hour `h` written before this process (read once, then held). */
async function hourBase(
  to: FlushTarget,
  tenant: string,
  t: TenantUsage,
  h: string,
): Promise<HourCounts> {
  const held = t.hourBase.get(h);
  if (held) return held;
  const item = await to.store.read(tenant, `hour:${h}:${to.instance}`);
  const base: HourCounts = {
    requests: num(item?.requests),
    refused: num(item?.refused),
    ru: num(item?.ru),
    messages: num(item?.messages),
    itemBytes: num(item?.itemBytes),
    fileBytes: num(item?.fileBytes),
  };
  t.hourBase.set(h, base);
  return base;
}

/** `to.instance`'s stored bytes written before this process (read once, then held). */
async function bytesBase(
  to: FlushTarget,
  tenant: string,
  t: TenantUsage,
): Promise<{ itemBytes: number; fileBytes: number }> {
  if (t.bytesBase) return t.bytesBase;
  const item = await to.store.read(tenant, `stored:${to.instance}`);
  t.bytesBase = { itemBytes: num(item?.itemBytes), fileBytes: num(item?.fileBytes) };
  return t.bytesBase;
}
