import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BurstFigures, CacheFigures } from './support/heap-probe.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

let cosmos: LocalCosmos;
/**
 * The measurements run in a worker thread (support/heap-probe.ts): a heap of its own holding only the runtime, not
 * the modules of every earlier test file of this vitest worker (a forced collection of that cost seconds each).
 */
let probe: Worker;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  await cosmos.container('users', '/id');
  await cosmos.container('orders', '/region');
  probe = new Worker(new URL('./support/heap-probe-worker.cjs', import.meta.url));
});
afterAll(async () => {
  await probe?.terminate();
  await cosmos?.stop();
});

/** The figures of `probe[name](...args)`, run in the worker thread. */
function inThread<T>(name: 'burst' | 'cacheBudget', ...args: unknown[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const exit = (code: number) =>
      reject(new Error(`the heap probe exited (${String(code)}) without an answer`));
    probe.once('error', reject);
    probe.once('exit', exit);
    probe.once('message', (answer: { figures?: T; error?: string }) => {
      probe.off('error', reject);
      probe.off('exit', exit);
      if (answer.error) reject(new Error(answer.error));
      else resolve(answer.figures as T);
    });
    probe.postMessage({ name, args });
  });
}

describe('memory stays bounded', () => {
  it('a burst of 20 concurrent ~1 MiB bodies of empty arrays is refused before parsing, heap growth bounded', async () => {
    const burst = await inThread<BurstFigures>('burst', cosmos.endpoint);
    expect(burst.bodyBytes).toBeLessThanOrEqual(burst.maxBodyBytes);
    // Measured here: ~6 MB with the guard, ~160 MB with the shape check disabled (bodies parsed, the deep
    // ones then overflowing the stack as 500s). The bodies' own text and bytes are live during the burst.
    expect(burst.peakGrowthMb, `peak heap growth ${burst.peakGrowthMb.toFixed(1)} MB`).toBeLessThan(
      60,
    );
    expect(burst.settledGrowthMb).toBeLessThan(10);
    expect(burst.statuses.filter((s) => s === 400).length).toBe(10);
    expect(burst.statuses.filter((s) => s === 413).length).toBe(10);
  });

  it('a cache full of large items holds at most its byte budget', async () => {
    const ITEMS = 60;
    const BUDGET_MB = 8;
    // 60 items of ~400 KB written, then each read once through a cache of 8 MB.
    const cache = await inThread<CacheFigures>('cacheBudget', cosmos.endpoint, ITEMS, BUDGET_MB);
    expect(cache.statuses).toEqual(Array(ITEMS + 1).fill(200));
    // 60 × 400 KB = 24 MB would be retained by a cache bounded only by entry count.
    expect(cache.retainedMb, `retained ${cache.retainedMb.toFixed(1)} MB`).toBeLessThan(
      BUDGET_MB + 4,
    );
    // The cache still works: the last items read are hits (an external write is not seen within the TTL).
    expect(cache.lastTotalAfterWrite).toBe(ITEMS - 1);
  });
});
