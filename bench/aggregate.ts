/**
 * An aggregate of N items of one tenant (default 10,000) — `$apply=groupby((status),aggregate($count as n))` —
 * beside a list of the same page (`$first=20`), on the local Cosmos DB server with dev's GROUP BY layer
 * (src/cli/dev/cosmos/group-by.ts) in this process, through the registered handlers, interleaved; budget: within ×2
 * of the list's time and RU. Each call's RU is the sum of the `x-ms-request-charge` of the Cosmos DB responses it
 * caused (what the runtime's ledger adds up, runtime/telemetry/cosmos-span.ts), with its requests counted beside it
 * (bench/support/request-count.ts). What it measures is dev's cost, not Azure's: the local server charges 1 RU a
 * request whatever it reads, so the RU ratio here is the ratio of requests (each a query and the SDK's query plan); in Azure a GROUP BY's RU grow with the items of the partition it reads (docs/search.md, Cost).
 *
 *   npx tsx bench/aggregate.ts [items=10000] [ops=20]
 */
import azureFunctions from '@azure/functions';
import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import dc from 'node:diagnostics_channel';
import type { RuntimeEntity } from '../src/model/runtime-manifest.js';
import { createCrudHandlers } from '../src/runtime/crud/handlers.js';
import { boundedAll, startLocalCosmos } from '../test/runtime/support/local-cosmos.js';
import { countRequests } from './support/request-count.js';
import { SCAN_OPTIONS, seededRandom } from './support/scan-bench.js';
import { median } from './support/stats.js';
import { recordRatio } from './support/summary.js';

const { HttpRequest, InvocationContext } = azureFunctions;
const N = Math.max(Number(process.argv[2] ?? 10_000) || 10_000, 100);
const OPS = Math.max(Number(process.argv[3] ?? 20) || 20, 5);
const STATUSES = ['open', 'triaged', 'in-progress', 'blocked', 'closed'];
const TENANT = 't1';

const entity: RuntimeEntity = {
  componentId: 'TicketApi',
  entityName: 'Ticket',
  route: 'tickets',
  partitionKey: '/tenantId',
  schema: {
    id: { type: 'string', required: true },
    title: { type: 'string', required: false },
    status: { type: 'string', required: false },
  },
  operations: ['create', 'read', 'update', 'delete', 'list'],
  unknownFields: 'reject',
  settings: { endpoint: 'E', database: 'D', container: 'C' },
};

/** The RU of the Cosmos DB responses that finish while `work` runs (nothing else of the process talks to it). */
async function charged<T>(
  work: () => Promise<T>,
): Promise<{ result: T; ru: number; responses: number }> {
  let ru = 0;
  let responses = 0;
  const listener = (message: unknown) => {
    const headers = (message as { response?: { headers?: Record<string, unknown> } }).response
      ?.headers;
    const charge = Number(headers?.['x-ms-request-charge']);
    if (!Number.isFinite(charge)) return;
    ru += charge;
    responses++;
  };
  dc.subscribe('http.client.response.finish', listener);
  try {
    const result = await work();
    return { result, ru, responses };
  } finally {
    dc.unsubscribe('http.client.response.finish', listener);
  }
}

/** One call through the handler: its time, RU and Cosmos DB queries, and its answer. */
async function call(handler: HttpHandler, query: string) {
  const request = new HttpRequest({
    method: 'GET',
    url: `https://app.test/api/tickets?${query}`,
    headers: { 'x-tenant-id': TENANT },
  });
  const t0 = performance.now();
  const {
    result: { result: r, ru, responses },
    requests,
  } = await countRequests(() =>
    charged(async () => (await handler(request, new InvocationContext())) as HttpResponseInit),
  );
  const ms = performance.now() - t0;
  if (r.status !== 200)
    throw new Error(`GET tickets?${query}: ${String(r.status)} ${String(r.body)}`);
  const queries = Object.values(requests.queries).reduce((a, b) => a + b, 0);
  return { ms, ru, responses, queries, body: r.body };
}

const cosmos = await startLocalCosmos();
try {
  const container = await cosmos.container('bench-aggregate', '/tenantId');
  const rand = seededRandom(11);
  await boundedAll(
    Array.from(
      { length: N },
      (_, i) => () =>
        container.items.create({
          id: `t${String(i)}`,
          tenantId: TENANT,
          title: `ticket ${String(i)}`,
          status: STATUSES[Math.floor(rand() * STATUSES.length)],
        }),
    ),
    16,
  );
  // Another tenant's items in the same container: the aggregate must not count them (and reads past them).
  await boundedAll(
    Array.from(
      { length: 200 },
      (_, i) => () =>
        container.items.create({ id: `o${String(i)}`, tenantId: 't2', status: 'open' }),
    ),
    16,
  );
  const { collection } = createCrudHandlers(entity, container, SCAN_OPTIONS);
  const LIST = '$first=20';
  const APPLY = `$apply=${encodeURIComponent('groupby((status),aggregate($count as n))')}`;
  const check = await call(collection, APPLY);
  const groups = (JSON.parse(String(check.body)) as { items: Record<string, unknown>[] }).items;
  const counted = groups.reduce((n, g) => n + Number(g['n']), 0);
  if (counted !== N)
    throw new Error(`The aggregate counted ${String(counted)} of ${String(N)} items.`);
  const runs = {
    list: [] as Awaited<ReturnType<typeof call>>[],
    aggregate: [] as Awaited<ReturnType<typeof call>>[],
  };
  for (let i = 0; i < OPS; i++) {
    runs.list.push(await call(collection, LIST));
    runs.aggregate.push(await call(collection, APPLY));
  }
  const p50 = (k: keyof typeof runs, f: 'ms' | 'ru' | 'responses' | 'queries') =>
    median(runs[k].map((r) => r[f]));
  const time = p50('aggregate', 'ms') / p50('list', 'ms');
  const ru = p50('aggregate', 'ru') / p50('list', 'ru');
  console.log(
    `${String(N)} items of one tenant, ${String(STATUSES.length)} statuses; ${String(OPS)} runs each (p50):`,
  );
  for (const k of ['list', 'aggregate'] as const)
    console.log(
      `  ${k.padEnd(9)} ${p50(k, 'ms').toFixed(1)} ms, ${p50(k, 'ru').toFixed(2)} RU, ` +
        `${String(p50(k, 'responses'))} Cosmos DB requests (${String(p50(k, 'queries'))} a query, the rest the SDK's query plan)`,
    );
  console.log(
    `  aggregate ÷ list: time ×${time.toFixed(2)}, RU ×${ru.toFixed(2)} (budget ≤ ×2 each)`,
  );
  const detail = `${String(N)} items, page of 20, p50 of ${String(OPS)}: list ${p50('list', 'ms').toFixed(1)} ms / ${p50('list', 'ru').toFixed(2)} RU, aggregate ${p50('aggregate', 'ms').toFixed(1)} ms / ${p50('aggregate', 'ru').toFixed(2)} RU (local server: 1 RU a request)`;
  recordRatio('aggregate-time', {
    label:
      'an aggregate (groupby status, $count) ÷ a list of 20, time, on dev (bench/aggregate.ts)',
    ratio: time,
    budget: 2,
    detail,
  });
  recordRatio('aggregate-ru', {
    label: 'an aggregate (groupby status, $count) ÷ a list of 20, RU, on dev (bench/aggregate.ts)',
    ratio: ru,
    budget: 2,
    detail,
  });
} finally {
  await cosmos.stop();
}
