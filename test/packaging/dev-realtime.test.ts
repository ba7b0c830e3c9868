/**
 * `atakora dev` with a realtime CrudApi: the session starts its loopback Web PubSub hub (cli/dev/realtime/hub.ts), the
 * built runtime's negotiate answers a `ws://127.0.0.1:<port>/…` URL on it, and a write through the API reaches the
 * writer's tenant — as its GET gives it — and not another tenant; the hub refuses a browser from another origin, and
 * one token's sockets past the default per-caller bound (no tenant registry: counted per instance).
 */
import { WebPubSubClient } from '@azure/web-pubsub-client';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev, type DevSession } from '../../src/cli/dev/session/session.js';
import { EVENTUALLY } from '../support/patience.js';

let dev: DevSession;
beforeAll(async () => {
  dev = await startDev('test/packaging/fixtures/realtime-backend.ts', {
    log: () => {},
    quietWorkers: true,
  });
});
afterAll(async () => {
  await dev?.stop();
});

const as = (caller: string) => ({ 'x-atakora-dev-user': caller });

async function negotiate(caller: string): Promise<{ url: string; expiresOn: string }> {
  const r = await fetch(`${dev.apps[0]!.url}/api/realtime/negotiate`, {
    method: 'POST',
    headers: as(caller),
  });
  expect(r.status).toBe(200);
  return (await r.json()) as { url: string; expiresOn: string };
}

function connect(url: string, origin?: string) {
  const events: Record<string, unknown>[] = [];
  const socket = new WebSocket(
    url,
    'json.webpubsub.azure.v1',
    origin ? { headers: { origin } } : {},
  );
  // A refused upgrade ends in an error event after 'unexpected-response': the status is what is checked.
  socket.on('error', () => undefined);
  socket.on('message', (raw) => {
    const m = JSON.parse(String(raw)) as Record<string, unknown>;
    if (m['type'] === 'message') events.push(m['data'] as Record<string, unknown>);
  });
  const opened = new Promise<number>((resolve) => {
    socket.once('open', () => {
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
    });
  });
  return { socket, events, opened };
}

describe('atakora dev: realtime', () => {
  it('serves negotiate on its loopback hub; a write reaches its tenant as GET gives it, nobody else', async () => {
    expect(dev.realtimeEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const alice = await negotiate('alice@contoso');
    const port = new URL(dev.realtimeEndpoint!).port;
    expect(alice.url).toMatch(
      new RegExp(`^ws://127\\.0\\.0\\.1:${port}/client/hubs/atakora\\?access_token=`),
    );
    const bob = await negotiate('bob@fabrikam');
    const a = connect(alice.url);
    const b = connect(bob.url);
    expect([await a.opened, await b.opened]).toEqual([101, 101]);

    const created = await fetch(`${dev.apps[0]!.url}/api/notes`, {
      method: 'POST',
      headers: { ...as('carol@contoso'), 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'n1', text: 'hello' }),
    });
    expect(created.status).toBe(201);
    const read = (await (
      await fetch(`${dev.apps[0]!.url}/api/notes/n1`, { headers: as('alice@contoso') })
    ).json()) as Record<string, unknown>;
    await expect.poll(() => a.events.length, EVENTUALLY).toBe(1);
    expect(a.events[0]).toMatchObject({
      entity: 'NoteApi',
      operation: 'create',
      id: 'n1',
      item: read,
    });
    expect(read['pinned']).toBe(false);
    // Bob's tenant hears nothing: give a later write of his own tenant the time to overtake a stray event.
    const own = await fetch(`${dev.apps[0]!.url}/api/notes`, {
      method: 'POST',
      headers: { ...as('bob@fabrikam'), 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'm1', text: 'mine' }),
    });
    expect(own.status).toBe(201);
    await expect.poll(() => b.events.length, EVENTUALLY).toBe(1);
    expect(b.events.map((e) => e['id'])).toEqual(['m1']);
    a.socket.close();
    b.socket.close();
  });

  it("Microsoft's @azure/web-pubsub-client, defaults and all (the reliable protocol), hears a write", async () => {
    const client = new WebPubSubClient((await negotiate('dave@contoso')).url);
    const heard: unknown[] = [];
    client.on('group-message', (e) => heard.push(e.message.data));
    await client.start();
    try {
      const created = await fetch(`${dev.apps[0]!.url}/api/notes`, {
        method: 'POST',
        headers: { ...as('dave@contoso'), 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'o1', text: 'official' }),
      });
      expect(created.status).toBe(201);
      await expect.poll(() => heard.length, EVENTUALLY).toBe(1);
      expect(heard[0]).toMatchObject({ entity: 'NoteApi', operation: 'create', id: 'o1' });
    } finally {
      client.stop();
    }
  });

  it('one token opens at most the default bound of sockets, without a tenant registry (round 9: 60 of 60)', async () => {
    const { url } = await negotiate('erin@contoso');
    const sockets = Array.from({ length: 12 }, () => connect(url));
    try {
      const statuses = [];
      for (const s of sockets) statuses.push(await s.opened);
      expect(statuses.filter((st) => st === 101)).toHaveLength(10);
      expect(statuses.filter((st) => st === 429)).toHaveLength(2);
    } finally {
      for (const s of sockets) s.socket.close();
    }
  });

  it('refuses a browser upgrade from an origin that is not a dev origin', async () => {
    const { url } = await negotiate('alice@contoso');
    const evil = connect(url, 'https://evil.example');
    expect(await evil.opened).toBe(403);
  });
});
