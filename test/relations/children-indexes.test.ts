/**
 * The children route's ORDER BY is the one its derived composite index serves. Cosmos DB uses a composite index for
 * `WHERE c.customerId = @id ORDER BY …` only when the equality-filtered field leads both the index and the ORDER BY,
 * in the index's directions or exactly all reversed. For every declared sort (and its reverse), the query the
 * runtime sends is compared with the composite indexes the synthesized Terraform gives the container; the local
 * server, which refuses a multi-field ORDER BY without an index in its exact directions, answers them all.
 */
import type { Container, FeedOptions, SqlQuerySpec } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { RuntimeEntity, SortKey } from '../../src/model/runtime-manifest.js';
import { parseManifest } from '../../src/runtime/manifest-loader.js';
import { countingRequests } from '../runtime/support/cosmos-requests.js';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { synthText } from '../support/synth.js';
import { principal, relationApp } from './support.js';

const ALICE = principal('tenant-a', 'alice');
const EIGHT = ['total', 'placedOn', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6'] as const;

const backend = defineBackend({
  customers: CrudApi.define('CustomerApi', {
    entityName: 'Customer',
    schema: { id: 'string', name: 'string' },
    partitionKey: '/tenantId',
    relations: { orders: { hasMany: 'OrderApi', field: 'customerId' } },
  }),
  orders: CrudApi.define('OrderApi', {
    entityName: 'Order',
    schema: {
      id: 'string',
      customerId: 'string',
      total: 'number',
      placedOn: 'string',
      a1: 'number',
      a2: 'number',
      a3: 'number',
      a4: 'number',
      a5: 'number',
      a6: 'number',
    },
    partitionKey: '/tenantId',
    // One field; two fields in mixed directions; one naming the parent's field after another; one led by it;
    // and the longest an $orderby may be (the parent's field would make it too long: sent as asked).
    sortable: [
      'total',
      ['placedOn desc', 'total'],
      ['total', 'customerId desc'],
      ['customerId', 'placedOn desc'],
      EIGHT,
    ],
    relations: { customer: { belongsTo: 'CustomerApi', field: 'customerId' } },
  }),
});

type Index = readonly { readonly path: string; readonly order: string }[];
const text = (index: Index) => index.map((p) => `${p.path} ${p.order}`).join(', ');
const reversed = (index: Index): Index =>
  index.map((p) => ({ path: p.path, order: p.order === 'ascending' ? 'descending' : 'ascending' }));

/** The composite indexes the synthesized Terraform gives the orders container. */
function synthesizedIndexes(): Index[] {
  const containers = synthText(backend).json.resource['azurerm_cosmosdb_sql_container'] ?? {};
  const orders = Object.values(containers).find((c) => c['name'] === 'order');
  const policy = orders?.['indexing_policy'] as
    | { composite_index?: { index: Index }[] }
    | undefined;
  return (policy?.composite_index ?? []).map((c) => c.index);
}

/** The runtime entities as the Function App's manifest carries them. */
function manifestEntities(): RuntimeEntity[] {
  const plan = backend.plan();
  const fn = plan.resources.find(
    (r) => r.type === 'functions' && (r.config as { crudRuntime?: boolean }).crudRuntime,
  );
  const crudEntities = (fn?.config as { crudEntities: unknown[] }).crudEntities;
  return [
    ...parseManifest(
      JSON.stringify({ version: 1, backendId: plan.backendId, entities: crudEntities }),
    ).entities,
  ];
}

/** The ORDER BY of a query as composite-index paths: `c["total"] DESC` → `/total descending`. */
function orderByOf(sql: string): Index {
  const clause = / ORDER BY (.*)$/.exec(sql)?.[1];
  if (clause === undefined) return [];
  return clause.split(', ').map((term) => {
    const m = /^c\["([A-Za-z0-9_]+)"\] (ASC|DESC)$/.exec(term);
    if (!m) throw new Error(`unexpected ORDER BY term ${term}`);
    return { path: `/${m[1]}`, order: m[2] === 'DESC' ? 'descending' : 'ascending' };
  });
}

/** A container whose queries are written down as sent (the SQL text), then run as usual. */
function recording(container: Container, sent: string[]): Container {
  const items = new Proxy(container.items, {
    get(target, key) {
      if (key === 'query')
        return (spec: SqlQuerySpec, options?: FeedOptions) => {
          sent.push(spec.query);
          return target.query(spec, options);
        };
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return new Proxy(container, {
    get: (target, key) => (key === 'items' ? items : Reflect.get(target, key)),
  });
}

/** `$orderby` text of a sort: `placedOn desc,total`. */
const orderbyText = (sort: readonly SortKey[]) =>
  sort.map((k) => `${k.field}${k.order === 'descending' ? ' desc' : ''}`).join(',');
const flip = (sort: readonly SortKey[]): SortKey[] =>
  sort.map((k) => ({
    field: k.field,
    order: k.order === 'ascending' ? 'descending' : 'ascending',
  }));

let cosmos: LocalCosmos;
let app: ReturnType<typeof relationApp>;
let customers: RuntimeEntity;
let orders: RuntimeEntity;
const sent: string[] = [];

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  const entities = manifestEntities();
  customers = entities.find((e) => e.componentId === 'CustomerApi')!;
  orders = entities.find((e) => e.componentId === 'OrderApi')!;
  const containers = new Map<string, Container>([
    ['CustomerApi', await cosmos.container('customers', '/tenantId', 'indexes', customers)],
    ['OrderApi', recording(await cosmos.container('orders', '/tenantId', 'indexes', orders), sent)],
  ]);
  app = relationApp({ version: 1, backendId: 'indexes', entities }, containers);
  for (const c of ['c1', 'c2']) await app.create(customers, { id: c, name: c }, ALICE);
  for (let i = 0; i < 7; i++) {
    const n = (i * 5) % 7;
    await app.create(
      orders,
      {
        id: `o${i}`,
        customerId: i % 3 ? 'c1' : 'c2',
        total: n,
        placedOn: `2026-0${1 + (i % 4)}`,
        ...Object.fromEntries(EIGHT.slice(2).map((f) => [f, n])),
      },
      ALICE,
    );
  }
});
afterAll(async () => cosmos?.stop());

describe('children queries use the derived composite indexes', () => {
  it('every sort and its reverse: the ORDER BY the runtime sends is a synthesized index or its exact reverse', async () => {
    const indexes = synthesizedIndexes();
    const served = new Set<string>();
    const declared = orders.sortable ?? [];
    expect(declared).toHaveLength(5);
    for (const sort of declared)
      for (const asked of [sort, flip(sort)]) {
        for (const route of ['children', 'list'] as const) {
          sent.length = 0;
          const query = { $orderby: orderbyText(asked) };
          const page =
            route === 'children'
              ? await app.children(customers, 'orders', 'c1', ALICE, query)
              : await app.list(orders, ALICE, query);
          expect(page.status, `${route} $orderby=${query.$orderby}`).toBe(200);
          const sql = sent.find((q) => q.includes(' ORDER BY '));
          expect(sql).toBeDefined();
          const orderBy = orderByOf(sql!);
          if (route === 'children' && asked.length < 8)
            // The parent's field leads, in the direction of the sort's first key, and is not repeated.
            expect(orderBy[0]).toEqual({ path: '/customerId', order: asked[0]!.order });
          if (route === 'children' && asked.length === 8) expect(orderBy).toHaveLength(8);
          expect(new Set(orderBy.map((p) => p.path)).size).toBe(orderBy.length);
          // One field: its range index (every path is indexed). Several: a composite index in its directions or
          // exactly all reversed (what Azure serves), and the order of the items is the sort asked for.
          if (orderBy.length > 1) {
            const match = indexes.find(
              (i) => text(i) === text(orderBy) || text(reversed(i)) === text(orderBy),
            );
            expect(
              match,
              `${route}: ORDER BY ${text(orderBy)} in ${indexes.map(text).join(' | ')}`,
            ).toBeDefined();
            served.add(text(match!));
          }
          const items = page.body.items as Record<string, unknown>[];
          const key = asked[0]!.field;
          const values = items.map((i) => i[key] as number | string);
          const ordered = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          expect(values).toEqual(asked[0]!.order === 'ascending' ? ordered : ordered.reverse());
          if (route === 'children') expect(items.every((i) => i.customerId === 'c1')).toBe(true);
        }
      }
    // Exactly the queries sent: no derived index goes unused.
    expect(indexes.map(text).filter((i) => !served.has(i))).toEqual([]);
  });

  it('a sorted children page still pages through every child once, in order, one query and one point read a page', async () => {
    const all = await app.children(customers, 'orders', 'c1', ALICE, { $orderby: 'total desc' });
    const expected = (all.body.items as { id: string }[]).map((i) => i.id);
    expect(expected.length).toBeGreaterThan(2);
    const seen: string[] = [];
    let token: string | null = null;
    do {
      const query: Record<string, string> = { $orderby: 'total desc', $first: '2' };
      if (token) query.$after = token;
      const { result, requests } = await countingRequests(cosmos.server, () =>
        app.children(customers, 'orders', 'c1', ALICE, query),
      );
      expect(result.status).toBe(200);
      expect(requests).toEqual({ queries: { orders: 1 }, reads: { customers: 1 } });
      seen.push(...(result.body.items as { id: string }[]).map((i) => i.id));
      token = result.body.continuationToken;
    } while (token);
    expect(seen).toEqual(expected);
  });
});
