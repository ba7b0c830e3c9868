/**
 * `atakora migrate`'s throughput (budget ≥ 0.8× a hand-written loop): the rewrite engine the command runs
 * (`src/cli/migrate/rewrite-items.ts`: a query of older items per batch, the migration chain reads use, a
 * replace with If-Match per item) against the loop a developer would write by hand over the same kind of
 * container — page through `SELECT * … older`, apply the migration, replace with If-Match — both on fresh
 * copies of the same version-1 items, against one local Cosmos DB server in a process of its own. Each round
 * seeds two containers and runs both (order alternating, so drift moves both alike); the figure is the median
 * of the per-round ratios (hand time / engine time = engine throughput / hand throughput). Both results are
 * checked: every item at version 2 in the migrated shape. The command's fixed start (loading the entry,
 * bundling the migration modules) is not part of it: it does not grow with the items. Asserts nothing.
 *
 *   npx tsx bench/migrate.ts [rounds=8] [items=300]
 */
import type { Container } from '@azure/cosmos';
import { rewriteOlderItems } from '../src/cli/migrate/rewrite-items.js';
import { SCHEMA_VERSION_FIELD as V } from '../src/runtime/values/system-fields.js';
import { benchCosmos } from './support/cosmos-client.js';
import { median } from './support/stats.js';
import { toV2, VERSIONED_ENTITY } from './support/versioned-entity.js';

const ROUNDS = Math.min(Math.max(Number(process.argv[2] ?? 8) || 8, 2), 200);
const ITEMS = Math.min(Math.max(Number(process.argv[3] ?? 300) || 300, 20), 20_000);
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
} finally {
  await cosmos.close();
}
