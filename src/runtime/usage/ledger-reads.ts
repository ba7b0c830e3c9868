import { dayViewOf, peersOf, storedViewOf } from './ledger-views.js';
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
  type TenantUsage,
  type View,
} from './tenant-usage.js';
import { dayKey } from './usage-items.js';
import type { HourItem, MinuteItem, StoredItem } from './usage-items.js';
import type { UsageStore } from './usage-store.js';

/**
 * What {@link LedgerReads} reads with: the ledger, this instance's id (its own items are not the others'), the
 * meter's clock, how old a view may be, and where a failed read goes.
 *
 * @example
 * ```ts
 * const props: LedgerReadsProps = { store, instance: 'i-1', now: Date.now, readIntervalMs: 1000, onError };
 * ```
 */
export interface LedgerReadsProps {
  readonly store: UsageStore;
  readonly instance: string;
  readonly now: () => number;
  readonly readIntervalMs: number;
  readonly onError: (error: unknown) => void;
}

/**
 * The other instances' counts as a meter's limits read them (usage-meter.ts counts; this reads): views of the
 * ledger per tenant, read again when older than the read interval — the value itself while fresh (no promise, no
 * microtask: what almost every request meets), the read's promise otherwise, one read in flight per view; the
 * views a tenant's limits want read together in one query when the store can. A read that fails leaves the last
 * view standing, else nothing of the others (a limit never refuses because the ledger is down).
 *
 * @example
 * ```ts
 * const reads = new LedgerReads({ store, instance, now, readIntervalMs: 1000, onError });
 * const others = reads.peers('contoso', usage); // MinuteOthers, or a promise of it when read again
 * ```
 */
export class LedgerReads {
  constructor(private readonly props: LedgerReadsProps) {}

  /** The others' counts of `t`'s current minute (the caller rolled it). */
  peers(tenant: string, t: TenantUsage): MinuteOthers | Promise<MinuteOthers> {
    t.wants |= PEERS;
    return (
      this.held(t.peers, t.minute) ??
      this.stale(tenant, t, t.peers, t.minute, this.readPeers, NO_PEERS)
    );
  }

  /** The ledger's hours of `day` (the others' sum, this instance's own per hour). */
  day(tenant: string, t: TenantUsage, day: string): DayView | Promise<DayView> {
    t.wants |= DAY;
    return this.held(t.day, day) ?? this.stale(tenant, t, t.day, day, this.readDay, NO_DAY);
  }

  /** The ledger's stored bytes (the others' and the CLI's sum, this instance's own). */
  stored(tenant: string, t: TenantUsage): StoredView | Promise<StoredView> {
    t.wants |= STORED;
    return (
      this.held(t.stored, '') ?? this.stale(tenant, t, t.stored, '', this.readStored, NO_STORED)
    );
  }

  /**
   * A read of the others' counts of the current minute that started at `since` or later (shared when one is
   * running): a read running since before waits for its end, then the next one serves every waiter.
   */
  async fresh(tenant: string, t: TenantUsage, since: number): Promise<Peers> {
    const { now, onError } = this.props;
    for (;;) {
      t.roll(now());
      const key = t.minute;
      const running = t.fresh;
      if (running && (running.at < since || running.minute !== key)) {
        await running.done.catch(() => undefined);
        continue;
      }
      const read = running ?? this.startFresh(tenant, t, key);
      try {
        const peers = await read.done;
        t.roll(now());
        if (t.minute === key) return peers;
        // The minute turned while it was read: the new minute's counts are read again.
        since = now();
      } catch (e) {
        onError(e);
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
    const at = this.props.now();
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

  /** A view read again: with the tenant's others when the store can, else alone; `nothing` if it never was. */
  private stale<T>(
    tenant: string,
    t: TenantUsage,
    slot: Slot<T>,
    key: string,
    read: (tenant: string, key: string) => Promise<T>,
    nothing: T,
  ): Promise<T> {
    const alone = () => read(tenant, key);
    return this.refresh(slot, key, () => this.together(tenant, t, slot, key, alone), nothing);
  }

  private readonly readPeers = async (tenant: string, key: string): Promise<Peers> =>
    peersOf(await this.props.store.minutes(tenant, key), key, this.props.instance);

  private readonly readDay = async (tenant: string, day: string): Promise<DayView> =>
    dayViewOf(
      await this.props.store.hours(tenant, `${day}T00:00:00.000Z`),
      day,
      this.props.instance,
    );

  private readonly readStored = async (tenant: string): Promise<StoredView> =>
    storedViewOf(await this.props.store.stored(tenant), this.props.instance);

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
    if (!this.props.store.snapshot) return alone();
    await this.readAll(tenant, t);
    const v = slot.view;
    return v && v.key === key ? v.value : alone();
  }

  /** Every view `t` wants, read in one query and set fresh (a running read that covers them all is shared). */
  private readAll(tenant: string, t: TenantUsage): Promise<void> {
    const running = t.snapshot;
    if (running && (running.wants & t.wants) === t.wants) return running.done;
    const { store, instance } = this.props;
    // A store without it: together() reads each view alone.
    if (!store.snapshot) return Promise.resolve();
    const now = this.props.now();
    t.roll(now);
    const wants = t.wants;
    const minute = t.minute;
    const day = dayKey(now);
    const done = store
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
          t.peers.view = { key: minute, at: now, value: peersOf(minutes, minute, instance) };
        if (wants & DAY) t.day.view = { key: day, at: now, value: dayViewOf(hours, day, instance) };
        if (wants & STORED)
          t.stored.view = { key: '', at: now, value: storedViewOf(stored, instance) };
      })
      .finally(() => {
        if (t.snapshot?.done === done) t.snapshot = undefined;
      });
    t.snapshot = { wants, done };
    return done;
  }

  /** The view's value while of `key` and younger than the read interval (no read, no closure made for one). */
  private held<T>(slot: Slot<T>, key: string): T | undefined {
    const held = slot.view;
    return held && held.key === key && this.props.now() - held.at < this.props.readIntervalMs
      ? held.value
      : undefined;
  }

  /** A view of the others' counts: the value while fresh, else the read's promise. */
  private view<T>(slot: Slot<T>, key: string, read: () => Promise<T>, fallback: T): T | Promise<T> {
    return this.held(slot, key) ?? this.refresh(slot, key, read, fallback);
  }

  private async refresh<T>(
    slot: Slot<T>,
    key: string,
    read: () => Promise<T>,
    fallback: T,
  ): Promise<T> {
    const held = slot.view;
    const now = this.props.now();
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
      this.props.onError(e);
      // The ledger unreadable: the last view of this key stands, else this instance's own counts alone (a limit
      // never refuses because the ledger is down; it is as exact as one instance can be meanwhile).
      return held && held.key === key ? held.value : fallback;
    }
    return this.view(slot, key, read, fallback);
  }
}
