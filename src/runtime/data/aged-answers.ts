/**
 * How many answers an {@link AgedAnswers} keeps and how old one may be; `now` for tests.
 *
 * @example
 * ```ts
 * const bounds: AnswerBounds = { maxEntries: 1000, maxAgeMs: 30_000, now: Date.now };
 * ```
 */
export interface AnswerBounds {
  readonly maxEntries: number;
  readonly maxAgeMs: number;
  readonly now: () => number;
}

/**
 * The bounds a cache's options ask for, its defaults where they ask nothing: at least one entry, no negative age.
 *
 * @example
 * ```ts
 * answerBounds({ maxAgeMs: 1000 }, { maxEntries: 1000, maxAgeMs: 30_000 }); // { maxEntries: 1000, maxAgeMs: 1000, now: Date.now }
 * ```
 */
export function answerBounds(
  options: {
    readonly maxEntries?: number;
    readonly maxAgeMs?: number;
    readonly now?: () => number;
  },
  defaults: { readonly maxEntries: number; readonly maxAgeMs: number },
): AnswerBounds {
  return {
    maxEntries: Math.max(1, options.maxEntries ?? defaults.maxEntries),
    maxAgeMs: Math.max(0, options.maxAgeMs ?? defaults.maxAgeMs),
    now: options.now ?? Date.now,
  };
}

/**
 * Answers of a store as one instance keeps them (the registry's records, memberships): each kept at most `maxAgeMs`,
 * at most `maxEntries` of them — the oldest answer dropped first. Concurrent reads of one key share one answer; a
 * failed read is not kept.
 *
 * @example
 * ```ts
 * const answers = new AgedAnswers<TenantRecord | undefined>({ maxEntries: 1000, maxAgeMs: 30_000, now: Date.now });
 * const record = await answers.get('contoso', () => store.read('contoso'));
 * ```
 */
export class AgedAnswers<V> {
  private readonly entries = new Map<string, { readonly at: number; readonly value: Promise<V> }>();

  constructor(private readonly bounds: AnswerBounds) {}

  /** The answer for `key` while younger than `maxAgeMs`, else `read()`'s (kept, unless it fails). */
  get(key: string, read: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && this.bounds.now() - hit.at < this.bounds.maxAgeMs) return hit.value;
    const value = read();
    this.keep(key, value);
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  /** Keep `value` as the fresh answer for `key`. */
  keep(key: string, value: Promise<V>): void {
    this.entries.delete(key);
    this.entries.set(key, { at: this.bounds.now(), value });
    // Map order is insertion order: the first key is the oldest answer.
    while (this.entries.size > this.bounds.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  /** The answer for `key` while younger than `maxAgeMs`, else undefined — nothing is read or kept. */
  peek(key: string): Promise<V> | undefined {
    const hit = this.entries.get(key);
    return hit && this.bounds.now() - hit.at < this.bounds.maxAgeMs ? hit.value : undefined;
  }

  /** Drop every answer: each key is read again on its next `get`. */
  clear(): void {
    this.entries.clear();
  }

  /** Drop the answer for `key`: the next `get` reads again. */
  forget(key: string): void {
    this.entries.delete(key);
  }

  /** How many answers are kept. */
  get size(): number {
    return this.entries.size;
  }
}
