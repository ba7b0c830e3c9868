import { randomUUID } from 'node:crypto';
import {
  dayKey,
  type HourCounts,
  hourItem,
  hourKey,
  minuteItem,
  minuteKey,
  storedItem,
  type UsageItem,
  zeroHour,
} from './usage-items.js';
import type { HourItem, MinuteItem, StoredItem } from './usage-items.js';
import type { UsageStore } from './usage-store.js';

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
  /** Default 1,000 ms: how old the other instances' counts the limits read may be, per tenant. */
  readonly readIntervalMs?: number;
  /** A failed flush or read (retried next tick); default: nothing (the request never sees it). */
  readonly onError?: (error: unknown) => void;
}

/** The meter's defaults: one write per tenant per second per instance, the others' counts read each second. */
export const USAGE_METER_DEFAULTS = { flushIntervalMs: 1000, readIntervalMs: 1000 } as const;

/** What the limits read of a tenant beyond this instance: the others' counts, each at most one interval old. */
interface View<T> {
  readonly key: string;
  readonly at: number;
  readonly value: T;
}

interface Peers {
  readonly requests: number;
  readonly users: Readonly<Record<string, number>>;
}

/** The ledger's items of this instance read back (its totals before this process), and the others' sums. */
interface DayView {
  readonly others: number;
  readonly mine: ReadonlyMap<string, number>;
}
interface StoredView {
  readonly others: number;
  readonly mine: number;
}

/** This UTC minute's requests of a tenant and of one caller over every instance, and the minute's key and start. */
export interface MinuteCount {
  readonly minute: string;
  readonly minuteStart: number;
  readonly tenant: number;
  readonly user: number;
}

// The views a tenant's limits read, as bits of TenantUsage.wants.
const PEERS = 1;
const DAY = 2;
const STORED = 4;

// What the limits see of the others while the ledger has never answered: nothing (frozen, shared, never written).
const NO_PEERS: Peers = Object.freeze({ requests: 0, users: Object.freeze({}) });
const NO_DAY: DayView = Object.freeze({ others: 0, mine: new Map<string, number>() });
const NO_STORED: StoredView = Object.freeze({ others: 0, mine: 0 });

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

/** A view and the read that refreshes it, when one is running. */
interface Slot<T> {
  view?: View<T>;
  reading?: Promise<View<T>>;
}

class TenantUsage {
  readonly hours = new Map<string, HourCounts>();
  readonly hourBase = new Map<string, HourCounts>();
  readonly dirtyHours = new Set<string>();
  readonly bytes = { itemBytes: 0, fileBytes: 0 };
  bytesBase: { itemBytes: number; fileBytes: number } | undefined;
  bytesDirty = false;
  minute = '';
  /** The start of {@link minute} (ms since the epoch). */
  minuteStart = 0;
  minuteRequests = 0;
  minuteUsers = new Map<string, number>();
  minuteDirty = false;
  flushing: Promise<void> | undefined;
  /** The views the limits asked of this tenant ({@link PEERS} | {@link DAY} | {@link STORED}): read together. */
  wants = 0;
  /** The running read of every wanted view at once, and what it reads. */
  snapshot: { readonly wants: number; readonly done: Promise<void> } | undefined;
  readonly peers: Slot<Peers> = {};
  readonly day: Slot<DayView> = {};
  readonly stored: Slot<StoredView> = {};

  get dirty(): boolean {
    return this.dirtyHours.size > 0 || this.bytesDirty || this.minuteDirty;
  }

  hour(key: string): HourCounts {
    let c = this.hours.get(key);
    if (!c) this.hours.set(key, (c = zeroHour()));
    this.dirtyHours.add(key);
    return c;
  }
}

const add = (a: HourCounts, b: HourCounts): HourCounts => ({
  requests: a.requests + b.requests,
  refused: a.refused + b.refused,
  ru: a.ru + b.ru,
  messages: a.messages + b.messages,
  itemBytes: a.itemBytes + b.itemBytes,
  fileBytes: a.fileBytes + b.fileBytes,
});

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * One instance's usage meter: counts per tenant and UTC hour (requests — refused ones too —, refused, RU, realtime
 * messages, bytes added minus removed), the running stored bytes, and the UTC minute's requests per tenant and
 * caller for the rate limits; flushed to the ledger as this instance's absolute totals, upserted whole, at most
 * once per tenant per `flushIntervalMs`, never on a request's path. A failed flush is retried on the next tick;
 * a crash loses what was counted since the last flush (at most one interval). Totals written before this process
 * (same `WEBSITE_INSTANCE_ID` after a restart) are read back once and added, never overwritten.
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
   * This UTC minute's requests of `tenant` (and of `user`) over every instance: this one's live count plus the
   * others' last flushed `minute` items, read at most once per `readIntervalMs`. Synchronous while the others'
   * counts are fresh (most requests): a promise only when they are read again.
   */
  minuteCount(tenant: string, user: string | undefined): MinuteCount | Promise<MinuteCount> {
    const t = this.usage(tenant);
    this.roll(t);
    const key = t.minute;
    const start = t.minuteStart;
    t.wants |= PEERS;
    const peers =
      this.fresh(t.peers, key) ??
      this.view(
        t.peers,
        key,
        () => this.together(tenant, t, t.peers, key, () => this.readPeers(tenant, key)),
        NO_PEERS,
      );
    return peers instanceof Promise
      ? peers.then((p) => this.minuteOf(t, key, start, user, p))
      : this.minuteOf(t, key, start, user, peers);
  }

  /** The RU `tenant` spent this UTC day over every instance (the ledger's hours, this instance's live). */
  dayRu(tenant: string): number | Promise<number> {
    const t = this.usage(tenant);
    const day = dayKey(this.now());
    t.wants |= DAY;
    const view =
      this.fresh(t.day, day) ??
      this.view(
        t.day,
        day,
        () => this.together(tenant, t, t.day, day, () => this.readDay(tenant, day)),
        NO_DAY,
      );
    return view instanceof Promise
      ? view.then((v) => this.dayOf(t, day, v))
      : this.dayOf(t, day, view);
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
      this.fresh(t.stored, '') ??
      this.view(
        t.stored,
        '',
        () => this.together(tenant, t, t.stored, '', () => this.readStored(tenant)),
        NO_STORED,
      );
    return view instanceof Promise ? view.then((v) => this.storedOf(t, v)) : this.storedOf(t, view);
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

  private minuteOf(
    t: TenantUsage,
    key: string,
    start: number,
    user: string | undefined,
    peers: Peers,
  ): MinuteCount {
    // The minute may have turned while the others' counts were read: this instance's count is of the new one.
    this.roll(t);
    const same = t.minute === key;
    return {
      minute: key,
      minuteStart: start,
      tenant: (same ? t.minuteRequests : 0) + peers.requests,
      user:
        user === undefined
          ? 0
          : (same ? (t.minuteUsers.get(user) ?? 0) : 0) + (peers.users[user] ?? 0),
    };
  }

  private async readPeers(tenant: string, key: string): Promise<Peers> {
    return this.peersOf(await this.store.minutes(tenant, key));
  }

  private peersOf(items: readonly MinuteItem[]): Peers {
    const users: Record<string, number> = {};
    let requests = 0;
    for (const item of items) {
      if (item.instance === this.instance) continue;
      requests += num(item.requests);
      for (const [u, n] of Object.entries(item.users ?? {})) users[u] = (users[u] ?? 0) + num(n);
    }
    return { requests, users };
  }

  private dayOf(t: TenantUsage, day: string, view: DayView): number {
    let ru = view.others;
    // Hours of this instance's own ledger items (its totals before this process) not counted live here…
    for (const [h, before] of view.mine)
      if (!t.hours.has(h) && h.startsWith(day)) ru += t.hourBase.get(h)?.ru ?? before;
    // …and the hours counted live, on their base (read back before this instance's first flush of the hour).
    for (const [h, live] of t.hours)
      if (h.startsWith(day)) ru += (t.hourBase.get(h)?.ru ?? view.mine.get(h) ?? 0) + live.ru;
    return ru;
  }

  private async readDay(tenant: string, day: string): Promise<DayView> {
    return this.dayViewOf(await this.store.hours(tenant, `${day}T00:00:00.000Z`), day);
  }

  private dayViewOf(items: readonly HourItem[], day: string): DayView {
    let others = 0;
    const mine = new Map<string, number>();
    for (const item of items) {
      if (!item.hour.startsWith(day)) continue;
      if (item.instance === this.instance) mine.set(item.hour.slice(0, 13), num(item.ru));
      else others += num(item.ru);
    }
    return { others, mine };
  }

  private storedOf(t: TenantUsage, view: StoredView): number {
    const base = t.bytesBase ? t.bytesBase.itemBytes + t.bytesBase.fileBytes : view.mine;
    return view.others + base + t.bytes.itemBytes + t.bytes.fileBytes;
  }

  private async readStored(tenant: string): Promise<StoredView> {
    return this.storedViewOf(await this.store.stored(tenant));
  }

  private storedViewOf(items: readonly StoredItem[]): StoredView {
    let others = 0;
    let mine = 0;
    for (const item of items) {
      const n = num(item.itemBytes) + num(item.fileBytes);
      if (item.instance === this.instance) mine = n;
      else others += n;
    }
    return { others, mine };
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
    const now = this.now();
    this.roll(t);
    const wants = t.wants;
    const minute = t.minute;
    const day = dayKey(now);
    const done = this.store.snapshot!(tenant, {
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
        if (wants & PEERS) t.peers.view = { key: minute, at: now, value: this.peersOf(minutes) };
        if (wants & DAY) t.day.view = { key: day, at: now, value: this.dayViewOf(hours, day) };
        if (wants & STORED) t.stored.view = { key: '', at: now, value: this.storedViewOf(stored) };
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
  private fresh<T>(slot: Slot<T>, key: string): T | undefined {
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
    t.flushing = this.write(tenant, t).finally(() => {
      t.flushing = undefined;
    });
    return t.flushing;
  }

  private async write(tenant: string, t: TenantUsage): Promise<void> {
    const current = hourKey(this.now());
    const hours = [...t.dirtyHours];
    const withBytes = t.bytesDirty;
    const withMinute = t.minuteDirty;
    t.dirtyHours.clear();
    t.bytesDirty = false;
    t.minuteDirty = false;
    try {
      const items: UsageItem[] = [];
      for (const h of hours) {
        const base = await this.hourBase(tenant, t, h);
        items.push(hourItem(tenant, h, this.instance, add(base, t.hours.get(h) ?? zeroHour())));
      }
      if (withBytes) {
        const base = await this.bytesBase(tenant, t);
        items.push(
          storedItem(tenant, this.instance, {
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
            this.instance,
            t.minuteRequests,
            Object.fromEntries(t.minuteUsers),
          ),
        );
      if (items.length > 0) await this.store.write(tenant, items);
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
      this.onError(e);
    }
  }

  private async hourBase(tenant: string, t: TenantUsage, h: string): Promise<HourCounts> {
    const held = t.hourBase.get(h);
    if (held) return held;
    const item = await this.store.read(tenant, `hour:${h}:${this.instance}`);
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

  private async bytesBase(
    tenant: string,
    t: TenantUsage,
  ): Promise<{ itemBytes: number; fileBytes: number }> {
    if (t.bytesBase) return t.bytesBase;
    const item = await this.store.read(tenant, `stored:${this.instance}`);
    t.bytesBase = { itemBytes: num(item?.itemBytes), fileBytes: num(item?.fileBytes) };
    return t.bytesBase;
  }
}
