import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/create-client.js';
import {
  RealtimeConnection,
  type WebSocketConstructor,
} from '../../src/client/realtime/connection.js';
import type { RealtimeEvent } from '../../src/contract/realtime.js';
import type { RuntimeAuth, RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { settings } from '../runtime/support/entities.js';
import { makeContext } from '../runtime/support/http.js';
import {
  principalHeader,
  startRealtimeApp,
  type RealtimeApp,
  type User,
} from './support/realtime-app.js';
import { HANG_MS } from '../support/patience.js';

const ALL = ['create', 'read', 'update', 'delete', 'list'] as const;
const T1 = '11111111-aaaa-0000-0000-000000000001';
const T2 = '22222222-bbbb-0000-0000-000000000002';
const notes: RuntimeEntity = {
  componentId: 'NoteApi',
  entityName: 'Note',
  route: 'notes',
  partitionKey: '/id',
  schema: {
    id: { type: 'string', required: true },
    title: { type: 'string', required: true },
    done: { type: 'boolean', required: false },
  },
  operations: ALL,
  unknownFields: 'reject',
  settings: settings('NOTE_API'),
  realtime: true,
};
const secrets: RuntimeEntity = {
  ...notes,
  componentId: 'SecretApi',
  entityName: 'Secret',
  route: 'secrets',
  access: [{ allow: 'role', role: 'Keeper' }],
  settings: settings('SECRET_API'),
};
const policy: RuntimeAuth = { required: true, tenantClaim: 'tid', trustTenantHeader: false };
const ann: User = { oid: 'a0000000-0000-0000-0000-0000000000a1', tid: T1 };
const ben: User = { oid: 'b0000000-0000-0000-0000-0000000000b2', tid: T1 };
const cat: User = { oid: 'c0000000-0000-0000-0000-0000000000c3', tid: T2 };

let app: RealtimeApp;
beforeAll(async () => {
  app = await startRealtimeApp([notes, secrets], policy);
});
afterAll(async () => {
  await app?.stop();
});

/** `fetch` for the client, answered by the runtime's handlers as the host would route them, as `user`. */
function fetchAs(user: User): typeof fetch {
  return async (input, init = {}) => {
    const url = new URL(String(input));
    const path = url.pathname.replace(/^\/api\//, '');
    const [route, id] = path.split('/');
    const name =
      path === 'realtime/negotiate'
        ? 'realtime-negotiate'
        : `${route === 'notes' ? 'NoteApi' : 'SecretApi'}-${id === undefined ? 'collection' : 'item'}`;
    const request = new HttpRequest({
      method: init.method ?? 'GET',
      url: url.href,
      headers: { ...(init.headers as Record<string, string>), ...principalHeader(user) },
      params: id === undefined ? {} : { id },
      ...(typeof init.body === 'string' ? { body: { string: init.body } } : {}),
    });
    const r = (await app.handlers.get(name)!(request, makeContext())) as HttpResponseInit;
    return new Response(r.status === 204 ? null : ((r.body as string | undefined) ?? null), {
      status: r.status ?? 200,
      headers: r.headers as Record<string, string>,
    });
  };
}

const clientAs = (user: User) =>
  createClient({
    baseUrls: { notes: 'http://app.test/api/notes', secrets: 'http://app.test/api/secrets' },
    getToken: () => undefined,
    fetch: fetchAs(user),
    WebSocket,
  }) as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>;

function until<T>(get: () => T | undefined, ms = HANG_MS): Promise<T> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      const v = get();
      if (v !== undefined) resolve(v);
      else if (Date.now() - started > ms) reject(new Error('timed out waiting'));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

describe('the typed client’s watch and live', () => {
  it('watch: events of its CrudApi matching $filter, deletes always, nothing of another tenant', async () => {
    const seen: RealtimeEvent[] = [];
    const other: RealtimeEvent[] = [];
    const sub = clientAs(ann)['notes']!['watch']!({ filter: 'done eq false' }, (e: RealtimeEvent) =>
      seen.push(e),
    ) as { close(): void };
    const sub2 = clientAs(cat)['notes']!['watch']!(undefined, (e: RealtimeEvent) =>
      other.push(e),
    ) as {
      close(): void;
    };
    // The first open is asynchronous: wait until the connection is up before writing.
    await until(() => (app.hub.connections >= 2 ? true : undefined));
    await app.call(ben, 'POST', notes, undefined, { id: 'w1', title: 'open', done: false });
    await app.call(ben, 'POST', notes, undefined, { id: 'w2', title: 'closed', done: true });
    await app.call(ben, 'DELETE', notes, 'w2');
    await app.settle();
    await until(() => (seen.length >= 2 ? true : undefined));
    expect(seen.map((e) => `${e.operation} ${e.id}`)).toEqual(['create w1', 'delete w2']);
    expect(seen[0]!.item).toMatchObject({ id: 'w1', title: 'open', done: false });
    expect(other).toEqual([]);
    sub.close();
    sub2.close();
    await until(() => (app.hub.connections === 0 ? true : undefined));
  });

  it('live: the first page kept up to date through creates, updates, deletes and a dropped connection', async () => {
    const snapshots: { items: { id: string; title: string }[]; count?: number }[] = [];
    const sub = clientAs(ann)['notes']!['live']!(
      { filter: "startswith(title, 'L')", count: true },
      (s: never) => snapshots.push(s),
    ) as { close(): void };
    const last = () => snapshots.at(-1);
    const ids = () =>
      last()
        ?.items.map((i) => i.id)
        .sort();
    await until(() => (snapshots.length >= 1 ? true : undefined));
    expect(last()!.items).toEqual([]);
    expect(last()!.count).toBe(0);
    await app.call(ben, 'POST', notes, undefined, { id: 'l1', title: 'Lemons' });
    await app.call(ben, 'POST', notes, undefined, { id: 'l2', title: 'Limes' });
    await app.call(ben, 'POST', notes, undefined, { id: 'x1', title: 'Apples' });
    await until(() => (ids()?.join() === 'l1,l2' && last()!.count === 2 ? true : undefined));
    await app.call(ben, 'PATCH', notes, 'l1', { title: 'Lemons, ripe' });
    await until(() =>
      last()?.items.find((i) => i.id === 'l1')?.title === 'Lemons, ripe' ? true : undefined,
    );
    await app.call(ben, 'PATCH', notes, 'l2', { title: 'Grapes' });
    await until(() => (ids()?.join() === 'l1' && last()!.count === 1 ? true : undefined));
    // The hub drops every connection; a write lands while the client is away: the re-list after the reconnect has it.
    app.hub.disconnectAll();
    await app.call(ben, 'POST', notes, undefined, { id: 'l3', title: 'Loquats' });
    await app.settle();
    await until(() => (ids()?.join() === 'l1,l3' ? true : undefined));
    await app.call(ben, 'DELETE', notes, 'l1');
    await until(() => (ids()?.join() === 'l3' && last()!.count === 1 ? true : undefined));
    // Every snapshot is what list would answer at some moment: never an item outside the filter.
    expect(snapshots.every((s) => s.items.every((i) => i.title.startsWith('L')))).toBe(true);
    sub.close();
  });

  it('a CrudApi the caller may not read, or a refused negotiate, is an error to the subscription', async () => {
    const errors: Error[] = [];
    const sub = clientAs(ann)['secrets']!['watch']!(undefined, () => undefined, {
      onError: (e: Error) => errors.push(e),
    }) as { close(): void };
    // ann may read notes (so negotiate succeeds) but no secrets: the route is not on her connection.
    await until(() => (errors.length > 0 ? true : undefined));
    expect(errors[0]!.message).toMatch(/No realtime events for "secrets"/);
    sub.close();
  });

  it('without a WebSocket class (Node 20 has none) watch says what to pass', () => {
    const client = createClient({
      baseUrls: { notes: 'http://app.test/api/notes' },
      getToken: () => undefined,
      fetch: fetchAs(ann),
    }) as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>;
    if ((globalThis as { WebSocket?: unknown }).WebSocket !== undefined) return;
    expect(() => client['notes']!['watch']!(undefined, () => undefined)).toThrow(
      /pass createClient\(\{ …, WebSocket \}\)/,
    );
  });

  it('renews before the token expires: a new connection first, the old one closed, no event twice', async () => {
    const events: RealtimeEvent[] = [];
    let gaps = 0;
    let negotiates = 0;
    const base = fetchAs(ann);
    const shortLived: typeof fetch = async (input, init) => {
      const r = await base(input, init);
      if (!String(input).endsWith('/realtime/negotiate')) return r;
      negotiates++;
      const body = (await r.json()) as Record<string, unknown>;
      // Pretend the token expires in 1.5 s: renewal (1 s before) comes after 0.5 s.
      return new Response(
        JSON.stringify({ ...body, expiresOn: new Date(Date.now() + 1500).toISOString() }),
        {
          status: 200,
        },
      );
    };
    const connection = new RealtimeConnection(
      {
        baseUrl: 'http://app.test/api/realtime/negotiate',
        getToken: () => undefined,
        fetch: shortLived,
      },
      WebSocket,
      { renewBeforeMs: 1000 },
    );
    const stop = connection.subscribe({
      route: 'notes',
      onEvent: (e) => events.push(e),
      onGap: () => gaps++,
      onError: (e) => {
        throw e;
      },
    });
    await until(() => (negotiates >= 3 ? true : undefined));
    await app.call(ben, 'POST', notes, undefined, { id: 'r1', title: 'renewed' });
    await app.settle();
    await until(() => (events.length >= 1 ? true : undefined));
    await new Promise((r) => setTimeout(r, 200));
    expect(events.map((e) => e.id)).toEqual(['r1']);
    expect(gaps).toBeGreaterThanOrEqual(3);
    // Old sockets are closed as new ones come up: at most two at a time.
    expect(app.hub.connections).toBeLessThanOrEqual(2);
    stop();
    await until(() => (app.hub.connections === 0 ? true : undefined));
  });
});
