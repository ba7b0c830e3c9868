/**
 * A search of N items (default 10,000) beside a list of the same page, on the local Cosmos DB server with dev's
 * search layer (src/cli/dev/cosmos/search-query.ts) in this process, through the registered handlers, interleaved;
 * p50 of each and their ratio printed. What it measures is dev's cost, not Azure's: locally a ranked query reads
 * every item of the confinement (no full-text or vector index) and the server reports 1 RU a request, so the RU
 * ratio is not measured here (in Azure each is one request of the ledger with the RU Cosmos DB reports).
 *
 *   npx tsx bench/search.ts [items=10000] [ops=20]
 */
import azureFunctions from '@azure/functions';
import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import type { RuntimeEntity } from '../src/model/runtime-manifest.js';
import { createCrudHandlers } from '../src/runtime/crud/handlers.js';
import { searchHandler } from '../src/runtime/search/search-endpoint.js';
import { boundedAll, startLocalCosmos } from '../test/runtime/support/local-cosmos.js';
import { SCAN_OPTIONS, seededRandom } from './support/scan-bench.js';
import { median } from './support/stats.js';
import { recordRatio } from './support/summary.js';

const { HttpRequest, InvocationContext } = azureFunctions;
const N = Math.max(Number(process.argv[2] ?? 10_000) || 10_000, 100);
const OPS = Math.max(Number(process.argv[3] ?? 20) || 20, 5);
const WORDS = [
  'login',
  'bug',
  'crash',
  'slow',
  'page',
  'error',
  'button',
  'safari',
  'export',
  'invoice',
];

const entity: RuntimeEntity = {
  componentId: 'TicketApi',
  entityName: 'Ticket',
  route: 'tickets',
  partitionKey: '/tenantId',
  schema: {
    id: { type: 'string', required: true },
    title: { type: 'string', required: false },
    embedding: { type: 'array', required: false },
  },
  operations: ['create', 'read', 'update', 'delete', 'list'],
  unknownFields: 'reject',
  settings: { endpoint: 'E', database: 'D', container: 'C' },
  search: {
    text: { fields: ['title'], language: 'en-US' },
    vector: { field: 'embedding', dimensions: 8, distance: 'cosine', index: 'flat' },
  },
};

async function call(handler: HttpHandler, method: string, path: string, body?: unknown) {
  const request = new HttpRequest({
    method,
    url: `https://app.test/api/${path}`,
    headers: { 'x-tenant-id': 't1', 'content-type': 'application/json' },
    ...(body ? { body: { string: JSON.stringify(body) } } : {}),
  });
  const t0 = performance.now();
  const r = (await handler(request, new InvocationContext())) as HttpResponseInit;
  if (r.status !== 200) throw new Error(`${method} ${path}: ${String(r.status)} ${String(r.body)}`);
  return performance.now() - t0;
}

const cosmos = await startLocalCosmos();
try {
  const container = await cosmos.container('bench-search', '/tenantId');
  const rand = seededRandom(7);
  await boundedAll(
    Array.from(
      { length: N },
      (_, i) => () =>
        container.items.create({
          id: `t${String(i)}`,
          tenantId: 't1',
          title: Array.from({ length: 6 }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(
            ' ',
          ),
          embedding: Array.from({ length: 8 }, () => rand() - 0.5),
        }),
    ),
    16,
  );
  const list = createCrudHandlers(entity, container, SCAN_OPTIONS).collection;
  const search = searchHandler(entity, entity.search!, container, SCAN_OPTIONS).handler;
  const times = { list: [] as number[], text: [] as number[], vector: [] as number[] };
  for (let i = 0; i < OPS; i++) {
    times.list.push(await call(list, 'GET', 'tickets?$first=20'));
    times.text.push(
      await call(search, 'POST', 'tickets/search', { text: 'login crash', first: 20 }),
    );
    times.vector.push(
      await call(search, 'POST', 'tickets/search', {
        vector: [0.1, -0.2, 0.3, 0, 0.1, 0.2, -0.1, 0.05],
        first: 20,
      }),
    );
  }
  const p50 = { list: median(times.list), text: median(times.text), vector: median(times.vector) };
  console.log(`${String(N)} items, a page of 20, ${String(OPS)} runs each (p50, ms):`);
  console.log(`  list   ${p50.list.toFixed(1)}`);
  console.log(`  text   ${p50.text.toFixed(1)}  (×${(p50.text / p50.list).toFixed(1)} the list)`);
  console.log(
    `  vector ${p50.vector.toFixed(1)}  (×${(p50.vector / p50.list).toFixed(1)} the list)`,
  );
  for (const mode of ['text', 'vector'] as const)
    recordRatio(`search-${mode}`, {
      label: `a ${mode} search ÷ a list of 20, time, on dev (bench/search.ts)`,
      ratio: p50[mode] / p50.list,
      budget: 2,
      detail: `${String(N)} items, p50 of ${String(OPS)}: list ${p50.list.toFixed(1)} ms, ${mode} ${p50[mode].toFixed(1)} ms`,
    });
} finally {
  await cosmos.stop();
}
