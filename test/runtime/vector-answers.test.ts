/**
 * A CrudApi's search vector stays out of its answers unless asked for (runtime/values/vector-answer.ts), against the
 * real runtime (registerCrudRoutes over the local Cosmos DB server, the read cache on): a write's answer, a GET
 * (cached and not), a list, a search, the MCP tools' results and `dataOf` leave it out; `$select` (a search body's
 * or a tool's `select`) names it back; a bad `$select` on GET one is a 400 before any read; a PUT that leaves it out
 * (a GET body written back) keeps the stored one, a PATCH with null removes it; a realtime event never carries it.
 */
import type { HttpFunctionOptions, HttpHandler, HttpRequest } from '@azure/functions';
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf } from '../../src/client/data-of.js';
import { MCP_FUNCTION } from '../../src/contract/mcp/protocol.js';
import {
  AUTH_SETTING,
  type RuntimeEntity,
  type RuntimeManifest,
} from '../../src/model/runtime-manifest.js';
import { registerHostedFunctions } from '../../src/packaging/register-hosted.js';
import { InProcessRoutes } from '../../src/runtime/in-process/routes.js';
import { entityRealtime } from '../../src/runtime/realtime/events.js';
import type { Send } from '../../src/runtime/realtime/publisher.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import { principalHeader } from './support/built-app.js';
import { invoke, type Reply } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const policy = { required: true, tenantClaim: 'tid', trustTenantHeader: false } as const;
const ticket: RuntimeEntity = {
  componentId: 'TicketApi',
  entityName: 'Ticket',
  route: 'tickets',
  partitionKey: '/id',
  schema: {
    id: { type: 'string', required: true },
    title: { type: 'string', required: true },
    status: { type: 'string', required: false },
    embedding: { type: 'array', required: false },
  },
  operations: ['create', 'read', 'update', 'delete', 'list'],
  unknownFields: 'reject',
  settings: { endpoint: 'T_COSMOS_ENDPOINT', database: 'T_DATABASE', container: 'T_CONTAINER' },
  cache: { enabled: true, ttlSeconds: 60 },
  mcp: 'readwrite',
  search: {
    text: { fields: ['title'], language: 'en-US' },
    vector: { field: 'embedding', dimensions: 3, distance: 'cosine', index: 'flat' },
  },
};
/** A CrudApi with a real embedding's size (1,536 dimensions, as Azure OpenAI's text-embedding-3-small gives). */
const task: RuntimeEntity = {
  ...ticket,
  componentId: 'TaskApi',
  entityName: 'Task',
  route: 'tasks',
  cache: undefined,
  search: {
    text: { fields: ['title'], language: 'en-US' },
    vector: { field: 'embedding', dimensions: 1536, distance: 'cosine', index: 'diskANN' },
  },
};
const manifest: RuntimeManifest = {
  version: 1,
  backendId: 'vec',
  entities: [ticket, task],
  auth: policy,
  mcp: { writes: true },
};
const ada = principalHeader([
  ['tid', 't1'],
  ['oid', 'ada'],
]);
const V = [0.6, 0.8, 0];

/** Deterministic 1,536-number vectors with an embedding's precision (8 decimals). */
const embedding = (seed: number): number[] =>
  Array.from({ length: 1536 }, (_, j) => Number((Math.sin(seed * 7919 + j) / 20).toFixed(8)));

type Door = Record<string, Record<string, (...a: unknown[]) => Promise<Record<string, unknown>>>>;
/** What the function's dataOf calls answered. */
let fromCode: Record<string, unknown> = {};

let cosmos: LocalCosmos;
let container: Container;
let tasks: Container;
const fns = new Map<string, HttpHandler>();
const call = (name: string, method: string, path: string, opts: object = {}): Promise<Reply> =>
  invoke(fns.get(name)!, method, path, { headers: ada, ...opts });
const tool = async (name: string, args: object) => {
  const r = await invoke(fns.get(MCP_FUNCTION)!, 'POST', 'mcp', {
    body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } },
    headers: ada,
  });
  return r.body.result as { structuredContent: Record<string, unknown>; isError?: boolean };
};

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  container = await cosmos.container(`vector-answers-${String(process.pid)}`, '/id');
  tasks = await cosmos.container(`vector-tasks-${String(process.pid)}`, '/id');
  const inProcess = new InProcessRoutes();
  const app = {
    http: (name: string, o: HttpFunctionOptions) => void fns.set(name, o.handler),
    storageQueue: () => undefined,
    timer: () => undefined,
  };
  registerCrudRoutes(app, manifest, {
    containerFor: (e) => (e.componentId === task.componentId ? tasks : container),
    caller: policy,
    inProcess,
  });
  // A function's dataOf: the same routes in-process, so the same answers.
  registerHostedFunctions(
    app,
    [
      {
        name: 'Fn-read',
        componentId: 'Fn',
        trigger: 'http',
        route: 'read',
        methods: ['POST'],
        data: ['TicketApi'],
        exported: async (request: HttpRequest) => {
          const t = (dataOf<Record<string, never>>(request) as unknown as Door)['TicketApi']!;
          fromCode = {
            get: await t.get!('t1'),
            selected: await t.get!('t1', { select: ['embedding'] }),
            list: await t.list!(),
            search: await t.search!({ text: 'login' }),
            searchSelected: await t.search!({ text: 'login', select: ['embedding'] }),
          };
          return { status: 204 };
        },
      },
    ],
    { [AUTH_SETTING]: JSON.stringify(policy) },
    { inProcess },
  );
  const made = await call('TicketApi-collection', 'POST', 'tickets', {
    body: { id: 't1', title: 'login bug', embedding: V },
  });
  expect(made.status).toBe(201);
  // The create's answer leaves it out; the item keeps it.
  expect(made.body).not.toHaveProperty('embedding');
  expect((await container.item('t1', 't1').read()).resource?.embedding).toEqual(V);
  await call('TicketApi-collection', 'POST', 'tickets', {
    body: { id: 't2', title: 'login slow' },
  });
  for (let i = 1; i <= 6; i++)
    expect(
      (
        await call('TaskApi-collection', 'POST', 'tasks', {
          body: {
            id: `k${String(i)}`,
            title: `write the report ${String(i)}`,
            embedding: embedding(i),
          },
        })
      ).status,
    ).toBe(201);
});
afterAll(async () => {
  await cosmos?.stop();
});

describe('answers leave the vector out unless it is named', () => {
  it('GET one: without it (twice: the cached answer too); $select names it back, cut to id and the fields', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await call('TicketApi-item', 'GET', 'tickets/t1', { params: { id: 't1' } });
      expect([r.status, r.body]).toEqual([
        200,
        { id: 't1', title: 'login bug', tenantId: 't1', ownerId: 'ada' },
      ]);
    }
    const selected = await call('TicketApi-item', 'GET', 'tickets/t1', {
      params: { id: 't1' },
      query: { $select: 'embedding' },
    });
    expect([selected.status, selected.body]).toEqual([200, { id: 't1', embedding: V }]);
    expect(selected.headers.get('etag')).toMatch(/^"/);
    // And the cache still answers without it afterwards.
    const again = await call('TicketApi-item', 'GET', 'tickets/t1', { params: { id: 't1' } });
    expect(again.body).not.toHaveProperty('embedding');
    const bad = await call('TicketApi-item', 'GET', 'tickets/t1', {
      params: { id: 't1' },
      query: { $select: 'embeding' },
    });
    expect([bad.status, bad.body.type]).toEqual([400, 'urn:atakora:problem:invalid-query']);
  });

  it('a list: without it; with $select naming it, with it', async () => {
    const page = await call('TicketApi-collection', 'GET', 'tickets');
    const items = page.body.items as Record<string, unknown>[];
    expect(items.map((i) => i.id).sort()).toEqual(['t1', 't2']);
    expect(items.some((i) => 'embedding' in i)).toBe(false);
    const selected = await call('TicketApi-collection', 'GET', 'tickets', {
      query: { $select: 'title,embedding', $filter: "id eq 't1'" },
    });
    expect(selected.body.items).toEqual([{ id: 't1', title: 'login bug', embedding: V }]);
  });

  it('a search: without it; its select names it (and cuts each item to id, the fields and the score)', async () => {
    const search = (body: object) =>
      call('TicketApi-collection-search', 'POST', 'tickets/search', { body });
    const found = await search({ vector: V });
    expect(found.status).toBe(200);
    expect(found.body.items).toEqual([
      { id: 't1', title: 'login bug', tenantId: 't1', ownerId: 'ada', score: 1 },
    ]);
    const selected = await search({ text: 'login', select: ['embedding'] });
    expect(
      (selected.body.items as Record<string, unknown>[]).map(({ score: _s, ...i }) => i),
    ).toEqual([{ id: 't1', embedding: V }, { id: 't2' }]);
    const unknown = await search({ text: 'login', select: ['nope'] });
    expect([unknown.status, unknown.body.errors]).toEqual([
      400,
      [expect.objectContaining({ field: 'select', code: 'unknown' })],
    ]);
  });

  it('the MCP tools: no vector in list, get or search results unless their select names it', async () => {
    const listed = await tool('ticket_list', {});
    expect(JSON.stringify(listed.structuredContent)).not.toContain('embedding');
    const got = await tool('ticket_get', { id: 't1' });
    expect(got.structuredContent['item']).not.toHaveProperty('embedding');
    const vector = await tool('ticket_get', { id: 't1', select: ['embedding'] });
    expect(vector.structuredContent['item']).toEqual({ id: 't1', embedding: V });
    const searched = await tool('ticket_search', { text: 'login', select: ['title', 'embedding'] });
    expect((searched.structuredContent['items'] as unknown[])[0]).toMatchObject({
      id: 't1',
      embedding: V,
    });
    const plain = await tool('ticket_search', { text: 'login' });
    expect(JSON.stringify(plain.structuredContent)).not.toContain('embedding');
    const updated = await tool('ticket_update', { id: 't1', patch: { status: 'open' } });
    expect(updated.structuredContent['item']).not.toHaveProperty('embedding');
  });

  it("a function's dataOf: get, list and search without it; select names it back", async () => {
    const r = await call('Fn-read', 'POST', 'read');
    expect(r.status).toBe(204);
    expect(fromCode['get']).toMatchObject({ id: 't1', title: 'login bug', tenantId: 't1' });
    expect(fromCode['get']).not.toHaveProperty('embedding');
    expect(fromCode['selected']).toEqual({ id: 't1', embedding: V });
    expect(JSON.stringify(fromCode['list'])).not.toContain('embedding');
    expect(JSON.stringify(fromCode['search'])).not.toContain('embedding');
    const found = (fromCode['searchSelected'] as { items: Record<string, unknown>[] }).items;
    expect(found.find((i) => i.id === 't1')).toMatchObject({ id: 't1', embedding: V });
  });

  it('task_search of 5 items at 1,536 dimensions: less than one vector without them, five with', async () => {
    const bytes = async (args: object) => {
      const r = await invoke(fns.get(MCP_FUNCTION)!, 'POST', 'mcp', {
        body: {
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'task_search', arguments: args },
        },
        headers: ada,
      });
      expect(r.body.result?.structuredContent?.items, r.text.slice(0, 400)).toHaveLength(5);
      return Buffer.byteLength(r.text);
    };
    const oneVector = Buffer.byteLength(JSON.stringify(embedding(1)));
    const without = await bytes({ text: 'report', first: 5 });
    // Every field, the vector too: the answer as it was before vectors were left out.
    const whole = await bytes({
      text: 'report',
      first: 5,
      select: ['title', 'status', 'embedding'],
    });
    expect(without).toBeLessThan(oneVector);
    expect(whole).toBeGreaterThan(5 * oneVector);
  });

  it('a PUT that leaves the vector out (a GET body written back) keeps it; PATCH null removes it', async () => {
    const read = await call('TicketApi-item', 'GET', 'tickets/t1', { params: { id: 't1' } });
    const put = await call('TicketApi-item', 'PUT', 'tickets/t1', {
      params: { id: 't1' },
      body: { ...read.body, title: 'login bug (Safari)' },
    });
    expect(put.status).toBe(200);
    expect(put.body).not.toHaveProperty('embedding');
    expect((await container.item('t1', 't1').read()).resource?.embedding).toEqual(V);
    const removed = await call('TicketApi-item', 'PATCH', 'tickets/t1', {
      params: { id: 't1' },
      body: { embedding: null },
    });
    expect(removed.status).toBe(200);
    expect((await container.item('t1', 't1').read()).resource).not.toHaveProperty('embedding');
  });
});

describe('realtime events', () => {
  it('carry the item as a reader’s GET gives it: never the vector', () => {
    const sent: Send[] = [];
    const realtime = entityRealtime(
      { ...ticket, realtime: true },
      { enqueue: (s) => sent.push(...s) },
      policy,
    );
    realtime.afterWrite(
      'create',
      {
        status: 201,
        body: JSON.stringify({
          id: 't9',
          title: 'x',
          tenantId: 't1',
          ownerId: 'ada',
          embedding: V,
        }),
      },
      't9',
      { id: 't1', source: 'claim' } as never,
    );
    expect(sent.length).toBeGreaterThan(0);
    for (const s of sent)
      expect((s.data as { item?: object }).item).not.toHaveProperty('embedding');
    expect((sent[0]?.data as { item?: object }).item).toMatchObject({ id: 't9', title: 'x' });
  });
});
