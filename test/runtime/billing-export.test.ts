/**
 * The billing export (runtime/billing) against the local Cosmos DB server (the ledger and the registry as the
 * runtime keeps them) and a loopback Stripe stand-in answering as Stripe's API reference documents, reached through
 * the official `stripe` SDK: one event per tenant, hour and meter with the ledger's value, the contract's identifier
 * and the hour's start; nothing twice (a second run, a run killed between Stripe's answer and the record, an outage,
 * 429s); open hours and tenants without a customer not sent; the key never in a log line.
 */
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stripeSender } from '../../src/runtime/billing/atakora-billing.js';
import {
  type BillingRecord,
  type BillingStore,
  cosmosBillingStore,
} from '../../src/runtime/billing/billing-store.js';
import { exportUsage } from '../../src/runtime/billing/export-usage.js';
import type { RuntimeBilling } from '../../src/model/runtime-manifest.js';
import { hourItem, storedItem, zeroHour } from '../../src/runtime/usage/usage-items.js';
import { startStripeStandIn } from '../../src/testing/stripe-standin.js';
import type { TimerFunctionOptions, TimerHandler } from '@azure/functions';
import type { RuntimeEventEntry } from '../../src/runtime/http/event-log.js';
import { registerApp, registerCrudRoutes } from '../../src/runtime/register-routes.js';
import { noteEntity } from './support/entities.js';
import { registryAuth } from './support/registry-auth.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const KEY = 'sk_test_51HbillingStandInKey0000';
const HOUR = 3_600_000;
const billing: RuntimeBilling = {
  secret: 'STRIPE_KEY',
  meters: { requests: 'api_requests', requestUnits: 'request_units' },
};
const now = Date.now();
const hourKey = (hoursAgo: number) =>
  new Date(Math.floor(now / HOUR) * HOUR - hoursAgo * HOUR).toISOString().slice(0, 13);

let cosmos: LocalCosmos;
let registry: Container;
let usage: Container;
let stripe: Awaited<ReturnType<typeof startStripeStandIn>>;

async function clear(c: Container, key: 'id' | 'tenant') {
  const { resources } = await c.items
    .query<Record<string, string>>('SELECT c.id, c.tenant FROM c')
    .fetchAll();
  for (const r of resources) await c.item(r['id'] ?? '', r[key]).delete();
}

async function hour(tenant: string, hoursAgo: number, instance: string, counts: object) {
  await usage.items.upsert(
    hourItem(tenant, hourKey(hoursAgo), instance, { ...zeroHour(), ...counts }),
  );
}

const lines: Record<string, unknown>[] = [];
const run = (store: BillingStore = cosmosBillingStore(registry, usage), key = KEY) =>
  exportUsage({
    backendId: 'saas',
    environment: 'prod',
    billing,
    store,
    sender: stripeSender({ key, apiBase: stripe.base }),
    now: () => now,
    pacing: { sleep: () => Promise.resolve(), backoffMs: 1 },
    log: (line) => lines.push(line),
  });

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  registry = await cosmos.container('tenants', '/id', 'atakora');
  usage = await cosmos.container('usage', '/tenant', 'atakora');
});
beforeEach(async () => {
  await stripe?.close();
  stripe = await startStripeStandIn({ key: KEY, meters: ['api_requests', 'request_units'] });
  await clear(registry, 'id');
  await clear(usage, 'tenant');
  lines.length = 0;
  const record = (id: string, status: string, customer?: string) =>
    registry.items.upsert({
      id,
      plan: 'free',
      status,
      ...(customer ? { billing: { stripeCustomerId: customer } } : {}),
      createdOn: '2026-01-01T00:00:00.000Z',
      updatedOn: '2026-01-01T00:00:00.000Z',
    });
  await record('contoso', 'active', 'cus_Contoso1');
  await record('fabrikam', 'suspended', 'cus_Fabrikam2');
  await record('litware', 'active');
  // Two instances' items of one hour add up; the open hour (0) and this one's last 10 minutes are not sent.
  await hour('contoso', 3, 'i-1', { requests: 12, ru: 31.5 });
  await hour('contoso', 3, 'i-2', { requests: 5, ru: 0.7 });
  await hour('contoso', 2, 'i-1', { requests: 7, ru: 10 });
  await hour('contoso', 0, 'i-1', { requests: 99, ru: 99 });
  await hour('fabrikam', 2, 'i-1', { requests: 4, ru: 1.2 });
  await hour('litware', 2, 'i-1', { requests: 40, ru: 4 });
});
afterAll(async () => {
  await stripe?.close();
  await cosmos?.stop();
});

const sent = () =>
  stripe.events
    .map(
      (e) =>
        `${e.identifier}=${e.payload.stripe_customer_id}:${e.payload.value}@${String(e.timestamp)}`,
    )
    .sort();

describe('billing export: the ledger to Stripe meter events, exactly once', () => {
  it('sends one event per tenant with a customer, closed hour and meter, with the ledger value, identifier, timestamp', async () => {
    const report = await run();
    const at = (h: number) => String(Date.parse(`${hourKey(h)}:00:00.000Z`) / 1000);
    // requestUnits carried within the month: 32.2 RU → 32 in hour 3, then 10 more → 42.2 → 10 more in hour 2.
    expect(sent()).toEqual(
      [
        `saas:prod:contoso:${hourKey(3)}:requests=cus_Contoso1:17@${at(3)}`,
        `saas:prod:contoso:${hourKey(3)}:requestUnits=cus_Contoso1:32@${at(3)}`,
        `saas:prod:contoso:${hourKey(2)}:requests=cus_Contoso1:7@${at(2)}`,
        `saas:prod:contoso:${hourKey(2)}:requestUnits=cus_Contoso1:10@${at(2)}`,
        `saas:prod:fabrikam:${hourKey(2)}:requests=cus_Fabrikam2:4@${at(2)}`,
        `saas:prod:fabrikam:${hourKey(2)}:requestUnits=cus_Fabrikam2:1@${at(2)}`,
      ].sort(),
    );
    expect(
      stripe.events.every((e) => ['api_requests', 'request_units'].includes(e.event_name)),
    ).toBe(true);
    expect(report).toMatchObject({ sent: 6, pending: 0, refused: 0, duplicates: 0, tenants: 2 });
    const records = await usage.items
      .query<BillingRecord>("SELECT * FROM c WHERE c.kind = 'billing'")
      .fetchAll();
    expect(records.resources.map((r) => r.state)).toEqual(Array(6).fill('sent'));
  });

  it('an id given again: the hours before its record was created are never sent to the new customer', async () => {
    // contoso was erased (its ledger lines kept) and a new organization took the id an hour and a half ago.
    await registry.items.upsert({
      id: 'contoso',
      plan: 'free',
      status: 'active',
      billing: { stripeCustomerId: 'cus_NewHolder9' },
      createdOn: new Date(Math.floor(now / HOUR) * HOUR - 1.5 * HOUR).toISOString(),
      updatedOn: new Date(now).toISOString(),
    });
    await run();
    const contoso = sent().filter((e) => e.startsWith('saas:prod:contoso:'));
    // Hour 3 was the previous holder's; hour 2, the one the record was created in, is the new customer's.
    expect(contoso.some((e) => e.includes(`:${hourKey(3)}:`))).toBe(false);
    expect(contoso).toContain(
      `saas:prod:contoso:${hourKey(2)}:requests=cus_NewHolder9:7@${String(Date.parse(`${hourKey(2)}:00:00.000Z`) / 1000)}`,
    );
  });

  it('a second run sends nothing new', async () => {
    await run();
    const again = await run();
    expect(stripe.creates).toHaveLength(6);
    expect(again).toMatchObject({ sent: 0, alreadySent: 6, pending: 0 });
  });

  it('identifiers carry the environment: staging and production on one Stripe account both bill the same hour', async () => {
    await run();
    const staging = await exportUsage({
      backendId: 'saas',
      environment: 'staging',
      billing,
      store: cosmosBillingStore(registry, usage),
      sender: stripeSender({ key: KEY, apiBase: stripe.base }),
      now: () => now,
    });
    // The same ledger, already recorded as sent: nothing again. A second environment's own ledger is its own; here
    // the records are cleared to stand for it, and Stripe takes its events beside production's.
    expect(staging).toMatchObject({ sent: 0, alreadySent: 6 });
    const records = await usage.items
      .query<BillingRecord>("SELECT * FROM c WHERE c.kind = 'billing'")
      .fetchAll();
    for (const r of records.resources) await usage.item(r.id, r.tenant).delete();
    const other = await exportUsage({
      backendId: 'saas',
      environment: 'staging',
      billing,
      store: cosmosBillingStore(registry, usage),
      sender: stripeSender({ key: KEY, apiBase: stripe.base }),
      now: () => now,
    });
    expect(other).toMatchObject({ sent: 6, duplicates: 0 });
    expect(stripe.events.filter((e) => e.identifier.startsWith('saas:staging:'))).toHaveLength(6);
    expect(stripe.events).toHaveLength(12);
  });

  it('hours sent under the old identifier (no environment) are never sent again; one left sending resends as written', async () => {
    const old = (h: number, meter: 'requests' | 'requestUnits') =>
      `saas:contoso:${hourKey(h)}:${meter}`;
    // Stripe holds what the old form sent: hour 3 of contoso (both meters, recorded sent) and hour 2's requests
    // (taken by Stripe, the run killed before its record said so).
    const record = (h: number, meter: 'requests' | 'requestUnits', value: number, state: string) =>
      usage.items.create({
        id: `billing:${hourKey(h)}:${meter}`,
        tenant: 'contoso',
        kind: 'billing',
        hour: `${hourKey(h)}:00:00.000Z`,
        meter,
        eventName: meter === 'requests' ? 'api_requests' : 'request_units',
        identifier: old(h, meter),
        customer: 'cus_Contoso1',
        value,
        timestamp: Date.parse(`${hourKey(h)}:00:00.000Z`) / 1000,
        state,
        attempts: 1,
        createdOn: new Date(now - HOUR).toISOString(),
      });
    const sender = stripeSender({ key: KEY, apiBase: stripe.base });
    const send = (h: number, meter: 'requests' | 'requestUnits', value: number) =>
      sender.send({
        eventName: meter === 'requests' ? 'api_requests' : 'request_units',
        identifier: old(h, meter),
        customer: 'cus_Contoso1',
        value,
        timestamp: Date.parse(`${hourKey(h)}:00:00.000Z`) / 1000,
      });
    for (const [h, meter, value, state] of [
      [3, 'requests', 17, 'sent'],
      [3, 'requestUnits', 32, 'sent'],
      [2, 'requests', 7, 'sending'],
    ] as const) {
      await send(h, meter, value);
      await record(h, meter, value, state);
    }
    const report = await run();
    expect(report).toMatchObject({ sent: 3, duplicates: 1, alreadySent: 2, pending: 0 });
    const taken = stripe.events
      .map((e) => `${e.identifier}=${e.payload.stripe_customer_id}:${e.payload.value}`)
      .sort();
    expect(taken).toEqual(
      [
        `${old(3, 'requests')}=cus_Contoso1:17`,
        `${old(3, 'requestUnits')}=cus_Contoso1:32`,
        `${old(2, 'requests')}=cus_Contoso1:7`,
        `saas:prod:contoso:${hourKey(2)}:requestUnits=cus_Contoso1:10`,
        `saas:prod:fabrikam:${hourKey(2)}:requests=cus_Fabrikam2:4`,
        `saas:prod:fabrikam:${hourKey(2)}:requestUnits=cus_Fabrikam2:1`,
      ].sort(),
    );
    expect((await run()).sent).toBe(0);
  });

  it('a run killed between Stripe taking an event and its record: the rerun resends it, Stripe holds it once', async () => {
    const store = cosmosBillingStore(registry, usage);
    let writes = 0;
    let dead = false;
    const alive = () => {
      if (dead) throw new Error('killed');
    };
    // The process dies on its third "sent" write: that event reached Stripe, its record says sending; nothing of
    // that process runs after it.
    const dying: BillingStore = {
      customers: () =>
        Promise.resolve()
          .then(alive)
          .then(() => store.customers()),
      ledger: (t, h) =>
        Promise.resolve()
          .then(alive)
          .then(() => store.ledger(t, h)),
      create: (r) =>
        Promise.resolve()
          .then(alive)
          .then(() => store.create(r)),
      async replace(record) {
        alive();
        if (++writes === 3) {
          dead = true;
          alive();
        }
        await store.replace(record);
      },
    };
    await expect(run(dying)).rejects.toThrow('killed');
    const taken = stripe.events.length;
    expect(taken).toBeGreaterThanOrEqual(3);
    const rerun = await run();
    expect(rerun.duplicates).toBeGreaterThanOrEqual(1);
    expect(stripe.events).toHaveLength(6);
    expect(new Set(stripe.events.map((e) => e.identifier)).size).toBe(6);
    expect((await run()).sent).toBe(0);
  });

  it('an outage (503) stops the run with the rest pending; a later run sends them, nothing twice', async () => {
    stripe.faults.status = 503;
    stripe.faults.count = 1000;
    const down = await run();
    expect(down.stopped).toMatch(/Stripe unavailable/);
    expect(down.sent).toBe(0);
    expect(down.pending).toBeGreaterThan(0);
    expect(stripe.events).toHaveLength(0);
    stripe.faults.count = 0;
    const up = await run();
    expect(up).toMatchObject({ sent: 6, pending: 0 });
    expect(stripe.events).toHaveLength(6);
    expect(lines.some((l) => l['event'] === 'billing-export-stopped')).toBe(true);
  });

  it('429s are backed off and retried within the run', async () => {
    stripe.faults.status = 429;
    stripe.faults.count = 3;
    const report = await run();
    expect(report).toMatchObject({ sent: 6, pending: 0 });
    expect(stripe.creates.filter((c) => c.status === 429)).toHaveLength(3);
  });

  it('a refused key stops the run, and no log line holds it', async () => {
    const wrong = 'sk_test_51HwrongKeyForTheStandIn99';
    const report = await run(cosmosBillingStore(registry, usage), wrong);
    expect(report.stopped).toMatch(/refused the key/);
    expect(stripe.events).toHaveLength(0);
    const text = JSON.stringify({ report, lines });
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(KEY);
  });

  it('the runtime registers the timer 10 minutes past each hour; a run with the key from the app settings exports', async () => {
    const timers = new Map<string, TimerFunctionOptions>();
    const auth = registryAuth('home', { plans: { free: {} }, billing });
    const logged: RuntimeEventEntry[] = [];
    const register = (env: Record<string, string>) =>
      registerCrudRoutes(
        { http: () => undefined, timer: (name, o) => timers.set(name, o) },
        { version: 1, backendId: 'saas', environment: 'prod', entities: [noteEntity], auth },
        {
          containerFor: () => usage,
          caller: auth,
          billing: { env, pacing: { sleep: () => Promise.resolve() } },
          eventLogger: (entry) => logged.push(entry),
        },
      );
    register({});
    expect(timers.get('atakora-billing')).toMatchObject({
      schedule: '0 10 * * * *',
      runOnStartup: false,
    });
    const fire = () =>
      (timers.get('atakora-billing')?.handler as TimerHandler)({} as never, {} as never);
    await fire();
    expect(logged.map((l) => l.outcome)).toContain('key_missing');
    expect(stripe.events).toHaveLength(0);
    register({ STRIPE_KEY: KEY, STRIPE_API_BASE: stripe.base });
    await fire();
    expect(stripe.events.length).toBeGreaterThanOrEqual(4);
    // The manifest's environment is in every identifier.
    expect(stripe.events.every((e) => e.identifier.startsWith('saas:prod:'))).toBe(true);
    expect(logged.map((l) => l.outcome)).toContain('done');
    expect(logged.every((l) => l.component === 'runtime' && l.operation === 'billing-export')).toBe(
      true,
    );
    expect(JSON.stringify(logged)).not.toContain(KEY);
    // Without billing in the registry, no timer.
    timers.clear();
    const plain = registryAuth('home', { plans: { free: {} } });
    registerCrudRoutes(
      { http: () => undefined, timer: (name, o) => timers.set(name, o) },
      { version: 1, backendId: 'saas', entities: [noteEntity], auth: plain },
      { containerFor: () => usage, caller: plain },
    );
    expect(timers.size).toBe(0);
  });

  it('an app with billing and no CrudApi exports through the registry database it is handed, and is refused without one', async () => {
    const timers = new Map<string, TimerFunctionOptions>();
    const auth = registryAuth('home', { plans: { free: {} }, billing });
    const logged: RuntimeEventEntry[] = [];
    const routes: string[] = [];
    const app = {
      http: (name: string) => void routes.push(name),
      timer: (name: string, o: TimerFunctionOptions) => timers.set(name, o),
    };
    const manifest = { version: 1 as const, backendId: 'saas', entities: [], auth };
    const noEntity = () => {
      throw new Error('no CrudApi: no container');
    };
    expect(() => registerApp(app, manifest, { containerFor: noEntity, caller: auth })).toThrow(
      expect.objectContaining({ code: 'RUNTIME_CONFIG_INVALID' }),
    );
    expect([routes, [...timers.keys()]]).toEqual([[], []]);
    registerApp(app, manifest, {
      containerFor: noEntity,
      caller: auth,
      registryDatabase: usage.database,
      billing: {
        env: { STRIPE_KEY: KEY, STRIPE_API_BASE: stripe.base },
        pacing: { sleep: () => Promise.resolve() },
      },
      eventLogger: (entry) => logged.push(entry),
    });
    await (timers.get('atakora-billing')?.handler as TimerHandler)({} as never, {} as never);
    expect(stripe.events.length).toBeGreaterThanOrEqual(4);
    // A manifest that names no environment (written before it was recorded) counts as dev, the config's default.
    expect(stripe.events.every((e) => e.identifier.startsWith('saas:dev:'))).toBe(true);
    expect(logged.map((l) => l.outcome)).toContain('done');
  });
});
