import type { Membership } from '../../contract/members.js';
import type { MemberStore } from './member-store.js';

/** Bounds of {@link MembershipCache}: entries kept and how old an answer may be; `now` for tests. */
export interface MembershipCacheOptions {
  /** Default 10,000 (a user's membership of one organization, or a user's list, is one entry each). */
  readonly maxEntries?: number;
  /** Default 30,000 ms: a removal or role change made elsewhere holds on this instance within this. */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

/** Default bounds: ≤ 10,000 entries, each answer ≤ 30 s old (DESIGN §2, "Tenants by membership"). */
export const MEMBERSHIP_CACHE_DEFAULTS = { maxEntries: 10_000, maxAgeMs: 30_000 } as const;

interface Entry {
  readonly at: number;
  readonly value: Promise<unknown>;
}

/**
 * Memberships as one instance reads them, bounded like the registry's cache: a user's membership of an
 * organization (one point read) and a user's list of memberships (one query, for a request that names no
 * organization), each kept at most `maxAgeMs`, at most `maxEntries` of them (the oldest answer dropped first).
 * Concurrent requests share one read; a failed read is not kept. A change made through this instance (a removal, a
 * role change, an acceptance) is forgotten at once — it holds here on the next request, on the other instances
 * within `maxAgeMs`.
 *
 * @example
 * ```ts
 * const cache = new MembershipCache(store, { maxAgeMs: 30_000 });
 * const m = await cache.membership('acme-k3x9qa', 'u-1'); // undefined → not a member
 * ```
 */
export class MembershipCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(
    readonly store: MemberStore,
    options: MembershipCacheOptions = {},
  ) {
    this.maxEntries = Math.max(1, options.maxEntries ?? MEMBERSHIP_CACHE_DEFAULTS.maxEntries);
    this.maxAgeMs = Math.max(0, options.maxAgeMs ?? MEMBERSHIP_CACHE_DEFAULTS.maxAgeMs);
    this.now = options.now ?? Date.now;
  }

  /** `userId`'s membership of `tenant`, read at most once per `maxAgeMs`. */
  membership(tenant: string, userId: string): Promise<Membership | undefined> {
    return this.load(
      `m\n${tenant}\n${userId}`,
      async () => (await this.store.read(tenant, userId))?.value,
    );
  }

  /** Every membership of `userId`, read at most once per `maxAgeMs`. */
  membershipsOf(userId: string): Promise<readonly Membership[]> {
    return this.load(`u\n${userId}`, () => this.store.membershipsOf(userId));
  }

  /** Drop what this instance knows of `userId` in `tenant` (and the user's list): read again on the next request. */
  forget(tenant: string, userId: string): void {
    this.entries.delete(`m\n${tenant}\n${userId}`);
    this.entries.delete(`u\n${userId}`);
  }

  /** How many answers are kept (for tests of the bound). */
  get size(): number {
    return this.entries.size;
  }

  private load<T>(key: string, read: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.maxAgeMs) return hit.value as Promise<T>;
    const value = read();
    this.entries.delete(key);
    this.entries.set(key, { at: this.now(), value });
    // Map order is insertion order: the first key is the oldest answer.
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}
