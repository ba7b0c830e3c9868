/**
 * Relations' costs counted in Cosmos DB requests (exact, unlike times on a shared machine), at the local protocol
 * server: a page with k expanded relations is 1 + k queries; a children page one query and one point read; `$count`
 * one more query, on the first page only — later pages bring the count back in their token.
 */
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { settings } from '../runtime/support/entities.js';
import { countingRequests } from '../runtime/support/cosmos-requests.js';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { customers, orders, principal, relationApp } from './support.js';

const ALICE = principal('tenant-a', 'alice');
const str = { type: 'string', required: false } as const;
/** Two `belongsTo` relations: an order line names its order and its customer. */
const lines: RuntimeEntity = {
  componentId: 'LineApi',
  entityName: 'Line',
  route: 'lines',
  partitionKey: '/tenantId',
  schema: { id: str, orderId: str, customerId: str },
  operations: ['create', 'read', 'update', 'delete', 'list'],
  unknownFields: 'reject',
  settings: settings('LINES'),
  relations: [
    { name: 'customer', kind: 'belongsTo', target: 'CustomerApi', field: 'customerId' },
    { name: 'order', kind: 'belongsTo', target: 'OrderApi', field: 'orderId' },
  ],
};

let cosmos: LocalCosmos;
let app: ReturnType<typeof relationApp>;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  const containers = new Map<string, Container>();
  for (const e of [customers, orders, lines])
    containers.set(e.componentId, await cosmos.container(e.route, e.partitionKey, undefined, e));
  app = relationApp(
    { version: 1, backendId: 'costs', entities: [customers, orders, lines] },
    containers,
  );
  for (const c of ['c1', 'c2']) await app.create(customers, { id: c, name: c }, ALICE);
  for (let i = 0; i < 9; i++) {
    const customerId = i % 2 ? 'c1' : 'c2';
    await app.create(orders, { id: `o${i}`, customerId, total: i }, ALICE);
    await app.create(lines, { id: `l${i}`, orderId: `o${i}`, customerId }, ALICE);
  }
});
afterAll(async () => cosmos?.stop());

describe('relations cost what they say, in requests', () => {
  it('a page with k expanded belongsTo relations is 1 + k queries, whatever the page size', async () => {
    for (const first of ['3', '9']) {
      const { result, requests } = await countingRequests(cosmos.server, () =>
        app.list(lines, ALICE, { $expand: 'customer,order', $first: first }),
      );
      expect(result.status).toBe(200);
      expect(result.body.items[0].order.id).toMatch(/^o/);
      expect(requests).toEqual({ queries: { lines: 1, customers: 1, orders: 1 }, reads: {} });
    }
  });

  it('a children page is one query and one point read (the parent’s)', async () => {
    const { result, requests } = await countingRequests(cosmos.server, () =>
      app.children(customers, 'orders', 'c1', ALICE, { $first: '2' }),
    );
    expect(result.body.items).toHaveLength(2);
    expect(requests).toEqual({ queries: { orders: 1 }, reads: { customers: 1 } });
  });

  it('$count is one more query on the first page only; later pages carry the same count', async () => {
    const first = await countingRequests(cosmos.server, () =>
      app.list(orders, ALICE, { $count: 'true', $first: '4' }),
    );
    expect(first.requests.queries).toEqual({ orders: 2 });
    expect(first.result.body.count).toBe(9);
    let token: string | null = first.result.body.continuationToken;
    let seen = first.result.body.items.length;
    while (token) {
      const next = await countingRequests(cosmos.server, () =>
        app.list(orders, ALICE, { $count: 'true', $first: '4', $after: token! }),
      );
      expect(next.requests.queries).toEqual({ orders: 1 });
      expect(next.result.body.count).toBe(9);
      seen += next.result.body.items.length;
      token = next.result.body.continuationToken;
    }
    expect(seen).toBe(9);
    // The same on a children route: the count of that parent's children, counted once.
    const kids = await countingRequests(cosmos.server, () =>
      app.children(customers, 'orders', 'c2', ALICE, { $count: 'true', $first: '2' }),
    );
    expect(kids.requests).toEqual({ queries: { orders: 2 }, reads: { customers: 1 } });
    const more = await countingRequests(cosmos.server, () =>
      app.children(customers, 'orders', 'c2', ALICE, {
        $count: 'true',
        $first: '2',
        $after: kids.result.body.continuationToken,
      }),
    );
    expect(more.requests).toEqual({ queries: { orders: 1 }, reads: { customers: 1 } });
    expect([kids.result.body.count, more.result.body.count]).toEqual([5, 5]);
  });

  it('a forged count in a token changes only what that caller is told: no 5xx, the items stay its own', async () => {
    const page = await app.list(orders, ALICE, { $count: 'true', $first: '4' });
    const token = String(page.body.continuationToken);
    const cosmosToken = token.replace(/^atakora-count:\d+:/, '');
    for (const forged of [
      `atakora-count:99999999999999999:${cosmosToken}`,
      `atakora-count:-1:${cosmosToken}`,
      'atakora-count:3:',
      `atakora-count:7:${cosmosToken}`,
    ]) {
      const r = await app.list(orders, ALICE, { $count: 'true', $first: '4', $after: forged });
      expect(r.status, forged.slice(0, 40)).toBeLessThan(500);
    }
  });
});
