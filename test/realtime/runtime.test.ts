import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeAuth, RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { connectionUserId } from '../../src/runtime/realtime/connection-user.js';
import { settings } from '../runtime/support/entities.js';
import { recordSpans } from '../runtime/support/spans.js';
import { listen, startRealtimeApp, type RealtimeApp, type User } from './support/realtime-app.js';
import { EVENTUALLY } from '../support/patience.js';

const ALL = ['create', 'read', 'update', 'delete', 'list'] as const;
const TENANT_A = 'aaaaaaaa-0000-0000-0000-000000000001';
const TENANT_B = 'bbbbbbbb-0000-0000-0000-000000000002';
const HOME = TENANT_A;

/** Every signed-in user of a tenant reads every note of it. */
const notes: RuntimeEntity = {
  componentId: 'NoteApi',
  entityName: 'Note',
  route: 'notes',
  partitionKey: '/id',
  schema: {
    id: { type: 'string', required: true },
    title: { type: 'string', required: true },
    status: { type: 'string', required: false, default: 'open' },
  },
  operations: ALL,
  unknownFields: 'reject',
  settings: settings('NOTE_API'),
  realtime: true,
};
/** Owners see their own diaries; a DiaryAdmin sees all of the tenant's. */
const diaries: RuntimeEntity = {
  componentId: 'DiaryApi',
  entityName: 'Diary',
  route: 'diaries',
  partitionKey: '/id',
  schema: { id: { type: 'string', required: true }, text: { type: 'string', required: false } },
  operations: ALL,
  unknownFields: 'reject',
  access: [{ allow: 'owner' }, { allow: 'role', role: 'DiaryAdmin' }],
  settings: settings('DIARY_API'),
  realtime: true,
};
/** Shared across directories: owners hidden from other customers' users. */
const catalog: RuntimeEntity = {
  componentId: 'CatalogApi',
  entityName: 'Product',
  route: 'products',
  partitionKey: '/id',
  schema: { id: { type: 'string', required: true }, name: { type: 'string', required: true } },
  operations: ALL,
  unknownFields: 'reject',
  tenancy: 'shared',
  settings: settings('CATALOG_API'),
  realtime: true,
};
/** Not realtime: never published. */
const tags: RuntimeEntity = {
  componentId: 'TagApi',
  entityName: 'Tag',
  route: 'tags',
  partitionKey: '/id',
  schema: { id: { type: 'string', required: true } },
  operations: ALL,
  unknownFields: 'reject',
  settings: settings('TAG_API'),
};

const policy: RuntimeAuth = {
  required: true,
  tenantClaim: 'tid',
  trustTenantHeader: false,
  allowedTenants: [TENANT_A, TENANT_B],
  homeTenant: HOME,
};

const alice: User = { oid: 'a1000000-0000-0000-0000-000000000001', tid: TENANT_A };
const bob: User = { oid: 'b2000000-0000-0000-0000-000000000002', tid: TENANT_A };
const admin: User = {
  oid: 'c3000000-0000-0000-0000-000000000003',
  tid: TENANT_A,
  roles: ['DiaryAdmin'],
};
const eve: User = {
  oid: 'e5000000-0000-0000-0000-000000000005',
  tid: TENANT_B,
  roles: ['DiaryAdmin'],
};

let app: RealtimeApp;
beforeAll(async () => {
  app = await startRealtimeApp([notes, diaries, catalog, tags], policy, {
    allowedOrigins: ['http://localhost:5173'],
  });
});
afterAll(async () => {
  await app?.stop();
});

/** Wait until the writes so far have reached every listener (or were never sent to it). */
async function settled(...listeners: { barrier(): Promise<void> }[]) {
  await app.settle();
  await Promise.all(listeners.map((l) => l.barrier()));
}

function claimsOf(url: string): Record<string, unknown> {
  const token = new URL(url).searchParams.get('access_token')!;
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

describe('POST api/realtime/negotiate', () => {
  it('is behind the CRUD admission: 401 anonymous, 403 another directory, 405 for GET', async () => {
    expect((await app.negotiate(undefined)).status).toBe(401);
    const stranger = await app.negotiate({ oid: 'x', tid: 'ffffffff-0000-0000-0000-000000000009' });
    expect(stranger.status).toBe(403);
    expect(stranger.body.type).toBe('urn:atakora:problem:tenant-not-allowed');
    expect((await app.negotiate(alice, 'GET')).status).toBe(405);
  });

  it('records one server span per negotiation: the caller and tenant, never the token it minted', async () => {
    const recorded = recordSpans();
    try {
      const r = await app.negotiate(alice);
      expect(r.status).toBe(200);
      const [span, ...others] = recorded
        .spans()
        .filter((s) => s.name === 'POST api/realtime/negotiate');
      expect(others).toHaveLength(0);
      expect(span?.attributes).toMatchObject({
        'http.route': 'api/realtime/negotiate',
        'http.response.status_code': 200,
        'atakora.operation': 'negotiate',
        'atakora.tenant': TENANT_A,
        'enduser.id': alice.oid,
      });
      const token = new URL(r.body.url as string).searchParams.get('access_token') ?? '';
      expect(token.length).toBeGreaterThan(20);
      expect(JSON.stringify(recorded.spans().map((s) => s.attributes))).not.toContain(token);
    } finally {
      await recorded.stop();
    }
  });

  it('answers { url, expiresOn }: a token for the groups the server chose, no role, at most 60 minutes', async () => {
    const before = Date.now();
    const r = await app.negotiate(alice);
    const after = Date.now();
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(r.body).sort()).toEqual(['entities', 'expiresOn', 'url']);
    expect(r.body.entities).toEqual({
      notes: 'NoteApi',
      diaries: 'DiaryApi',
      products: 'CatalogApi',
    });
    expect(r.body.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/client\/hubs\/atakora\?access_token=/);
    const claims = claimsOf(r.body.url as string);
    expect(claims['role']).toEqual([]);
    // The token's user names tenant and user (connection-user.ts), as with a registry: the hub's events count the
    // caller's sockets by it (per instance without a registry: test/realtime/no-registry-bound.test.ts).
    expect(claims['sub']).toBe(connectionUserId(alice.tid, alice.oid));
    const life = (claims['exp'] as number) - (claims['iat'] as number);
    expect(life).toBeGreaterThan(0);
    expect(life).toBeLessThanOrEqual(60 * 60);
    const expires = Date.parse(r.body.expiresOn as string);
    expect(expires).toBeGreaterThan(before);
    // Bounded by when the answer came, not by a second of slack a loaded machine can exceed.
    expect(expires - after).toBeLessThanOrEqual(60 * 60_000);
    const groups = claims['webpubsub.group'] as string[];
    // Notes (all readers of tenant A), diaries (Alice's own), catalog (readers + her own copy): two epochs each.
    expect(groups.filter((g) => g.startsWith('noteapi.r.'))).toHaveLength(2);
    expect(groups.filter((g) => g.startsWith('diaryapi.o.'))).toHaveLength(2);
    expect(groups.filter((g) => g.startsWith('diaryapi.r.'))).toHaveLength(0);
    expect(groups.filter((g) => g.startsWith('catalogapi.'))).toHaveLength(4);
    expect(groups.some((g) => g.startsWith('tagapi.'))).toBe(false);
    // Nothing in a name says whose it is: tenant and user ids are digested.
    expect(groups.join(' ')).not.toContain(TENANT_A);
    expect(groups.join(' ')).not.toContain(alice.oid);
    const adminGroups = claimsOf((await app.negotiate(admin)).body.url as string)[
      'webpubsub.group'
    ] as string[];
    expect(adminGroups.filter((g) => g.startsWith('diaryapi.r.'))).toHaveLength(2);
    expect(adminGroups.filter((g) => g.startsWith('diaryapi.o.'))).toHaveLength(0);
  });
});

describe('publishing after each acknowledged write', () => {
  it('every operation reaches the tenant’s readers, as their GET shows it, and never another tenant', async () => {
    const a = await app.connect(alice);
    const b = await app.connect(bob);
    const e = await app.connect(eve);
    const created = await app.call(alice, 'POST', notes, undefined, { id: 'n1', title: 'one' });
    expect(created.status).toBe(201);
    expect((await app.call(bob, 'PUT', notes, 'n1', { title: 'two' })).status).toBe(200);
    expect((await app.call(alice, 'PATCH', notes, 'n1', { status: 'done' })).status).toBe(200);
    const get = await app.call(bob, 'GET', notes, 'n1');
    expect((await app.call(alice, 'DELETE', notes, 'n1')).status).toBe(204);
    // A refused write publishes nothing.
    expect((await app.call(eve, 'DELETE', notes, 'n1')).status).toBe(404);
    await a.waitFor(4);
    await settled(a, b, e);
    for (const l of [a, b]) {
      const data = l.events.map((x) => x.data).filter((d) => d['entity'] === 'NoteApi');
      expect(data.map((d) => d['operation'])).toEqual(['create', 'replace', 'update', 'delete']);
      expect(data.every((d) => d['id'] === 'n1' && typeof d['at'] === 'string')).toBe(true);
      // Defaults filled, system fields out: the update event carries what the following GET gave.
      expect(data[2]!['item']).toEqual(get.body);
      expect(data[1]!['item']).toMatchObject({ title: 'two', status: 'open' });
      expect(Object.keys(data[0]!['item'] as object).some((k) => k.startsWith('_'))).toBe(false);
      expect(data[3]!['item']).toBeUndefined();
    }
    expect(e.events.filter((x) => x.data['entity'] === 'NoteApi')).toEqual([]);
    for (const l of [a, b, e]) l.close();
  });

  it('owner-only items reach their owner and the role that reads them all, nobody else', async () => {
    const a = await app.connect(alice);
    const b = await app.connect(bob);
    const ad = await app.connect(admin);
    const ev = await app.connect(eve);
    await app.call(alice, 'POST', diaries, undefined, { id: 'd1', text: 'mine' });
    await app.call(alice, 'PATCH', diaries, 'd1', { text: 'still mine' });
    await app.call(admin, 'DELETE', diaries, 'd1');
    await settled(a, b, ad, ev);
    const ops = (l: typeof a) =>
      l.events.filter((x) => x.data['entity'] === 'DiaryApi').map((x) => x.data['operation']);
    expect(ops(a)).toEqual(['create', 'update', 'delete']);
    expect(ops(ad)).toEqual(['create', 'update', 'delete']);
    expect(ops(b)).toEqual([]);
    // Eve holds DiaryAdmin, in another directory: not one of tenant A's readers.
    expect(ops(ev)).toEqual([]);
    for (const l of [a, b, ad, ev]) l.close();
  });

  it('shared data of a multi-tenant backend: every reader gets it, the owner field only its owner', async () => {
    const a = await app.connect(alice);
    const b = await app.connect(bob);
    const ev = await app.connect(eve);
    await app.call(alice, 'POST', catalog, undefined, { id: 'p1', name: 'Widget' });
    await settled(a, b, ev);
    const got = (l: typeof a) =>
      l.events
        .filter((x) => x.data['entity'] === 'CatalogApi')
        .map((x) => x.data['item'] as Record<string, unknown>);
    expect(got(a)).toEqual([expect.objectContaining({ id: 'p1', ownerId: alice.oid })]);
    expect(got(b)).toEqual([{ id: 'p1', name: 'Widget' }]);
    expect(got(ev)).toEqual([{ id: 'p1', name: 'Widget' }]);
    // Exactly as each one's GET shows it.
    expect(got(ev)[0]).toEqual((await app.call(eve, 'GET', catalog, 'p1')).body);
    for (const l of [a, b, ev]) l.close();
  });

  it('a CrudApi without realtime publishes nothing', async () => {
    const a = await app.connect(alice);
    await app.call(alice, 'POST', tags, undefined, { id: 't1' });
    await settled(a);
    expect(a.events).toEqual([]);
    a.close();
  });
});

describe('the hub refuses what a client may not do', () => {
  it('a joinGroup or sendToGroup is refused: the token carries no role', async () => {
    const b = await app.connect(eve);
    const a = await app.connect(alice);
    const aliceGroups = claimsOf((await app.negotiate(alice)).body.url as string)[
      'webpubsub.group'
    ] as string[];
    b.socket.send(JSON.stringify({ type: 'joinGroup', group: aliceGroups[0], ackId: 1 }));
    b.socket.send(
      JSON.stringify({
        type: 'sendToGroup',
        group: aliceGroups[0],
        dataType: 'json',
        data: { x: 1 },
        ackId: 2,
      }),
    );
    await b.barrier();
    const acks = b.frames.filter(
      (f) => f['type'] === 'ack' && (f['ackId'] === 1 || f['ackId'] === 2),
    );
    expect(acks).toEqual([
      {
        type: 'ack',
        ackId: 1,
        success: false,
        error: expect.objectContaining({ name: 'Forbidden' }),
      },
      {
        type: 'ack',
        ackId: 2,
        success: false,
        error: expect.objectContaining({ name: 'Forbidden' }),
      },
    ]);
    await app.call(alice, 'POST', notes, undefined, { id: 'n-join', title: 'private' });
    await settled(a, b);
    expect(a.events.some((x) => x.data['id'] === 'n-join')).toBe(true);
    expect(b.events).toEqual([]);
    expect(a.events.some((x) => (x.data as { x?: number }).x === 1)).toBe(false);
    a.close();
    b.close();
  });

  it('a forged or foreign token is refused at connect', async () => {
    const url = (await app.negotiate(alice)).body.url as string;
    const [head, body] = new URL(url).searchParams.get('access_token')!.split('.');
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    claims['webpubsub.group'] = ['noteapi.r.forged.1'];
    const forged = `${head!}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.AAAA`;
    const u = new URL(url);
    u.searchParams.set('access_token', forged);
    await expect(listen(u.toString())).rejects.toThrow(/401/);
    u.searchParams.delete('access_token');
    await expect(listen(u.toString())).rejects.toThrow(/401/);
  });

  it('Host and Origin guard: a rebinding name gets 421, another site 403, an allowed site connects', async () => {
    const url = (await app.negotiate(alice)).body.url as string;
    await expect(listen(url, { Host: `evil.example:${String(app.hub.port)}` })).rejects.toThrow(
      /421/,
    );
    await expect(listen(url, { Origin: 'https://evil.example' })).rejects.toThrow(/403/);
    const ok = await listen(url, { Origin: 'http://localhost:5173' });
    ok.close();
    const rest = await fetch(`${app.hub.endpoint}/api/hubs/atakora/:send`, {
      method: 'POST',
      headers: { Host: 'evil.example' },
    }).catch(() => undefined);
    // fetch may refuse to send a forged Host; when it does send, the hub refuses it.
    if (rest) expect([401, 421]).toContain(rest.status);
    const malformed = await fetch(`${app.hub.endpoint}/api/hubs/atakora/groups/%E0%A4%A/:send`, {
      method: 'POST',
    });
    expect(malformed.status).toBe(400);
    const anon = await fetch(`${app.hub.endpoint}/api/hubs/atakora/groups/g/:send`, {
      method: 'POST',
      body: '{}',
    });
    expect(anon.status).toBe(401);
  });

  it('a plain WebSocket without the subprotocol still gets only its groups', async () => {
    const url = (await app.negotiate(bob)).body.url as string;
    const raw = new WebSocket(url);
    const got: string[] = [];
    raw.on('message', (m) => got.push(String(m)));
    await new Promise((r) => raw.once('open', r));
    await app.call(alice, 'POST', notes, undefined, { id: 'n-raw', title: 'raw' });
    await app.settle();
    // The event, waited for; then a moment for one that should not come.
    await expect.poll(() => got.length, EVENTUALLY).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(got.map((g) => (JSON.parse(g) as { id: string }).id)).toEqual(['n-raw']);
    raw.terminate();
  });
});
