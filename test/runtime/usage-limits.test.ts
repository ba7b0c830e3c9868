/**
 * Plans, limits and the usage ledger against the real runtime on the local Cosmos DB server: per-tenant and per-user
 * rates with their headers, another tenant unaffected, served again in the next window, the RU/day and storage
 * quotas, the ledger exact (refused requests included, once each) after an explicit flush, two meters ("instances")
 * sharing one ledger with a bounded overshoot, and a property over random traffic. The meter's clock is injected and
 * nothing is flushed by a timer: no sleeping, no wall clock.
 */
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import type { Container } from '@azure/cosmos';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeAuth, RuntimeTenantPlan } from '../../src/model/runtime-manifest.js';
import { callerPolicyOf } from '../../src/runtime/caller/tenant-source.js';
import { UsageMeter } from '../../src/runtime/usage/usage-meter.js';
import { bindUsageMeter, boundUsageMeter } from '../../src/runtime/usage/usage-binding.js';
import { cosmosUsageStore, type UsageStore } from '../../src/runtime/usage/usage-store.js';
import type { HourItem } from '../../src/runtime/usage/usage-items.js';
import { principalHeader } from './support/built-app.js';
import { noteEntity } from './support/entities.js';
import { invoke, type Reply } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { registryAuth } from './support/registry-auth.js';
import { hourItems } from '../model/plans-app.js';
import { registerNotesApp } from './support/notes-app.js';

const HOME = 'home-dir';
const T0 = Date.UTC(2026, 2, 1, 14, 5, 30);
const who = (tid: string, oid = 'u1') =>
  principalHeader([
    ['tid', tid],
    ['oid', oid],
  ]);

let cosmos: LocalCosmos;
let registry: Container;
let usage: Container;
let now = T0;

const PLANS: Record<string, RuntimeTenantPlan> = {
  free: { requestsPerMinute: 5 },
  ru: { requestUnitsPerDay: 4 },
  tiny: { storageMb: 0.001 },
  busy: { requestsPerMinute: 10 },
  open: {},
};

function policy(signUp: 'invite' | 'open', defaultPlan = 'free'): RuntimeAuth {
  return callerPolicyOf({
    version: 1,
    backendId: 'x',
    entities: [],
    auth: registryAuth(HOME, {
      plans: PLANS,
      defaultPlan,
      signUp,
      perUser: { requestsPerMinute: 3 },
    }),
  });
}

async function register(id: string, plan: string): Promise<void> {
  await registry.items.upsert({
    id,
    plan,
    status: 'active',
    createdOn: '2026-01-01T00:00:00.000Z',
    updatedOn: '2026-01-01T00:00:00.000Z',
  });
}

/**
 * Writes counted, for the ledger's own cost. `together`: the store reads the limits' views in one query
 * (`snapshot`), as the runtime's does; without it the meter reads them one by one.
 */
function counting(store: UsageStore, together = true): UsageStore & { writes: number } {
  const counted = {
    ...(together && store.snapshot ? { snapshot: store.snapshot.bind(store) } : {}),
    writes: 0,
    write: (tenant: string, items: Parameters<UsageStore['write']>[1]) => {
      counted.writes++;
      return store.write(tenant, items);
    },
    read: store.read.bind(store),
    minutes: store.minutes.bind(store),
    hours: store.hours.bind(store),
    stored: store.stored.bind(store),
    connections: store.connections.bind(store),
  };
  return counted;
}

async function served(
  signUp: 'invite' | 'open' = 'invite',
  defaultPlan = 'free',
  instance = 'i-a',
  together = true,
) {
  const notes = await cosmos.container(noteEntity.componentId, '/tenantId');
  const fns = new Map<string, HttpFunctionOptions>();
  const auth = policy(signUp, defaultPlan);
  const store = counting(cosmosUsageStore(usage), together);
  registerNotesApp(fns, auth, notes, {
    tenantRegistry: { now: () => now },
    usageLedger: {
      store,
      instance,
      now: () => now,
      flushIntervalMs: 0,
      // A ledger call that fails here is a fault of the test's own server: seen, not absorbed.
      onError: (e) => {
        throw e;
      },
    },
  });
  const handler = (name: string) => fns.get(name)!.handler as HttpHandler;
  const collection = handler(`${noteEntity.componentId}-collection`);
  const item = handler(`${noteEntity.componentId}-item`);
  const meter = boundUsageMeter(auth.registry!)!;
  return {
    auth,
    meter,
    store,
    list: (tid: string, oid = 'u1') =>
      invoke(collection, 'GET', noteEntity.route, { headers: who(tid, oid) }),
    create: (tid: string, body: Record<string, unknown>, oid = 'u1') =>
      invoke(collection, 'POST', noteEntity.route, { headers: who(tid, oid), body }),
    read: (tid: string, id: string) =>
      invoke(item, 'GET', `${noteEntity.route}/${id}`, { headers: who(tid), params: { id } }),
    remove: (tid: string, id: string) =>
      invoke(item, 'DELETE', `${noteEntity.route}/${id}`, { headers: who(tid), params: { id } }),
    me: (tid: string) => invoke(handler('tenant-self'), 'GET', 'tenant', { headers: who(tid) }),
  };
}

const code = (reply: Reply) => reply.body?.type?.replace('urn:atakora:problem:', '');

const hours = (tenant: string): Promise<HourItem[]> => hourItems(usage, tenant);

const sum = (items: readonly HourItem[], field: 'requests' | 'refused' | 'ru') =>
  items.reduce((n, i) => n + i[field], 0);

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  registry = await cosmos.container('tenants', '/id');
  usage = await cosmos.container('usage', '/tenant');
  for (const [id, plan] of [
    ['alpha', 'free'],
    ['beta', 'free'],
    ['gamma', 'ru'],
    ['delta', 'tiny'],
    ['epsilon', 'busy'],
  ] as const)
    await register(id, plan);
});
afterAll(async () => cosmos?.stop());

describe('rate limits', () => {
  it('per user and per tenant, with RateLimit headers; another tenant unaffected; served next minute', async () => {
    now = T0;
    const api = await served();
    const first = await api.list('alpha', 'u1');
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toBe('"tenant";q=5;w=60, "user";q=3;w=60');
    expect(first.headers.get('ratelimit')).toBe('"tenant";r=4;t=30, "user";r=2;t=30');
    expect((await api.list('alpha', 'u1')).status).toBe(200);
    expect((await api.list('alpha', 'u1')).status).toBe(200);
    const user = await api.list('alpha', 'u1');
    expect([user.status, code(user), user.body.policy]).toEqual([429, 'rate-limited', 'user']);
    expect(user.headers.get('retry-after')).toBe('30');
    expect(user.headers.get('ratelimit')).toBe('"tenant";r=2;t=30, "user";r=0;t=30');
    // Another caller of the directory has a window of their own, up to the tenant's.
    expect((await api.list('alpha', 'u2')).status).toBe(200);
    now = T0 + 10_000;
    expect((await api.list('alpha', 'u2')).status).toBe(200);
    const tenant = await api.list('alpha', 'u3');
    expect([tenant.status, code(tenant), tenant.body.policy]).toEqual([
      429,
      'rate-limited',
      'tenant',
    ]);
    expect(tenant.headers.get('retry-after')).toBe('20');
    // Another tenant on the same plan is served.
    const other = await api.list('beta', 'u1');
    expect(other.status).toBe(200);
    expect(other.headers.get('ratelimit')).toBe('"tenant";r=4;t=20, "user";r=2;t=20');
    // After Retry-After: the next UTC minute.
    now = T0 + 30_000;
    const again = await api.list('alpha', 'u1');
    expect(again.status).toBe(200);
    expect(again.headers.get('ratelimit')).toBe('"tenant";r=4;t=60, "user";r=2;t=60');

    // The ledger: every request of alpha counted once, the two 429s as refused.
    await api.meter.flush();
    const items = await hours('alpha');
    expect(items.map((i) => i.id)).toEqual(['hour:2026-03-01T14:i-a']);
    expect([sum(items, 'requests'), sum(items, 'refused')]).toEqual([8, 2]);
    // Each request's RU (the local server charges 1 per call) whether or not a trace is recorded (none is here).
    expect(sum(items, 'ru')).toBeGreaterThanOrEqual(6);
    expect(items[0]).toMatchObject({
      tenant: 'alpha',
      kind: 'hour',
      hour: '2026-03-01T14:00:00.000Z',
    });
    expect(items[0]).not.toHaveProperty('ttl');
    // A flush again writes the same totals (absolute, upserted whole): nothing counted twice.
    await api.meter.flush();
    expect(sum(await hours('alpha'), 'requests')).toBe(8);
  });

  it('two instances sharing the ledger: overshoot at most one interval of the other instance', async () => {
    now = Date.UTC(2026, 2, 1, 15, 0, 0);
    const a = await served('invite', 'free', 'i-1');
    const meterA = a.meter;
    // The second instance's store reads the views one by one: both ways meet in one ledger.
    const b = await served('invite', 'free', 'i-2', false);
    const meterB = b.meter;
    let admitted = 0;
    const perSecond = 3;
    for (let second = 0; second < 8; second++) {
      for (const [api, meter] of [
        [a, meterA],
        [b, meterB],
      ] as const) {
        bindUsageMeter(api.auth.registry!, meter);
        for (let i = 0; i < perSecond; i++) {
          const reply = await api.list('epsilon', `user-${second}-${i}`);
          if (reply.status === 200) admitted++;
          else expect(code(reply)).toBe('rate-limited');
        }
      }
      await Promise.all([meterA.flush(), meterB.flush()]);
      now += 1000;
    }
    // 48 requests sent in one minute to a tenant allowed 10: at least 10 served, at most 10 plus what the other
    // instance admitted in the interval it was unseen (one second: perSecond).
    expect(admitted).toBeGreaterThanOrEqual(10);
    expect(admitted).toBeLessThanOrEqual(10 + perSecond);
    const items = await hours('epsilon');
    expect(items.map((i) => i.instance).sort()).toEqual(['i-1', 'i-2']);
    expect(sum(items, 'requests')).toBe(48);
    expect(sum(items, 'refused')).toBe(48 - admitted);
  });
});

describe('quotas', () => {
  it('requestUnitsPerDay → 429 quota-exceeded until the UTC day ends', async () => {
    now = T0;
    const api = await served();
    const statuses: number[] = [];
    let refused: Reply | undefined;
    for (let i = 0; i < 12 && !refused; i++) {
      // A caller each: the per-user rate (3 a minute) is not what this test meets.
      const reply = await api.list('gamma', `g${i}`);
      statuses.push(reply.status);
      if (reply.status !== 200) refused = reply;
    }
    expect(refused && code(refused)).toBe('quota-exceeded');
    expect(refused?.headers.get('retry-after')).toBe(String(24 * 3600 - (14 * 3600 + 5 * 60 + 30)));
    // Served while the day's RU were under 4, refused once they reached it.
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(await api.meter.dayRu('gamma')).toBeGreaterThanOrEqual(4);
    // Another instance reading the ledger sees the same day's spend once flushed.
    await api.meter.flush();
    const other = new UsageMeter(cosmosUsageStore(usage), {
      instance: 'i-other',
      now: () => now,
      flushIntervalMs: 0,
    });
    expect(await other.dayRu('gamma')).toBe(await api.meter.dayRu('gamma'));
    now = Date.UTC(2026, 2, 2, 0, 0, 1);
    expect((await api.list('gamma', 'g-next-day')).status).toBe(200);
  });

  it('storageMb → 403 storage-quota-exceeded on writes that add bytes; reads and deletes go on', async () => {
    now = T0;
    const api = await served();
    const body = { title: 'x'.repeat(300) };
    const created: string[] = [];
    let refused: Reply | undefined;
    for (let i = 0; i < 10 && !refused; i++) {
      const reply = await api.create('delta', body, `d${i}`);
      if (reply.status === 201) created.push(reply.body.id as string);
      else refused = reply;
    }
    expect(refused && [refused.status, code(refused)]).toEqual([403, 'storage-quota-exceeded']);
    // 0.001 MB = 1048.576 bytes: a create is refused when its bytes would pass it — the items stored stay within
    // it, and one more would not fit.
    const full = await api.meter.storedBytes('delta');
    expect(full).toBeLessThanOrEqual(1048.576);
    expect(full + full / created.length).toBeGreaterThan(1048.576);
    expect((await api.read('delta', created[0]!)).status).toBe(200);
    expect((await api.list('delta', 'd-list')).status).toBe(200);
    expect((await api.remove('delta', created[0]!)).status).toBe(204);
    // The delete freed its bytes: the tenant writes again.
    expect((await api.create('delta', body, 'd-after')).status).toBe(201);
    await api.meter.flush();
    const { resources } = await usage.items
      .query({
        query: "SELECT * FROM c WHERE c.tenant = 'delta' AND c.kind = 'stored'",
      })
      .fetchAll();
    expect(resources).toHaveLength(1);
    expect(resources[0]).toMatchObject({ id: 'stored:i-a', ttl: -1 });
    expect(resources[0].itemBytes).toBe(await api.meter.storedBytes('delta'));
    expect(resources[0].itemBytes).toBeLessThanOrEqual(1048.576);
  });
});

describe('a record naming a plan the config no longer declares', () => {
  it("gets defaultPlan's limits, never none", async () => {
    now = Date.UTC(2026, 2, 4, 10, 0, 0);
    // defaultPlan free: 5 requests a minute. The record names "legacy", which the config does not declare.
    const api = await served('invite', 'free', 'i-undeclared');
    await register('renamed', 'legacy');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await api.list('renamed', `r-${i}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe('GET api/tenant usage', () => {
  it('today and this month from the ledger, stored bytes and live connections', async () => {
    now = Date.UTC(2026, 2, 3, 9, 0, 0);
    const api = await served('invite', 'free', 'i-usage');
    await register('zeta', 'open');
    await usage.items.upsert({
      id: 'connection:c1',
      tenant: 'zeta',
      kind: 'connection',
      user: 'u1',
      connectedAt: '2026-03-03T08:59:00.000Z',
      ttl: 86400,
    });
    // An earlier day of the month, written by another instance.
    await usage.items.upsert({
      id: 'hour:2026-03-01T10:i-old',
      tenant: 'zeta',
      kind: 'hour',
      hour: '2026-03-01T10:00:00.000Z',
      instance: 'i-old',
      requests: 7,
      refused: 1,
      ru: 12.5,
      messages: 4,
      itemBytes: 0,
      fileBytes: 0,
    });
    await api.create('zeta', { title: 'hello' });
    await api.list('zeta');
    const me = await api.me('zeta');
    expect(me.status).toBe(200);
    expect(me.body.usage.today.requests).toBe(2);
    expect(me.body.usage.month.requests).toBe(9);
    expect(me.body.usage.month.messages).toBe(4);
    expect(me.body.usage.month.ru).toBeCloseTo(12.5 + me.body.usage.today.ru, 2);
    expect(me.body.usage.storedBytes).toBeGreaterThan(0);
    expect(me.body.usage.realtimeConnections).toBe(1);
  });
});

describe('property: random traffic of several tenants and users', () => {
  it("no tenant is refused because of another's traffic; the ledger counts every request once", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            tenant: fc.integer({ min: 0, max: 2 }),
            user: fc.integer({ min: 0, max: 2 }),
          }),
          {
            minLength: 1,
            maxLength: 24,
          },
        ),
        async (traffic) => {
          run++;
          // A fresh minute and fresh directories per run (signUp open registers them on the free plan).
          now = Date.UTC(2026, 3, 1, 0, run, 0);
          const api = await served('open', 'free', `prop-${run}`);
          const tenantName = (t: number) => `p${run}-t${t}`;
          const tenantCount = new Map<number, number>();
          const userCount = new Map<string, number>();
          for (const { tenant, user } of traffic) {
            const reply = await api.list(tenantName(tenant), `u${user}`);
            // The model of this tenant alone: 5 a minute, 3 per user.
            const t = tenantCount.get(tenant) ?? 0;
            const u = userCount.get(`${tenant}/${user}`) ?? 0;
            const admit = t < 5 && u < 3;
            expect(reply.status).toBe(admit ? 200 : 429);
            if (admit) {
              tenantCount.set(tenant, t + 1);
              userCount.set(`${tenant}/${user}`, u + 1);
            }
          }
          await api.meter.flush();
          for (const t of [0, 1, 2]) {
            const sent = traffic.filter((r) => r.tenant === t).length;
            const items = await hours(tenantName(t));
            expect(sum(items, 'requests')).toBe(sent);
            expect(sum(items, 'refused')).toBe(sent - (tenantCount.get(t) ?? 0));
          }
        },
      ),
      { numRuns: 8 },
    );
  });
});
