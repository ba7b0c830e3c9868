import type { Container, FeedOptions, SqlQuerySpec } from '@azure/cosmos';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { searchHandler } from '../../src/runtime/search/search-endpoint.js';
import { invoke } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { seedItems } from './support/seed-items.js';
import { searchReference } from './support/search-reference.js';

/**
 * How a search is confined to the caller's partition (docs/search.md, "Confined to one partition"): an entity
 * partitioned by its tenant, whose every search names that partition. A ranked search (text, hybrid) passes the SDK
 * no partitionKey option — Azure's ranking is the SDK's hybrid pipeline, skipped for a single-partition query
 * (Azure/azure-cosmos-dotnet-v3#5332) — and is confined by its WHERE alone; a vector search keeps the option. Against
 * the real protocol server and client, the answer is exactly the caller's items, ranked as a reference computes them.
 */
const ticket: RuntimeEntity = {
  componentId: 'TicketApi',
  entityName: 'Ticket',
  route: 'tickets',
  partitionKey: '/tenantId',
  schema: {
    id: { type: 'string', required: true },
    title: { type: 'string', required: true },
    body: { type: 'string', required: false },
    embedding: { type: 'array', required: false },
  },
  operations: ['create', 'read', 'update', 'delete', 'list'],
  unknownFields: 'reject',
  settings: { endpoint: 'T_COSMOS_ENDPOINT', database: 'T_DATABASE', container: 'T_CONTAINER' },
  search: {
    text: { fields: ['title', 'body'], language: 'en-US' },
    vector: { field: 'embedding', dimensions: 3, distance: 'cosine', index: 'flat' },
  },
};

let cosmos: LocalCosmos;
let run = 0;
beforeAll(async () => {
  cosmos = await startLocalCosmos();
});
afterAll(async () => cosmos?.stop());

/** The container, and every query's options as the runtime passed them to the SDK. */
async function seeded(items: Record<string, unknown>[]) {
  const container = await cosmos.container(`ptickets-${String(++run)}`, '/tenantId');
  await seedItems(container, items);
  const queries: { query: string; options: FeedOptions | undefined }[] = [];
  const items$ = container.items;
  const watched = new Proxy(container, {
    get(target, key, receiver) {
      if (key !== 'items') return Reflect.get(target, key, receiver) as unknown;
      return new Proxy(items$, {
        get(t, k, r) {
          if (k !== 'query') return Reflect.get(t, k, r) as unknown;
          return (spec: SqlQuerySpec, options?: FeedOptions) => {
            queries.push({ query: spec.query, options });
            return t.query(spec, options);
          };
        },
      });
    },
  }) as Container;
  return { container: watched, queries };
}

const WORDS = ['login', 'bug', 'crash', 'slow', 'page'];
const text = fc.array(fc.constantFrom(...WORDS), { maxLength: 5 }).map((w) => w.join(' '));
const vector = fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 3, maxLength: 3 });

describe('a search confined to the caller partition', () => {
  it('answers exactly the partition items, ranked; only a vector search names the partition to the SDK', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            tenantId: fc.constantFrom('tenant-a', 'tenant-b'),
            title: text,
            body: text,
            embedding: vector,
          }),
          { maxLength: 20 },
        ),
        fc.constantFrom('text', 'vector', 'hybrid'),
        fc.subarray(WORDS, { minLength: 1, maxLength: 3 }),
        vector.filter((v) => v.some((x) => x !== 0)),
        async (drawn, mode, terms, query) => {
          const items = drawn.map((item, i) => ({ id: `t${String(i).padStart(2, '0')}`, ...item }));
          const { container, queries } = await seeded(items);
          const search = searchHandler(ticket, ticket.search!, container, {});
          const body = {
            mode,
            first: 100,
            ...(mode === 'vector' ? {} : { text: terms.join(' ') }),
            ...(mode === 'text' ? {} : { vector: query }),
          };
          const r = await invoke(search.handler, 'POST', 'tickets/search', {
            body,
            headers: { 'x-tenant-id': 'tenant-a' },
          });
          expect(r.status, r.text).toBe(200);
          const mine = items.filter((i) => i.tenantId === 'tenant-a');
          expect(r.body.items.map((i: { id: string }) => i.id)).toEqual(
            searchReference(mine, { mode, terms, vector: query, fields: ['title', 'body'] }),
          );
          const [sent] = queries;
          expect(sent!.query).toMatch(/c\["tenantId"\] = @pk/);
          expect(sent!.options?.partitionKey).toBe(mode === 'vector' ? 'tenant-a' : undefined);
        },
      ),
      { numRuns: 20 },
    );
  });
});
