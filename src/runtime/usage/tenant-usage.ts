import { type HourCounts, minuteKey, zeroHour } from './usage-items.js';

// What a UsageMeter holds per tenant: its counts since this process started, what it read back of its own ledger
// items, and the views of the other instances' counts the limits read (usage-meter.ts counts, flushes and reads).

/** What the limits read of a tenant beyond this instance: the others' counts, and when their read started. */
export interface View<T> {
  readonly key: string;
  readonly at: number;
  readonly value: T;
}

/**
 * The other instances' counts of a tenant in one UTC minute (`minute`, `YYYY-MM-DDTHH:MM`) as one read of the
 * ledger found them: their requests admitted and each caller's.
 */
export interface MinuteOthers {
  readonly minute: string;
  readonly requests: number;
  readonly users: Readonly<Record<string, number>>;
}
export type Peers = MinuteOthers;

/** The ledger's items of this instance read back (its totals before this process), and the others' sums. */
export interface DayView {
  readonly others: number;
  readonly mine: ReadonlyMap<string, number>;
}
export interface StoredView {
  readonly others: number;
  readonly mine: number;
}

// The views a tenant's limits read, as bits of TenantUsage.wants.
export const PEERS = 1;
export const DAY = 2;
export const STORED = 4;

// What the limits see of the others while the ledger has never answered: nothing (frozen, shared, never written).
export const NO_PEERS: Peers = Object.freeze({ minute: '', requests: 0, users: Object.freeze({}) });
export const NO_DAY: DayView = Object.freeze({ others: 0, mine: new Map<string, number>() });
export const NO_STORED: StoredView = Object.freeze({ others: 0, mine: 0 });

/** A view and the read that refreshes it, when one is running. */
export interface Slot<T> {
  view?: View<T>;
  reading?: Promise<View<T>>;
}

/**
 * One tenant's counts, bases, views and running reads in one meter.
 *
 * @example
 * ```ts
 * new TenantUsage().hour('2026-03-01T14').requests++;
 * ```
 */
export class TenantUsage {
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
  /**
   * The others' counts read for admissions that need them fresh (started at `at`, of `minute`), shared by the
   * requests that wait on it.
   */
  fresh:
    | { readonly at: number; readonly minute: string; readonly done: Promise<Peers> }
    | undefined;
  readonly day: Slot<DayView> = {};
  readonly stored: Slot<StoredView> = {};

  /** A new UTC minute (of `now`, ms since the epoch) starts a new window. */
  roll(now: number): void {
    const key = minuteKey(now);
    if (this.minute === key) return;
    this.minute = key;
    this.minuteStart = now - (now % 60_000);
    this.minuteRequests = 0;
    this.minuteUsers = new Map();
    this.minuteDirty = false;
  }

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

export const add = (a: HourCounts, b: HourCounts): HourCounts => ({
  requests: a.requests + b.requests,
  refused: a.refused + b.refused,
  ru: a.ru + b.ru,
  messages: a.messages + b.messages,
  itemBytes: a.itemBytes + b.itemBytes,
  fileBytes: a.fileBytes + b.fileBytes,
});

export const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
