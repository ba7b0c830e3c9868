import type { Container } from '@azure/cosmos';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { noteEntity } from './support/entities.js';
import { apiFor } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { seedItems } from './support/seed-items.js';
import { groupReference, type RefAggregate } from './support/aggregate-reference.js';
import { propertyRuns } from '../plan/support/budget.js';

const ALL = ['create', 'read', 'update', 'delete', 'list'] as const;
/** Partitioned by id: every aggregate is a cross-partition GROUP BY (the SDK's query plan in Azure). */
const ticket: RuntimeEntity = {
  componentId: 'TicketApi',
  entityName: 'Ticket',
  route: 'tickets',
  partitionKey: '/id',
  schema: {
    id: { type: 'string', required: true },
    status: { type: 'string', required: true },
    team: { type: 'string', required: false },
    urgent: { type: 'boolean', required: false },
    points: { type: 'integer', required: false },
    price: { type: 'number', required: false },
    tags: { type: 'array', required: false },
  },
  operations: ALL,
  unknownFields: 'reject',
  tenancy: 'shared',
  settings: {
    endpoint: 'T_COSMOS_ENDPOINT',
    database: 'T_DATABASE_NAME',
    container: 'T_CONTAINER',
  },
};

let cosmos: LocalCosmos;
let run = 0;
beforeAll(async () => {
  cosmos = await startLocalCosmos();
});
afterAll(async () => cosmos?.stop());

async function seeded(items: Record<string, unknown>[], entity = ticket): Promise<Container> {
  const container = await cosmos.container(`${entity.route}-${String(++run)}`, entity.partitionKey);
  await seedItems(container, items);
  return container;
}

const itemArb = fc.record(
  {
    status: fc.constantFrom('open', 'closed', 'blocked'),
    team: fc.constantFrom('red', 'blue'),
    urgent: fc.boolean(),
    points: fc.integer({ min: -20, max: 50 }),
    price: fc.integer({ min: 0, max: 400 }).map((n) => n / 4),
  },
  { requiredKeys: ['status'] },
);
const AGGREGATES: RefAggregate[] = [
  { kind: 'count', alias: 'count' },
  { kind: 'sum', field: 'points', alias: 'totalPoints' },
  { kind: 'average', field: 'price', alias: 'avgPrice' },
  { kind: 'min', field: 'price', alias: 'cheapest' },
  { kind: 'max', field: 'team', alias: 'lastTeam' },
];
const render = (a: RefAggregate) =>
  a.kind === 'count' ? `$count as ${a.alias}` : `${a.field} with ${a.kind} as ${a.alias}`;

describe('$apply against the local Cosmos DB server equals a reference computed from the items', () => {
  it('groupby over random items, with random aggregates and an optional $filter', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(itemArb, { maxLength: 30 }),
        fc.subarray(['status', 'team', 'urgent'], { minLength: 1 }),
        fc.subarray(AGGREGATES),
        fc.boolean(),
        async (drawn, groupBy, aggregates, filtered) => {
          const items = drawn.map((item, i) => ({ id: `t${String(i)}`, ...item }));
          const api = apiFor(ticket, createCrudHandlers(ticket, await seeded(items)));
          const agg = aggregates.length ? `, aggregate(${aggregates.map(render).join(', ')})` : '';
          const r = await api.list({
            query: {
              $apply: `groupby((${groupBy.join(',')})${agg})`,
              ...(filtered ? { $filter: 'points ge 0' } : {}),
            },
          });
          expect(r.status, r.text).toBe(200);
          const matching = filtered
            ? items.filter((i) => typeof i.points === 'number' && i.points >= 0)
            : items;
          expect(r.body).toEqual({ items: groupReference(matching, groupBy, aggregates) });
        },
      ),
      // A third of the long run (30) under the suite's budget (test/plan/support/budget.ts), a fresh seed each time.
      { numRuns: propertyRuns(30) },
    );
  });
});

describe('$apply stays inside the caller tenant', () => {
  it('groups only the caller tenant items; another tenant sees its own', async () => {
    const notes = await seeded(
      [
        { id: 'a1', tenantId: 'tenant-a', title: 'x', count: 2 },
        { id: 'a2', tenantId: 'tenant-a', title: 'x', count: 3 },
        { id: 'a3', tenantId: 'tenant-a', title: 'y', count: 1 },
        { id: 'b1', tenantId: 'tenant-b', title: 'x', count: 100 },
      ],
      noteEntity,
    );
    const api = apiFor(noteEntity, createCrudHandlers(noteEntity, notes));
    const $apply = 'groupby((title), aggregate($count as n, count with sum as total))';
    const a = await api.list({ query: { $apply }, headers: { 'x-tenant-id': 'tenant-a' } });
    expect(a.status, a.text).toBe(200);
    expect(a.body.items).toEqual([
      { title: 'x', n: 2, total: 5 },
      { title: 'y', n: 1, total: 1 },
    ]);
    const b = await api.list({ query: { $apply }, headers: { 'x-tenant-id': 'tenant-b' } });
    expect(b.body.items).toEqual([{ title: 'x', n: 1, total: 100 }]);
    // No tenant: refused as a list is, never a grouping across tenants.
    expect((await api.list({ query: { $apply } })).status).toBe(403);
    // The tenant field itself cannot be grouped (it is no schema field of the entity).
    const t = await api.list({
      query: { $apply: 'groupby((tenantId))' },
      headers: { 'x-tenant-id': 'tenant-a' },
    });
    expect(t.status).toBe(400);
    expect(t.body.issues[0].code).toBe('unknown-field');
  });
});

describe('a bad $apply is a 400 invalid-query naming the issue, never a 5xx', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['an unknown field', { $apply: 'groupby((stat))' }, 'unknown-field'],
    [
      'an unknown aggregate field',
      { $apply: 'groupby((status), aggregate(pts with sum as s))' },
      'unknown-field',
    ],
    [
      'sum of a string field',
      { $apply: 'groupby((status), aggregate(team with sum as s))' },
      'not-numeric',
    ],
    [
      'average of a boolean',
      { $apply: 'groupby((status), aggregate(urgent with average as s))' },
      'not-numeric',
    ],
    ['grouping an array field', { $apply: 'groupby((tags))' }, 'not-groupable'],
    ['one pair of parentheses', { $apply: 'groupby(status)' }, 'syntax'],
    [
      'an unknown method',
      { $apply: 'groupby((status), aggregate(points with median as m))' },
      'syntax',
    ],
    ['another transformation', { $apply: 'filter(points gt 1)' }, 'syntax'],
    ['an empty $apply', { $apply: '' }, 'syntax'],
    ['SQL in the text', { $apply: 'groupby((status)) GROUP BY c.id' }, 'syntax'],
    ['a quote', { $apply: "groupby((status), aggregate($count as 'x'))" }, 'syntax'],
    [
      'an alias used twice',
      { $apply: 'groupby((status), aggregate($count as status))' },
      'duplicate-alias',
    ],
    ['$orderby beside it', { $apply: 'groupby((status))', $orderby: 'status' }, 'conflict'],
    ['$first beside it', { $apply: 'groupby((status))', $first: '5' }, 'conflict'],
    [
      'a bad $filter beside it',
      { $apply: 'groupby((status))', $filter: 'nope eq 1' },
      'unknown-field',
    ],
  ];
  it.each(cases)('%s', async (_, query, code) => {
    const api = apiFor(
      ticket,
      createCrudHandlers(ticket, await seeded([{ id: 'x', status: 'open' }])),
    );
    const r = await api.list({ query });
    expect(r.status, r.text).toBe(400);
    expect(r.body.type).toBe('urn:atakora:problem:invalid-query');
    expect(r.body.issues.map((i: { code: string }) => i.code)).toContain(code);
  });
});
