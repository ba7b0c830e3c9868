import type { TenantRecord } from './tenant-record.js';

/** How the registry is read and written (the runtime's: one Cosmos DB container; tests may pass their own). */
export interface RegistryStore {
  /** The record of `id`, or undefined when the directory is not registered. */
  read(id: string): Promise<TenantRecord | undefined>;
  /** Create `record` unless one exists; the record now stored (the existing one on a race). */
  create(record: TenantRecord): Promise<TenantRecord>;
  /**
   * The records not active whose last write (the store's own clock: Cosmos DB's `_ts`, in seconds) is at or after
   * `sinceSeconds` — the realtime side's sweep for recent suspensions (realtime/suspended-sockets.ts).
   */
  recentInactive?(sinceSeconds: number): Promise<TenantRecord[]>;
}

/** Bounds of {@link RegistryCache}: entries kept and how old an answer may be; `now` for tests. */
export interface RegistryCacheOptions {
  /** Default 1,000; the oldest entry is dropped first. */
  readonly maxEntries?: number;
  /** Default 30,000 ms: a registry change holds on every instance within this. */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

/** Default bounds: ≤ 1,000 directories, each answer ≤ 30 s old (DESIGN §2, "Tenants are data"). */
export const REGISTRY_CACHE_DEFAULTS = { maxEntries: 1000, maxAgeMs: 30_000 } as const;

/**
 * Optional app setting: how old (ms) a registry answer may be on this instance, at most the default 30,000 — only
 * ever shorter, so a mistaken value costs registry reads, never a suspension held longer than DESIGN's 30 s.
 * `atakora dev` sets 1,000: an operator's `atakora tenant suspend --local` holds on the next request there.
 */
export const REGISTRY_MAX_AGE_SETTING = 'ATAKORA_REGISTRY_MAX_AGE_MS';

/**
 * The cache bound {@link REGISTRY_MAX_AGE_SETTING} asks for: a whole number of milliseconds from 0 to 30,000, else
 * undefined (the default).
 *
 * @example
 * ```ts
 * registryMaxAgeFromEnv({ ATAKORA_REGISTRY_MAX_AGE_MS: '1000' }); // 1000
 * registryMaxAgeFromEnv({ ATAKORA_REGISTRY_MAX_AGE_MS: '600000' }); // undefined
 * ```
 */
export function registryMaxAgeFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): number | undefined {
  const raw = env[REGISTRY_MAX_AGE_SETTING];
  if (raw === undefined || !/^\d{1,5}$/.test(raw)) return undefined;
  const ms = Number(raw);
  return ms <= REGISTRY_CACHE_DEFAULTS.maxAgeMs ? ms : undefined;
}

interface Entry {
  readonly at: number;
  readonly value: Promise<TenantRecord | undefined>;
}

/**
 * The registry as one instance reads it: each directory's record (or its absence) kept at most `maxAgeMs`, at most
 * `maxEntries` directories, so a suspension or a registration holds on every instance within `maxAgeMs` while a
 * busy directory costs one point read per interval. Concurrent requests of one directory share one read; a failed
 * read is not kept.
 *
 * @example
 * ```ts
 * const cache = new RegistryCache(store, { maxAgeMs: 30_000 });
 * const record = await cache.get('contoso'); // undefined → not registered
 * ```
 */
export class RegistryCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(
    readonly store: RegistryStore,
    options: RegistryCacheOptions = {},
  ) {
    this.maxEntries = Math.max(1, options.maxEntries ?? REGISTRY_CACHE_DEFAULTS.maxEntries);
    this.maxAgeMs = Math.max(0, options.maxAgeMs ?? REGISTRY_CACHE_DEFAULTS.maxAgeMs);
    this.now = options.now ?? Date.now;
  }

  /**
   * Whoever must act on a record read that is not active before anyone is answered from it: the realtime side
   * closes the tenant's sockets (realtime/suspended-sockets.ts), so no request is refused while they still hear
   * events. Its failure never fails the read.
   */
  private inactive: ((record: TenantRecord) => Promise<void>) | undefined;

  /**
   * Call `listener` with each record this cache reads from the store whose status is not `active`; the read's
   * answer (and every request waiting on it) waits for the listener.
   *
   * @example
   * ```ts
   * cache.whenInactive((record) => sockets.close(record.id));
   * ```
   */
  whenInactive(listener: (record: TenantRecord) => Promise<void>): void {
    this.inactive = listener;
  }

  /** The record of `id` (the token's `tid` as written), read at most once per `maxAgeMs`. */
  get(id: string): Promise<TenantRecord | undefined> {
    const key = id;
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.maxAgeMs) return hit.value;
    const value = this.store.read(id).then((r) => this.settled(r));
    this.keep(key, value);
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  /** Register `record` (signUp open) and keep what is stored. */
  async register(record: TenantRecord): Promise<TenantRecord> {
    const stored = await this.store.create(record);
    this.keep(record.id, Promise.resolve(stored));
    return stored;
  }

  /**
   * Keep `record` as this instance's fresh answer for its id, read elsewhere just now (the suspension sweep's query),
   * once the inactive listener has acted on it.
   */
  async learn(record: TenantRecord): Promise<void> {
    const value = this.settled(record);
    this.keep(record.id, value);
    await value;
  }

  /** Read the record of `id` now, whatever this instance kept (a connection event: a stale answer must not admit). */
  fresh(id: string): Promise<TenantRecord | undefined> {
    this.forget(id);
    return this.get(id);
  }

  /**
   * Drop what this instance knows of `id`, so its next request reads the registry again: a change made here (the
   * TenantAdmin API) holds on this instance at once, on the others within `maxAgeMs`.
   */
  forget(id: string): void {
    this.entries.delete(id);
  }

  /** How many directories are kept (for tests of the bound). */
  get size(): number {
    return this.entries.size;
  }

  /** The record once the inactive listener has acted on it (a failure of the listener is its own to report). */
  private async settled(record: TenantRecord | undefined): Promise<TenantRecord | undefined> {
    if (record && record.status !== 'active' && this.inactive)
      await this.inactive(record).catch(() => undefined);
    return record;
  }

  private keep(key: string, value: Promise<TenantRecord | undefined>): void {
    this.entries.delete(key);
    this.entries.set(key, { at: this.now(), value });
    // Map order is insertion order: the first key is the oldest answer.
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
