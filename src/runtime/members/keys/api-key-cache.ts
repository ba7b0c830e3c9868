import { API_KEY_CACHE_SECONDS } from '../../../contract/integrations/api-keys.js';
import { AgedAnswers, answerBounds } from '../../data/aged-answers.js';
import type { ApiKeyStore, StoredApiKey } from './api-key-store.js';

/** Bounds of {@link ApiKeyCache}: entries kept, how old an answer may be, the clock (the membership cache's). */
export interface ApiKeyCacheOptions {
  readonly maxEntries?: number;
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

/** How often one instance records a key's use (a write per key per 5 minutes at most, not one per request). */
const TOUCH_EVERY_MS = 5 * 60_000;

/**
 * Keys as one instance reads them, by hash: each answer — a key, or none — kept at most 30 s
 * ({@link API_KEY_CACHE_SECONDS}), so a key revoked on another instance is refused here within that bound, and at
 * once where it was revoked (`forget`). An unknown hash is kept too: a key's hash is 256 random bits no one can
 * have tried before it was created, and a flood of wrong keys then costs one read per distinct key.
 *
 * @example
 * ```ts
 * const cache = new ApiKeyCache(store);
 * const key = await cache.get(apiKeyHash(presented)); // undefined → 401
 * ```
 */
export class ApiKeyCache {
  private readonly answers: AgedAnswers<StoredApiKey | undefined>;
  private readonly touched = new Map<string, number>();
  private readonly now: () => number;

  constructor(
    readonly store: ApiKeyStore,
    options: ApiKeyCacheOptions = {},
  ) {
    const bounds = answerBounds(options, {
      maxEntries: 10_000,
      maxAgeMs: API_KEY_CACHE_SECONDS * 1000,
    });
    this.answers = new AgedAnswers(bounds);
    this.now = bounds.now;
  }

  /** The key whose hash is `hash`, read at most once per 30 s. */
  get(hash: string): Promise<StoredApiKey | undefined> {
    return this.answers.get(hash, () => this.store.byHash(hash));
  }

  /** Drop what this instance knows of `hash`: a revocation holds here on the next request. */
  forget(hash: string): void {
    this.answers.forget(hash);
    this.touched.delete(hash);
  }

  /**
   * Record that `key` was used, at most once per 5 minutes per key on this instance, in the background: a failed
   * write only leaves `lastUsedOn` older (never a refused request).
   */
  used(key: StoredApiKey): void {
    const at = this.now();
    const last = this.touched.get(key.hash);
    if (last !== undefined && at - last < TOUCH_EVERY_MS) return;
    this.touched.set(key.hash, at);
    if (this.touched.size > 10_000) this.touched.delete(this.touched.keys().next().value as string);
    void this.store.touch(key, new Date(at).toISOString()).catch(() => undefined);
  }
}
