/**
 * `atakora migrate`'s cost, in two parts.
 *
 * 1. Throughput (budget ≥ 0.8× a hand-written loop): the rewrite engine the command runs
 *    (`src/cli/migrate/rewrite-items.ts`: one query of older items read with its continuation, the migration chain
 *    reads use with its check, a replace with If-Match per item) against the loop a developer would write by hand
 *    over the same kind of container — page through `SELECT * … older`, apply the migration, replace with
 *    If-Match — both on fresh copies of the same version-1 items, against one local Cosmos DB server in a process
 *    of its own. Each round seeds two containers and runs both (order alternating, so drift moves both alike); the
 *    figure is the median of the per-round ratios (hand time / engine time = engine throughput / hand throughput).
 * 2. Linear cost: one run over a large container (10,000 items by default, 1 in 100 of them with a value the
 *    migration turns into a wrong type, so it fails and stays older), batch by batch: the requests and request
 *    units (as the server charged them) per item of each batch, first against last. Beside it, the engine as it
 *    was before (a fresh query of older items per batch: items that failed before come back at the head of every
 *    query and are paged past again), over a fresh copy of the same items.
 *
 * Both results are checked: every item at version 2 in the migrated shape, or (part 2) exactly the failing ones
 * left. The command's fixed start (loading the entry, bundling the migration modules) is not part of it: it does
 * not grow with the items. Asserts nothing.
 *
 *   npx tsx bench/migrate.ts [rounds=8] [items=300] [large=10000]
 */
import type { Container } from '@azure/cosmos';
import { rewriteOlderItems } from '../src/cli/migrate/rewrite-items.js';
import { SCHEMA_VERSION_FIELD as V } from '../src/runtime/values/system-fields.js';
import { benchCosmos } from './support/cosmos-client.js';
import { median } from './support/stats.js';
import { toV2, VERSIONED_ENTITY } from './support/versioned-entity.js';

const ROUNDS = Math.min(Math.max(Number(process.argv[2] ?? 8) || 8, 2), 200);
const ITEMS = Math.min(Math.max(Number(process.argv[3] ?? 300) || 300, 20), 20_000);
const LARGE = Math.min(Math.max(Number(process.argv[4] ?? 10_000) || 10_000, 200), 50_000);
const BATCH = 100;
const BUDGET = 0.8;

const entity = VERSIONED_ENTITY;

/** The hand-written loop: page through the older items, migrate, replace with If-Match (no retry: no writers). */
async function handLoop(c: Container): Promise<void> {
  const it = c.items.query<Record<string, unknown>>(
    `SELECT * FROM c WHERE NOT IS_DEFINED(c["${V}"]) OR c["${V}"] < 2`,
    { maxItemCount: 100 },
  );
  while (it.hasMoreResults()) {
    const { resources } = await it.fetchNext();
    for (const stored of resources) {
      const { _rid, _self, _etag, _attachments, _ts, ...item } = stored;
      await c
        .item(String(item['id']), String(item['id']))
        .replace(
          { ...toV2(item), [V]: 2 },
          { accessCondition: { type: 'IfMatch', condition: String(_etag) } },
        );
    }
  }
}

async function check(c: Container): Promise<void> {
  const { resources } = await c.items.query<Record<string, unknown>>('SELECT * FROM c').fetchAll();
  if (resources.length !== ITEMS)
    throw new Error(`expected ${ITEMS} items, got ${resources.length}`);
  for (const r of resources)
    if (r[V] !== 2 || r['total'] !== 19.99 || 'amountCents' in r) throw new Error('not migrated');
}

const cosmos = await benchCosmos();
try {
  const db = cosmos.container.database;
  let n = 0;
  const fresh = async (): Promise<Container> => {
    const { container } = await db.containers.createIfNotExists({
      id: `m${String(n++)}`,
      partitionKey: { paths: ['/id'] },
    });
    for (let i = 0; i < ITEMS; i++)
      await container.items.create({ id: `d${i}`, name: `doc ${i}`, n: i, amountCents: 1999 });
    return container;
  };
  const timed = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  const engine = (c: Container) =>
    rewriteOlderItems({ container: c, entity, migrations: { 2: toV2 } }).then((s) => {
      if (s.rewritten !== ITEMS) throw new Error(`engine rewrote ${s.rewritten}`);
    });
  // One warm-up round of each.
  await engine(await fresh());
  await handLoop(await fresh());
  const ratios: number[] = [];
  const e: number[] = [];
  const h: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const a = await fresh();
    const b = await fresh();
    let te: number, th: number;
    if (r % 2 === 0) {
      te = await timed(() => engine(a));
      th = await timed(() => handLoop(b));
    } else {
      th = await timed(() => handLoop(b));
      te = await timed(() => engine(a));
    }
    await check(a);
    await check(b);
    e.push(te);
    h.push(th);
    ratios.push(th / te);
    await a.delete();
    await b.delete();
  }
  const s = [...ratios].sort((x, y) => x - y);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  const m = median(ratios);
  const perSec = (ms: number) => ((ITEMS / ms) * 1000).toFixed(0);
  console.log(
    `Migrate throughput: the rewrite engine vs a hand-written read-and-replace loop, ${ROUNDS} rounds of ` +
      `${ITEMS} version-1 items each, local @vercel/cosmosdb-server in another process, Node ${process.version}`,
  );
  console.log(
    `  engine ${perSec(median(e))} items/s, hand loop ${perSec(median(h))} items/s; throughput ratio median ` +
      `×${m.toFixed(3)} (IQR ×${q(0.25).toFixed(3)}–×${q(0.75).toFixed(3)})  budget ≥ ×${BUDGET}: ` +
      `${m >= BUDGET ? 'ok' : 'UNDER'}`,
  );

  // Part 2: a large container, batch by batch.
  const large = async (id: string): Promise<Container> => {
    const { container } = await db.containers.createIfNotExists({
      id,
      partitionKey: { paths: ['/id'] },
    });
    for (let i = 0; i < LARGE; i += 50)
      await Promise.all(
        Array.from({ length: Math.min(50, LARGE - i) }, (_, k) =>
          container.items.create({
            id: `d${String(i + k).padStart(6, '0')}`,
            // One in a hundred keeps a name the schema refuses: its check fails, it stays at version 1.
            name: (i + k) % 100 === 7 ? 42 : `doc ${i + k}`,
            amountCents: 1999,
          }),
        ),
      );
    return container;
  };
  const failing = Math.ceil((LARGE - 7) / 100);
  const a = await large('large-engine');
  const batches: { items: number; requests: number; ru: number; ms: number }[] = [];
  let t = performance.now();
  const summary = await rewriteOlderItems({
    container: a,
    entity,
    migrations: { 2: toV2 },
    batchSize: BATCH,
    onProgress: (_done, _failed, _sofar, b) => {
      const now = performance.now();
      batches.push({ items: b.items, requests: b.requests, ru: b.requestUnits, ms: now - t });
      t = now;
    },
  });
  if (summary.rewritten !== LARGE - failing || summary.failed.length !== failing)
    throw new Error(`engine: ${summary.rewritten} rewritten, ${summary.failed.length} failed`);
  const b = await large('large-restart');
  const restart = await restartPerBatch(b);
  const per = (xs: { items: number; requests: number; ru: number }[]) => ({
    requests: xs.reduce((x, y) => x + y.requests, 0) / xs.reduce((x, y) => x + y.items, 0),
    ru: xs.reduce((x, y) => x + y.ru, 0) / xs.reduce((x, y) => x + y.items, 0),
  });
  // The first and the last tenth of the batches (a single batch is 100 items: a tenth evens out its remainder).
  const tenth = Math.max(1, Math.floor(batches.length / 10));
  const first = per(batches.slice(0, tenth));
  const last = per(batches.slice(-tenth - 1, -1));
  const firstMs = median(batches.slice(0, tenth).map((x) => x.ms / x.items));
  const lastMs = median(batches.slice(-tenth - 1, -1).map((x) => x.ms / x.items));
  const rFirst = per(restart.slice(0, tenth));
  const rLast = per(restart.slice(-tenth - 1, -1));
  console.log(
    `Migrate cost per batch: ${LARGE} version-1 items (${failing} of them fail the check and stay), batches of ` +
      `${BATCH}, RU as the local server charges them (1 per request)`,
  );
  console.log(
    `  engine (one query, continuation): ${batches.length} batches; requests/item first tenth ` +
      `${first.requests.toFixed(3)}, last tenth ${last.requests.toFixed(3)} (×${(last.requests / first.requests).toFixed(3)}); ` +
      `RU/item ${first.ru.toFixed(3)} → ${last.ru.toFixed(3)} (×${(last.ru / first.ru).toFixed(3)}); ` +
      `${summary.cost.requests} requests in all; ms/item ${firstMs.toFixed(2)} → ${lastMs.toFixed(2)}`,
  );
  console.log(
    `  before (a fresh query per batch): requests/item first tenth ${rFirst.requests.toFixed(3)}, last tenth ` +
      `${rLast.requests.toFixed(3)} (×${(rLast.requests / rFirst.requests).toFixed(3)}); ` +
      `${restart.reduce((x, y) => x + y.requests, 0)} requests in all`,
  );
  await a.delete();
  await b.delete();
} finally {
  await cosmos.close();
}

/**
 * The engine as it was: a fresh query of older items for each batch, paging past the ids that failed before (they
 * are still older, so every query returns them first). Counts the requests of each batch of rewritten items.
 */
async function restartPerBatch(
  c: Container,
): Promise<{ items: number; requests: number; ru: number }[]> {
  const skip = new Set<string>();
  const out: { items: number; requests: number; ru: number }[] = [];
  const older = `SELECT * FROM c WHERE NOT IS_DEFINED(c["${V}"]) OR c["${V}"] < 2`;
  for (;;) {
    const it = c.items.query<Record<string, unknown>>(older, { maxItemCount: BATCH });
    let requests = 1;
    let todo = (await it.fetchNext()).resources.filter((r) => !skip.has(String(r['id'])));
    while (todo.length === 0 && it.hasMoreResults()) {
      requests++;
      todo = (await it.fetchNext()).resources.filter((r) => !skip.has(String(r['id'])));
    }
    if (todo.length === 0) return out;
    for (const stored of todo) {
      const { _rid, _self, _etag, _attachments, _ts, ...item } = stored;
      if (typeof item['name'] !== 'string') {
        skip.add(String(item['id']));
        continue;
      }
      requests++;
      await c
        .item(String(item['id']), String(item['id']))
        .replace(
          { ...toV2(item), [V]: 2 },
          { accessCondition: { type: 'IfMatch', condition: String(_etag) } },
        );
    }
    out.push({ items: todo.length, requests, ru: requests });
  }
}
