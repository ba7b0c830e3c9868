/**
 * `$expand` of a `hasMany` (`$expand=orders($first=2)`): `{ items, continuationToken }` per parent, confined like
 * the children route, each child as its own GET gives it, the token followed at the children route; one query for
 * the page of parents when each has no more than `$first`; malformed terms are 400s.
 */
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countingRequests } from '../runtime/support/cosmos-requests.js';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { customers, orders, principal, relationApp } from './support.js';

const ALICE = principal('tenant-a', 'alice');
const EVE = principal('tenant-b', 'eve');
let cosmos: LocalCosmos;
let app: ReturnType<typeof relationApp>;

type Page = { items: { id: string; customerId: string }[]; continuationToken: string | null };

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  const containers = new Map<string, Container>();
  for (const e of [customers, orders])
    containers.set(e.componentId, await cosmos.container(e.route, e.partitionKey, undefined, e));
  app = relationApp({ version: 1, backendId: 'many', entities: [customers, orders] }, containers);
  // Alice: c1 with 3 orders, c2 with 1, c3 with none. Eve (another tenant): her own c1 with 2 orders.
  for (const c of ['c1', 'c2', 'c3']) await app.create(customers, { id: c, name: c }, ALICE);
  for (const [id, c] of [
    ['a1', 'c1'],
    ['a2', 'c1'],
    ['a3', 'c1'],
    ['a4', 'c2'],
  ])
    await app.create(orders, { id, customerId: c, total: 1 }, ALICE);
  await app.create(customers, { id: 'c1', name: 'eve' }, EVE);
  for (const id of ['e1', 'e2']) await app.create(orders, { id, customerId: 'c1', total: 2 }, EVE);
});
afterAll(async () => cosmos?.stop());

const ids = (p: Page) => p.items.map((i) => i.id).sort();

describe('$expand of a hasMany', () => {
  it('embeds each parent’s children in the caller’s tenant, one query for the page when none has more', async () => {
    const { result, requests } = await countingRequests(cosmos.server, () =>
      app.list(customers, ALICE, { $expand: 'orders' }),
    );
    expect(result.status).toBe(200);
    const by = new Map(
      result.body.items.map((c: { id: string; orders: Page }) => [c.id, c.orders]),
    );
    expect(ids(by.get('c1') as Page)).toEqual(['a1', 'a2', 'a3']);
    expect(ids(by.get('c2') as Page)).toEqual(['a4']);
    expect(by.get('c3')).toEqual({ items: [], continuationToken: null });
    expect((by.get('c1') as Page).continuationToken).toBeNull();
    // Each child as its own GET gives it (no system fields).
    const one = await app.item(orders, 'GET', 'a4', ALICE);
    expect((by.get('c2') as Page).items[0]).toEqual(one.body);
    expect(requests.queries).toEqual({ customers: 1, orders: 1 });
    // Eve's c1 has Eve's orders only.
    const eve = await app.item(customers, 'GET', 'c1', EVE, { query: { $expand: 'orders' } });
    expect(ids(eve.body.orders)).toEqual(['e1', 'e2']);
  });

  it('$first bounds each parent; the token continues at the children route', async () => {
    const r = await app.item(customers, 'GET', 'c1', ALICE, {
      query: { $expand: 'orders($first=2)' },
    });
    expect(r.status, r.text).toBe(200);
    const page = r.body.orders as Page;
    expect(page.items).toHaveLength(2);
    expect(page.continuationToken).toEqual(expect.any(String));
    const rest = await app.children(customers, 'orders', 'c1', ALICE, {
      $first: '2',
      $after: page.continuationToken!,
    });
    expect(rest.status).toBe(200);
    expect([...ids(page), ...rest.body.items.map((i: { id: string }) => i.id)].sort()).toEqual([
      'a1',
      'a2',
      'a3',
    ]);
    expect(rest.body.continuationToken).toBeNull();
  });

  it('on a list page: only the parents with more than $first cost a query of their own', async () => {
    const { result, requests } = await countingRequests(cosmos.server, () =>
      app.list(customers, ALICE, { $expand: 'orders($first=1)' }),
    );
    const by = new Map(
      result.body.items.map((c: { id: string; orders: Page }) => [c.id, c.orders]),
    );
    expect((by.get('c1') as Page).items).toHaveLength(1);
    expect((by.get('c1') as Page).continuationToken).toEqual(expect.any(String));
    expect(by.get('c2')).toMatchObject({ continuationToken: null });
    expect(ids(by.get('c2') as Page)).toEqual(['a4']);
    expect(by.get('c3')).toEqual({ items: [], continuationToken: null });
    // The page, the one query over its parents, and c1's own first page.
    expect(requests.queries).toEqual({ customers: 1, orders: 2 });
  });

  it('malformed terms are a 400 invalid-expand; a page that expands a hasMany holds at most 100', async () => {
    for (const bad of [
      'orders($first=0)',
      'orders($first=101)',
      'orders($top=2)',
      'orders(',
      'orders,orders',
      'orders($first=2),orders',
    ]) {
      const r = await app.list(customers, ALICE, { $expand: bad });
      expect(r.status, bad).toBe(400);
      expect(r.body.type).toBe('urn:atakora:problem:invalid-expand');
    }
    const belongs = await app.list(orders, ALICE, { $expand: 'customer($first=2)' });
    expect(belongs.status).toBe(400);
    const big = await app.list(customers, ALICE, { $expand: 'orders', $first: '101' });
    expect(big.status).toBe(400);
    expect(big.body.type).toBe('urn:atakora:problem:invalid-expand');
    const ok = await app.list(customers, ALICE, { $expand: 'orders($first=100)', $first: '100' });
    expect(ok.status).toBe(200);
  });
});
