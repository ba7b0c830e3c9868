import v8 from 'node:v8';
import vm from 'node:vm';
import type { CosmosClient } from '@azure/cosmos';
import { localCosmosClient, testAgent } from '../../support/local-cosmos-client.js';
import { createCrudHandlers } from '../../../src/runtime/crud/handlers.js';
import { MAX_BODY_BYTES } from '../../../src/runtime/http/body.js';
import { orderEntity, userEntity } from './entities.js';
import { apiFor } from './http.js';
import { boundedAll } from './bounded-all.js';

/**
 * The heap measurements of test/runtime/memory-bounds.test.ts, run in a worker thread of their own
 * (test/runtime/support/heap-probe-worker.cjs): a fresh V8 isolate whose heap holds only the runtime under test,
 * so a full collection costs milliseconds and measures the runtime alone. In the test's own worker (files share it,
 * vitest.config.ts `isolate: false`) the heap held every earlier file's modules: each of the eight forced
 * collections marked all of it (the file took 15 CPU-s in `npm test`, 3 alone).
 */
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

/** What a burst of 20 concurrent ~1 MiB hostile bodies did to the heap (MB) and what each was answered. */
export interface BurstFigures {
  readonly bodyBytes: number;
  readonly maxBodyBytes: number;
  readonly peakGrowthMb: number;
  readonly settledGrowthMb: number;
  readonly statuses: readonly number[];
}

/** A key-auth client of the local server at `endpoint`, and how to let it go. */
function clientAt(endpoint: string): { client: CosmosClient; close(): void } {
  const agent = testAgent();
  const client = localCosmosClient(endpoint, agent);
  return {
    client,
    close() {
      client.dispose();
      agent.destroy();
    },
  };
}

/**
 * 20 creates at once into container `users` (database `atakora`) at `endpoint`: half ~350,000 empty arrays in just
 * under 1 MiB, half 150,000 nested objects.
 */
export async function burst(endpoint: string): Promise<BurstFigures> {
  const { client, close } = clientAt(endpoint);
  try {
    return await burstInto(
      apiFor(
        userEntity,
        createCrudHandlers(userEntity, client.database('atakora').container('users')),
      ),
    );
  } finally {
    close();
  }
}

async function burstInto(api: ReturnType<typeof apiFor>): Promise<BurstFigures> {
  const count = Math.floor((MAX_BODY_BYTES - 64) / 3);
  const body = `{"name":"a","tags":[${Array(count).fill('[]').join(',')}]}`;
  const deep = `{"name":"a","profile":${'{"a":'.repeat(150_000)}1${'}'.repeat(150_000)}}`;
  const before = settledHeap();
  const statuses: number[] = [];
  const peak = await peakHeapDuring(async () => {
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api.create(i % 2 ? body : deep)),
    );
    statuses.push(...replies.map((r) => r.status));
  });
  return {
    bodyBytes: Buffer.byteLength(body),
    maxBodyBytes: MAX_BODY_BYTES,
    peakGrowthMb: (peak - before) / MB,
    settledGrowthMb: (settledHeap() - before) / MB,
    statuses,
  };
}

/** What reading every stored item once through a cache of `budgetMb` left on the heap. */
export interface CacheFigures {
  readonly statuses: readonly number[];
  readonly retainedMb: number;
  /** `total` of the last item read, GET again after an external write set it to -1 (a hit shows the old one). */
  readonly lastTotalAfterWrite: unknown;
}

/**
 * Writes `items` items of ~400 KB (`big-<i>`, partition `eu`) into container `orders` (database `atakora`) at
 * `endpoint`, then reads each once through a cache of `budgetMb`.
 */
export async function cacheBudget(
  endpoint: string,
  items: number,
  budgetMb: number,
): Promise<CacheFigures> {
  const { client, close } = clientAt(endpoint);
  try {
    const orders = client.database('atakora').container('orders');
    const blob = 'x'.repeat(400 * 1024);
    await boundedAll(
      Array.from(
        { length: items },
        (_, i) => () => orders.items.create({ id: `big-${i}`, region: 'eu', total: i, blob }),
      ),
      4,
    );
    const api = apiFor(
      orderEntity,
      createCrudHandlers(orderEntity, orders, { cacheLimits: { maxBytes: budgetMb * MB } }),
    );
    // Warm up the code paths so that the baseline does not count their one-off allocations.
    const statuses = [(await api.get('big-0', { query: { pk: 'eu' } })).status];
    const before = settledHeap();
    for (let i = 0; i < items; i++)
      statuses.push((await api.get(`big-${i}`, { query: { pk: 'eu' } })).status);
    const retainedMb = (settledHeap() - before) / MB;
    await orders.item(`big-${items - 1}`, 'eu').patch([{ op: 'set', path: '/total', value: -1 }]);
    const last = await api.get(`big-${items - 1}`, { query: { pk: 'eu' } });
    return { statuses, retainedMb, lastTotalAfterWrite: last.body.total };
  } finally {
    close();
  }
}
