import type { RoomStore } from './room-store.js';
import { randomUUID } from 'node:crypto';
import { dayOf, storedOf } from './ledger-views.js';
import { LedgerReads } from './ledger-reads.js';
import { nowOrLater } from '../values/now-or-later.js';
import { type MinuteOthers, TenantUsage, add, num } from './tenant-usage.js';
import { dayKey, type HourCounts, hourKey, zeroHour } from './usage-items.js';
import { type FlushTarget, writeTenant } from './usage-flush.js';
import type { UsageStore } from './usage-store.js';

export type { MinuteOthers } from './tenant-usage.js';

/**
 * How a {@link UsageMeter} runs: its instance id, clock, flush and read intervals.
 *
 * @example
 * ```ts
 * const meter = new UsageMeter(store, { instance: 'i-1', flushIntervalMs: 0 }); // flushed by the test
 * ```
 */
export interface UsageMeterOptions {
  /** Default `WEBSITE_INSTANCE_ID`, else a random id per process (`atakora dev`, tests). */
  readonly instance?: string;
  readonly now?: () => number;
  /** Default 1,000 ms: at most one write per tenant per interval. 0 → no timer (call `flush()`). */
  readonly flushIntervalMs?: number;
  /**
   * Default 1,000 ms: how old the other instances' counts the limits read may be, per tenant (an admission near a
   * rate bound reads them afresh whatever this says).
   */
  readonly readIntervalMs?: number;
  /** A failed flush or read (retried next tick); default: nothing (the request never sees it). */
  readonly onError?: (error: unknown) => void;
  /**
   * The counts of the plans' seats and items (usage/room-store.ts: in the ledger's container), kept beside the
   * meter so every door that meets the ledger meets them too; none → nothing counted.
   */
  readonly rooms?: RoomStore;
}

/** The meter's defaults: one write per tenant per second per instance, the others' counts read each second. */
export const USAGE_METER_DEFAULTS = { flushIntervalMs: 1000, readIntervalMs: 1000 } as const;

/** This UTC minute's requests of a tenant and of one caller over every instance, and the minute's key and start. */
export interface MinuteCount {
  readonly minute: string;
  readonly minuteStart: number;
  readonly tenant: number;
  readonly user: number;
}

/** A failed flush or read, logged at most once a minute (the next tick retries it; requests never wait on it). */
function warnAtMostEachMinute(): (error: unknown) => void {
  let last = -Infinity;
  return (error) => {
    const now = Date.now();
    if (now - last < 60_000) return;
    last = now;
    console.warn(
      JSON.stringify({
        event: 'usage-ledger-unavailable',
        detail: error instanceof Error ? error.message : String(error),
      }),
    );
  };
}

/**
 * One instance's usage meter: counts per tenant and UTC hour (requests — refused ones too —, refused, RU, realtime
 * messages, bytes added minus removed), the running stored bytes, and the UTC minute's requests per tenant and
 * caller for the rate limits; flushed to the ledger as this instance's absolute totals, upserted whole, at most
 * once per tenant per `flushIntervalMs`, never on a request's path. A failed flush is retried on the next tick;
 * a crash loses what was counted since the last flush (at most one interval). Totals written before this process
 * (same `WEBSITE_INSTANCE_ID` after a restart) are read back once and added, never overwritten.
 *
 * The limits read the other instances' counts from views read at most once per `readIntervalMs` per tenant
 * ({@link minuteOthers}, {@link dayRu}, {@link storedBytes}), or, for an admission near a rate bound, from a read
 * that starts after the request arrived ({@link readMinuteOthers}): with each instance flushing every second, such
 * an admission misses at most the last second of the others' traffic (docs/tenants.md, "Across instances, and the
 * overshoot").
 *
 * @example
 * ```ts
 * const meter = new UsageMeter(cosmosUsageStore(container));
 * meter.request('contoso', { refused: false, ru: 2.83 });
 * await meter.flush();
 * ```
 */
export class UsageMeter {
  readonly instance: string;
  /**
   * Bytes reserved per tenant by this instance's writes under way (limits/storage-quota.ts): held under the
   * storage quota until each write settles or releases them.
   */
  readonly reserved = new Map<string, number>();
  /** The counts of the plans' seats and items ({@link UsageMeterOptions.rooms}). */
  readonly rooms: RoomStore | undefined;
  private readonly tenants = new Map<string, TenantUsage>();
  /** The clock the ledger and the counts read (tests move it). */
  readonly now: () => number;
  /** How often this instance writes what it counted: how far behind the ledger is of the instances' requests. */
  readonly flushIntervalMs: number;
  private readonly onError: (error: unknown) => void;
  private timer: NodeJS.Timeout | undefined;
  /** What a flush writes with (usage-flush.ts). */
  private readonly target: FlushTarget;
  /** The other instances' counts, as the limits read them (ledger-reads.ts). */
  private readonly reads: LedgerReads;

  constructor(
    readonly store: UsageStore,
    options: UsageMeterOptions = {},
  ) {
    this.instance =
      options.instance ?? (process.env.WEBSITE_INSTANCE_ID?.trim() || `p-${randomUUID()}`);
    this.now = options.now ?? Date.now;
    this.rooms = options.rooms;
    this.flushIntervalMs = options.flushIntervalMs ?? USAGE_METER_DEFAULTS.flushIntervalMs;
    this.onError = options.onError ?? warnAtMostEachMinute();
    this.target = { store, instance: this.instance, now: this.now, onError: this.onError };
    this.reads = new LedgerReads({
      ...this.target,
      readIntervalMs: options.readIntervalMs ?? USAGE_METER_DEFAULTS.readIntervalMs,
    });
  }

  /** The meter's clock (ms since the epoch): the limits' windows are this clock's. */
  clock(): number {
    return this.now();
  }

  /** One request of `tenant` answered: counted in its hour (`refused` when answered 4xx/5xx), with its RU. */
  request(tenant: string, outcome: { readonly refused: boolean; readonly ru: number }): void {
    const c = this.usage(tenant).hour(hourKey(this.now()));
    c.requests++;
    if (outcome.refused) c.refused++;
    c.ru += outcome.ru;
    this.schedule();
  }

  /** `n` realtime messages sent to `tenant`. */
  messages(tenant: string, n: number): void {
    if (!(n > 0)) return;
    this.usage(tenant).hour(hourKey(this.now())).messages += n;
    this.schedule();
  }

  /** Bytes `tenant` stored (positive) or freed (negative), in items and in files. */
  bytes(tenant: string, delta: { readonly itemBytes?: number; readonly fileBytes?: number }): void {
    const item = Math.trunc(num(delta.itemBytes));
    const file = Math.trunc(num(delta.fileBytes));
    if (item === 0 && file === 0) return;
    const t = this.usage(tenant);
    const c = t.hour(hourKey(this.now()));
    c.itemBytes += item;
    c.fileBytes += file;
    t.bytes.itemBytes += item;
    t.bytes.fileBytes += file;
    t.bytesDirty = true;
    this.schedule();
  }

  /** A request of `tenant` by `user` admitted by the rate limits: counted in this UTC minute's window. */
  admit(tenant: string, user: string | undefined): void {
    const t = this.usage(tenant);
    t.roll(this.now());
    t.minuteRequests++;
    if (user !== undefined) t.minuteUsers.set(user, (t.minuteUsers.get(user) ?? 0) + 1);
    t.minuteDirty = true;
    this.schedule();
  }

  /**
   * The other instances' counts of `tenant` this UTC minute, from their last flushed `minute` items, read at most
   * once per `readIntervalMs`: synchronous while that read is fresh (most requests), a promise only when it is read
   * again. Pass it to {@link minuteCount} in the tick that decides.
   */
  minuteOthers(tenant: string): MinuteOthers | Promise<MinuteOthers> {
    const t = this.usage(tenant);
    t.roll(this.now());
    return this.reads.peers(tenant, t);
  }

  /**
   * The other instances' counts of `tenant` this UTC minute read by a ledger query started no earlier than this
   * call, by the meter's clock (so it holds every flush made before the caller arrived): one query for every request
   * that waits on it at once, one query in flight per tenant. What an admission near a bound reads (rateLimit); it
   * refreshes the view {@link minuteOthers} serves too. If the ledger cannot be read, the last view stands (a limit
   * never refuses because the ledger is down).
   */
  readMinuteOthers(tenant: string): Promise<MinuteOthers> {
    return this.reads.fresh(tenant, this.usage(tenant), this.now());
  }

  /**
   * This UTC minute's requests of `tenant` (and of `user`) over every instance: this instance's live count, exact at
   * the moment of the call, plus `others` (nothing of them when `others` is of another minute). Synchronous: a
   * decision made on it and the admission it leads to ({@link admit}) happen in one tick, so concurrent requests
   * of one instance never admit on a count that missed each other.
   */
  minuteCount(tenant: string, user: string | undefined, others: MinuteOthers): MinuteCount {
    const t = this.usage(tenant);
    t.roll(this.now());
    const seen = others.minute === t.minute;
    return {
      minute: t.minute,
      minuteStart: t.minuteStart,
      tenant: t.minuteRequests + (seen ? others.requests : 0),
      user:
        user === undefined
          ? 0
          : (t.minuteUsers.get(user) ?? 0) + (seen ? (others.users[user] ?? 0) : 0),
    };
  }

  /** The RU `tenant` spent this UTC day over every instance (the ledger's hours, this instance's live). */
  dayRu(tenant: string): number | Promise<number> {
    const t = this.usage(tenant);
    const day = dayKey(this.now());
    const view = this.reads.day(tenant, t, day);
    return nowOrLater(view, (v) => dayOf(t, day, v));
  }

  /**
   * `tenant`'s counts from `fromHour` (ISO) on — before `toHour` when given — over every instance, read now (not
   * cached): the ledger's `hour` items, this instance's with what it counted since its last flush.
   */
  async totals(tenant: string, fromHour: string, toHour?: string): Promise<HourCounts> {
    const t = this.usage(tenant);
    const items = await this.store.hours(tenant, fromHour);
    const to = toHour?.slice(0, 13);
    let sum = zeroHour();
    const mine = new Map<string, HourCounts>();
    for (const item of items) {
      const counts: HourCounts = {
        requests: num(item.requests),
        refused: num(item.refused),
        ru: num(item.ru),
        messages: num(item.messages),
        itemBytes: num(item.itemBytes),
        fileBytes: num(item.fileBytes),
      };
      if (to !== undefined && item.hour.slice(0, 13) >= to) continue;
      if (item.instance === this.instance) mine.set(item.hour.slice(0, 13), counts);
      else sum = add(sum, counts);
    }
    const from = fromHour.slice(0, 13);
    for (const h of new Set([...mine.keys(), ...t.hours.keys()])) {
      if (h < from || (to !== undefined && h >= to)) continue;
      const live = t.hours.get(h);
      const base = t.hourBase.get(h) ?? mine.get(h) ?? zeroHour();
      sum = add(sum, live ? add(base, live) : base);
    }
    return sum;
  }

  /** The bytes `tenant` stores over every instance and the CLI's imports (items and files). */
  storedBytes(tenant: string): number | Promise<number> {
    const t = this.usage(tenant);
    const view = this.reads.stored(tenant, t);
    return nowOrLater(view, (v) => storedOf(t, v));
  }

  /**
   * Write every tenant's changed totals now (what the timer does each interval): one batch per tenant. Resolves
   * when written; a tenant whose write failed stays changed and is written on the next flush.
   */
  async flush(): Promise<void> {
    await Promise.all([...this.tenants.entries()].map(([id, t]) => this.flushTenant(id, t)));
  }

  /** Stop the timer (what was counted stays until the next `flush()`). */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private usage(tenant: string): TenantUsage {
    let t = this.tenants.get(tenant);
    if (!t) this.tenants.set(tenant, (t = new TenantUsage()));
    return t;
  }

  private schedule(): void {
    if (this.timer || this.flushIntervalMs <= 0) return;
    this.timer = setInterval(() => {
      this.flush().catch(this.onError);
    }, this.flushIntervalMs);
    // A process with nothing else to do exits: the meter never holds it open.
    this.timer.unref();
  }

  private async flushTenant(tenant: string, t: TenantUsage): Promise<void> {
    // One write per tenant at a time: a flush still running covers this tick (what it missed stays changed).
    if (t.flushing) return t.flushing;
    if (!t.dirty) return;
    t.flushing = writeTenant(this.target, tenant, t).finally(() => {
      t.flushing = undefined;
    });
    return t.flushing;
  }
}
