/** What the cache keeps for one item: the response body (system fields stripped) and its ETag. */
export interface CachedRead {
  readonly body: Readonly<Record<string, unknown>>;
  readonly etag: string | undefined;
}

/**
 * The read-through cache of GET-one responses (`RuntimeEntity.cache`). Per Function App instance and
 * entity; writes and deletes through this instance invalidate their key at once, writes through other
 * instances become visible after at most `ttlSeconds`. Bounded (oldest entry evicted first) so a scan over
 * many ids cannot grow the worker's memory without limit.
 *
 * @example
 * ```ts
 * const cache = new ReadCache(30);
 * cache.set(key, { body, etag });
 * cache.get(key); // { body, etag } for 30 s
 * ```
 */
export class ReadCache {
  readonly #entries = new Map<string, { value: CachedRead; expiresAt: number }>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly maxEntries = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cache key of an item: partition key value plus id (ids are unique only within a partition). */
  static key(partitionValue: unknown, id: string): string {
    return JSON.stringify([partitionValue, id]);
  }

  get(key: string): CachedRead | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: CachedRead): void {
    if (this.ttlSeconds <= 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: this.now() + this.ttlSeconds * 1000 });
    // Maps iterate in insertion order, so the first key is the oldest write.
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
