import { randomUUID } from 'node:crypto';
import { dayOf, dayViewOf, peersOf, storedOf, storedViewOf } from './ledger-views.js';
import {
  DAY,
  type DayView,
  type MinuteOthers,
  NO_DAY,
  NO_PEERS,
  NO_STORED,
  PEERS,
  type Peers,
  type Slot,
  STORED,
  type StoredView,
  TenantUsage,
  type View,
  add,
  num,
} from './tenant-usage.js';
import { dayKey, type HourCounts, hourKey, minuteKey, zeroHour } from './usage-items.js';
import type { HourItem, MinuteItem, StoredItem } from './usage-items.js';
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
  private readonly tenants = new Map<string, TenantUsage>();
  private readonly now: () => number;
  private readonly flushIntervalMs: number;
  private readonly readIntervalMs: number;
  private readonly onError: (error: unknown) => void;
  private timer: NodeJS.Timeout | undefined;
  /** What a flush writes with (usage-flush.ts). */
  private readonly target: FlushTarget;

  constructor(
    readonly store: UsageStore,
    options: UsageMeterOptions = {},
  ) {
    this.instance =
      options.instance ?? (process.env.WEBSITE_INSTANCE_ID?.trim() || `p-${randomUUID()}`);
    this.now = options.now ?? Date.now;
    this.flushIntervalMs = options.flushIntervalMs ?? USAGE_METER_DEFAULTS.flushIntervalMs;
    this.readIntervalMs = options.readIntervalMs ?? USAGE_METER_DEFAULTS.readIntervalMs;
    this.onError = options.onError ?? warnAtMostEachMinute();
    this.target = { store, instance: this.instance, now: this.now, onError: this.onError };
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
    this.roll(t);
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
    this.roll(t);
    const key = t.minute;
    t.wants |= PEERS;
    return (
      this.held(t.peers, key) ??
      this.view(
        t.peers,
        key,
        () => this.together(tenant, t, t.peers, key, () => this.readPeers(tenant, key)),
        NO_PEERS,
      )
    );
  }

  /**
   * The other instances' counts of `tenant` this UTC minute read by a ledger query started no earlier than this
   * call, by the meter's clock (so it holds every flush made before the caller arrived): one query for every request
   * that waits on it at once, one query in flight per tenant. What an admission near a bound reads (rateLimit); it
   * refreshes the view {@link minuteOthers} serves too. If the ledger cannot be read, the last view stands (a limit
   * never refuses because the ledger is down).
   */
  readMinuteOthers(tenant: string): Promise<MinuteOthers> {
    return this.freshOthers(tenant, this.usage(tenant), this.now());
  }

  /**
   * This UTC minute's requests of `tenant` (and of `user`) over every instance: this instance's live count, exact at
   * the moment of the call, plus `others` (nothing of them when `others` is of another minute). Synchronous: a
   * decision made on it and the admission it leads to ({@link admit}) happen in one tick, so concurrent requests
   * of one instance never admit on a count that missed each other.
   */
  minuteCount(tenant: string, user: string | undefined, others: MinuteOthers): MinuteCount {
    const t = this.usage(tenant);
    this.roll(t);
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
    t.wants |= DAY;
    const view =
      this.held(t.day, day) ??
      this.view(
        t.day,
        day,
        () => this.together(tenant, t, t.day, day, () => this.readDay(tenant, day)),
        NO_DAY,
      );
    return view instanceof Promise ? view.then((v) => dayOf(t, day, v)) : dayOf(t, day, view);
  }

  /**
   * `tenant`'s counts from `fromHour` (ISO) on over every instance, read now (not cached): the ledger's `hour`
   * items, this instance's with what it counted since its last flush.
   */
  async totals(tenant: string, fromHour: string): Promise<HourCounts> {
    const t = this.usage(tenant);
    const items = await this.store.hours(tenant, fromHour);
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
      if (item.instance === this.instance) mine.set(item.hour.slice(0, 13), counts);
      else sum = add(sum, counts);
    }
    const from = fromHour.slice(0, 13);
    for (const h of new Set([...mine.keys(), ...t.hours.keys()])) {
      if (h < from) continue;
      const live = t.hours.get(h);
      const base = t.hourBase.get(h) ?? mine.get(h) ?? zeroHour();
      sum = add(sum, live ? add(base, live) : base);
    }
    return sum;
  }

  /** The bytes `tenant` stores over every instance and the CLI's imports (items and files). */
  storedBytes(tenant: string): number | Promise<number> {
    const t = this.usage(tenant);
    t.wants |= STORED;
    const view =
      this.held(t.stored, '') ??
      this.view(
        t.stored,
        '',
        () => this.together(tenant, t, t.stored, '', () => this.readStored(tenant)),
        NO_STORED,
      );
    return view instanceof Promise ? view.then((v) => storedOf(t, v)) : storedOf(t, view);
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

  private async readPeers(tenant: string, key: string): Promise<Peers> {
    return peersOf(await this.store.minutes(tenant, key), key, this.instance);
  }

  /**
   * A read of the others' counts of the current minute that started at `since` or later (shared when one is
   * running): a read running since before waits for its end, then the next one serves every waiter.
   */
  private async freshOthers(tenant: string, t: TenantUsage, since: number): Promise<Peers> {
    for (;;) {
      this.roll(t);
      const key = t.minute;
      const running = t.fresh;
      if (running && (running.at < since || running.minute !== key)) {
        await running.done.catch(() => undefined);
        continue;
      }
      const read = running ?? this.startFresh(tenant, t, key);
      try {
        const peers = await read.done;
        this.roll(t);
        if (t.minute === key) return peers;
        // The minute turned while it was read: the new minute's counts are read again.
        since = this.now();
      } catch (e) {
        this.onError(e);
        const held = t.peers.view;
        return held && held.key === key ? held.value : NO_PEERS;
      }
    }
  }

  private startFresh(
    tenant: string,
    t: TenantUsage,
    key: string,
  ): NonNullable<TenantUsage['fresh']> {
    const at = this.now();
    const read: NonNullable<TenantUsage['fresh']> = {
      at,
      minute: key,
      done: this.readPeers(tenant, key)
        .then((value) => {
          const held = t.peers.view;
          if (!held || held.key !== key || held.at <= at) t.peers.view = { key, at, value };
          return value;
        })
        .finally(() => {
          if (t.fresh === read) t.fresh = undefined;
        }),
    };
    t.fresh = read;
    return read;
  }

  private async readDay(tenant: string, day: string): Promise<DayView> {
    return dayViewOf(await this.store.hours(tenant, `${day}T00:00:00.000Z`), day, this.instance);
  }

  private async readStored(tenant: string): Promise<StoredView> {
    return storedViewOf(await this.store.stored(tenant), this.instance);
  }

  /**
   * One view's read, made with the tenant's others in one query when the store can (`snapshot`): the views a
   * tenant's limits read go stale together, so each read interval costs one ledger query per tenant, not three.
   * `alone` reads this view only (a store without `snapshot`, or a snapshot of another minute or day).
   */
  private async together<T>(
    tenant: string,
    t: TenantUsage,
    slot: Slot<T>,
    key: string,
    alone: () => Promise<T>,
  ): Promise<T> {
    if (!this.store.snapshot) return alone();
    await this.readAll(tenant, t);
    const v = slot.view;
    return v && v.key === key ? v.value : alone();
  }

  /** Every view `t` wants, read in one query and set fresh (a running read that covers them all is shared). */
  private readAll(tenant: string, t: TenantUsage): Promise<void> {
    const running = t.snapshot;
    if (running && (running.wants & t.wants) === t.wants) return running.done;
    // A store without it: together() reads each view alone.
    if (!this.store.snapshot) return Promise.resolve();
    const now = this.now();
    this.roll(t);
    const wants = t.wants;
    const minute = t.minute;
    const day = dayKey(now);
    const done = this.store
      .snapshot(tenant, {
        ...(wants & PEERS ? { minute } : {}),
        ...(wants & DAY ? { fromHour: `${day}T00:00:00.000Z` } : {}),
        stored: (wants & STORED) !== 0,
      })
      .then((items) => {
        const minutes: MinuteItem[] = [];
        const hours: HourItem[] = [];
        const stored: StoredItem[] = [];
        for (const item of items)
          if (item.kind === 'minute') minutes.push(item);
          else if (item.kind === 'hour') hours.push(item);
          else if (item.kind === 'stored') stored.push(item);
        // A read for an admission near a bound may have started later and answered first: the newer view stays.
        const held = t.peers.view;
        if (wants & PEERS && (!held || held.key !== minute || held.at <= now))
          t.peers.view = { key: minute, at: now, value: peersOf(minutes, minute, this.instance) };
        if (wants & DAY)
          t.day.view = { key: day, at: now, value: dayViewOf(hours, day, this.instance) };
        if (wants & STORED)
          t.stored.view = { key: '', at: now, value: storedViewOf(stored, this.instance) };
      })
      .finally(() => {
        if (t.snapshot?.done === done) t.snapshot = undefined;
      });
    t.snapshot = { wants, done };
    return done;
  }

  private usage(tenant: string): TenantUsage {
    let t = this.tenants.get(tenant);
    if (!t) this.tenants.set(tenant, (t = new TenantUsage()));
    return t;
  }

  /** A new UTC minute starts a new window. */
  private roll(t: TenantUsage): void {
    const now = this.now();
    const key = minuteKey(now);
    if (t.minute === key) return;
    t.minute = key;
    t.minuteStart = now - (now % 60_000);
    t.minuteRequests = 0;
    t.minuteUsers = new Map();
    t.minuteDirty = false;
  }

  /** The view's value while of `key` and younger than the read interval (no read, no closure made for one). */
  private held<T>(slot: Slot<T>, key: string): T | undefined {
    const held = slot.view;
    return held && held.key === key && this.now() - held.at < this.readIntervalMs
      ? held.value
      : undefined;
  }

  /**
   * A view of the others' counts, read again when older than the read interval or of another key: the value
   * itself while fresh (no promise, no microtask: what almost every request meets), else the read's promise.
   */
  private view<T>(slot: Slot<T>, key: string, read: () => Promise<T>, fallback: T): T | Promise<T> {
    const held = slot.view;
    if (held && held.key === key && this.now() - held.at < this.readIntervalMs) return held.value;
    return this.refresh(slot, key, read, fallback);
  }

  private async refresh<T>(
    slot: Slot<T>,
    key: string,
    read: () => Promise<T>,
    fallback: T,
  ): Promise<T> {
    const held = slot.view;
    const now = this.now();
    let inFlight = slot.reading;
    if (!inFlight) {
      inFlight = read().then(
        (value) => {
          const v: View<T> = { key, at: now, value };
          slot.view = v;
          slot.reading = undefined;
          return v;
        },
        (e: unknown) => {
          slot.reading = undefined;
          throw e;
        },
      );
      slot.reading = inFlight;
    }
    try {
      const v = await inFlight;
      if (v.key === key) return v.value;
    } catch (e) {
      this.onError(e);
      // The ledger unreadable: the last view of this key stands, else this instance's own counts alone (a limit
      // never refuses because the ledger is down; it is as exact as one instance can be meanwhile).
      return held && held.key === key ? held.value : fallback;
    }
    return this.view(slot, key, read, fallback);
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
