/**
 * A suspended tenant's sockets are closed within the documented time, and no event of any kind — a shared entity's
 * included — reaches it once its requests are refused: the runtime's publisher and routes over the loopback hub, the
 * registry read as deployed (30 s cache) or as dev reads it, the suspension made through the TenantAdmin API (held
 * at once on this instance) or written to the registry as `atakora tenant suspend` does (found by the sweep).
 */
import { readFileSync } from 'node:fs';
import { hubEvents } from '../../src/cli/dev/realtime/hub-events.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import {
  SUSPENDED_SOCKETS_CLOSE_SECONDS,
  SUSPENSION_CLOSE_DEADLINE_MS,
  SUSPENSION_SWEEP_MS,
} from '../../src/runtime/realtime/suspended-sockets.js';
import { invoke } from '../runtime/support/http.js';
import { registryAuth } from '../runtime/support/registry-auth.js';
import {
  type Listener,
  principalHeader,
  startRealtimeApp,
  type RealtimeApp,
  type User,
  REALTIME_CATALOG,
  REALTIME_NOTES,
  code,
} from './support/realtime-app.js';
import { EVENTUALLY } from '../support/patience.js';

const HOME = 'home0000-0000-0000-0000-00000000000e';
const LATE = 'aaaaaaaa-0000-0000-0000-0000000000e1';
const QUIET = 'bbbbbbbb-0000-0000-0000-0000000000e2';
const OWN = 'cccccccc-0000-0000-0000-0000000000e3';

const catalog = REALTIME_CATALOG;
const notes = REALTIME_NOTES;

const policy = registryAuth(HOME, { plans: { free: {} } });
const home: User = { oid: 'h0000000-0000-0000-0000-00000000000e', tid: HOME };
const ops: User = { ...home, oid: 'o0000000-0000-0000-0000-00000000000e', roles: ['TenantAdmin'] };

let app: RealtimeApp;
let tenants: Awaited<ReturnType<RealtimeApp['cosmos']['container']>>;
beforeAll(async () => {
  // The registry read as in Azure (each answer up to 30 s old); the sweep quick, so the test need not wait 10 s.
  app = await startRealtimeApp([catalog, notes], policy, {}, { suspensionSweepMs: 100 });
  tenants = await app.cosmos.container('tenants', '/id', 'atakora');
  const at = '2026-01-01T00:00:00.000Z';
  for (const id of [LATE, QUIET, OWN])
    await tenants.items.upsert({
      id,
      plan: 'free',
      status: 'active',
      createdOn: at,
      updatedOn: at,
    });
});
afterAll(async () => {
  await app?.stop();
});

/** Write the registry record as `atakora tenant suspend` does: straight to the container, no instance told. */
async function suspendInRegistry(id: string): Promise<void> {
  const now = new Date().toISOString();
  await tenants.items.upsert({
    id,
    plan: 'free',
    status: 'suspended',
    createdOn: now,
    updatedOn: now,
  });
}

async function closed(l: Listener): Promise<void> {
  await expect.poll(() => l.socket.readyState, EVENTUALLY).toBe(l.socket.CLOSED);
}

async function created(entity: RuntimeEntity, who: User, id: string): Promise<void> {
  const body = entity === catalog ? { id, name: id } : { id };
  expect((await app.call(who, 'POST', entity, undefined, body)).status).toBe(201);
  await app.settle();
}

describe('a suspended tenant hears nothing after its requests are refused', () => {
  it('suspended through the TenantAdmin API: refused at once, its socket closed first, no shared event after', async () => {
    const late: User = { oid: 'a1000000-0000-0000-0000-0000000000e1', tid: LATE };
    const gone = await app.connect(late);
    const watcher = await app.connect(home);
    await created(catalog, home, 'p1');
    await gone.waitFor(1);
    await watcher.waitFor(1);
    const patched = await invoke(
      app.handlers.get('tenants-admin-item') ?? expect.fail('no TenantAdmin route'),
      'PATCH',
      `tenants/${LATE}`,
      { headers: principalHeader(ops), body: { status: 'suspended' }, params: { id: LATE } },
    );
    expect(patched.status).toBe(200);
    const refused = await app.call(late, 'GET', catalog);
    expect([refused.status, code(refused)]).toEqual([403, 'tenant-suspended']);
    await created(catalog, home, 'p2');
    await watcher.waitFor(2);
    expect(gone.events.map((e) => e.data['id'])).toEqual(['p1']);
    await closed(gone);
  });

  it('suspended in the registry (the CLI): the sweep closes its sockets with no request of it', async () => {
    const quiet: User = { oid: 'b1000000-0000-0000-0000-0000000000e2', tid: QUIET };
    const gone = await app.connect(quiet);
    const watcher = await app.connect(home);
    await suspendInRegistry(QUIET);
    await closed(gone);
    await created(catalog, home, 'p3');
    await watcher.waitFor(1);
    expect(gone.events).toEqual([]);
    const again = await app.negotiate(quiet);
    expect([again.status, code(again)]).toEqual([403, 'tenant-suspended']);
  });

  it("the tenant's own entity: its events stop with the refusal too", async () => {
    const own: User = { oid: 'c1000000-0000-0000-0000-0000000000e3', tid: OWN };
    const colleague: User = { oid: 'c2000000-0000-0000-0000-0000000000e3', tid: OWN };
    const gone = await app.connect(colleague);
    await created(notes, own, 'n1');
    await gone.waitFor(1);
    await suspendInRegistry(OWN);
    await closed(gone);
    const refused = await app.call(own, 'POST', notes, undefined, { id: 'n2' });
    expect([refused.status, code(refused)]).toEqual([403, 'tenant-suspended']);
    expect(gone.events.map((e) => e.data['id'])).toEqual(['n1']);
  });
});

describe('a socket reopened with a token minted before the suspension', () => {
  it('is closed at its connected event (Azure posts no blocking connect), read afresh, and not counted', async () => {
    // No sweep after the first (an hour apart), the registry's answers 30 s old: only the event can find it.
    const quietApp = await startRealtimeApp(
      [catalog],
      policy,
      {},
      { suspensionSweepMs: 3_600_000 },
    );
    try {
      const registry = await quietApp.cosmos.container('tenants', '/id', 'atakora');
      const at = '2026-01-01T00:00:00.000Z';
      await registry.items.upsert({
        id: LATE,
        plan: 'free',
        status: 'active',
        createdOn: at,
        updatedOn: at,
      });
      const late: User = { oid: 'a2000000-0000-0000-0000-0000000000e1', tid: LATE };
      const reopened = await quietApp.connect(late);
      const now = new Date().toISOString();
      await registry.items.upsert({
        id: LATE,
        plan: 'free',
        status: 'suspended',
        createdOn: at,
        updatedOn: now,
      });
      // The service tells of a connection of the tenant: as Azure's hub does after a socket opened.
      const events = hubEvents(
        'atakora',
        quietApp.hub.key,
        `127.0.0.1:${String(quietApp.hub.port)}`,
        () => quietApp.hub.eventHandler,
      );
      events.connected('reopened-1', `${LATE}/${late.oid}`);
      await closed(reopened);
      const usage = await quietApp.cosmos.container('usage', '/tenant', 'atakora');
      const { resources } = await usage.items
        .query(
          { query: "SELECT * FROM c WHERE c.id = 'connection:reopened-1'" },
          { partitionKey: LATE },
        )
        .fetchAll();
      expect(resources).toEqual([]);
    } finally {
      await quietApp.stop();
    }
  });
});

describe('the documented time', () => {
  it('is one number: a sweep and the close call each bounded within it, said alike in both guides', () => {
    expect(SUSPENSION_SWEEP_MS + SUSPENSION_CLOSE_DEADLINE_MS).toBeLessThanOrEqual(
      SUSPENDED_SOCKETS_CLOSE_SECONDS * 1000,
    );
    for (const doc of ['docs/tenants.md', 'docs/realtime.md']) {
      const text = readFileSync(doc, 'utf8');
      expect(text, doc).toContain(
        `within ${String(SUSPENDED_SOCKETS_CLOSE_SECONDS)} s of the suspension`,
      );
      expect(text, doc).not.toMatch(/sockets? (?:are |is )?clos\w+ within about/);
    }
  });
});
