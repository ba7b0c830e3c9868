/**
 * Microsoft's `@azure/web-pubsub-client` against the dev hub with its defaults: the reliable JSON subprotocol
 * (`json.reliable.webpubsub.azure.v1`), sequence ids and acks, recovery after a dropped socket; and a client
 * that never reads, which the hub closes past its bound instead of holding what it cannot send.
 */
import type { Socket } from 'node:net';
import { AzureKeyCredential, WebPubSubServiceClient } from '@azure/web-pubsub';
import { type OnGroupDataMessageArgs, WebPubSubClient } from '@azure/web-pubsub-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeAuth, RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { SEND_BUFFER_LIMIT } from '../../src/cli/dev/realtime/hub-connections.js';
import { settings } from '../runtime/support/entities.js';
import {
  listen,
  oneTenantPolicy,
  startRealtimeApp,
  type RealtimeApp,
  type User,
} from './support/realtime-app.js';
import { EVENTUALLY } from '../support/patience.js';

const TENANT = 'aaaaaaaa-0000-0000-0000-000000000001';
const notes: RuntimeEntity = {
  componentId: 'NoteApi',
  entityName: 'Note',
  route: 'notes',
  partitionKey: '/id',
  schema: { id: { type: 'string', required: true }, title: { type: 'string', required: true } },
  operations: ['create', 'read', 'update', 'delete', 'list'],
  unknownFields: 'reject',
  settings: settings('NOTE_API'),
  realtime: true,
};
const policy: RuntimeAuth = oneTenantPolicy(TENANT);
const alice: User = { oid: 'a1000000-0000-0000-0000-000000000001', tid: TENANT };

let app: RealtimeApp;
beforeAll(async () => {
  app = await startRealtimeApp([notes], policy);
});
afterAll(async () => {
  await app?.stop();
});

async function negotiated(): Promise<string> {
  const n = await app.negotiate(alice);
  expect(n.status).toBe(200);
  return n.body.url as string;
}

/** The official client with every default (protocol included), recording what it hears. */
async function officialClient() {
  const client = new WebPubSubClient(await negotiated());
  const messages: OnGroupDataMessageArgs['message'][] = [];
  const connected: string[] = [];
  let disconnected = 0;
  client.on('group-message', (e) => messages.push(e.message));
  client.on('connected', (e) => connected.push(e.connectionId));
  client.on('disconnected', () => {
    disconnected++;
  });
  await client.start();
  return {
    client,
    messages,
    connected,
    disconnected: () => disconnected,
  };
}

describe('the dev hub and @azure/web-pubsub-client', () => {
  it('connects with the default reliable protocol and receives a CrudApi write as a numbered group message', async () => {
    const c = await officialClient();
    try {
      expect(c.connected).toHaveLength(1);
      const created = await app.call(alice, 'POST', notes, undefined, { id: 'n1', title: 'one' });
      expect(created.status).toBe(201);
      await expect.poll(() => c.messages.length, EVENTUALLY).toBe(1);
      expect(c.messages[0]).toMatchObject({
        kind: 'groupData',
        dataType: 'json',
        sequenceId: 1,
        data: { entity: 'NoteApi', operation: 'create', id: 'n1' },
      });
    } finally {
      c.client.stop();
    }
  });

  it('recovers its connection after the socket drops and receives what was sent meanwhile', async () => {
    const c = await officialClient();
    try {
      app.hub.dropAll();
      // Written while the socket is gone: the hub holds it for the session, as the service does.
      expect(
        (await app.call(alice, 'POST', notes, undefined, { id: 'n2', title: 'two' })).status,
      ).toBe(201);
      await app.settle();
      await expect.poll(() => c.messages.length, EVENTUALLY).toBe(1);
      expect(c.messages[0]).toMatchObject({ sequenceId: 1, data: { id: 'n2' } });
      // The same connection, recovered: not a new one, never reported disconnected.
      expect(c.connected).toHaveLength(1);
      expect(c.disconnected()).toBe(0);
      expect(
        (await app.call(alice, 'POST', notes, undefined, { id: 'n3', title: 'three' })).status,
      ).toBe(201);
      await expect.poll(() => c.messages.length, EVENTUALLY).toBe(2);
      expect(c.messages[1]).toMatchObject({ sequenceId: 2, data: { id: 'n3' } });
    } finally {
      c.client.stop();
    }
  });
});

describe('a client that never reads', () => {
  it('is closed once its send buffer passes the bound; a reader of the same group gets everything', async () => {
    const url = await negotiated();
    const group = (
      JSON.parse(
        Buffer.from(
          new URL(url).searchParams.get('access_token')!.split('.')[1]!,
          'base64url',
        ).toString(),
      ) as { 'webpubsub.group': string[] }
    )['webpubsub.group'][0]!;
    const paused = await listen(url);
    const reader = await listen(url);
    // The client stops reading: the kernel's buffers fill, then the hub's.
    (paused.socket as unknown as { _socket: Socket })._socket.pause();
    const service = new WebPubSubServiceClient(
      app.hub.endpoint,
      new AzureKeyCredential(app.hub.key),
      'atakora',
      { allowInsecureConnection: true },
    );
    const before = app.hub.overflowed;
    // 30 MiB in 64 KiB messages: past the bound once loopback's socket buffers are full, never near it for a
    // client that reads between two sends.
    const chunk = 'x'.repeat(64 * 1024);
    const sends = 480;
    for (let i = 0; i < sends; i++)
      await service.group(group).sendToAll(chunk, { contentType: 'text/plain' });
    expect(sends * chunk.length).toBeGreaterThan(8 * SEND_BUFFER_LIMIT);
    expect(app.hub.overflowed - before).toBe(1);
    await reader.waitFor(sends);
    expect(app.hub.connections).toBe(1);
    reader.close();
    paused.close();
  });

  it("is closed once the hub's unread answers to it (acks) pass the bound: a client that asks and never reads", async () => {
    const asker = await listen(await negotiated());
    (asker.socket as unknown as { _socket: Socket })._socket.pause();
    const before = app.hub.overflowed;
    const open = app.hub.connections;
    // Each joinGroup is refused with an ack that names the group: 64 KiB asked, 64 KiB answered. 30 MiB of acks
    // pass the bound once loopback's socket buffers are full; the hub must not hold them all.
    const group = 'g'.repeat(64 * 1024);
    const asks = 480;
    for (let i = 0; i < asks && asker.socket.readyState === asker.socket.OPEN; i++) {
      asker.socket.send(JSON.stringify({ type: 'joinGroup', group, ackId: i + 1 }));
      // Let the hub read and answer as it goes (the client's own writes must not be what fills up).
      if (i % 16 === 15) await new Promise((r) => setImmediate(r));
    }
    expect(asks * group.length).toBeGreaterThan(8 * SEND_BUFFER_LIMIT);
    await expect.poll(() => app.hub.overflowed - before, EVENTUALLY).toBe(1);
    expect(app.hub.connections).toBe(open - 1);
    asker.close();
  });
});
