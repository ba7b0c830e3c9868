import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { KeyedQueue } from '../../src/runtime/data/keyed-queue.js';
import { backoff } from '../../src/runtime/data/merge-retry.js';
import { orderEntity } from './support/entities.js';
import { apiFor } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

let cosmos: LocalCosmos;
let orders: Container;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  orders = await cosmos.container('orders', '/region');
});
afterAll(async () => cosmos?.stop());

const pk = { query: { pk: 'eu' } };
/**
 * `writers` concurrent PATCHes of one item, each setting its own field, spread over `instances` handler sets
 * (one per simulated Function App instance: each has its own PATCH queue, so they race through Cosmos).
 */
async function contend(
  id: string,
  writers: number,
  instances: number,
  options: Parameters<typeof createCrudHandlers>[2],
) {
  const apis = Array.from({ length: instances }, () =>
    apiFor(orderEntity, createCrudHandlers(orderEntity, orders, options)),
  );
  expect((await apis[0]!.create({ id, region: 'eu', total: 0 })).status).toBe(201);
  const results = await Promise.all(
    Array.from({ length: writers }, (_, i) => apis[i % instances]!.patch(id, { [`f${i}`]: i }, pk)),
  );
  const { resource } = await orders.item(id, 'eu').read<Record<string, unknown>>();
  return { results, stored: resource! };
}

describe('PATCH without If-Match under contention', () => {
  it('20 concurrent merges from 4 instances all land (queue per instance, backoff with jitter across), never a 412', async () => {
    const { results, stored } = await contend('hot-1', 20, 4, {});
    expect(results.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    for (let i = 0; i < 20; i++) expect(stored[`f${i}`], `f${i}`).toBe(i);
  });

  it('when retries run out the answer is 409 write-contention with Retry-After, and every 200 is stored', async () => {
    const { results, stored } = await contend('hot-2', 30, 30, {
      mergeRetry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    });
    const statuses = new Set(results.map((r) => r.status));
    expect(statuses.has(412)).toBe(false);
    // One round and 30 instances racing on one item: some must lose, or the test proves nothing.
    expect(statuses.has(409)).toBe(true);
    for (const [i, r] of results.entries()) {
      if (r.status === 200) expect(stored[`f${i}`]).toBe(i);
      else {
        expect(r.status).toBe(409);
        expect(r.headers.get('retry-after')).toBe('1');
        expect(r.body.type).toBe('urn:atakora:problem:write-contention');
        expect(r.body.detail).not.toMatch(/If-Match/i);
        expect(stored[`f${i}`]).toBeUndefined();
      }
    }
  });

  it('one instance queues its own merges of an item: 30 at once with a single attempt each all land', async () => {
    const { results, stored } = await contend('hot-3', 30, 1, {
      mergeRetry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    });
    expect(results.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    for (let i = 0; i < 30; i++) expect(stored[`f${i}`], `f${i}`).toBe(i);
  });

  it('backoff waits a random time below min(maxDelayMs, baseDelayMs × 2^round)', async () => {
    // Fake timers: the wait is read off the timer queue, so a loaded machine cannot make it look longer.
    const policy = { attempts: 8, baseDelayMs: 10, maxDelayMs: 35 };
    vi.useFakeTimers();
    try {
      const waited = async (round: number, random: () => number): Promise<number> => {
        let done = false;
        const wait = backoff(policy, round, random).then(() => (done = true));
        let ms = 0;
        while (!done) {
          await vi.advanceTimersByTimeAsync(1);
          ms++;
        }
        await wait;
        return ms;
      };
      expect(await waited(1, () => 0.999)).toBe(19); // below 10 × 2¹ = 20
      expect(await waited(6, () => 0.999)).toBe(34); // 10 × 2⁶ = 640, capped at 35
      expect(await waited(6, () => 0)).toBeLessThanOrEqual(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('the queue runs one key in order, drains, and never waits on a stuck predecessor past maxWaitMs', async () => {
    const queue = new KeyedQueue();
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3].map((n) =>
        queue.run('k', 1000, async () => {
          await new Promise((r) => setTimeout(r, 5 * (4 - n)));
          order.push(n);
        }),
      ),
    );
    expect(order).toEqual([1, 2, 3]);
    expect(queue.size).toBe(0);
    vi.useFakeTimers();
    try {
      const stuck = queue.run('k', 1000, () => new Promise<void>(() => undefined));
      void stuck;
      let ran = false;
      const next = queue.run('k', 50, async () => void (ran = true));
      await vi.advanceTimersByTimeAsync(49);
      expect(ran).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await next;
      expect(ran).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
