/**
 * A backend whose plans bound no live connections, and no `tenants.perUser.realtimeConnections`: each user still
 * holds at most {@link DEFAULT_USER_REALTIME_CONNECTIONS} live sockets — refused at negotiate and at the hub's
 * `connect` as the plan's bound is (429 `too-many-connections`, `scope: 'user'`) — so one token cannot open sockets
 * without end; `perUser.realtimeConnections` sets another bound.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_USER_REALTIME_CONNECTIONS } from '../../src/contract/realtime.js';
import { boundsOf } from '../../src/runtime/realtime/connection-bounds.js';
import { registryAuth } from '../runtime/support/registry-auth.js';
import {
  type Listener,
  startRealtimeApp,
  type RealtimeApp,
  REALTIME_NOTES,
} from './support/realtime-app.js';
import { userBoundReached } from './support/user-bound.js';

const HOME = 'home0000-0000-0000-0000-00000000000d';
const notes = REALTIME_NOTES;
const policy = registryAuth(HOME, { plans: { free: {} } });
const registry = (() => {
  if (!policy.registry) throw new Error('registryAuth gives a registry');
  return policy.registry;
})();

let app: RealtimeApp;
const open: Listener[] = [];
beforeAll(async () => {
  app = await startRealtimeApp([notes], policy, {}, { registryMaxAgeMs: 0 });
});
afterAll(async () => {
  for (const l of open) l.close();
  await app?.stop();
});

describe('the default per-user bound on live connections', () => {
  it('is the bound when neither the plan nor tenants.perUser sets one; perUser replaces it', () => {
    expect(DEFAULT_USER_REALTIME_CONNECTIONS).toBe(10);
    expect(boundsOf(registry, undefined)).toEqual({ user: DEFAULT_USER_REALTIME_CONNECTIONS });
    expect(boundsOf({ ...registry, perUser: { realtimeConnections: 40 } }, undefined)).toEqual({
      user: 40,
    });
  });

  it('refuses one token reused past it at connect, and negotiate once it is reached', async () => {
    await userBoundReached(app, HOME, open);
  });
});
