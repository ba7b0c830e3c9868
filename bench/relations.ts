/**
 * Relations against their budgets, on the local Cosmos DB server in a process of its own on 127.0.0.1, through
 * the registered handlers (as the host calls them), each pair interleaved, p50 ratios measured in this run:
 *
 * - a page of 20 orders with `$expand=customer` against the plain page — budget ≤ 1.3× (one IN query per page);
 * - a customer's children (`GET api/customers/{id}/orders`) against the equivalent `$filter=customerId eq '…'`
 *   list — budget ≤ 1.1× (the parent's check runs beside the page);
 * - the page with `$count=true` against the page alone — budget ≤ 1.2× (the count runs beside the page).
 *
 *   npx tsx bench/relations.ts [ops=200]
 */
import type { HttpHandler, HttpResponseInit } from '@azure/functions';
// Default import: @azure/functions is a webpack CJS bundle whose classes Node's ESM loader cannot name.
import azureFunctions from '@azure/functions';
import type { RuntimeEntity } from '../src/model/runtime-manifest.js';
import { registerCrudRoutes } from '../src/runtime/register-routes.js';
import { benchCosmos } from './support/cosmos-client.js';
import { countRequests } from './support/request-count.js';
import { median } from './support/stats.js';

const { HttpRequest, InvocationContext } = azureFunctions;
const OPS = Math.min(Math.max(Number(process.argv[2] ?? 200) || 200, 20), 5000);
const WARMUP = 20;

const str = { type: 'string', required: false } as const;
const settings = (p: string) => ({ endpoint: `${p}_E`, database: `${p}_D`, container: `${p}_C` });
const customers: RuntimeEntity = {
  componentId: 'CustomerApi',
  entityName: 'Customer',
  route: 'customers',
  partitionKey: '/tenantId',
  schema: { id: str, name: str },
  operations: ['create', 'read', 'update', 'delete', 'list'],
  unknownFields: 'reject',
  settings: settings('CUSTOMERS'),
  relations: [{ name: 'orders', kind: 'hasMany', target: 'OrderApi', field: 'customerId' }],
};
const orders: RuntimeEntity = {
  componentId: 'OrderApi',
  entityName: 'Order',
  route: 'orders',
  partitionKey: '/tenantId',
  schema: { id: str, customerId: str, total: { type: 'number', required: false } },
  operations: ['create', 'read', 'update', 'delete', 'list'],
  unknownFields: 'reject',
  settings: settings('ORDERS'),
  relations: [{ name: 'customer', kind: 'belongsTo', target: 'CustomerApi', field: 'customerId' }],
};

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const cosmos = await benchCosmos();
try {
  const db = cosmos.container.database;
  const containers = new Map([
    [
      'CustomerApi',
      (
        await db.containers.createIfNotExists({
          id: 'customers',
          partitionKey: { paths: ['/tenantId'] },
        })
      ).container,
    ],
    [
      'OrderApi',
      (
        await db.containers.createIfNotExists({
          id: 'orders',
          partitionKey: { paths: ['/tenantId'] },
        })
      ).container,
    ],
  ]);
  const handlers = new Map<string, HttpHandler>();
  registerCrudRoutes(
    { http: (name, options) => handlers.set(name, options.handler) },
    { version: 1, backendId: 'bench', entities: [customers, orders] },
    { containerFor: (e) => containers.get(e.componentId)! },
  );
  const context = new InvocationContext({
    invocationId: 'bench',
    functionName: 'bench',
    logHandler: () => undefined,
  });
  const headers = { 'content-type': 'application/json', 'x-tenant-id': 'bench' };
  const call = async (
    name: string,
    path: string,
    query: Record<string, string>,
    params = {},
    body?: unknown,
  ) => {
    const url = new URL(`https://bench.local/api/${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const r = (await handlers.get(name)!(
      new HttpRequest({
        method: body === undefined ? 'GET' : 'POST',
        url: url.toString(),
        headers,
        params,
        ...(body === undefined ? {} : { body: { string: JSON.stringify(body) } }),
      }),
      context,
    )) as HttpResponseInit;
    if ((r.status ?? 200) >= 300) throw new Error(`${path}: ${String(r.status)} ${String(r.body)}`);
    return r;
  };
  // 20 customers with 20 orders each: every page of 20 names up to 20 distinct customers.
  for (let c = 0; c < 20; c++)
    await call(
      'CustomerApi-collection',
      'customers',
      {},
      {},
      { id: `c${String(c)}`, name: `C${String(c)}` },
    );
  for (let c = 0; c < 20; c++)
    for (let o = 0; o < 20; o++)
      await call(
        'OrderApi-collection',
        'orders',
        {},
        {},
        { customerId: `c${String((c + o) % 20)}`, total: o },
      );
  const page = () => call('OrderApi-collection', 'orders', { $first: '20' });
  const expanded = () =>
    call('OrderApi-collection', 'orders', { $first: '20', $expand: 'customer' });
  const counted = () => call('OrderApi-collection', 'orders', { $first: '20', $count: 'true' });
  const children = () =>
    call('CustomerApi-orders', 'customers/c3/orders', { $first: '20' }, { id: 'c3' });
  const filtered = () =>
    call('OrderApi-collection', 'orders', { $first: '20', $filter: "customerId eq 'c3'" });
  const runs = {
    page: [] as number[],
    expanded: [] as number[],
    counted: [] as number[],
    children: [] as number[],
    filtered: [] as number[],
  };
  for (let i = 0; i < WARMUP; i++)
    for (const f of [page, expanded, counted, children, filtered]) await f();
  for (let i = 0; i < OPS; i++) {
    runs.page.push(await timed(page));
    runs.expanded.push(await timed(expanded));
    runs.counted.push(await timed(counted));
    runs.children.push(await timed(children));
    runs.filtered.push(await timed(filtered));
  }
  const p = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)])) as Record<
    keyof typeof runs,
    number
  >;
  const ms = (n: number) => `${n.toFixed(3)} ms`;
  const line = (label: string, ratio: number, budget: number) =>
    console.log(
      `${label}: ×${ratio.toFixed(2)} (budget ≤ ×${budget.toFixed(2)}) ${ratio <= budget ? 'ok' : 'OVER'}`,
    );
  console.log(
    `Relations — ${String(OPS)} interleaved rounds; @vercel/cosmosdb-server on 127.0.0.1, Node ${process.version}`,
  );
  console.log(
    `page of 20 ${ms(p.page)}, with $expand=customer ${ms(p.expanded)}, with $count=true ${ms(p.counted)}`,
  );
  console.log(`children of one customer ${ms(p.children)}, the same by $filter ${ms(p.filtered)}`);
  // What each costs in Cosmos DB requests (exact; test/relations/request-counts.test.ts asserts the same counts).
  const cost = async (label: string, work: () => Promise<HttpResponseInit>) => {
    const { requests } = await countRequests(work);
    const parts = (kind: string, by: Readonly<Record<string, number>>) =>
      Object.entries(by).map(([c, n]) => `${String(n)} ${kind} ${c}`);
    console.log(
      `requests — ${label}: ${[...parts('query', requests.queries), ...parts('read', requests.reads)].join(', ') || 'none'}`,
    );
  };
  await cost('page of 20', page);
  await cost('with $expand=customer', expanded);
  const first = await counted();
  await cost('with $count=true, first page', counted);
  const token = (JSON.parse(String(first.body)) as { continuationToken: string }).continuationToken;
  await cost('with $count=true, a later page', () =>
    call('OrderApi-collection', 'orders', { $first: '20', $count: 'true', $after: token }),
  );
  await cost('children of one customer', children);
  line('page with $expand ÷ plain page', p.expanded / p.page, 1.3);
  line('children route ÷ $filter list', p.children / p.filtered, 1.1);
  line('page with $count ÷ page alone', p.counted / p.page, 1.2);
} finally {
  await cosmos.close();
}
