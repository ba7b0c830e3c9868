import type { Container, SqlQuerySpec } from '@azure/cosmos';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { localCompositeIndexes } from '../../src/runtime/queries/list-query.js';
import { propertyRuns } from '../plan/support/budget.js';
import { apiFor } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { seedItems } from './support/seed-items.js';
import {
  cmpValues,
  evaluate,
  filterArb,
  itemArb,
  lit,
  render,
  type RefFilter,
} from './support/list-reference.js';

const ALL = ['create', 'read', 'update', 'delete', 'list'] as const;
const product: RuntimeEntity = {
  componentId: 'ProductApi',
  entityName: 'Product',
  route: 'products',
  partitionKey: '/id',
  schema: {
    id: { type: 'string', required: true },
    name: { type: 'string', required: true },
    category: { type: 'string', required: true },
    price: { type: 'number', required: true },
    qty: { type: 'integer', required: false },
    active: { type: 'boolean', required: false },
    note: { type: 'string', required: false },
    tags: { type: 'array', required: false },
  },
  operations: ALL,
  unknownFields: 'reject',
  tenancy: 'shared',
  settings: {
    endpoint: 'P_COSMOS_ENDPOINT',
    database: 'P_DATABASE_NAME',
    container: 'P_CONTAINER_NAME',
  },
  sortable: [
    [{ field: 'name', order: 'ascending' }],
    [{ field: 'price', order: 'ascending' }],
    [
      { field: 'category', order: 'ascending' },
      { field: 'price', order: 'descending' },
    ],
    [
      { field: 'category', order: 'ascending' },
      { field: 'name', order: 'ascending' },
    ],
  ],
};
/** The orderings the entity declares, as `$orderby` texts with the fields they sort by. */
const ORDERS: { text: string; keys: [string, 1 | -1][] }[] = [
  { text: 'name', keys: [['name', 1]] },
  { text: 'name desc', keys: [['name', -1]] },
  { text: 'price desc', keys: [['price', -1]] },
  {
    text: 'category, price desc',
    keys: [
      ['category', 1],
      ['price', -1],
    ],
  },
  {
    text: 'category desc, price asc',
    keys: [
      ['category', -1],
      ['price', 1],
    ],
  },
  {
    text: 'category asc, name',
    keys: [
      ['category', 1],
      ['name', 1],
    ],
  },
];
const SELECTABLE = ['name', 'category', 'price', 'qty', 'active', 'note', 'tags'];

let cosmos: LocalCosmos;
let run = 0;
beforeAll(async () => {
  cosmos = await startLocalCosmos();
});
afterAll(async () => cosmos?.stop());

/** The container, with every query the runtime sends recorded (the server still answers it). */
function spied(container: Container, seen: SqlQuerySpec[]): Container {
  const items = new Proxy(container.items, {
    get(target, key) {
      if (key === 'query')
        return (spec: SqlQuerySpec, options: unknown) => {
          seen.push(spec);
          return target.query(spec, options as never);
        };
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return new Proxy(container, {
    get: (target, key) => (key === 'items' ? items : (Reflect.get(target, key, target) as unknown)),
  });
}

async function seeded(items: Record<string, unknown>[], entity = product) {
  // The composite indexes the plan derives (and, for this server, their reverses: localCompositeIndexes).
  const { database } = await cosmos.client.databases.createIfNotExists({ id: 'atakora' });
  const { container } = await database.containers.createIfNotExists({
    id: `products-${++run}`,
    partitionKey: { paths: ['/id'] },
    indexingPolicy: { compositeIndexes: localCompositeIndexes(entity.sortable) },
  });
  await seedItems(container, items);
  const seen: SqlQuerySpec[] = [];
  return { api: apiFor(entity, createCrudHandlers(entity, spied(container, seen))), seen };
}

/** Every page of a list query, following $after. */
async function listAll(
  api: ReturnType<typeof apiFor>,
  query: Record<string, string>,
  first: number,
) {
  const out: Record<string, unknown>[] = [];
  let after: string | null = null;
  for (let page = 0; page < 200; page++) {
    const r = await api.list({
      query: { ...query, $first: String(first), ...(after ? { $after: after } : {}) },
    });
    expect(r.status, r.text).toBe(200);
    out.push(...(r.body.items as Record<string, unknown>[]));
    after = r.body.continuationToken as string | null;
    if (after === null) return out;
  }
  throw new Error('more than 200 pages');
}

const byId = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  (a.id as string) < (b.id as string) ? -1 : 1;

describe('list queries against the local Cosmos DB server equal a reference evaluation', () => {
  it('$filter, $orderby and $select over random items, paged with $first/$after', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(itemArb, { maxLength: 25 }),
        fc.option(filterArb, { nil: undefined }),
        fc.option(fc.constantFrom(...ORDERS), { nil: undefined }),
        fc.option(fc.subarray(SELECTABLE, { minLength: 1 }), { nil: undefined }),
        fc.integer({ min: 1, max: 10 }),
        async (drawn, filter, order, select, first) => {
          const items: Record<string, unknown>[] = drawn.map((item, i) => ({
            id: `i${String(i).padStart(2, '0')}`,
            ...Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined)),
          }));
          const { api } = await seeded(items);
          const query: Record<string, string> = {
            ...(filter ? { $filter: render(filter) } : {}),
            ...(order ? { $orderby: order.text } : {}),
            ...(select ? { $select: select.join(',') } : {}),
          };
          const got = await listAll(api, query, first);
          const matching = filter ? items.filter((item) => evaluate(filter, item) === true) : items;
          const project = (item: Record<string, unknown>) =>
            select
              ? Object.fromEntries(
                  Object.entries(item).filter(([k]) => k === 'id' || select.includes(k)),
                )
              : item;
          // Same items (as a set: ties in the sort may come in any order) …
          expect([...got].sort(byId)).toEqual(matching.map(project).sort(byId));
          // … in the order asked for: the sort keys of the answer are the reference's sorted keys.
          if (order) {
            const full = new Map(items.map((i) => [i.id as string, i]));
            const keyOf = (i: Record<string, unknown>) =>
              order.keys.map(([f]) => full.get(i.id as string)![f]);
            const expected = matching.map(keyOf).sort((a, b) => {
              for (let k = 0; k < order.keys.length; k++) {
                const c = cmpValues(a[k], b[k]) * order.keys[k]![1];
                if (c !== 0) return c;
              }
              return 0;
            });
            expect(got.map(keyOf)).toEqual(expected);
          }
        },
      ),
      // A third of the long run (40) under the suite's budget (test/plan/support/budget.ts), a fresh seed each time.
      { numRuns: propertyRuns(40) },
    );
  });
});

describe('hostile $filter text', () => {
  const HOSTILE_VALUES = [
    "' OR 1=1 --",
    "') OR (1=1",
    "x' or 'a'='a",
    "a' or name ne 'b",
    "'; DROP TABLE c; --",
    '" OR ""="',
    'c["x"] OR 1=1',
    '@p7 OR 1=1',
    '@pk OR 1=1',
    '\\',
    "\\'",
    '--',
    '/* */',
    'ü😀\u202e',
    '\u0000',
    'a\u0000b',
    'SELECT * FROM c',
    ')',
    'x'.repeat(1500),
  ];

  it('a hostile value, quoted, matches exactly the items holding it, and never reaches the SQL text', async () => {
    const items = HOSTILE_VALUES.map((name, i) => ({ id: `h${i}`, name, category: 'x', price: i }));
    items.push({ id: 'plain', name: 'a', category: 'x', price: 0 });
    const { api, seen } = await seeded(items);
    for (const [i, value] of HOSTILE_VALUES.entries()) {
      // Each filter with the exact SQL it must compile to: the value travels as a parameter only.
      for (const [filter, text] of [
        [`name eq ${lit(value)}`, 'SELECT * FROM c WHERE (c["name"] = @p0)'],
        [`contains(name, ${lit(value)})`, 'SELECT * FROM c WHERE (CONTAINS(c["name"], @p0))'],
        [`name in ('zz', ${lit(value)})`, 'SELECT * FROM c WHERE (c["name"] IN (@p0, @p1))'],
      ] as const) {
        seen.length = 0;
        const r = await api.list({ query: { $filter: filter } });
        expect(r.status, `${filter}: ${r.text}`).toBe(200);
        const ids = (r.body.items as { id: string }[]).map((x) => x.id);
        expect(ids, filter).toContain(`h${i}`);
        if (filter.startsWith('name eq')) expect(ids).toEqual([`h${i}`]);
        expect(seen).toHaveLength(1);
        const sql = seen[0]!;
        expect(sql.query).toBe(text);
        expect(sql.parameters?.some((p) => p.value === value)).toBe(true);
      }
    }
  });

  const REFUSED: [string, number][] = [
    ["name eq 'a' OR 1=1", 16],
    ["name eq 'a' or 1 eq 1", 15],
    ["name eq 'a' --", 12],
    ["name eq 'a') or (name ne 'a'", 11],
    ["name eq 'a'; DELETE", 11],
    ["name eq 'a' /* x */", 12],
    ['name eq "a"', 8],
    ["c.name eq 'a'", 1],
    ["c['name'] eq 'a'", 1],
    ["name eq 'unterminated", 8],
    ['tenantId ne 0', 0],
    ["_etag ne 'x'", 0],
    ["name eq 'a' and price gt @p0", 25],
    ["nаme eq 'a'", 1],
    ["name eq 'a'\u0000", 11],
    [`${'('.repeat(40)}price gt 1${')'.repeat(40)}`, 32],
    [`name eq '${'x'.repeat(2100)}'`, 2000],
    ['price gt 5abc', 9],
    ['price gt 1e999', 9],
  ];

  it.each(REFUSED)(
    'hostile $filter #%# → 400 naming the position, nothing sent to Cosmos DB',
    async (filter, position) => {
      const { api, seen } = await seeded([]);
      const r = await api.list({ query: { $filter: filter } });
      expect(r.status).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body).toMatchObject({
        type: 'urn:atakora:problem:invalid-query',
        parameter: '$filter',
        position,
      });
      expect(r.body.detail).toContain(`position ${position}`);
      expect(seen).toEqual([]);
    },
  );

  it('$orderby on an undeclared sort is 400 not-sortable naming the config fix; bad $select and paging conflicts are 400', async () => {
    const { api, seen } = await seeded([]);
    const r = await api.list({ query: { $orderby: 'qty desc' } });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      type: 'urn:atakora:problem:not-sortable',
      parameter: '$orderby',
      position: 0,
    });
    expect(r.body.detail).toContain("sortable: ['qty']");
    const composite = await api.list({ query: { $orderby: 'category, price' } });
    expect(composite.body.detail).toContain("sortable: [['category', 'price']]");
    const sel = await api.list({ query: { $select: 'name,password' } });
    expect(sel.body).toMatchObject({
      type: 'urn:atakora:problem:invalid-query',
      parameter: '$select',
      position: 5,
    });
    expect((await api.list({ query: { $first: '5', limit: '6' } })).body).toMatchObject({
      parameter: '$first',
      issues: [{ code: 'conflict' }],
    });
    expect((await api.list({ query: { $first: '0' } })).body.type).toBe(
      'urn:atakora:problem:invalid-limit',
    );
    expect((await api.list({ query: { $after: 'x', continuationToken: 'y' } })).body).toMatchObject(
      { parameter: '$after' },
    );
    expect(seen).toEqual([]);
  });
});

describe('confinement', () => {
  it("a $filter stays inside the caller's tenant, whatever its or/not", async () => {
    const isolated: RuntimeEntity = (({ tenancy: _t, ...rest }) => rest)(product);
    const { api, seen } = await seeded([], isolated);
    const A = { 'x-tenant-id': 'tenant-a' };
    const B = { 'x-tenant-id': 'tenant-b' };
    for (const [h, n] of [
      [A, 'a1'],
      [A, 'a2'],
      [B, 'b1'],
    ] as const)
      expect(
        (await api.create({ id: n, name: n, category: 'x', price: 1 }, { headers: h })).status,
      ).toBe(201);
    for (const filter of [
      "name eq 'b1' or name ne 'b1'",
      "not (name eq 'zz')",
      "(name eq 'a1') or (price ge 0)",
    ]) {
      seen.length = 0;
      const r = await api.list({ query: { $filter: filter, $orderby: 'name' }, headers: A });
      expect(r.status).toBe(200);
      expect((r.body.items as { id: string }[]).map((i) => i.id)).toEqual(['a1', 'a2']);
      expect(seen[0]!.query).toMatch(
        /WHERE c\["tenantId"\] = @tenant AND \(.*\) ORDER BY c\["name"\] ASC$/,
      );
    }
  });
});
