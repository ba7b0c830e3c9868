/**
 * Lazy migration's price (budget ≤ 1.2×): a GET of a version-1 item, which the runtime passes through one
 * migration (`amountCents` → `total`) before answering, against a GET of a version-2 item of the same entity and
 * size that needs none — the same handler, the same container, through the built runtime
 * (`dist/entry/runtime.js`), against one local Cosmos DB server in a process of its own. Both answers are
 * checked equal in shape. Pairs interleaved (A B, B A, …) so drift moves both alike; the figure is the median of
 * the per-pair ratios with its interquartile range. Asserts nothing (a shared machine is noisy). Needs
 * `npm run build`.
 *
 *   npx tsx bench/schema-evolution.ts [pairs=400]
 */
import type { HttpResponseInit } from '@azure/functions';
// Default import: @azure/functions is a webpack CJS bundle whose classes Node's ESM loader cannot name.
import azureFunctions from '@azure/functions';
import { benchCosmos } from './support/cosmos-client.js';
import { median } from './support/stats.js';
import { toV2, VERSIONED_ENTITY } from './support/versioned-entity.js';

const { createCrudHandlers } = (await import(
  new URL('../dist/entry/runtime.js', import.meta.url).href
)) as typeof import('../src/runtime/public-api.js');
const { HttpRequest, InvocationContext } = azureFunctions;

const PAIRS = Math.min(Math.max(Number(process.argv[2] ?? 400) || 400, 20), 20_000);
const WARMUP = 50;
const BUDGET = 1.2;
const ITEMS = 40;

const entity = VERSIONED_ENTITY;

const cosmos = await benchCosmos();
try {
  const { container } = cosmos;
  const handlers = createCrudHandlers(entity, container, { migrations: { 2: toV2 } });
  const context = new InvocationContext({
    invocationId: 'bench',
    functionName: 'bench',
    logHandler: () => {},
  });
  // Written straight to the container: version-1 items as the old code stored them, version-2 items as now.
  for (let i = 0; i < ITEMS; i++) {
    await container.items.create({ id: `old-${i}`, name: `doc ${i}`, n: i, amountCents: 1999 });
    await container.items.create({
      id: `new-${i}`,
      name: `doc ${i}`,
      n: i,
      total: 19.99,
      _atakoraV: 2,
    });
  }
  const read = async (prefix: string, i: number) => {
    const id = `${prefix}-${i % ITEMS}`;
    const r = (await handlers.item(
      new HttpRequest({ method: 'GET', url: `https://bench.local/api/docs/${id}`, params: { id } }),
      context,
    )) as HttpResponseInit;
    if (r.status !== 200) throw new Error(`expected 200, got ${r.status}: ${String(r.body)}`);
    const body = JSON.parse(String(r.body)) as { total?: number; amountCents?: unknown };
    if (body.total !== 19.99 || 'amountCents' in body) throw new Error('not the current shape');
  };
  const timed = async (fn: () => Promise<void>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  for (let i = 0; i < WARMUP; i++) {
    await read('new', i);
    await read('old', i);
  }
  const ratios: number[] = [],
    a: number[] = [],
    b: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    let current: number, migrated: number;
    if (i % 2 === 0) {
      current = await timed(() => read('new', i));
      migrated = await timed(() => read('old', i));
    } else {
      migrated = await timed(() => read('old', i));
      current = await timed(() => read('new', i));
    }
    a.push(current);
    b.push(migrated);
    ratios.push(migrated / current);
  }
  const s = [...ratios].sort((x, y) => x - y);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  const m = median(ratios);
  console.log(
    `Lazy migration: GET of a version-1 item through one migration vs a current item, ${PAIRS} interleaved ` +
      `pairs, built runtime, local @vercel/cosmosdb-server in another process, Node ${process.version}`,
  );
  console.log(
    `  current ${median(a).toFixed(3)} ms, migrated ${median(b).toFixed(3)} ms; pair ratio median ` +
      `×${m.toFixed(3)} (IQR ×${q(0.25).toFixed(3)}–×${q(0.75).toFixed(3)})  budget ≤ ×${BUDGET}: ` +
      `${m <= BUDGET ? 'ok' : 'OVER'}`,
  );
} finally {
  await cosmos.close();
}
