import https from 'node:https';
import { type Container, CosmosClient } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { ReadCache } from '../../src/runtime/data/read-cache.js';
import { orderEntity } from './support/entities.js';
import { type FaultProxy, startFaultProxy } from './support/fault-proxy.js';
import { apiFor } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { EVENTUALLY } from '../support/patience.js';

let cosmos: LocalCosmos;
let proxy: FaultProxy;
let client: CosmosClient;
let agent: https.Agent;
let orders: Container;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  await cosmos.container('orders', '/region');
  proxy = await startFaultProxy(cosmos.endpoint);
  // No keep-alive: every request opens its own connection, so the proxy's mode applies per request. TLS 1.2
  // so that the proxy can tell the handshake from the answers (see FaultMode 'slow').
  agent = new https.Agent({ rejectUnauthorized: false, keepAlive: false, maxVersion: 'TLSv1.2' });
  client = new CosmosClient({
    endpoint: proxy.endpoint,
    key: 'dGVzdA==',
    agent,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  orders = client.database('atakora').container('orders');
});
afterAll(async () => {
  client?.dispose();
  agent?.destroy();
  await proxy?.stop();
  await cosmos?.stop();
});

const pk = { query: { pk: 'eu' } };

/**
 * Start a GET whose Cosmos answer is held back, let `write` run meanwhile, then let the GET finish: the proxy holds
 * the answer until the write has answered (a gate, not a delay a loaded machine could outrun), so the race happens
 * every time and costs no wall time.
 */
async function readRacingWrite(
  api: ReturnType<typeof apiFor>,
  id: string,
  write: () => Promise<{ status: number }>,
) {
  // Warm the SDK's metadata caches, so that the held answer is the item read itself.
  await orders.item(id, 'eu').read();
  let release: () => void = () => undefined;
  proxy.gate = new Promise<void>((r) => (release = r));
  proxy.setMode('slow', true);
  const heldBefore = proxy.heldAnswers;
  const slowRead = api.get(id, pk);
  // Let the GET's request reach the server on its own (slow) connection before new connections go fast: wait
  // until its answer is being held (an event, not a fixed wait that a loaded machine can outrun).
  await vi.waitFor(
    () => {
      expect(proxy.heldAnswers).toBeGreaterThan(heldBefore);
    },
    { ...EVENTUALLY, interval: 5 },
  );
  proxy.setMode('forward', true);
  proxy.gate = undefined;
  const written = await write();
  release();
  const read = await slowRead;
  return { written, read };
}

describe('read cache: a read that started before a write never puts the old version back', () => {
  it('PATCH: the slow read returns the old version but does not cache it', async () => {
    const api = apiFor(orderEntity, createCrudHandlers(orderEntity, orders));
    expect((await api.create({ id: 'r1', region: 'eu', total: 1 })).status).toBe(201);
    const { written, read } = await readRacingWrite(api, 'r1', () =>
      api.patch('r1', { total: 2 }, pk),
    );
    expect(written.status).toBe(200);
    // The race really happened: the read was answered from Cosmos before the write landed.
    expect(read.body.total).toBe(1);
    expect((await api.get('r1', pk)).body.total).toBe(2);
  });

  it('DELETE: the slow read does not resurrect the deleted item in the cache', async () => {
    const api = apiFor(orderEntity, createCrudHandlers(orderEntity, orders));
    expect((await api.create({ id: 'r2', region: 'eu', total: 1 })).status).toBe(201);
    const { written, read } = await readRacingWrite(api, 'r2', () => api.del('r2', pk));
    expect(written.status).toBe(204);
    expect(read.status).toBe(200);
    expect((await api.get('r2', pk)).status).toBe(404);
  });
});

describe('read cache bounds', () => {
  it('accounts bytes by JSON length, evicts the oldest past maxBytes, never caches an oversized entry', () => {
    const cache = new ReadCache(60, { maxBytes: 1000, maxEntryBytes: 400 });
    const json = (n: number) => JSON.stringify({ pad: 'x'.repeat(n - 10) });
    for (let i = 0; i < 5; i++)
      expect(cache.set(`k${i}`, { json: json(300), etag: undefined }, cache.begin())).toBe(true);
    expect(cache.bytes).toBeLessThanOrEqual(1000);
    expect(cache.size).toBe(3);
    expect(cache.get('k0')).toBeUndefined();
    expect(cache.get('k4')).toBeDefined();
    expect(cache.set('big', { json: json(401), etag: undefined }, cache.begin())).toBe(false);
    expect(cache.bytes).toBe(900);
  });

  it('refuses a fill whose ticket predates an invalidation, even after the invalidation log was trimmed', () => {
    const cache = new ReadCache(60, { maxEntries: 2 });
    const ticket = cache.begin();
    cache.invalidate('a');
    expect(cache.set('a', { json: '{}', etag: undefined }, ticket)).toBe(false);
    expect(cache.set('b', { json: '{}', etag: undefined }, ticket)).toBe(true);
    const old = cache.begin();
    for (const k of ['x', 'y', 'z']) cache.invalidate(k);
    // 'a' has been forgotten from the log: a read that started before it must still be refused.
    expect(cache.set('a', { json: '{}', etag: undefined }, old)).toBe(false);
    expect(cache.set('a', { json: '{}', etag: undefined }, cache.begin())).toBe(true);
  });
});
