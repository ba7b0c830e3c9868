import { type Container, CosmosClient } from '@azure/cosmos';
import type { HttpFunctionOptions } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { createHealthHandler, healthBudgetMs } from '../../src/runtime/health.js';
import { ReadCache } from '../../src/runtime/data/read-cache.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import { catalogEntity, noteEntity, orderEntity, userEntity } from './support/entities.js';
import { apiFor, invoke } from './support/http.js';
import { allItems, type LocalCosmos, startLocalCosmos, testAgent } from './support/local-cosmos.js';
import { freePort } from './support/free-port.js';

let cosmos: LocalCosmos;
let orders: Container;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  orders = await cosmos.container('orders', '/region');
});
afterAll(async () => cosmos?.stop());

describe('entity partitioned by another field (/region)', () => {
  it('takes the partition key from ?pk=, x-partition-key or the body', async () => {
    const api = apiFor(orderEntity, createCrudHandlers(orderEntity, orders));
    const c = await api.create({ id: 'o1', region: 'eu', total: 10 });
    expect(c.status).toBe(201);
    expect(c.headers.get('location')).toBe('/api/orders/o1?pk=eu');
    expect((await api.get('o1', { query: { pk: 'eu' } })).status).toBe(200);
    expect((await api.get('o1', { headers: { 'x-partition-key': 'eu' } })).body.total).toBe(10);
    const noPk = await api.get('o1');
    expect(noPk.status).toBe(400);
    expect(noPk.body.type).toBe('urn:atakora:problem:partition-key-required');
    expect((await api.get('o1', { query: { pk: 'us' } })).status).toBe(404);
    expect((await api.put('o1', { region: 'eu', total: 11 })).status).toBe(200);
    const moved = await api.put('o1', { region: 'us', total: 11 }, { query: { pk: 'eu' } });
    expect(moved.status).toBe(400);
    expect(moved.body.errors[0]).toMatchObject({ field: 'region', code: 'immutable' });
    expect((await api.patch('o1', { total: 12 }, { query: { pk: 'eu' } })).body).toEqual({
      id: 'o1',
      region: 'eu',
      total: 12,
    });
    await api.create({ id: 'o2', region: 'us', total: 1 });
    const eu = await api.list({ query: { pk: 'eu' } });
    expect(eu.body.items.map((i: { id: string }) => i.id)).toEqual(['o1']);
    expect((await api.list()).body.items).toHaveLength(2);
    expect((await api.del('o1', { query: { pk: 'eu' } })).status).toBe(204);
    expect((await allItems(orders)).map((i) => i.id)).toEqual(['o2']);
  });
});

describe('read cache', () => {
  it("serves GET-one from the cache and invalidates on this instance's writes and deletes", async () => {
    const api = apiFor(orderEntity, createCrudHandlers(orderEntity, orders));
    const pk = { query: { pk: 'ap' } };
    await api.create({ id: 'c1', region: 'ap', total: 1 });
    expect((await api.get('c1', pk)).body.total).toBe(1);
    // A write by someone else is not seen until the TTL expires: proof that the read was cached.
    await orders.item('c1', 'ap').patch([{ op: 'set', path: '/total', value: 99 }]);
    expect((await api.get('c1', pk)).body.total).toBe(1);
    expect((await api.patch('c1', { total: 2 }, pk)).status).toBe(200);
    expect((await api.get('c1', pk)).body.total).toBe(2);
    expect((await api.put('c1', { region: 'ap', total: 3 }, pk)).status).toBe(200);
    expect((await api.get('c1', pk)).body.total).toBe(3);
    expect((await api.del('c1', pk)).status).toBe(204);
    expect((await api.get('c1', pk)).status).toBe(404);
    // Without the cache, the external write is visible at once.
    const uncached = apiFor(
      userEntity,
      createCrudHandlers(userEntity, await cosmos.container('users', '/id')),
    );
    await uncached.create({ id: 'u1', name: 'a' });
    expect((await uncached.get('u1')).body.name).toBe('a');
    await (await cosmos.container('users', '/id'))
      .item('u1', 'u1')
      .patch([{ op: 'set', path: '/name', value: 'b' }]);
    expect((await uncached.get('u1')).body.name).toBe('b');
  });

  it('expires entries after the TTL and stays bounded', () => {
    let now = 0;
    const cache = new ReadCache(10, { maxEntries: 2, now: () => now });
    cache.set('a', { json: '{"id":"a"}', etag: '1' }, cache.begin());
    now = 9_999;
    expect(cache.get('a')?.etag).toBe('1');
    now = 10_000;
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', { json: '{}', etag: undefined }, cache.begin());
    cache.set('b', { json: '{}', etag: undefined }, cache.begin());
    cache.set('c', { json: '{}', etag: undefined }, cache.begin());
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeUndefined();
  });
});

describe('registration and GET api/health', () => {
  it('registers two functions per entity with every method, plus one health route', async () => {
    const registered: { name: string; options: HttpFunctionOptions }[] = [];
    const manifest: RuntimeManifest = {
      version: 1,
      backendId: 'b',
      entities: [userEntity, noteEntity, catalogEntity],
    };
    const db = cosmos.client.database('atakora');
    for (const e of manifest.entities) await cosmos.container(e.route, e.partitionKey);
    const routes = registerCrudRoutes(
      { http: (name, options) => registered.push({ name, options }) },
      manifest,
      {
        containerFor: (e) => db.container(e.route),
      },
    );
    expect(registered.map((r) => [r.name, r.options.route, r.options.methods])).toEqual([
      ['UserApi-collection', 'users', ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']],
      ['UserApi-item', 'users/{id}', ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']],
      ['NoteApi-collection', 'notes', ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']],
      ['NoteApi-item', 'notes/{id}', ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']],
      ['CatalogApi-collection', 'products', ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']],
      ['CatalogApi-item', 'products/{id}', ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']],
      ['openapi', 'openapi.json', ['GET']],
      ['health', 'health', ['GET']],
    ]);
    expect(routes.map((r) => r.name)).toEqual(registered.map((r) => r.name));
    const health = registered.at(-1)!.options.handler;
    const r = await invoke(health, 'GET', 'health');
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('ok');
    // One check per distinct container (each component's identity may read only its own container).
    expect(r.body.checks).toEqual(
      [1, 2, 3].map((n) => expect.objectContaining({ name: `container-${n}`, status: 'ok' })),
    );
    // Entities sharing a container (same client) are checked once.
    const shared: { name: string; options: HttpFunctionOptions }[] = [];
    const one = db.container('users');
    registerCrudRoutes(
      { http: (name, options) => shared.push({ name, options }) },
      { ...manifest, entities: [userEntity, { ...noteEntity, route: 'notes2' }] },
      {
        containerFor: (e) => (e === userEntity ? one : db.container('users')),
      },
    );
    expect((await invoke(shared.at(-1)!.options.handler, 'GET', 'health')).body.checks).toEqual([
      expect.objectContaining({ name: 'container-1', status: 'ok' }),
    ]);
  });

  it('answers 503 with details when a container is unreachable or missing', async () => {
    const port = await freePort();
    const dead = new CosmosClient({
      endpoint: `https://127.0.0.1:${port}`,
      key: 'dGVzdA==',
      agent: testAgent(),
      connectionPolicy: {
        enableEndpointDiscovery: false,
        retryOptions: {
          maxRetryAttemptCount: 0,
          fixedRetryIntervalInMilliseconds: 0,
          maxWaitTimeInSeconds: 1,
        },
      },
    });
    const handler = createHealthHandler(
      [
        { name: 'live/atakora/orders', container: orders },
        { name: 'dead/atakora/orders', container: dead.database('atakora').container('orders') },
      ],
      { timeoutMs: 2000 },
    );
    const r = await invoke(handler, 'GET', 'health');
    expect(r.status).toBe(503);
    expect(r.body.status).toBe('unavailable');
    expect(r.body.checks).toEqual([
      expect.objectContaining({ name: 'container-1', status: 'ok' }),
      expect.objectContaining({
        name: 'container-2',
        status: 'unavailable',
        reason: expect.any(String),
      }),
    ]);
    dead.dispose();
    const missing = await invoke(
      createHealthHandler([
        { name: 'x', container: cosmos.client.database('no-such-db').container('orders') },
        { name: 'y', container: cosmos.client.database('atakora').container('no-such-container') },
      ]),
      'GET',
      'health',
    );
    expect(missing.status).toBe(503);
    expect(missing.body.checks.map((c: { reason: string }) => c.reason)).toEqual(['404', '404']);
  });
});

describe("health's budget: 5 s, or the app's Cosmos DB deadline when shorter", () => {
  it('is the shorter of the two, and the registered route says it in Retry-After', async () => {
    expect(healthBudgetMs(undefined)).toBe(5000);
    expect(healthBudgetMs({ timeoutMs: 10_000 })).toBe(5000);
    expect(healthBudgetMs({ timeoutMs: 2000 })).toBe(2000);
    // A container that refuses at once: the 503's Retry-After is the budget's seconds, with no wait for it.
    const refusing = {
      read: async () => {
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      },
    } as unknown as Container;
    const retryAfter = async (timeoutMs: number | undefined) => {
      const registered: { name: string; options: HttpFunctionOptions }[] = [];
      registerCrudRoutes(
        { http: (name, options) => registered.push({ name, options }) },
        { version: 1, backendId: 'b', entities: [userEntity] },
        {
          containerFor: (e) => cosmos.client.database('atakora').container(e.route),
          healthTargets: [{ name: 'refusing', container: refusing }],
          ...(timeoutMs === undefined ? {} : { cosmos: { timeoutMs, retryAfterSeconds: 5 } }),
        },
      );
      const r = await invoke(registered.at(-1)!.options.handler, 'GET', 'health');
      expect([r.status, r.body.checks[0].reason]).toEqual([503, 'ECONNREFUSED']);
      return r.headers.get('retry-after');
    };
    expect([await retryAfter(undefined), await retryAfter(20_000), await retryAfter(1000)]).toEqual(
      ['5', '5', '1'],
    );
  });
});

describe('server errors', () => {
  it('a missing container is a logged 500 problem, not a 404 or a stack trace', async () => {
    const lines: { level: string; message: string }[] = [];
    const ghost = cosmos.client.database('atakora').container('never-created');
    const api = apiFor(userEntity, createCrudHandlers(userEntity, ghost), lines);
    for (const r of [await api.create({ name: 'x' }), await api.list()]) {
      expect(r.status).toBe(500);
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(r.body).toMatchObject({
        status: 500,
        title: 'Internal Server Error',
        invocationId: 'test-invocation',
      });
      expect(r.text).not.toMatch(/at .*\.js/);
    }
    expect(lines.map((l) => [l.level, JSON.parse(l.message).outcome])).toEqual([
      ['error', 'server_error'],
      ['error', 'server_error'],
    ]);
    expect(JSON.parse(lines[0]!.message).error).toBeTruthy();
  });
});
