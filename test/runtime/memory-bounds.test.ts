import v8 from 'node:v8';
import vm from 'node:vm';
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { MAX_BODY_BYTES } from '../../src/runtime/http/body.js';
import { orderEntity, userEntity } from './support/entities.js';
import { apiFor } from './support/http.js';
import { boundedAll, type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const MB = 1024 * 1024;

function settledHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** The highest heapUsed seen while `run` runs (sampled every millisecond the event loop is free, and at the end). */
async function peakHeapDuring(run: () => Promise<unknown>): Promise<number> {
  let peak = process.memoryUsage().heapUsed;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 1);
  try {
    await run();
  } finally {
    clearInterval(sample);
  }
  return Math.max(peak, process.memoryUsage().heapUsed);
}

let cosmos: LocalCosmos;
let users: Container;
let orders: Container;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  users = await cosmos.container('users', '/id');
  orders = await cosmos.container('orders', '/region');
});
afterAll(async () => cosmos?.stop());

describe('memory stays bounded', () => {
  it('a burst of 20 concurrent ~1 MiB bodies of empty arrays is refused before parsing, heap growth bounded', async () => {
    const api = apiFor(userEntity, createCrudHandlers(userEntity, users));
    // ~350,000 empty arrays in just under 1 MiB: parsed, each body would take 12–15 MB of heap.
    const count = Math.floor((MAX_BODY_BYTES - 64) / 3);
    const body = `{"name":"a","tags":[${Array(count).fill('[]').join(',')}]}`;
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    const deep = `{"name":"a","profile":${'{"a":'.repeat(150_000)}1${'}'.repeat(150_000)}}`;
    const before = settledHeap();
    const statuses: number[] = [];
    const peak = await peakHeapDuring(async () => {
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) => api.create(i % 2 ? body : deep)),
      );
      statuses.push(...replies.map((r) => r.status));
    });
    const growth = (peak - before) / MB;
    // Measured here: ~6 MB with the guard, ~160 MB with the shape check disabled (bodies parsed, the deep
    // ones then overflowing the stack as 500s). The bodies' own text and bytes are live during the burst.
    expect(growth, `peak heap growth ${growth.toFixed(1)} MB`).toBeLessThan(60);
    expect((settledHeap() - before) / MB).toBeLessThan(10);
    expect(statuses.filter((s) => s === 400).length).toBe(10);
    expect(statuses.filter((s) => s === 413).length).toBe(10);
  });

  it('a cache full of large items holds at most its byte budget', async () => {
    const ITEMS = 60;
    const blob = 'x'.repeat(400 * 1024);
    await boundedAll(
      Array.from(
        { length: ITEMS },
        (_, i) => () => orders.items.create({ id: `big-${i}`, region: 'eu', total: i, blob }),
      ),
      4,
    );
    const budget = 8 * MB;
    const api = apiFor(
      orderEntity,
      createCrudHandlers(orderEntity, orders, { cacheLimits: { maxBytes: budget } }),
    );
    // Warm up the code paths so that the baseline does not count their one-off allocations.
    expect((await api.get('big-0', { query: { pk: 'eu' } })).status).toBe(200);
    const before = settledHeap();
    for (let i = 0; i < ITEMS; i++)
      expect((await api.get(`big-${i}`, { query: { pk: 'eu' } })).status).toBe(200);
    const retained = (settledHeap() - before) / MB;
    // 60 × 400 KB = 24 MB would be retained by a cache bounded only by entry count.
    expect(retained, `retained ${retained.toFixed(1)} MB`).toBeLessThan(budget / MB + 4);
    // The cache still works: the last items read are hits (an external write is not seen within the TTL).
    await orders.item(`big-${ITEMS - 1}`, 'eu').patch([{ op: 'set', path: '/total', value: -1 }]);
    expect((await api.get(`big-${ITEMS - 1}`, { query: { pk: 'eu' } })).body.total).toBe(ITEMS - 1);
  });
});
