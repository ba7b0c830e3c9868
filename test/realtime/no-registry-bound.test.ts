/**
 * A backend without a tenant registry has no usage ledger to count live connections in, yet one negotiated token
 * must not open sockets without end (round 9: 60 of 60). Each instance keeps its own count of the sockets the hub's
 * events told it of, per caller (an anonymous caller: per token), and refuses the blocking `connect` past
 * {@link DEFAULT_USER_REALTIME_CONNECTIONS} with 429 `too-many-connections` (and negotiate once it is reached); a
 * closed socket frees its place.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_USER_REALTIME_CONNECTIONS } from '../../src/contract/realtime.js';
import type { RuntimeAuth, RuntimeEntity } from '../../src/model/runtime-manifest.js';
import {
  type Listener,
  listen,
  startRealtimeApp,
  type RealtimeApp,
  REALTIME_NOTES,
} from './support/realtime-app.js';
import { userBoundReached } from './support/user-bound.js';
import { HANG_MS } from '../support/patience.js';

const TENANT = 'a0000000-0000-4000-8000-0000000000aa';
const notes = REALTIME_NOTES;
const policy: RuntimeAuth = { required: true, tenantClaim: 'tid', trustTenantHeader: false };

let app: RealtimeApp;
const open: Listener[] = [];
beforeAll(async () => {
  app = await startRealtimeApp([notes], policy);
});
afterAll(async () => {
  for (const l of open) l.close();
  await app?.stop();
});

describe('live sockets without a tenant registry', () => {
  it('one token opens at most the per-user bound; negotiate refuses at it; a closed socket frees a place', async () => {
    expect(policy.registry).toBeUndefined();
    const url = await userBoundReached(app, TENANT, open);
    // A socket closed frees its place (the hub's disconnected event).
    open.pop()!.close();
    let again: Listener | undefined;
    // Until the hub has heard the close: an event, waited for up to a hang's bound (not a count of tries).
    for (const end = performance.now() + HANG_MS; !again && performance.now() < end; )
      again = await listen(url).catch(async () => {
        await new Promise((r) => setTimeout(r, 50));
        return undefined;
      });
    expect(again).toBeDefined();
    open.push(again!);
  });
});

describe('live sockets without a tenant registry nor sign-in', () => {
  it('bound each anonymous token on its own: a second token has places of its own', async () => {
    // Authentication off, shared data: every caller reads, none is signed in.
    const shared: RuntimeEntity = {
      ...notes,
      partitionKey: '/id',
      tenancy: 'shared',
      schema: { id: { type: 'string', required: true } },
    };
    const anonymous = await startRealtimeApp([shared], {
      required: false,
      tenantClaim: 'tid',
      trustTenantHeader: false,
    });
    const sockets: Listener[] = [];
    try {
      const first = await anonymous.negotiate(undefined);
      expect(first.status, first.text).toBe(200);
      const url = first.body.url as string;
      for (let i = 0; i < DEFAULT_USER_REALTIME_CONNECTIONS; i++) sockets.push(await listen(url));
      await expect(listen(url)).rejects.toThrow('upgrade refused: 429');
      const second = await anonymous.negotiate(undefined);
      expect(second.status).toBe(200);
      sockets.push(await listen(second.body.url as string));
    } finally {
      for (const l of sockets) l.close();
      await anonymous.stop();
    }
  });
});
