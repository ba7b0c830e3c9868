/**
 * Relations against their budgets, on the local Cosmos DB server in a process of its own on 127.0.0.1, through
 * the registered handlers (as the host calls them), each pair interleaved, p50 ratios measured in this run. Each
 * baseline makes the SAME Cosmos DB requests by hand with @azure/cosmos (the same SQL, options and partition key,
 * the same parallelism) and serializes the same answer, so a ratio is what the runtime adds, not the requests — the
 * request counts themselves are asserted exactly in test/relations/request-counts.test.ts and printed below:
 *
 * - a page of 20 orders with `$expand=customer` ÷ by hand: the page query, then the customers' `ARRAY_CONTAINS`
 *   query, embedded;
 * - a customer's children (`GET api/customers/{id}/orders?$orderby=total`) ÷ by hand: the children query (led by
 *   the parent's field) beside the parent's point read;
 * - the page with `$count=true` ÷ by hand: the page query beside the `COUNT` query.
 *
 * Budgets (docs/performance.md, "Relations", set from measured runs): `$expand` and `$count` ≤ ×1.2, the children
 * route ≤ ×1.25, and the plain page against its own by-hand query ≤ ×1.3 — the runtime's fixed cost per page,
 * which every other ratio includes.
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
import { recordRatio } from './support/summary.js';
import { indexSortsOf } from '../src/contract/query/child-sort.js';
import { localCompositeIndexes } from '../src/runtime/queries/list-query.js';

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
  sortable: [[{ field: 'total', order: 'ascending' }]],
  relations: [{ name: 'customer', kind: 'belongsTo', target: 'CustomerApi', field: 'customerId' }],
};
/** Budgets of the ratios against the by-hand baselines (docs/performance.md, "Relations"). */
const BUDGETS = { page: 1.3, expanded: 1.2, counted: 1.2, children: 1.25 } as const;

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
          // The children route's sort (parent-led) and its reverse, as `atakora dev` gives the local server.
          indexingPolicy: { compositeIndexes: localCompositeIndexes(indexSortsOf(orders)) },
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
    call(
      'CustomerApi-orders',
      'customers/c3/orders',
      { $first: '20', $orderby: 'total' },
      { id: 'c3' },
    );

  // The same requests by hand: the SQL the runtime sends (tenant-keyed: the tenant is the partition), the same
  // options, the same parallelism, and the answer serialized as the runtime does (system fields dropped).
  const orderC = containers.get('OrderApi')!;
  const customerC = containers.get('CustomerApi')!;
  const inTenant = { partitionKey: 'bench' };
  const tenantParam = [{ name: '@pk', value: 'bench' }];
  const plain = (r: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) if (!k.startsWith('_')) out[k] = v;
    return out;
  };
  const pageQuery = () =>
    orderC.items
      .query<Record<string, unknown>>(
        { query: 'SELECT * FROM c WHERE c["tenantId"] = @pk', parameters: tenantParam },
        { maxItemCount: 20, ...inTenant },
      )
      .fetchNext();
  const handPage = async () => {
    const r = await pageQuery();
    return JSON.stringify({
      items: r.resources.map(plain),
      continuationToken: r.continuationToken ?? null,
    });
  };
  const handExpanded = async () => {
    const r = await pageQuery();
    const ids = [...new Set(r.resources.map((o) => o.customerId))];
    const { resources } = await customerC.items
      .query<Record<string, unknown>>(
        {
          query: 'SELECT * FROM c WHERE ARRAY_CONTAINS(@ids, c["id"]) AND c["tenantId"] = @tenant',
          parameters: [
            { name: '@ids', value: ids as string[] },
            { name: '@tenant', value: 'bench' },
          ],
        },
        inTenant,
      )
      .fetchAll();
    const byId = new Map(resources.map((c) => [c.id, plain(c)]));
    const items = r.resources.map((o) => ({
      ...plain(o),
      customer: byId.get(o.customerId) ?? null,
    }));
    return JSON.stringify({ items, continuationToken: r.continuationToken ?? null });
  };
  const handCounted = async () => {
    const [r, n] = await Promise.all([
      pageQuery(),
      orderC.items
        .query<number>(
          {
            query: 'SELECT VALUE COUNT(1) FROM c WHERE c["tenantId"] = @pk',
            parameters: tenantParam,
          },
          inTenant,
        )
        .fetchAll(),
    ]);
    return JSON.stringify({
      items: r.resources.map(plain),
      continuationToken: r.continuationToken ?? null,
      count: n.resources[0],
    });
  };
  const handChildren = async () => {
    const [parent, r] = await Promise.all([
      customerC.item('c3', 'bench').read(),
      orderC.items
        .query<Record<string, unknown>>(
          {
            query:
              'SELECT * FROM c WHERE c["tenantId"] = @pk AND c["customerId"] = @parent ' +
              'ORDER BY c["customerId"] ASC, c["total"] ASC',
            parameters: [...tenantParam, { name: '@parent', value: 'c3' }],
          },
          { maxItemCount: 20, ...inTenant },
        )
        .fetchNext(),
    ]);
    if (!parent.resource) throw new Error('no parent c3');
    return JSON.stringify({
      items: r.resources.map(plain),
      continuationToken: r.continuationToken ?? null,
    });
  };
  const pairs = {
    page: [page, handPage],
    expanded: [expanded, handExpanded],
    counted: [counted, handCounted],
    children: [children, handChildren],
  } as const;
  const runs = Object.fromEntries(
    Object.keys(pairs).map((k) => [k, { ours: [] as number[], hand: [] as number[] }]),
  ) as Record<keyof typeof pairs, { ours: number[]; hand: number[] }>;
  for (let i = 0; i < WARMUP; i++)
    for (const [ours, hand] of Object.values(pairs)) {
      await ours();
      await hand();
    }
  for (let i = 0; i < OPS; i++)
    for (const [name, [ours, hand]] of Object.entries(pairs) as [
      keyof typeof pairs,
      (typeof pairs)[keyof typeof pairs],
    ][]) {
      // Interleaved, the order of the two alternating: neither side always runs on a warmer server.
      if (i % 2) {
        runs[name].ours.push(await timed(ours));
        runs[name].hand.push(await timed(hand));
      } else {
        runs[name].hand.push(await timed(hand));
        runs[name].ours.push(await timed(ours));
      }
    }
  const ms = (n: number) => `${n.toFixed(3)} ms`;
  console.log(
    `Relations — ${String(OPS)} interleaved rounds; @vercel/cosmosdb-server on 127.0.0.1, Node ${process.version}`,
  );
  const labels: Record<keyof typeof pairs, string> = {
    page: 'plain page of 20 ÷ its query by hand',
    expanded: 'page with $expand=customer ÷ its two queries by hand',
    children: 'children route ($orderby=total) ÷ its query and point read by hand',
    counted: 'page with $count=true ÷ its two queries by hand',
  };
  for (const name of Object.keys(pairs) as (keyof typeof pairs)[]) {
    const ours = median(runs[name].ours);
    const hand = median(runs[name].hand);
    const ratio = ours / hand;
    console.log(
      `${labels[name]}: ${ms(ours)} ÷ ${ms(hand)} = ×${ratio.toFixed(2)} (budget ≤ ×${BUDGETS[name].toFixed(2)}) ${ratio <= BUDGETS[name] ? 'ok' : 'OVER'}`,
    );
    recordRatio(`relations-${name}`, {
      label: labels[name],
      ratio,
      budget: BUDGETS[name],
      detail: `p50 of ${String(OPS)} interleaved pairs`,
    });
  }
  // Each baseline makes exactly the requests of its side (else the ratio would measure requests again).
  for (const [name, [ours, hand]] of Object.entries(pairs)) {
    const a = JSON.stringify((await countRequests(ours)).requests);
    const b = JSON.stringify((await countRequests(hand)).requests);
    if (a !== b) throw new Error(`${name}: the runtime made ${a}, the baseline by hand ${b}`);
  }
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
} finally {
  await cosmos.close();
}
