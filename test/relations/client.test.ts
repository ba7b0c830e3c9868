/**
 * The typed client's relation options over the real runtime (its handlers behind a fetch that routes like the
 * host): expand and count on list and get, and the children method.
 */
import type { Container } from '@azure/cosmos';
import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient } from '../../src/client/create-client.js';
import { makeContext } from '../runtime/support/http.js';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { customers, orders, principal, relationApp } from './support.js';

const ALICE = principal('tenant-a', 'alice');
let cosmos: LocalCosmos;
let app: ReturnType<typeof relationApp>;

/** fetch over the handlers: `/api/<route>`, `/api/<route>/{id}`, `/api/<route>/{id}/<relation>`. */
const hostFetch: typeof fetch = async (input, init) => {
  const url = new URL(String(input));
  const [, , route, id, relation] = url.pathname.split('/').map(decodeURIComponent);
  const entity = [customers, orders].find((e) => e.route === route)!;
  const name =
    relation !== undefined
      ? `${entity.componentId}-${relation}`
      : id !== undefined
        ? `${entity.componentId}-item`
        : `${entity.componentId}-collection`;
  const headers: Record<string, string> = { ...ALICE };
  new Headers(init?.headers).forEach((v, k) => {
    headers[k] = v;
  });
  const request = new HttpRequest({
    method: init?.method ?? 'GET',
    url: url.toString(),
    headers,
    params: id === undefined ? {} : { id },
    ...(typeof init?.body === 'string' ? { body: { string: init.body } } : {}),
  });
  const r = (await app.handlers.get(name)!(request, makeContext())) as HttpResponseInit;
  return new Response(typeof r.body === 'string' ? r.body : null, {
    status: r.status ?? 200,
    headers: r.headers as Record<string, string>,
  });
};

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  const containers = new Map<string, Container>([
    ['CustomerApi', await cosmos.container('customers', '/tenantId')],
    ['OrderApi', await cosmos.container('orders', '/tenantId', undefined, orders)],
  ]);
  app = relationApp({ version: 1, backendId: 'x', entities: [customers, orders] }, containers);
});
afterAll(async () => cosmos?.stop());

it('expand, count and the children method through the client', async () => {
  const client = createClient({
    baseUrls: {
      customers: 'https://app.test/api/customers',
      orders: 'https://app.test/api/orders',
    },
    getToken: () => undefined,
    fetch: hostFetch,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  }) as any;
  await client.customers.create({ id: 'c1', name: 'Ada' });
  for (const total of [3, 1, 2]) await client.orders.create({ customerId: 'c1', total });
  const page = await client.orders.list({ expand: ['customer'], count: true, first: 2 }).page();
  expect(page.count).toBe(3);
  expect(page.items).toHaveLength(2);
  expect(page.items[0].customer.name).toBe('Ada');
  const kids = await client.customers.orders('c1', { orderBy: 'total', count: true }).page();
  expect(kids.items.map((o: { total: number }) => o.total)).toEqual([1, 2, 3]);
  expect(kids.count).toBe(3);
  const all: unknown[] = [];
  for await (const o of client.customers.orders('c1', { first: 1 })) all.push(o);
  expect(all).toHaveLength(3);
  const one = await client.orders.get(page.items[0].id, { expand: ['customer'] });
  expect(one.customer.id).toBe('c1');
  await expect(client.orders.list({ expand: ['nope'] }).page()).rejects.toMatchObject({
    status: 400,
  });
});

it('asks for the count once, on the first page; every page of the listing carries it', async () => {
  const asked: (string | null)[] = [];
  const client = createClient({
    baseUrls: {
      customers: 'https://app.test/api/customers',
      orders: 'https://app.test/api/orders',
    },
    getToken: () => undefined,
    fetch: (input, init) => {
      asked.push(new URL(String(input)).searchParams.get('$count'));
      return hostFetch(input, init);
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  }) as any;
  await client.customers.create({ id: 'c-count', name: 'Count' });
  for (const total of [1, 2, 3]) await client.orders.create({ customerId: 'c-count', total });
  asked.length = 0;
  const counts: number[] = [];
  for await (const p of client.customers.orders('c-count', { count: true, first: 1 }).pages())
    counts.push(p.count);
  expect(counts).toEqual([3, 3, 3]);
  expect(asked).toEqual(['true', null, null]);
});
