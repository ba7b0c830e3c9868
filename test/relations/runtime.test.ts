/**
 * Relations against the local Cosmos DB server with the real client: references checked inside the caller's
 * tenant and owner rules, $expand, $count, the children route, restrict and cascade — and the hostile pass:
 * another tenant's ids are never embedded, counted, listed as children or confirmed to exist.
 */
import type { Container } from '@azure/cosmos';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { allItems, type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { customers, entries, notes, orders, principal, relationApp, vaults } from './support.js';
import { HttpRequest } from '@azure/functions';
import { dataOf } from '../../src/client/data-of.js';
import { Caller } from '../../src/runtime/caller/caller-view.js';
import { callerPolicyOf } from '../../src/runtime/caller/tenant-source.js';
import { openDataDoor } from '../../src/runtime/in-process/data-door.js';
import { InProcessRoutes } from '../../src/runtime/in-process/routes.js';
import { makeContext } from '../runtime/support/http.js';
import { propertyRuns } from '../plan/support/budget.js';

const ALICE = principal('tenant-a', 'alice');
const BOB = principal('tenant-a', 'bob');
const EVE = principal('tenant-b', 'eve');

let cosmos: LocalCosmos;
const containers = new Map<string, Container>();
let app: ReturnType<typeof relationApp>;
const inProcess = new InProcessRoutes();

/**
 * `dataOf(request)` in a handler of `who`'s request, its door open on every CrudApi for the caller a function's
 * gate admits (no registry here: the request's own).
 */
function dataOfCaller(who: Record<string, string>) {
  const request = new HttpRequest({
    method: 'GET',
    url: 'https://shop.test/api/report',
    headers: who,
  });
  const caller = Caller.of(
    request,
    callerPolicyOf({ version: 1, backendId: 'shop', entities: [] }),
  );
  openDataDoor(request, { caller, invocation: makeContext() }, inProcess, {
    name: 'report',
    data: inProcess.allEntities().map((e) => e.componentId),
    keys: { CustomerApi: 'customers' },
  });
  return dataOf<Record<string, never>>(request) as unknown as {
    customers: {
      orders(
        id: string,
        o?: object,
      ): { page(): Promise<{ items: { customerId: string }[]; count?: number }> };
    };
  };
}

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  for (const e of [customers, orders, vaults, entries, notes])
    containers.set(e.componentId, await cosmos.container(e.route, e.partitionKey, undefined, e));
  const manifest: RuntimeManifest = {
    version: 1,
    backendId: 'shop',
    entities: [customers, orders, vaults, entries, notes],
  };
  app = relationApp(manifest, containers, { inProcess });
  // Each tenant has a customer c1 (the same id); Eve's tenant also has c-eve.
  expect((await app.create(customers, { id: 'c1', name: 'Ada' }, ALICE)).status).toBe(201);
  expect((await app.create(customers, { id: 'c2', name: 'Grace' }, ALICE)).status).toBe(201);
  expect((await app.create(customers, { id: 'c1', name: 'Eve1' }, EVE)).status).toBe(201);
  expect((await app.create(customers, { id: 'c-eve', name: 'Eve' }, EVE)).status).toBe(201);
});
afterAll(async () => cosmos?.stop());

describe('writes: a reference must name an item the caller can read', () => {
  it('a reference to an own-tenant customer is kept; a missing one and another tenant’s get the same 422', async () => {
    const ok = await app.create(orders, { id: 'o1', customerId: 'c1', total: 5 }, ALICE);
    expect(ok.status).toBe(201);
    const missing = await app.create(orders, { id: 'o-x', customerId: 'nobody', total: 1 }, ALICE);
    const foreign = await app.create(orders, { id: 'o-y', customerId: 'c-eve', total: 1 }, ALICE);
    expect(missing.status).toBe(422);
    expect(missing.body.type).toBe('urn:atakora:problem:reference-not-found');
    expect(missing.body).toMatchObject({ field: 'customerId', relation: 'customer' });
    // The same answer for Eve's id as for none: nothing says it exists.
    expect(foreign.status).toBe(422);
    expect({ ...foreign.body, detail: undefined }).toEqual({ ...missing.body, detail: undefined });
    expect(foreign.body.detail).toBe(missing.body.detail);
    const ids = (await allItems(containers.get('OrderApi')!)).map((i) => i.id);
    expect(ids).not.toContain('o-x');
    expect(ids).not.toContain('o-y');
  });

  it('PUT and PATCH check what they set; a file reference with no FileStore to read is refused (closed)', async () => {
    await app.create(orders, { id: 'o2', customerId: 'c2', total: 7 }, ALICE);
    expect(
      (await app.item(orders, 'PATCH', 'o2', ALICE, { body: { customerId: 'c-eve' } })).status,
    ).toBe(422);
    expect((await app.item(orders, 'PATCH', 'o2', ALICE, { body: { total: 8 } })).status).toBe(200);
    expect(
      (await app.item(orders, 'PUT', 'o2', ALICE, { body: { customerId: 'nobody', total: 8 } }))
        .status,
    ).toBe(422);
    expect(
      (await app.item(orders, 'PUT', 'o2', ALICE, { body: { customerId: 'c1', total: 8 } })).status,
    ).toBe(200);
    expect(
      (await app.create(orders, { id: 'o3', customerId: 'c1', photoId: 'f1' }, ALICE)).status,
    ).toBe(422);
  });

  it('under owner rules, a reference to another user’s item is refused like a missing one', async () => {
    expect((await app.create(vaults, { id: 'v-alice', label: 'a' }, ALICE)).status).toBe(201);
    expect((await app.create(vaults, { id: 'v-bob', label: 'b' }, BOB)).status).toBe(201);
    expect((await app.create(entries, { id: 'e1', vaultId: 'v-alice' }, ALICE)).status).toBe(201);
    const r = await app.create(entries, { id: 'e2', vaultId: 'v-alice' }, BOB);
    expect(r.status).toBe(422);
    expect(r.body.type).toBe('urn:atakora:problem:reference-not-found');
  });
});

describe('$expand', () => {
  it('embeds the parent on GET one and on lists; null when gone or not readable; $select composes', async () => {
    const one = await app.item(orders, 'GET', 'o1', ALICE, { query: { $expand: 'customer' } });
    expect(one.status).toBe(200);
    expect(one.body.customer).toEqual({
      id: 'c1',
      name: 'Ada',
      tenantId: 'tenant-a',
      ownerId: 'alice',
    });
    expect(one.headers.get('etag')).toBeTruthy();
    const page = await app.list(orders, ALICE, { $expand: 'customer', $select: 'total' });
    expect(page.status).toBe(200);
    for (const item of page.body.items) {
      expect(item).not.toHaveProperty('customerId');
      expect(item.customer.tenantId).toBe('tenant-a');
    }
    // An entry whose vault the reader cannot see (Bob reading Alice's entry: entries are tenant-wide).
    const seen = await app.item(entries, 'GET', 'e1', BOB, { query: { $expand: 'vault' } });
    expect(seen.status).toBe(200);
    expect(seen.body.vault).toBeNull();
    const own = await app.item(entries, 'GET', 'e1', ALICE, { query: { $expand: 'vault' } });
    expect(own.body.vault).toMatchObject({ id: 'v-alice', label: 'a' });
  });

  it('one read per page and relation, whatever the page size', async () => {
    for (let i = 0; i < 12; i++)
      await app.create(
        orders,
        { id: `bulk-${i}`, customerId: i % 2 ? 'c1' : 'c2', total: i },
        ALICE,
      );
    const queries: string[] = [];
    const listener = (req: {
      method?: string;
      url?: string;
      headers: Record<string, string | string[] | undefined>;
    }) => {
      // The query itself, not the SDK's query-plan request before it.
      if (
        req.method === 'POST' &&
        req.url?.includes('/colls/customers/docs') &&
        req.headers['x-ms-cosmos-is-query-plan-request'] === undefined
      )
        queries.push(req.url);
    };
    cosmos.server.on('request', listener);
    try {
      const page = await app.list(orders, ALICE, { $expand: 'customer', $first: '20' });
      expect(page.body.items.length).toBeGreaterThan(10);
      expect(page.body.items.every((i: { customer: unknown }) => i.customer !== null)).toBe(true);
    } finally {
      cosmos.server.off('request', listener);
    }
    expect(queries).toHaveLength(1);
  });

  it('malformed $expand is a 400 invalid-expand, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          // Near-misses of a hasMany term: parentheses, $first values, separators.
          fc
            .tuple(
              fc.constantFrom('orders', 'customer', 'orders(', 'orders($first=', ''),
              fc.string({ maxLength: 12 }),
              fc.constantFrom(')', '', '),orders', ',customer', '))'),
            )
            .map(([a, b, c]) => `${a}${b}${c}`),
        ),
        fc.boolean(),
        async (raw, many) => {
          const r = await app.list(many ? customers : orders, ALICE, { $expand: raw });
          expect(r.status).toBeLessThan(500);
          if (r.status !== 200) expect(r.body.type).toBe('urn:atakora:problem:invalid-expand');
        },
      ),
      // A third of the long run (60) under the suite's budget (test/plan/support/budget.ts), a fresh seed each time.
      { numRuns: propertyRuns(60) },
    );
    for (const bad of ['nope', 'customer,customer', 'orders', 'x'.repeat(2000), 'customer,']) {
      const r = await app.list(orders, ALICE, { $expand: bad });
      expect(r.status).toBe(400);
      const one = await app.item(orders, 'GET', 'o1', ALICE, { query: { $expand: bad } });
      expect(one.status).toBe(400);
    }
    // A hasMany expands too (expand-many.test.ts): each customer's orders page.
    const many = await app.list(customers, ALICE, { $expand: 'orders' });
    expect(many.status).toBe(200);
    expect(many.body.items[0].orders).toMatchObject({ items: expect.any(Array) });
  });
});

describe('$count', () => {
  it('counts every match in the caller’s tenant, on every page, with $filter', async () => {
    const all = await app.list(orders, ALICE, { $count: 'true', $first: '100' });
    expect(all.body.count).toBe(all.body.items.length);
    const eve = await app.list(orders, EVE, { $count: 'true' });
    expect(eve.body).toEqual({ items: [], continuationToken: null, count: 0 });
    const filtered = await app.list(orders, ALICE, {
      $count: 'true',
      $filter: "customerId eq 'c1'",
    });
    expect(filtered.body.count).toBe(
      all.body.items.filter((i: { customerId: string }) => i.customerId === 'c1').length,
    );
    expect(await app.list(orders, ALICE, {}).then((r) => r.body)).not.toHaveProperty('count');
    for (const bad of ['yes', 'TRUE', '1', ''])
      expect((await app.list(orders, ALICE, { $count: bad })).status).toBe(400);
  });

  it('property: count equals the number of items over all pages, for any page size', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 7 }), fc.boolean(), async (first, filtered) => {
        const query: Record<string, string> = { $count: 'true', $first: String(first) };
        if (filtered) query.$filter = 'total ge 3';
        let seen = 0;
        const counts = new Set<number>();
        let token: string | null = null;
        do {
          const page = await app.list(orders, ALICE, token ? { ...query, $after: token } : query);
          expect(page.status).toBe(200);
          seen += page.body.items.length;
          counts.add(page.body.count);
          token = page.body.continuationToken;
        } while (token);
        expect([...counts]).toEqual([seen]);
      }),
      { numRuns: 8 },
    );
  });

  it('under owner rules, count is the caller’s own items', async () => {
    expect((await app.list(vaults, ALICE, { $count: 'true' })).body.count).toBe(1);
    expect((await app.list(vaults, EVE, { $count: 'true' })).body.count).toBe(0);
  });
});

describe('children: GET api/<parents>/{id}/<relation>', () => {
  it('lists one parent’s children with the list options; another tenant’s parent is 404', async () => {
    const kids = await app.children(customers, 'orders', 'c1', ALICE, {
      $count: 'true',
      $orderby: 'total',
      $expand: 'customer',
    });
    expect(kids.status).toBe(200);
    const totals = kids.body.items.map((i: { total: number }) => i.total);
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    expect(kids.body.items.every((i: { customerId: string }) => i.customerId === 'c1')).toBe(true);
    expect(kids.body.count).toBe(kids.body.items.length);
    expect(kids.body.items[0].customer.name).toBe('Ada');
    const equivalent = await app.list(orders, ALICE, {
      $filter: "customerId eq 'c1'",
      $count: 'true',
    });
    expect(kids.body.count).toBe(equivalent.body.count);
    // Eve has a c1 of her own: her children of c1 are hers (none), never Alice's.
    const eve = await app.children(customers, 'orders', 'c1', EVE, { $count: 'true' });
    expect(eve.body).toEqual({ items: [], continuationToken: null, count: 0 });
    // Alice asking for Eve's c-eve: 404, as for an id nobody has.
    const foreign = await app.children(customers, 'orders', 'c-eve', ALICE);
    const none = await app.children(customers, 'orders', 'none', ALICE);
    expect(foreign.status).toBe(404);
    expect(foreign.body.type).toBe(none.body.type);
    const paged = await app.children(customers, 'orders', 'c1', ALICE, {
      $first: '2',
      $select: 'total',
    });
    expect(paged.body.items).toHaveLength(2);
    expect(paged.body.continuationToken).not.toBeNull();
    expect(paged.body.items[0]).not.toHaveProperty('customerId');
  });

  it("dataOf's children are the children route's page for the caller; another tenant's parent is 404", async () => {
    const rest = await app.children(customers, 'orders', 'c1', ALICE, { $count: 'true' });
    const page = await dataOfCaller(ALICE).customers.orders('c1', { count: true }).page();
    expect(page.items).toEqual(rest.body.items);
    expect(page.count).toBe(rest.body.count);
    expect(page.items.length).toBeGreaterThan(0);
    // Eve's c1 is hers: none of Alice's orders; Alice asking for Eve's c-eve is the REST route's 404.
    expect((await dataOfCaller(EVE).customers.orders('c1').page()).items).toEqual([]);
    await expect(dataOfCaller(ALICE).customers.orders('c-eve').page()).rejects.toMatchObject({
      status: 404,
      type: (await app.children(customers, 'orders', 'c-eve', ALICE)).body.type,
    });
    // A parent's id no URL can carry is refused before any route, as the typed client refuses it.
    const orders = dataOfCaller(ALICE).customers.orders;
    expect(() => orders('c\ud800')).toThrow(
      expect.objectContaining({ code: 'CLIENT_INPUT_INVALID', path: ['orders', 'id'] }),
    );
  });

  it('hostile input on the children route and $count is never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 20 }),
        fc.string({ maxLength: 20 }),
        async (id, count, expand) => {
          const r = await app.children(customers, 'orders', id, ALICE, {
            $count: count,
            $expand: expand,
          });
          expect(r.status).toBeLessThan(500);
          const list = await app.list(orders, ALICE, { $count: count });
          expect(list.status).toBeLessThan(500);
        },
      ),
      // A third of the long run (40) under the suite's budget (test/plan/support/budget.ts), a fresh seed each time.
      { numRuns: propertyRuns(40) },
    );
  });

  it('bad input is 4xx: other methods 405, bad ids 400, bad options 400', async () => {
    expect((await app.children(customers, 'orders', 'c1', ALICE, {}, 'POST')).status).toBe(405);
    expect((await app.children(customers, 'orders', 'a/b', ALICE)).status).toBe(400);
    expect(
      (await app.children(customers, 'orders', 'c1', ALICE, { $filter: 'nope eq 1' })).status,
    ).toBe(400);
    expect((await app.children(customers, 'orders', 'c1', ALICE, { $count: 'maybe' })).status).toBe(
      400,
    );
    expect((await app.children(customers, 'orders', 'c1', {})).status).toBe(401);
  });
});

describe('deletes', () => {
  it('restrict: 409 has-children and nothing deleted; without children the delete goes', async () => {
    const r = await app.item(customers, 'DELETE', 'c1', ALICE);
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ type: 'urn:atakora:problem:has-children', relation: 'orders' });
    expect((await app.item(customers, 'GET', 'c1', ALICE)).status).toBe(200);
    // Eve's c1 has no children in Eve's tenant (Alice's orders never count for her).
    expect((await app.item(customers, 'DELETE', 'c1', EVE)).status).toBe(204);
    expect((await app.item(customers, 'GET', 'c1', ALICE)).status).toBe(200);
  });

  it('cascade: the children go too; a restrict below stops the chain with 409', async () => {
    await app.create(vaults, { id: 'v2', label: 'two' }, ALICE);
    for (const id of ['e-a', 'e-b', 'e-c']) await app.create(entries, { id, vaultId: 'v2' }, ALICE);
    await app
      .create(entries, { id: 'e-eve', vaultId: 'v2' }, EVE)
      .then((r) => expect(r.status).toBe(422));
    expect((await app.item(vaults, 'DELETE', 'v2', ALICE)).status).toBe(204);
    const left = (await allItems(containers.get('EntryApi')!)).filter((i) => i.vaultId === 'v2');
    expect(left).toEqual([]);
    // An entry with a note (restrict) holds its vault.
    await app.create(vaults, { id: 'v3', label: 'three' }, ALICE);
    await app.create(entries, { id: 'e-n', vaultId: 'v3' }, ALICE);
    expect((await app.create(notes, { id: 'n1', entryId: 'e-n' }, ALICE)).status).toBe(201);
    const held = await app.item(vaults, 'DELETE', 'v3', ALICE);
    expect(held.status).toBe(409);
    expect(held.body.relation).toBe('notes');
    expect((await app.item(vaults, 'GET', 'v3', ALICE)).status).toBe(200);
  });

  it('a parent the caller cannot see is 404 and no child is touched', async () => {
    await app.create(vaults, { id: 'v4', label: 'four' }, ALICE);
    await app.create(entries, { id: 'e-4', vaultId: 'v4' }, ALICE);
    expect((await app.item(vaults, 'DELETE', 'v4', BOB)).status).toBe(404);
    expect((await app.item(vaults, 'DELETE', 'v4', EVE)).status).toBe(404);
    expect((await app.item(entries, 'GET', 'e-4', ALICE)).status).toBe(200);
  });
});
