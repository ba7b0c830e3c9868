import type { Container } from '@azure/cosmos';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  RuntimeAuth,
  RuntimeEntity,
  RuntimeSearch,
} from '../../src/model/runtime-manifest.js';
import { searchHandler } from '../../src/runtime/search/search-endpoint.js';
import type { QueryEmbedder } from '../../src/runtime/embed/query-embedder.js';
import { invoke, type Reply } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { seedItems } from './support/seed-items.js';
import { searchReference } from './support/search-reference.js';

const ALL = ['create', 'read', 'update', 'delete', 'list'] as const;
const SEARCH: RuntimeSearch = {
  text: { fields: ['title', 'body'], language: 'en-US' },
  vector: { field: 'embedding', dimensions: 3, distance: 'cosine', index: 'flat' },
};
/** Isolated per tenant, partitioned by id: every search is a cross-partition query confined by its WHERE. */
const ticket: RuntimeEntity = {
  componentId: 'TicketApi',
  entityName: 'Ticket',
  route: 'tickets',
  partitionKey: '/id',
  schema: {
    id: { type: 'string', required: true },
    title: { type: 'string', required: true },
    body: { type: 'string', required: false },
    status: { type: 'string', required: false },
    embedding: { type: 'array', required: false },
  },
  operations: ALL,
  unknownFields: 'reject',
  settings: { endpoint: 'T_COSMOS_ENDPOINT', database: 'T_DATABASE', container: 'T_CONTAINER' },
  search: SEARCH,
};

let cosmos: LocalCosmos;
let run = 0;
beforeAll(async () => {
  cosmos = await startLocalCosmos();
});
afterAll(async () => cosmos?.stop());

async function seeded(items: Record<string, unknown>[]): Promise<Container> {
  const container = await cosmos.container(`tickets-${String(++run)}`, '/id');
  await seedItems(container, items);
  return container;
}

function searcher(container: Container, embedder?: QueryEmbedder, entity = ticket) {
  if (!entity.search) throw new Error('no search declared');
  const search = searchHandler(
    entity,
    entity.search,
    container,
    embedder ? { queryEmbedder: embedder } : {},
  );
  return (body: unknown, tenant = 'tenant-a'): Promise<Reply> =>
    invoke(search.handler, 'POST', 'tickets/search', {
      body,
      headers: { 'x-tenant-id': tenant },
    });
}

/** Every page of a search, following its tokens: the ids in order. */
async function allPages(
  search: (body: unknown) => Promise<Reply>,
  body: Record<string, unknown>,
): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  for (let n = 0; n < 50; n++) {
    const r = await search({ ...body, ...(after ? { after } : {}) });
    expect(r.status, r.text).toBe(200);
    for (const item of r.body.items as { id: string; score: unknown }[]) {
      expect(typeof item.score).toBe('number');
      ids.push(item.id);
    }
    after = r.body.continuationToken ?? undefined;
    if (!after) return ids;
  }
  throw new Error('more than 50 pages');
}

const WORDS = ['login', 'bug', 'crash', 'slow', 'page', 'error', 'button'];
const textArb = fc
  .array(fc.constantFrom(...WORDS), { minLength: 0, maxLength: 6 })
  .map((w) => w.join(' '));
const vectorArb = fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 3, maxLength: 3 });
const itemArb = fc.record({
  tenantId: fc.constantFrom('tenant-a', 'tenant-b'),
  title: textArb,
  body: textArb,
  embedding: vectorArb,
});

describe('search against the local Cosmos DB server equals a reference computed from the items', () => {
  it('text, vector and hybrid ranking, inside the tenant, every page in order and no item twice', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(itemArb, { maxLength: 25 }),
        fc.constantFrom('text', 'vector', 'hybrid'),
        fc.subarray(WORDS, { minLength: 1, maxLength: 3 }),
        vectorArb.filter((v) => v.some((x) => x !== 0)),
        fc.integer({ min: 1, max: 7 }),
        async (drawn, mode, terms, vector, first) => {
          const items = drawn.map((item, i) => ({ id: `t${String(i).padStart(2, '0')}`, ...item }));
          const search = searcher(await seeded(items));
          const body = {
            mode,
            first,
            ...(mode === 'vector' ? {} : { text: terms.join(' ') }),
            ...(mode === 'text' ? {} : { vector }),
          };
          const ids = await allPages(search, body);
          const mine = items.filter((i) => i.tenantId === 'tenant-a');
          expect(ids).toEqual(
            searchReference(mine, { mode, terms, vector, fields: ['title', 'body'] }),
          );
          expect(new Set(ids).size).toBe(ids.length);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('a search is confined and filtered as a list', () => {
  it('answers only the caller tenant items, narrowed by filter, each with a score', async () => {
    const search = searcher(
      await seeded([
        {
          id: 'a1',
          tenantId: 'tenant-a',
          title: 'login bug',
          status: 'open',
          embedding: [1, 0, 0],
        },
        {
          id: 'a2',
          tenantId: 'tenant-a',
          title: 'login page',
          status: 'closed',
          embedding: [0, 1, 0],
        },
        {
          id: 'b1',
          tenantId: 'tenant-b',
          title: 'login bug bug',
          status: 'open',
          embedding: [1, 0, 0],
        },
      ]),
    );
    const r = await search({ text: 'login bug' });
    expect(r.status, r.text).toBe(200);
    expect(r.body.items.map((i: { id: string }) => i.id)).toEqual(['a1', 'a2']);
    expect(r.body.items[0].score).toBeGreaterThan(r.body.items[1].score);
    const f = await search({ text: 'login', filter: "status eq 'closed'" });
    expect(f.body.items.map((i: { id: string }) => i.id)).toEqual(['a2']);
    const v = await search({ vector: [1, 0, 0] }, 'tenant-b');
    expect(v.body.items.map((i: { id: string; score: number }) => [i.id, i.score])).toEqual([
      ['b1', 1],
    ]);
  });

  it('embeds the text of a vector search when an embedder is given, else asks for the vector', async () => {
    const entity: RuntimeEntity = {
      ...ticket,
      search: {
        ...SEARCH,
        vector: {
          ...SEARCH.vector!,
          embed: { from: ['title'], deployment: 'e', model: 'text-embedding-3-small' },
        },
      },
    };
    const container = await seeded([
      { id: 'a1', tenantId: 'tenant-a', title: 'x', embedding: [1, 0, 0] },
      { id: 'a2', tenantId: 'tenant-a', title: 'y', embedding: [0, 1, 0] },
    ]);
    const embedded = await searcher(
      container,
      async () => [0, 1, 0],
      entity,
    )({ text: 'why', mode: 'vector' });
    expect(embedded.status, embedded.text).toBe(200);
    expect(embedded.body.items.map((i: { id: string }) => i.id)).toEqual(['a2', 'a1']);
    const refused = await searcher(container, undefined, entity)({ text: 'why', mode: 'vector' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toContainEqual(
      expect.objectContaining({ field: 'vector', code: 'required' }),
    );
    const failing = await searcher(
      container,
      () => Promise.reject(new Error('down')),
      entity,
    )({ text: 'why', mode: 'hybrid' });
    expect(failing.status).toBe(503);
    expect(failing.body.type).toBe('urn:atakora:problem:embedding-unavailable');
    // A 503 says when to retry, as the write path's does (troubleshooting: "Retry after `Retry-After`").
    expect(failing.headers.get('retry-after')).toBe('10');
  });
});

/** `x-ms-client-principal` as App Service authentication writes it (oid, tid). */
function principal(oid: string, tid: string): Record<string, string> {
  const claims = [
    { typ: 'oid', val: oid },
    { typ: 'tid', val: tid },
  ];
  const value = { auth_typ: 'aad', name_typ: 'name', role_typ: 'roles', claims };
  return { 'x-ms-client-principal': Buffer.from(JSON.stringify(value)).toString('base64') };
}

describe('a search answers under the owner rule as a list does', () => {
  it("an owner-only CrudApi's search ranks the caller's own items only", async () => {
    const TID = '11111111-1111-1111-1111-111111111111';
    const owned: RuntimeEntity = { ...ticket, access: [{ allow: 'owner' }] };
    const policy: RuntimeAuth = { required: true, tenantClaim: 'tid', trustTenantHeader: false };
    const container = await seeded([
      { id: 'a1', tenantId: TID, ownerId: 'alice', title: 'login bug', embedding: [1, 0, 0] },
      { id: 'b1', tenantId: TID, ownerId: 'bob', title: 'login bug bug', embedding: [1, 0, 0] },
      { id: 'a2', tenantId: TID, ownerId: 'alice', title: 'login', embedding: [0, 1, 0] },
    ]);
    const search = searchHandler(owned, SEARCH, container, { caller: policy });
    const ask = (oid: string, body: unknown) =>
      invoke(search.handler, 'POST', 'tickets/search', { body, headers: principal(oid, TID) });
    for (const body of [
      { text: 'login bug' },
      { vector: [1, 0, 0] },
      { text: 'bug', vector: [1, 0, 0] },
    ]) {
      const alice = await ask('alice', body);
      expect(alice.status, alice.text).toBe(200);
      expect(alice.body.items.map((i: { id: string }) => i.id).sort()).toEqual(['a1', 'a2']);
      const bob = await ask('bob', body);
      expect(bob.body.items.map((i: { id: string }) => i.id)).toEqual(['b1']);
    }
  });
});

describe('a bad search body is a 400 invalid-search with field errors, never a 5xx', () => {
  const cases: [string, unknown, string, string][] = [
    ['a vector of another dimension count', { vector: [1, 2] }, 'vector', 'dimensions'],
    ['a vector holding a string', { vector: [1, 'x', 2] }, 'vector', 'finite'],
    ['a vector that is no array', { vector: 'x' }, 'vector', 'type'],
    ['text too long', { text: 'a'.repeat(1001) }, 'text', 'maxLength'],
    ['text without a word', { text: '  ,, ' }, 'text', 'empty'],
    ['an unknown field', { text: 'x', top: 3 }, 'top', 'unknown'],
    ['an unknown mode', { text: 'x', mode: 'fuzzy' }, 'mode', 'enum'],
    ['hybrid without text', { vector: [1, 0, 0], mode: 'hybrid' }, 'text', 'required'],
    ['vector mode without a vector', { mode: 'vector' }, 'vector', 'required'],
    ['first out of range', { text: 'x', first: 101 }, 'first', 'range'],
    ['first not an integer', { text: 'x', first: 1.5 }, 'first', 'range'],
  ];
  it.each(cases)('%s', async (_, body, field, code) => {
    const r = await searcher(await seeded([]))(body);
    expect(r.status, r.text).toBe(400);
    expect(r.body.type).toBe('urn:atakora:problem:invalid-search');
    expect(r.body.errors).toContainEqual(expect.objectContaining({ field, code }));
  });

  it('non-finite numbers cannot even be sent as JSON; a huge number is still finite and accepted', async () => {
    const r = await searcher(await seeded([]))({ vector: [1e308, 0, 0] });
    expect(r.status, r.text).toBe(200);
  });

  it('text mode on a CrudApi with no text paths, vector on one without a vector', async () => {
    const vectorOnly = { ...ticket, search: { vector: SEARCH.vector! } };
    const t = await searcher(await seeded([]), undefined, vectorOnly)({ text: 'x', mode: 'text' });
    expect(t.status).toBe(400);
    expect(t.body.errors).toContainEqual(
      expect.objectContaining({ field: 'mode', code: 'undeclared' }),
    );
    const textOnly = { ...ticket, search: { text: SEARCH.text! } };
    const v = await searcher(await seeded([]), undefined, textOnly)({ vector: [1, 0, 0] });
    expect(v.status).toBe(400);
    expect(v.body.errors).toContainEqual(
      expect.objectContaining({ field: 'vector', code: 'unknown' }),
    );
  });

  it('a bad filter is a 400 invalid-query; a forged or foreign token a 400', async () => {
    const search = searcher(await seeded([]));
    const f = await search({ text: 'x', filter: 'nope eq 1' });
    expect(f.status).toBe(400);
    expect(f.body.type).toBe('urn:atakora:problem:invalid-query');
    const forged = await search({ text: 'x', after: 's1.5.0000000000000000' });
    expect(forged.status).toBe(400);
    expect(forged.body.type).toBe('urn:atakora:problem:invalid-continuation-token');
  });

  it('no tenant: refused as a list is', async () => {
    const search = searchHandler(ticket, SEARCH, await seeded([]));
    const r = await invoke(search.handler, 'POST', 'tickets/search', {
      body: { text: 'x' },
    });
    expect(r.status).toBe(403);
  });
});
