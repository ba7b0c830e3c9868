import type { Membership } from '../../contract/members.js';
import type { MemberStore } from './member-store.js';
import { AgedAnswers, answerBounds } from '../data/aged-answers.js';
import { JoinMisses } from './join-misses.js';

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
  private readonly answers: AgedAnswers<unknown>;
  /** The outsiders no way of joining admitted, under the same bounds (kept apart: they never evict members). */
  readonly joinMisses: JoinMisses;

  constructor(
    readonly store: MemberStore,
    options: MembershipCacheOptions = {},
  ) {
    const bounds = answerBounds(options, MEMBERSHIP_CACHE_DEFAULTS);
    this.answers = new AgedAnswers(bounds);
    this.joinMisses = new JoinMisses(bounds);
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
    this.answers.forget(`m\n${tenant}\n${userId}`);
    this.answers.forget(`u\n${userId}`);
    this.joinMisses.forget(tenant, userId);
  }

  /** How many answers are kept (for tests of the bound). */
  get size(): number {
    return this.answers.size;
  }

  private load<T>(key: string, read: () => Promise<T>): Promise<T> {
    // Each key is read by one of the two methods above: its answer is of that method's type.
    return this.answers.get(key, read) as Promise<T>;
  }
}
