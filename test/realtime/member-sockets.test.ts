/**
 * A removed member's realtime connections (tenants by membership, DESIGN §2): their open socket to the organization
 * is closed by the removal (the member group's closeConnections on dev's loopback hub, as on Web PubSub), they hear
 * no event after it while the members who stay do, a token they negotiated before the removal opens no socket after
 * it (refused at connect by the events route), and negotiating again is refused.
 */
import type WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeAuth, RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { settings } from '../runtime/support/entities.js';
import { invoke } from '../runtime/support/http.js';
import {
  listen,
  principalHeader,
  startRealtimeApp,
  type RealtimeApp,
  type User,
} from './support/realtime-app.js';

const HOME = 'home0000-0000-0000-0000-000000000000';
const policy: RuntimeAuth = {
  required: true,
  tenantClaim: 'tid',
  trustTenantHeader: false,
  homeTenant: HOME,
  registry: {
    database: 'atakora',
    container: 'tenants',
    usage: 'usage',
    plans: { free: {} },
    defaultPlan: 'free',
    signUp: 'invite',
    membership: { container: 'members', roles: ['Admin', 'Member'], createTenants: 'operator' },
  },
};
const notes: RuntimeEntity = {
  componentId: 'NoteApi',
  entityName: 'Note',
  route: 'notes',
  partitionKey: '/tenantId',
  schema: { title: { type: 'string', required: true } },
  operations: ['create', 'read', 'update', 'delete', 'list'],
  unknownFields: 'reject',
  settings: settings('NOTE_API'),
  realtime: true,
};
const ada: User = { oid: 'ada', tid: HOME };
const bob: User = { oid: 'bob', tid: HOME };
const closed = (socket: WebSocket) =>
  new Promise<void>((resolve) => {
    if (socket.readyState === socket.CLOSED) resolve();
    else socket.once('close', () => resolve());
  });

let app: RealtimeApp;
beforeAll(async () => {
  app = await startRealtimeApp([notes], policy, {}, { registryMaxAgeMs: 0 });
  const tenants = await app.cosmos.container('tenants', '/id', 'atakora');
  const members = await app.cosmos.container('members', '/tenant', 'atakora');
  const at = '2026-01-01T00:00:00.000Z';
  await tenants.items.upsert({
    id: 'acme',
    plan: 'free',
    status: 'active',
    createdOn: at,
    updatedOn: at,
  });
  for (const [userId, roles] of [
    ['ada', ['Owner']],
    ['bob', ['Member']],
  ] as const)
    await members.items.upsert({
      id: `acme|${userId}`,
      tenant: 'acme',
      userId,
      roles,
      addedOn: at,
    });
});
afterAll(async () => app?.stop());

describe("a removed member's sockets", () => {
  it('are closed at the removal, hear nothing after it, and an older token opens none', async () => {
    const adaSocket = await app.connect(ada);
    const bobSocket = await app.connect(bob);
    const spare = await app.negotiate(bob);
    expect(spare.status).toBe(200);
    expect((await app.call(ada, 'POST', notes, undefined, { title: 'one' })).status).toBe(201);
    await app.settle();
    await Promise.all([adaSocket.waitFor(1), bobSocket.waitFor(1)]);

    const handler = app.handlers.get('membership-member');
    if (!handler) throw new Error('no membership-member route');
    const removed = await invoke(handler, 'DELETE', 'tenant/members/bob', {
      headers: principalHeader(ada),
      params: { userId: 'bob' },
    });
    expect(removed.status).toBe(204);
    await closed(bobSocket.socket);

    expect((await app.call(ada, 'POST', notes, undefined, { title: 'two' })).status).toBe(201);
    await app.settle();
    await adaSocket.waitFor(2);
    expect(bobSocket.events.map((e) => e.data['operation'])).toEqual(['create']);

    // The token negotiated before the removal: refused at connect (the hub asks the events route).
    const late = await listen(spare.body.url as string).then(
      async (l) => {
        await closed(l.socket);
        return 'closed';
      },
      () => 'refused',
    );
    expect(['closed', 'refused']).toContain(late);
    const again = await app.negotiate(bob);
    expect(again.status).toBe(400);
  });
});
