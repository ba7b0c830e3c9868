/**
 * Live realtime connections bounded per tenant (its plan's `realtimeConnections`) and per user
 * (`tenants.perUser.realtimeConnections`), counted from the service's connect/connected/disconnected events — dev's
 * loopback hub posting them to the runtime's `api/realtime/events`, as the hub's event handler does in Azure — with
 * Microsoft's `@azure/web-pubsub-client` on its defaults holding real sockets. Tokens minted and never used hold no
 * place; a closed socket frees its own; a token reused for more sockets is refused at connect. Only the service may
 * post events. A suspended tenant hears nothing more.
 */
import { createHmac } from 'node:crypto';
import { type OnGroupDataMessageArgs, WebPubSubClient } from '@azure/web-pubsub-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeAuth } from '../../src/model/runtime-manifest.js';
import { fromTheService } from '../../src/runtime/realtime/service-events-auth.js';
import { invoke } from '../runtime/support/http.js';
import {
  listen,
  principalHeader,
  startRealtimeApp,
  type RealtimeApp,
  type User,
  REALTIME_CATALOG,
  code,
} from './support/realtime-app.js';
import { registryAuth } from '../runtime/support/registry-auth.js';
import { HANG_MS } from '../support/patience.js';

const HOME = 'home0000-0000-0000-0000-000000000000';
const SMALL = 'aaaaaaaa-0000-0000-0000-000000000001';
const FREE = 'bbbbbbbb-0000-0000-0000-000000000002';
const GONE = 'cccccccc-0000-0000-0000-000000000003';

const catalog = REALTIME_CATALOG;

const policy: RuntimeAuth = registryAuth(HOME, {
  plans: { free: {}, small: { realtimeConnections: 3 } },
  perUser: { realtimeConnections: 2 },
});

const user = (oid: string, tid: string): User => ({ oid, tid });

let app: RealtimeApp;
let tenants: Awaited<ReturnType<RealtimeApp['cosmos']['container']>>;
let usage: Awaited<ReturnType<RealtimeApp['cosmos']['container']>>;
const clients: WebPubSubClient[] = [];

beforeAll(async () => {
  // The registry read afresh each time (the sweep each 50 ms): the test need not wait 30 s.
  app = await startRealtimeApp([catalog], policy, {}, { registryMaxAgeMs: 0 });
  tenants = await app.cosmos.container('tenants', '/id', 'atakora');
  usage = await app.cosmos.container('usage', '/tenant', 'atakora');
  const at = '2026-01-01T00:00:00.000Z';
  for (const [id, plan] of [
    [SMALL, 'small'],
    [FREE, 'free'],
    [GONE, 'free'],
  ])
    await tenants.items.upsert({ id, plan, status: 'active', createdOn: at, updatedOn: at });
});
afterAll(async () => {
  for (const c of clients) c.stop();
  await app?.stop();
});

/** The connection items the events wrote for a tenant (and one user). */
async function live(tenant: string, oid?: string): Promise<number> {
  const { resources } = await usage.items
    .query<{ user: string }>(
      {
        query: "SELECT c.user FROM c WHERE c.tenant = @t AND c.kind = 'connection'",
        parameters: [{ name: '@t', value: tenant }],
      },
      { partitionKey: tenant },
    )
    .fetchAll();
  return resources.filter((r) => oid === undefined || r.user === oid).length;
}

/** Poll the ledger until it holds `n` (the events are posted after the socket opens or closes). */
async function untilLive(n: number, tenant: string, oid?: string): Promise<void> {
  for (const end = performance.now() + HANG_MS; performance.now() < end; ) {
    if ((await live(tenant, oid)) === n) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  expect(await live(tenant, oid)).toBe(n);
}

async function negotiated(u: User): Promise<string> {
  const n = await app.negotiate(u);
  expect(n.status).toBe(200);
  return n.body.url as string;
}

/** The official client on its defaults (reliable subprotocol), started and recording its group messages. */
async function official(url: string) {
  const client = new WebPubSubClient(url);
  clients.push(client);
  const messages: OnGroupDataMessageArgs['message'][] = [];
  client.on('group-message', (e) => messages.push(e.message));
  await client.start();
  return { client, messages };
}

describe('connection bounds, by live sockets', () => {
  it('per user: unused tokens hold no place, the bound refuses negotiate and a reused token, a close frees one', async () => {
    const u1 = user('f1000000-0000-0000-0000-000000000001', FREE);
    const unused: string[] = [];
    for (let i = 0; i < 5; i++) unused.push(await negotiated(u1));
    expect(await live(FREE, u1.oid)).toBe(0);
    const first = await official(await negotiated(u1));
    await official(await negotiated(u1));
    await untilLive(2, FREE, u1.oid);
    const refused = await app.negotiate(u1);
    expect([refused.status, code(refused), refused.body.scope]).toEqual([
      429,
      'too-many-connections',
      'user',
    ]);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // One token, more sockets: the service's connect event is refused with the same bound.
    await expect(listen(unused[0]!)).rejects.toThrow('upgrade refused: 429');
    // Another user of the same tenant is not bounded by this one's sockets.
    expect((await app.negotiate(user('f2000000-0000-0000-0000-000000000002', FREE))).status).toBe(
      200,
    );
    first.client.stop();
    await untilLive(1, FREE, u1.oid);
    expect((await app.negotiate(u1)).status).toBe(200);
    const reused = await listen(unused[1]!);
    await untilLive(2, FREE, u1.oid);
    reused.socket.close();
    await untilLive(1, FREE, u1.oid);
  });

  it("per tenant: the plan's bound counts every user's sockets; other tenants are unaffected", async () => {
    const a = user('a1000000-0000-0000-0000-00000000000a', SMALL);
    const b = user('b1000000-0000-0000-0000-00000000000b', SMALL);
    const c = user('c1000000-0000-0000-0000-00000000000c', SMALL);
    await official(await negotiated(a));
    await official(await negotiated(a));
    const spare = await negotiated(c);
    const third = await official(await negotiated(b));
    await untilLive(3, SMALL);
    const refused = await app.negotiate(c);
    expect([refused.status, code(refused), refused.body.scope]).toEqual([
      429,
      'too-many-connections',
      'tenant',
    ]);
    await expect(listen(spare)).rejects.toThrow('upgrade refused: 429');
    expect((await app.negotiate(user('f3000000-0000-0000-0000-000000000003', FREE))).status).toBe(
      200,
    );
    third.client.stop();
    await untilLive(2, SMALL);
    expect((await app.negotiate(c)).status).toBe(200);
  });
});

describe('api/realtime/events admits only the service', () => {
  const events = () => app.handlers.get('realtime-events')!;
  const ce = {
    'ce-type': 'azure.webpubsub.sys.connected',
    'ce-hub': 'atakora',
    'ce-connectionId': 'forged-1',
    'ce-userId': `${FREE}/someone`,
  };
  const sign = (key: string, aud: string) => {
    const head = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
    const body = Buffer.from(JSON.stringify({ aud, exp: 4_000_000_000 })).toString('base64url');
    return `${head}.${body}.${createHmac('sha256', key).update(`${head}.${body}`).digest('base64url')}`;
  };

  it('refuses a user, a token of another key or audience, and writes nothing', async () => {
    const asUser = await invoke(events(), 'POST', 'realtime/events', {
      headers: { ...ce, ...principalHeader(user('f1000000-0000-0000-0000-000000000001', FREE)) },
    });
    expect([asUser.status, code(asUser)]).toEqual([403, 'realtime-event-refused']);
    const otherKey = await invoke(events(), 'POST', 'realtime/events', {
      headers: {
        ...ce,
        authorization: `Bearer ${sign('not-the-key', 'urn:atakora:realtime-events:atakora')}`,
      },
    });
    expect([otherKey.status, code(otherKey)]).toEqual([403, 'realtime-event-refused']);
    const otherAud = await invoke(events(), 'POST', 'realtime/events', {
      headers: {
        ...ce,
        authorization: `Bearer ${sign(app.hub.key, 'urn:atakora:realtime-events:other')}`,
      },
    });
    expect(otherAud.status).toBe(403);
    expect(await live(FREE, 'someone')).toBe(0);
    const service = await invoke(events(), 'POST', 'realtime/events', {
      headers: {
        ...ce,
        authorization: `Bearer ${sign(app.hub.key, 'urn:atakora:realtime-events:atakora')}`,
      },
    });
    expect(service.status).toBe(204);
    expect(await live(FREE, 'someone')).toBe(1);
    await usage.item('connection:forged-1', FREE).delete();
  });

  it("answers the abuse-protection handshake for the service's own origin only", async () => {
    const own = `127.0.0.1:${String(app.hub.port)}`;
    const ok = await invoke(events(), 'OPTIONS', 'realtime/events', {
      headers: { 'webhook-request-origin': own },
    });
    expect([ok.status, ok.headers.get('webhook-allowed-origin')]).toEqual([200, own]);
    const evil = await invoke(events(), 'OPTIONS', 'realtime/events', {
      headers: { 'webhook-request-origin': 'evil.example' },
    });
    expect([evil.status, evil.headers.get('webhook-allowed-origin')]).toEqual([403, null]);
  });

  it('in Azure: only the Web PubSub identity of the home directory', () => {
    const auth = { principal: 'svc-oid', homeTenant: HOME };
    expect(fromTheService({ id: 'svc-oid', directory: HOME }, null, auth, 'atakora', 0).ok).toBe(
      true,
    );
    expect(fromTheService({ id: 'user-oid', directory: HOME }, null, auth, 'atakora', 0).ok).toBe(
      false,
    );
    expect(fromTheService({ id: 'svc-oid', directory: FREE }, null, auth, 'atakora', 0).ok).toBe(
      false,
    );
    expect(
      fromTheService({ id: undefined, directory: undefined }, null, auth, 'atakora', 0).ok,
    ).toBe(false);
    expect(fromTheService({ id: 'svc-oid', directory: HOME }, null, {}, 'atakora', 0).ok).toBe(
      false,
    );
  });
});

describe('a suspended tenant hears nothing more', () => {
  it('its sockets are closed before its first refusal, so no later event reaches it; its reconnects refused', async () => {
    const g = user('91000000-0000-0000-0000-000000000009', GONE);
    const home = user('h1000000-0000-0000-0000-000000000001', HOME);
    const gone = await official(await negotiated(g));
    const watcher = await official(await negotiated(home));
    await untilLive(1, GONE);
    expect(
      (await app.call(home, 'POST', catalog, undefined, { id: 'p1', name: 'one' })).status,
    ).toBe(201);
    await app.settle();
    for (let i = 0; i < 200 && (gone.messages.length < 1 || watcher.messages.length < 1); i++)
      await new Promise((r) => setTimeout(r, 25));
    expect([gone.messages.length, watcher.messages.length]).toEqual([1, 1]);
    const at = '2026-01-02T00:00:00.000Z';
    await tenants.items.upsert({
      id: GONE,
      plan: 'free',
      status: 'suspended',
      createdOn: at,
      updatedOn: at,
    });
    // Refused: from here on nothing reaches its sockets (they were closed before this answer).
    const refused = await app.call(g, 'GET', catalog);
    expect([refused.status, code(refused)]).toEqual([403, 'tenant-suspended']);
    expect(
      (await app.call(home, 'POST', catalog, undefined, { id: 'p2', name: 'two' })).status,
    ).toBe(201);
    await app.settle();
    for (let i = 0; i < 200 && watcher.messages.length < 2; i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(watcher.messages.length).toBe(2);
    expect(gone.messages.length).toBe(1);
    // Its socket was closed by the server (the tenant group's closeConnections): its place is free again.
    await untilLive(0, GONE);
    const again = await app.negotiate(g);
    expect([again.status, code(again)]).toEqual([403, 'tenant-suspended']);
    gone.client.stop();
  });
});
