/** What the cache keeps for one item: the response body as JSON text (system fields stripped) and its ETag. */
export interface CachedRead {
  /** The serialized body: what a hit sends, and what the byte accounting measures. */
  readonly json: string;
  readonly etag: string | undefined;
}

/**
 * Bounds of the read cache of an entity with `cache: { enabled: true }` (`CrudHandlerOptions.cacheLimits`).
 * Bytes are approximated by the length of the cached JSON text (what the worker actually holds), so one
 * tenant's large items evict entries instead of growing the heap.
 *
 * @example
 * ```ts
 * // For an entity with `cache: { enabled: true }`: at most 8 MiB of cached items per entity and worker.
 * createCrudHandlers(entity, container, { cacheLimits: { maxBytes: 8 * 1024 * 1024 } });
 * ```
 */
export interface ReadCacheLimits {
  /** Total size of the cached JSON. Default 16 MiB per entity. */
  readonly maxBytes?: number;
  /** Largest single entry; larger items are served but never cached. Default `maxBytes / 8`. */
  readonly maxEntryBytes?: number;
  /** Entry count, a second bound for many tiny items. Default 10,000. */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

/** A point in the cache's write history, taken before a read starts; see {@link ReadCache.begin}. */
export type ReadTicket = number;

/**
 * The read-through cache of GET-one responses (`RuntimeEntity.cache`). Per Function App instance and
 * entity; writes and deletes through this instance invalidate their key at once, writes through other
 * instances become visible after at most `ttlSeconds`. Bounded in bytes and entries (least recently
 * written evicted first).
 *
 * Version-checked fills: a read takes a ticket ({@link begin}) before it asks Cosmos, and {@link set} refuses
 * the result when the key was invalidated after that ticket — so a read that raced a write can never put
 * the older version back after the write was acknowledged.
 *
 * @example
 * ```ts
 * const cache = new ReadCache(30);
 * const ticket = cache.begin();
 * const { resource, etag } = await container.item(id, pk).read();
 * cache.set(key, { json: JSON.stringify(resource), etag }, ticket); // false if a write got in between
 * ```
 */
export class ReadCache {
  readonly #entries = new Map<string, { value: CachedRead; bytes: number; expiresAt: number }>();
  /** key → sequence number of its last invalidation, oldest first (bounded, see #forget). */
  readonly #invalidated = new Map<string, number>();
  #seq = 0;
  /** Reads with a ticket below this are refused: their key's invalidation record may have been forgotten. */
  #floor = 0;
  #bytes = 0;
  readonly #maxBytes: number;
  readonly #maxEntryBytes: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(
    private readonly ttlSeconds: number,
    limits: ReadCacheLimits = {},
  ) {
    this.#maxBytes = limits.maxBytes ?? 16 * 1024 * 1024;
    this.#maxEntryBytes = limits.maxEntryBytes ?? Math.floor(this.#maxBytes / 8);
    this.#maxEntries = limits.maxEntries ?? 10_000;
    this.#now = limits.now ?? Date.now;
  }

  /** The cache key of an item: partition key value plus id (ids are unique only within a partition). */
  static key(partitionValue: unknown, id: string): string {
    return JSON.stringify([partitionValue, id]);
  }

  /** A ticket to pass to {@link set}: take it before the read that will fill the cache starts. */
  begin(): ReadTicket {
    return this.#seq;
  }

  get(key: string): CachedRead | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#remove(key);
      return undefined;
    }
    return entry.value;
  }

  /** Cache a read that started at `ticket`; `false` when refused (stale, too large, or TTL 0). */
  set(key: string, value: CachedRead, ticket: ReadTicket): boolean {
    if (this.ttlSeconds <= 0 || ticket < this.#floor) return false;
    const invalidatedAt = this.#invalidated.get(key);
    if (invalidatedAt !== undefined && invalidatedAt > ticket) return false;
    const bytes = value.json.length;
    if (bytes > this.#maxEntryBytes) return false;
    this.#remove(key);
    this.#entries.set(key, { value, bytes, expiresAt: this.#now() + this.ttlSeconds * 1000 });
    this.#bytes += bytes;
    // Maps iterate in insertion order, so the first key is the oldest write.
    for (const oldest of this.#entries.keys()) {
      if (this.#bytes <= this.#maxBytes && this.#entries.size <= this.#maxEntries) break;
      this.#remove(oldest);
    }
    return true;
  }

  /** Drop a key and refuse every fill of it by a read that started before now. Call around every write. */
  invalidate(key: string): void {
    this.#remove(key);
    const seq = ++this.#seq;
    this.#invalidated.delete(key);
    this.#invalidated.set(key, seq);
    this.#forget();
  }

  /** Total size of the cached JSON (the quantity `maxBytes` bounds). */
  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#bytes -= entry.bytes;
    this.#entries.delete(key);
  }

  /** Keep the invalidation log as bounded as the entries; forgetting one raises the floor past it. */
  #forget(): void {
    for (const [key, seq] of this.#invalidated) {
      if (this.#invalidated.size <= this.#maxEntries) break;
      this.#invalidated.delete(key);
      this.#floor = seq;
    }
  }
}
