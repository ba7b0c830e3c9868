/**
 * `atakora tenant export` and `import` throughput (budget ≥ 0.8× a hand-written loop with `@azure/cosmos` on the
 * same data). One local Cosmos DB server in a process of its own; a container keyed by `/tenantId` holding three
 * tenants' notes (ITEMS each). Each round runs both sides, order alternating:
 * - export: the command's engine (src/cli/tenant/export.ts: the tenant's items, Cosmos DB's system fields left
 *   out, in id order, NDJSON with its SHA-256 and the manifest) against the loop one writes by hand — one query of
 *   the tenant's partition, `fetchAll`, each item stripped and written as a line;
 * - import: the engine (src/cli/tenant/import.ts: the file checked against the manifest, each item stamped,
 *   checked against the schema and created unless its id is taken, in lanes) against a hand loop reading the
 *   NDJSON and creating each item with the new tenant id, one `await` after the other — into a fresh tenant id
 *   each time, so both create every item.
 * The figure is the median of the per-round ratios (hand time / engine time = engine throughput / hand
 * throughput). Both results are checked (every item there, nothing of another tenant). Asserts nothing.
 *
 *   npx tsx bench/tenant-export.ts [rounds=8] [items=500]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container } from '@azure/cosmos';
import { defineBackend } from '../src/backend/define-backend.js';
import { CrudApi } from '../src/components/crud/index.js';
import type { TenantTarget } from '../src/cli/tenant/connect.js';
import { exportTenant } from '../src/cli/tenant/export.js';
import { importTenant } from '../src/cli/tenant/import.js';
import { tenantLayout } from '../src/cli/tenant/targets.js';
import { benchCosmos } from './support/cosmos-client.js';
import { median } from './support/stats.js';
import { recordRatio } from './support/summary.js';

const ROUNDS = Math.min(Math.max(Number(process.argv[2] ?? 8) || 8, 2), 200);
const ITEMS = Math.min(Math.max(Number(process.argv[3] ?? 500) || 500, 20), 20_000);
const BUDGET = 0.8;
const TENANTS = ['tenant-a', 'tenant-b', 'tenant-c'];
const SYSTEM = ['_rid', '_self', '_etag', '_attachments', '_ts'];

const backend = defineBackend({
  notes: CrudApi.define('NoteApi', {
    entityName: 'Note',
    partitionKey: '/tenantId',
    schema: {
      id: 'string',
      title: { type: 'string', required: true },
      n: 'number',
      done: 'boolean',
    },
  }),
});
const layout = tenantLayout(backend.plan());

const cosmos = await benchCosmos();
const dir = mkdtempSync(join(tmpdir(), 'atakora-bench-tenant-'));
try {
  const db = cosmos.container.database;
  const { container } = await db.containers.createIfNotExists({
    id: 'notes',
    partitionKey: { paths: ['/tenantId'] },
  });
  for (const tenantId of TENANTS)
    for (let i = 0; i < ITEMS; i += 50)
      await Promise.all(
        Array.from({ length: Math.min(50, ITEMS - i) }, (_, k) =>
          container.items.create({
            id: `n${String(i + k).padStart(6, '0')}`,
            tenantId,
            title: `note ${String(i + k)} of ${tenantId}`,
            n: i + k,
            done: (i + k) % 3 === 0,
          }),
        ),
      );
  const target: TenantTarget = {
    backend,
    layout,
    where: 'bench',
    container: () => Promise.resolve(container),
    dispose: () => undefined,
  };
  const count = async (tenantId: string) =>
    (
      await container.items
        .query<number>(
          {
            query: 'SELECT VALUE COUNT(1) FROM c WHERE c.tenantId = @t',
            parameters: [{ name: '@t', value: tenantId }],
          },
          { partitionKey: tenantId },
        )
        .fetchAll()
    ).resources[0];
  const handExport = async (file: string) => {
    const { resources } = await container.items
      .query<Record<string, unknown>>(
        {
          query: 'SELECT * FROM c WHERE c.tenantId = @t',
          parameters: [{ name: '@t', value: 'tenant-a' }],
        },
        { partitionKey: 'tenant-a' },
      )
      .fetchAll();
    let text = '';
    for (const r of resources)
      text += `${JSON.stringify(Object.fromEntries(Object.entries(r).filter(([k]) => !SYSTEM.includes(k))))}\n`;
    writeFileSync(file, text);
  };
  const handImport = async (file: string, tenantId: string) => {
    for (const line of readFileSync(file, 'utf8').split('\n'))
      if (line !== '') await container.items.create({ ...(JSON.parse(line) as object), tenantId });
  };
  const timed = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  const out = join(dir, 'export');
  const handFile = join(dir, 'hand.ndjson');
  // One warm-up of each.
  await exportTenant(target, 'tenant-a', out);
  await handExport(handFile);
  const ex = { e: [] as number[], h: [] as number[], r: [] as number[] };
  const im = { e: [] as number[], h: [] as number[], r: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    const pair = async (
      engine: () => Promise<unknown>,
      hand: () => Promise<unknown>,
      into: typeof ex,
    ) => {
      let te: number, th: number;
      if (r % 2 === 0) {
        te = await timed(engine);
        th = await timed(hand);
      } else {
        th = await timed(hand);
        te = await timed(engine);
      }
      into.e.push(te);
      into.h.push(th);
      into.r.push(th / te);
    };
    await pair(
      () => exportTenant(target, 'tenant-a', out),
      () => handExport(handFile),
      ex,
    );
    const mine = `copy-e${String(r)}`;
    const theirs = `copy-h${String(r)}`;
    await pair(
      () => importTenant(target, out, { tenant: mine }),
      () => handImport(handFile, theirs),
      im,
    );
    if ((await count(mine)) !== ITEMS || (await count(theirs)) !== ITEMS)
      throw new Error('an import lost items');
  }
  if ((await count('tenant-b')) !== ITEMS) throw new Error('another tenant changed');
  const perSec = (ms: number) => ((ITEMS / ms) * 1000).toFixed(0);
  console.log(
    `Tenant export / import throughput: the commands' engines vs hand loops with @azure/cosmos, ${String(ROUNDS)} ` +
      `rounds of ${String(ITEMS)} items of one tenant (of three), local @vercel/cosmosdb-server in another ` +
      `process, Node ${process.version}`,
  );
  for (const [what, m] of [
    ['export', ex],
    ['import', im],
  ] as const) {
    const ratio = median(m.r);
    console.log(
      `  ${what}: engine ${perSec(median(m.e))} items/s, hand loop ${perSec(median(m.h))} items/s; throughput ` +
        `ratio median ×${ratio.toFixed(3)}  budget ≥ ×${String(BUDGET)}: ${ratio >= BUDGET ? 'ok' : 'UNDER'}`,
    );
    // The summary compares cost ratios against a ceiling: engine time / hand time ≤ 1 / 0.8.
    recordRatio(`tenant-${what}`, {
      ratio: 1 / ratio,
      budget: 1 / BUDGET,
      label: `atakora tenant ${what}: its time over a hand loop's on the same ${String(ITEMS)} items`,
      detail: `engine ${perSec(median(m.e))} items/s, hand loop ${perSec(median(m.h))} items/s`,
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await cosmos.close();
}
