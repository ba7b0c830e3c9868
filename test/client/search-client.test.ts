/**
 * The typed client's `search()` against the real search route over the local Cosmos DB server: the client's request
 * (POST <base>/search, the body as JSON) handed to the route's handler as the host would, the answer as REST gives it;
 * a refusal as a ProblemError.
 */
import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { createClient } from '../../src/client/create-client.js';
import { ProblemError } from '../../src/client/problem-error.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { searchHandler } from '../../src/runtime/search/search-endpoint.js';
import { makeContext } from '../runtime/support/http.js';
import { boundedAll, type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';

const backend = defineBackend(
  {
    tickets: CrudApi.define('TicketApi', {
      entityName: 'Ticket',
      schema: { id: 'string', title: 'string', embedding: 'array' },
      search: { text: ['title'], vector: { path: 'embedding', dimensions: 2, index: 'flat' } },
    }),
  },
  { backendId: 'desk' },
);

const entity: RuntimeEntity = {
  componentId: 'TicketApi',
  entityName: 'Ticket',
  route: 'tickets',
  partitionKey: '/id',
  schema: {
    id: { type: 'string', required: true },
    title: { type: 'string', required: false },
    embedding: { type: 'array', required: false },
  },
  operations: ['create', 'read', 'update', 'delete', 'list'],
  unknownFields: 'reject',
  tenancy: 'shared',
  settings: { endpoint: 'E', database: 'D', container: 'C' },
  search: {
    text: { fields: ['title'], language: 'en-US' },
    vector: { field: 'embedding', dimensions: 2, distance: 'cosine', index: 'flat' },
  },
};

let cosmos: LocalCosmos;
beforeAll(async () => {
  cosmos = await startLocalCosmos();
});
afterAll(async () => cosmos?.stop());

describe('the typed client search()', () => {
  it('posts the body to <route>/search and answers the ranked page; a bad body is a ProblemError', async () => {
    const container = await cosmos.container('client-search', '/id');
    await boundedAll(
      [
        { id: 't1', title: 'login bug', embedding: [1, 0] },
        { id: 't2', title: 'slow page', embedding: [0, 1] },
        { id: 't3', title: 'login page bug bug', embedding: [1, 1] },
      ].map((item) => () => container.items.create(item)),
      4,
    );
    const { handler } = searchHandler(entity, entity.search!, container);
    const seen: string[] = [];
    const fetch = async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      seen.push(`${init?.method ?? 'GET'} ${url.pathname}`);
      const request = new HttpRequest({
        method: init?.method ?? 'GET',
        url: url.toString(),
        headers: Object.fromEntries(new Headers(init?.headers).entries()),
        ...(typeof init?.body === 'string' ? { body: { string: init.body } } : {}),
      });
      const r = (await handler(request, makeContext())) as HttpResponseInit;
      return new Response(r.body as string, {
        status: r.status ?? 200,
        headers: r.headers as Record<string, string>,
      });
    };
    const client = createClient<typeof backend>({
      baseUrls: { tickets: 'https://app.test/api/tickets' },
      getToken: () => undefined,
      fetch: fetch as typeof globalThis.fetch,
    });
    const page = await client.tickets.search({ text: 'bug', first: 1 });
    expect(seen).toEqual(['POST /api/tickets/search']);
    expect(page.items.map((i) => [i.id, typeof i.score])).toEqual([['t3', 'number']]);
    const next = await client.tickets.search({
      text: 'bug',
      first: 1,
      after: page.continuationToken ?? '',
    });
    expect(next.items.map((i) => i.id)).toEqual(['t1']);
    expect(next.continuationToken).toBeNull();
    const near = await client.tickets.search({ vector: [0, 2] });
    expect(near.items.map((i) => i.id)).toEqual(['t2', 't3', 't1']);
    expect(near.items[0]?.score).toBeCloseTo(1);
    const e = (await client.tickets
      .search({ vector: [1] })
      .catch((x: unknown) => x)) as ProblemError;
    expect(e).toBeInstanceOf(ProblemError);
    expect([e.status, e.slug, e.errors.map((f) => f.code)]).toEqual([
      400,
      'invalid-search',
      ['dimensions'],
    ]);
  });
});
