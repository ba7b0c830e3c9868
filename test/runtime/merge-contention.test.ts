import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrudHandlers } from '../../src/runtime/crud-handlers.js';
import { backoff } from '../../src/runtime/merge-retry.js';
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
async function contend(id: string, writers: number, options: Parameters<typeof createCrudHandlers>[2]) {
  const api = apiFor(orderEntity, createCrudHandlers(orderEntity, orders, options));
  expect((await api.create({ id, region: 'eu', total: 0 })).status).toBe(201);
  // Each writer sets its own field, so the stored item shows exactly which merges landed.
  const results = await Promise.all(Array.from({ length: writers }, (_, i) => api.patch(id, { [`f${i}`]: i }, pk)));
  const { resource } = await orders.item(id, 'eu').read<Record<string, unknown>>();
  return { results, stored: resource! };
}

describe('PATCH without If-Match under contention', () => {
  it('20 concurrent merges of different fields all land (backoff with jitter), never a 412', async () => {
    const { results, stored } = await contend('hot-1', 20, {});
    expect(results.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    for (let i = 0; i < 20; i++) expect(stored[`f${i}`], `f${i}`).toBe(i);
  }, 60_000);

  it('when retries run out the answer is 409 write-contention with Retry-After, and every 200 is stored', async () => {
    const { results, stored } = await contend('hot-2', 30, { mergeRetry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
    const statuses = new Set(results.map((r) => r.status));
    expect(statuses.has(412)).toBe(false);
    // One round and 30 writers racing on one item: some must lose, or the test proves nothing.
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
  }, 60_000);

  it('backoff waits a random time below min(maxDelayMs, baseDelayMs × 2^round)', async () => {
    const policy = { attempts: 8, baseDelayMs: 10, maxDelayMs: 35 };
    const started = performance.now();
    await backoff(policy, 1, () => 0.999);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
    const capped = performance.now();
    await backoff(policy, 6, () => 0);
    expect(performance.now() - capped).toBeLessThan(15);
  });
});
