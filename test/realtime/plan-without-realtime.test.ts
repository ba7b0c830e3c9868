/**
 * A plan without the `realtime` feature neither publishes nor counts messages: its negotiate answers
 * 402, so no write of its tenants is sent to Web PubSub or counted in the ledger's `messages` (a `realtimeMessages`
 * meter bills them), and a socket opened before a downgrade is closed at the first event it would have heard. The
 * runtime's publisher and routes over the loopback hub, the registry in the Cosmos DB protocol server read fresh.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryAuth } from '../runtime/support/registry-auth.js';
import {
  type Listener,
  startRealtimeApp,
  type RealtimeApp,
  type User,
  REALTIME_NOTES,
  code,
} from './support/realtime-app.js';
import { EVENTUALLY } from '../support/patience.js';

const HOME = 'home0000-0000-0000-0000-0000000000f0';
const ORG = 'dddddddd-0000-0000-0000-0000000000f1';

const notes = REALTIME_NOTES;

const policy = registryAuth(HOME, {
  plans: { free: { features: [] }, live: { features: ['realtime'] } },
});
const owner: User = { oid: 'd1000000-0000-0000-0000-0000000000f1', tid: ORG };
const colleague: User = { oid: 'd2000000-0000-0000-0000-0000000000f1', tid: ORG };

let app: RealtimeApp;
let tenants: Awaited<ReturnType<RealtimeApp['cosmos']['container']>>;
const counted: [string, number][] = [];

async function onPlan(plan: string): Promise<void> {
  const at = new Date().toISOString();
  await tenants.items.upsert({ id: ORG, plan, status: 'active', createdOn: at, updatedOn: at });
}

beforeAll(async () => {
  app = await startRealtimeApp(
    [notes],
    policy,
    {},
    { registryMaxAgeMs: 0, suspensionSweepMs: 3_600_000 },
  );
  tenants = await app.cosmos.container('tenants', '/id', 'atakora');
  // The ledger's `messages` as the publisher counts them (runtime/usage: the meter a realtimeMessages meter bills).
  app.publisher.meterMessages({ messages: (tenant, n) => counted.push([tenant, n]) });
});
afterAll(async () => {
  await app?.stop();
});

async function created(id: string): Promise<void> {
  expect((await app.call(owner, 'POST', notes, undefined, { id })).status).toBe(201);
  await app.settle();
}

describe('a plan without realtime', () => {
  it('publishes and counts nothing, and a socket opened before the downgrade is closed', async () => {
    await onPlan('live');
    const socket: Listener = await app.connect(colleague);
    await created('n1');
    await socket.waitFor(1);
    expect(counted).toEqual([[ORG, 1]]);
    await onPlan('free');
    const refused = await app.negotiate(colleague);
    expect([refused.status, code(refused)]).toEqual([402, 'feature-not-in-plan']);
    await created('n2');
    await created('n3');
    expect(socket.events.map((e) => e.data['id'])).toEqual(['n1']);
    expect(counted).toEqual([[ORG, 1]]);
    await expect.poll(() => socket.socket.readyState, EVENTUALLY).toBe(socket.socket.CLOSED);
  });
});
