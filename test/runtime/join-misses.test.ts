/**
 * The outsiders' cache (runtime/members/join-misses.ts) on its own: bounded in entries whatever ids a caller names,
 * each refusal kept for the membership cache's bound, all forgotten by a change that may admit — and a lookup that
 * began before such a change not kept; the store view that notices those changes keeps the store's own methods.
 */
import { describe, expect, it } from 'vitest';
import { JoinMisses, noticingWrites } from '../../src/runtime/members/join-misses.js';
import { MembershipCache } from '../../src/runtime/members/membership-cache.js';
import type { MemberStore } from '../../src/runtime/members/member-store.js';

describe('JoinMisses', () => {
  it('keeps at most maxEntries refusals, the oldest dropped first, each for maxAgeMs', () => {
    let now = 0;
    const misses = new JoinMisses({ maxEntries: 100, maxAgeMs: 30_000, now: () => now });
    for (let i = 0; i < 10_000; i++) misses.remember(`org-${String(i)}`, 'mallory', misses.since());
    expect(misses.size).toBe(100);
    expect(misses.known('org-0', 'mallory')).toBe(false);
    expect(misses.known('org-9999', 'mallory')).toBe(true);
    now += 29_999;
    expect(misses.known('org-9999', 'mallory')).toBe(true);
    now += 1;
    expect(misses.known('org-9999', 'mallory')).toBe(false);
  });

  it('a change that may admit forgets every refusal; a lookup that began before it is not kept', () => {
    const misses = new JoinMisses({ maxEntries: 10, maxAgeMs: 30_000, now: () => 0 });
    misses.remember(undefined, 'eve', misses.since());
    expect(misses.known(undefined, 'eve')).toBe(true);
    const since = misses.since();
    misses.changed();
    expect(misses.known(undefined, 'eve')).toBe(false);
    misses.remember('acme', 'eve', since);
    expect(misses.known('acme', 'eve')).toBe(false);
  });

  it('a membership made here forgets that user’s refusals (the organization and naming none)', () => {
    const cache = new MembershipCache({} as MemberStore, { now: () => 0 });
    cache.joinMisses.remember('acme', 'eve', 0);
    cache.joinMisses.remember(undefined, 'eve', 0);
    cache.joinMisses.remember('globex', 'eve', 0);
    cache.forget('acme', 'eve');
    expect(['acme', undefined, 'globex'].map((org) => cache.joinMisses.known(org, 'eve'))).toEqual([
      false,
      false,
      true,
    ]);
  });
});

describe('noticingWrites', () => {
  class Store {
    #rows = new Map<string, string>();
    async put(id: string, v: string): Promise<string> {
      this.#rows.set(id, v);
      return v;
    }
    async get(id: string): Promise<string | undefined> {
      return this.#rows.get(id);
    }
  }

  it('calls changed after each named write, whatever it answers; the other methods are the store’s', async () => {
    let changes = 0;
    const store = noticingWrites(new Store(), ['put'], () => {
      changes++;
    });
    expect(await store.put('a', 'x')).toBe('x');
    expect(await store.get('a')).toBe('x');
    expect(changes).toBe(1);
    const failing = noticingWrites(
      { put: async (): Promise<never> => Promise.reject(new Error('503')) },
      ['put'],
      () => {
        changes++;
      },
    );
    await expect(failing.put()).rejects.toThrow('503');
    expect(changes).toBe(2);
  });
});
