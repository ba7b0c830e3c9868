/**
 * The registry stage (`auth.allowedTenants: 'registry'`) against the local Cosmos DB server: an unregistered
 * directory is refused on every route kind, a suspended one too, the home directory always admitted, `signUp:
 * 'open'` registers on the first request, and a change holds once the cache's answer is older than its bound (the
 * cache's clock injected: no sleeping, no wall clock).
 */
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeAuth } from '../../src/model/runtime-manifest.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import { callerPolicyOf } from '../../src/runtime/caller/tenant-source.js';
import { gateHandler } from '../../src/runtime/pipeline/function-gate.js';
import { callerPolicyFromEnv } from '../../src/runtime/caller/handler-gate.js';
import { callerOf } from '../../src/runtime/caller/request-caller.js';
import {
  REGISTRY_MAX_AGE_SETTING,
  RegistryCache,
  registryMaxAgeFromEnv,
} from '../../src/runtime/tenants/registry-cache.js';
import type { TenantRecord } from '../../src/runtime/tenants/tenant-record.js';
import { principalHeader } from './support/built-app.js';
import { noteEntity } from './support/entities.js';
import { invoke } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { registryAuth } from './support/registry-auth.js';
import { registerNotesApp } from './support/notes-app.js';

const HOME = 'home-dir';
const who = (tid: string, oid = 'u1') =>
  principalHeader([
    ['tid', tid],
    ['oid', oid],
  ]);
const MAX_AGE = 30_000;

let cosmos: LocalCosmos;
let registry: Container;
let now = 0;

const record = (id: string, status: TenantRecord['status'], plan = 'free'): TenantRecord => ({
  id,
  plan,
  status,
  createdOn: '2026-01-01T00:00:00.000Z',
  updatedOn: '2026-01-01T00:00:00.000Z',
});

function policyWith(container: string, signUp: 'invite' | 'open'): RuntimeAuth {
  return callerPolicyOf({
    version: 1,
    backendId: 'x',
    entities: [],
    auth: registryAuth(HOME, {
      container,
      plans: { free: { requestsPerMinute: 60 }, pro: { requestsPerMinute: 6000 } },
      signUp,
    }),
  });
}

async function served(
  container: string,
  signUp: 'invite' | 'open',
  store?: NonNullable<Parameters<typeof registerCrudRoutes>[2]['tenantRegistry']>['store'],
) {
  const notes = await cosmos.container(noteEntity.componentId, '/tenantId');
  const fns = new Map<string, HttpFunctionOptions>();
  const policy = policyWith(container, signUp);
  registerNotesApp(fns, policy, notes, {
    tenantRegistry: { now: () => now, maxAgeMs: MAX_AGE, ...(store ? { store } : {}) },
  });
  const handler = (name: string) => fns.get(name)!.handler as HttpHandler;
  const fn = gateHandler(
    async () => ({ status: 200, body: '"ran"' }),
    policy,
    undefined,
    'Me-ping',
  );
  return {
    list: (tid: string) =>
      invoke(handler(`${noteEntity.componentId}-collection`), 'GET', noteEntity.route, {
        headers: who(tid),
      }),
    create: (tid: string) =>
      invoke(handler(`${noteEntity.componentId}-collection`), 'POST', noteEntity.route, {
        headers: who(tid),
        body: { title: 't' },
      }),
    fn: (tid: string) => invoke(fn, 'GET', 'ping', { headers: who(tid) }),
    me: (tid: string) => invoke(handler('tenant-self'), 'GET', 'tenant', { headers: who(tid) }),
    openapi: (tid: string) =>
      invoke(handler('openapi'), 'GET', 'openapi.json', { headers: who(tid) }),
  };
}

const code = (reply: { body?: { type?: string } }) =>
  reply.body?.type?.replace('urn:atakora:problem:', '');

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  registry = await cosmos.container('tenants', '/id');
  await cosmos.container('tenants-open', '/id');
  await cosmos.container('usage', '/tenant');
});
afterAll(async () => cosmos?.stop());

describe('registry stage', () => {
  it('unregistered → 403 tenant-not-registered on CRUD and a handler, nothing written or run', async () => {
    const api = await served('tenants', 'invite');
    const list = await api.list('stranger');
    expect(list.status).toBe(403);
    expect(code(list)).toBe('tenant-not-registered');
    const created = await api.create('stranger');
    expect([created.status, code(created)]).toEqual([403, 'tenant-not-registered']);
    const fn = await api.fn('stranger');
    expect([fn.status, code(fn)]).toEqual([403, 'tenant-not-registered']);
    const { resources } = await (await cosmos.container(noteEntity.componentId, '/tenantId')).items
      .query('SELECT * FROM c')
      .fetchAll();
    expect(resources.filter((r) => r.tenantId === 'stranger')).toEqual([]);
  });

  it('the home directory is admitted without a record', async () => {
    const api = await served('tenants', 'invite');
    expect((await api.list(HOME)).status).toBe(200);
    expect((await api.fn(HOME)).body).toBe('ran');
    // An HTTP function's policy from its app settings: the home directory is a setting of its own.
    const { homeTenant: _home, ...auth } = policyWith('tenants', 'invite');
    const policy = callerPolicyFromEnv({
      ATAKORA_AUTH: JSON.stringify(auth),
      ATAKORA_HOME_TENANT: HOME,
    });
    const fn = gateHandler(async () => ({ status: 204 }), policy, undefined, 'Me-env');
    expect((await invoke(fn, 'GET', 'env', { headers: who(HOME) })).status).toBe(204);
    expect(code(await invoke(fn, 'GET', 'env', { headers: who('stranger') }))).toBe(
      'tenant-not-registered',
    );
  });

  it('active → served; suspended → 403 tenant-suspended once the cached answer ages; resumed → served', async () => {
    await registry.items.upsert(record('contoso', 'active'));
    const api = await served('tenants', 'invite');
    expect((await api.create('contoso')).status).toBe(201);
    expect((await api.fn('contoso')).status).toBe(200);

    await registry.items.upsert(record('contoso', 'suspended'));
    // Within the bound this instance may still answer from its cache (the documented 30 s).
    now += MAX_AGE - 1;
    expect((await api.list('contoso')).status).toBe(200);
    now += 2;
    const refused = await api.list('contoso');
    expect([refused.status, code(refused)]).toEqual([403, 'tenant-suspended']);
    const fn = await api.fn('contoso');
    expect([fn.status, code(fn)]).toEqual([403, 'tenant-suspended']);
    expect(code(await api.create('contoso'))).toBe('tenant-suspended');

    await registry.items.upsert(record('contoso', 'active'));
    now += MAX_AGE;
    expect((await api.list('contoso')).status).toBe(200);
  });

  it('a directory added while refused is served once the negative answer ages', async () => {
    const api = await served('tenants', 'invite');
    expect(code(await api.list('fabrikam'))).toBe('tenant-not-registered');
    await registry.items.upsert(record('fabrikam', 'active', 'pro'));
    now += MAX_AGE;
    expect((await api.list('fabrikam')).status).toBe(200);
  });

  it("signUp 'open' registers a directory on its first request, on the default plan", async () => {
    const api = await served('tenants-open', 'open');
    expect((await api.list('newcomer')).status).toBe(200);
    const { resource } = await cosmos.client
      .database('atakora')
      .container('tenants-open')
      .item('newcomer', 'newcomer')
      .read<TenantRecord>();
    expect(resource).toMatchObject({ id: 'newcomer', plan: 'free', status: 'active' });
    // A suspended directory is not re-registered by signUp.
    await cosmos.client
      .database('atakora')
      .container('tenants-open')
      .items.upsert(record('newcomer', 'suspended'));
    now += MAX_AGE;
    expect(code(await api.list('newcomer'))).toBe('tenant-suspended');
  });
});

describe('an anonymous function', () => {
  it('serves everyone, but knows a signed-in caller only when the registry admits the directory', async () => {
    await registry.items.upsert(record('litware', 'active'));
    await registry.items.upsert(record('paused-co', 'suspended'));
    await served('tenants', 'invite');
    const fn = gateHandler(
      (request) =>
        Promise.resolve({ status: 200, body: JSON.stringify(callerOf(request)?.tid ?? null) }),
      policyWith('tenants', 'invite'),
      [{ allow: 'anonymous' }],
      'Me-open',
    );
    const as = async (tid: string) => {
      const r = await invoke(fn, 'GET', 'open', { headers: who(tid) });
      return r.status === 200 ? r.body : r.status;
    };
    expect(await as('litware')).toBe('litware');
    expect(await as(HOME)).toBe(HOME);
    // callerOf finds nobody (401 from the gate) for a directory the registry does not admit.
    expect(await as('paused-co')).toBe(401);
    expect(await as('never-seen')).toBe(401);
  });
});

describe('GET api/tenant', () => {
  it("answers the caller's record and its plan's limits; refuses like every route", async () => {
    await registry.items.upsert({ ...record('woodgrove', 'active', 'pro'), name: 'Woodgrove' });
    const api = await served('tenants', 'invite');
    const me = await api.me('woodgrove');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      id: 'woodgrove',
      name: 'Woodgrove',
      plan: 'pro',
      status: 'active',
      limits: { requestsPerMinute: 6000 },
      // From the usage ledger (runtime/usage): this request is counted once answered, nothing before it.
      usage: {
        today: { requests: 0, ru: 0, messages: 0 },
        month: { requests: 0, ru: 0, messages: 0 },
        storedBytes: 0,
        realtimeConnections: 0,
      },
    });
    const home = await api.me(HOME);
    expect(home.body).toMatchObject({ id: HOME, plan: 'free', status: 'active' });
    expect(code(await api.me('nobody-here'))).toBe('tenant-not-registered');
    const doc = await api.openapi(HOME);
    expect(
      doc.body.paths['/api/tenant'].get.responses['200'].content['application/json'].schema,
    ).toEqual({ $ref: '#/components/schemas/Tenant' });
    expect(doc.body.components.schemas.Tenant.required).toEqual([
      'id',
      'plan',
      'status',
      'limits',
      'usage',
    ]);
    expect(JSON.stringify(doc.body)).toContain('urn:atakora:problem:tenant-suspended');
  });
});

describe('registry unreachable', () => {
  it("is the service's state, not the caller's: 503 with Retry-After, never a raw 500", async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    const app = await served('tenants-down', 'open', {
      read: () => Promise.reject(down),
      create: () => Promise.reject(down),
    });
    const reply = await app.create('unreachable-dir');
    expect(reply.status).toBe(503);
    expect(code(reply)).toBe('database-unavailable');
    expect(reply.headers.get('retry-after')).toBe('5');
  });
});

describe('registry cache', () => {
  it('keeps at most maxEntries directories and reads each at most once per maxAgeMs', async () => {
    let reads = 0;
    let t = 0;
    const cache = new RegistryCache(
      {
        read: (id) => {
          reads += 1;
          return Promise.resolve(record(id, 'active'));
        },
        create: (r) => Promise.resolve(r),
      },
      { maxEntries: 3, maxAgeMs: 100, now: () => t },
    );
    for (const id of ['a', 'b', 'c', 'd', 'a']) await cache.get(id);
    expect(cache.size).toBe(3);
    // 'a' was dropped when 'd' came (oldest first) and read again.
    expect(reads).toBe(5);
    await cache.get('a');
    expect(reads).toBe(5);
    t = 100;
    await cache.get('a');
    expect(reads).toBe(6);
  });
});

describe('registry cache bound from the app settings', () => {
  it('only ever shorter than 30 s: a whole number of ms up to 30,000, anything else the default', () => {
    const of = (v: string | undefined) =>
      registryMaxAgeFromEnv(v === undefined ? {} : { [REGISTRY_MAX_AGE_SETTING]: v });
    expect(of('1000')).toBe(1000);
    expect(of('0')).toBe(0);
    expect(of('30000')).toBe(30_000);
    for (const bad of [undefined, '30001', '600000', '-1', '1e3', '1.5', '', ' 1000'])
      expect(of(bad)).toBeUndefined();
  });

  it('atakora dev reads a registry at most a second late (a CLI suspension holds on the next requests)', async () => {
    const { defineBackend } = await import('../../src/backend/define-backend.js');
    const { CrudApi } = await import('../../src/components/crud/index.js');
    const { devAppSettings } = await import('../../src/cli/dev/host/app-settings.js');
    const { entitiesOf } = await import('../../src/cli/dev/storage/storage.js');
    const notes = CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });
    const settingsOf = (registry: boolean) => {
      const backend = defineBackend(
        { notes },
        registry
          ? {
              auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
              tenants: { plans: { free: {} }, defaultPlan: 'free' },
            }
          : {},
      );
      const plan = backend.plan();
      const app = plan.resources.find((r) => r.type === 'functions')!;
      return devAppSettings(
        app,
        plan,
        entitiesOf(app),
        'https://127.0.0.1:1/',
        backend.config,
        { oid: 'dev', tid: HOME, name: 'dev', roles: [] } as never,
        'https://127.0.0.1:2/devstoreaccount1/',
      );
    };
    expect(settingsOf(true)[REGISTRY_MAX_AGE_SETTING]).toBe('1000');
    expect(settingsOf(false)[REGISTRY_MAX_AGE_SETTING]).toBeUndefined();
  });
});
