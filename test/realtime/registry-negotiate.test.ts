/**
 * Realtime negotiate behind the tenant registry (`auth.allowedTenants: 'registry'`): a directory without a record
 * or a suspended one gets no connection token (403 from the registry stage), an active one and the home directory
 * do — against the local Cosmos DB server and dev's loopback Web PubSub hub.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeAuth, RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { settings } from '../runtime/support/entities.js';
import { code, startRealtimeApp, type RealtimeApp } from './support/realtime-app.js';
import { registryAuth } from '../runtime/support/registry-auth.js';

const HOME = 'home0000-0000-0000-0000-000000000000';
const ACTIVE = 'aaaaaaaa-0000-0000-0000-000000000001';
const SUSPENDED = 'bbbbbbbb-0000-0000-0000-000000000002';
const STRANGER = 'cccccccc-0000-0000-0000-000000000003';

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

const policy: RuntimeAuth = registryAuth(HOME, { plans: { free: {} } });

let app: RealtimeApp;
beforeAll(async () => {
  app = await startRealtimeApp([notes], policy);
  const tenants = await app.cosmos.container('tenants', '/id', 'atakora');
  const at = '2026-01-01T00:00:00.000Z';
  for (const [id, status] of [
    [ACTIVE, 'active'],
    [SUSPENDED, 'suspended'],
  ])
    await tenants.items.upsert({ id, plan: 'free', status, createdOn: at, updatedOn: at });
});
afterAll(async () => {
  await app?.stop();
});

describe('POST api/realtime/negotiate with the tenant registry', () => {
  it('refuses an unregistered and a suspended directory, serves an active one and home', async () => {
    const stranger = await app.negotiate({ oid: 'u-s', tid: STRANGER });
    expect([stranger.status, code(stranger)]).toEqual([403, 'tenant-not-registered']);
    const suspended = await app.negotiate({ oid: 'u-b', tid: SUSPENDED });
    expect([suspended.status, code(suspended)]).toEqual([403, 'tenant-suspended']);
    const active = await app.negotiate({ oid: 'u-a', tid: ACTIVE });
    expect(active.status).toBe(200);
    expect(typeof active.body.url).toBe('string');
    expect((await app.negotiate({ oid: 'u-h', tid: HOME })).status).toBe(200);
  });

  it('the CRUD routes of the same app refuse the same way', async () => {
    const r = await app.call({ oid: 'u-b', tid: SUSPENDED }, 'GET', notes);
    expect(code(r)).toBe('tenant-suspended');
    expect((await app.call({ oid: 'u-a', tid: ACTIVE }, 'GET', notes)).status).toBe(200);
  });
});
