/**
 * The organization erase timer and the usage ledger, against the local Cosmos DB server: an erased organization's
 * stored bytes leave with its data — whatever an instance gone for good (its `stored` line) or this live one (its
 * running total, held in memory) counted for it before — its id is a tombstone no one may take again, and its hour
 * lines stay for billing and `atakora usage`.
 */
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, TimerFunctionOptions } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { cosmosAuditStore } from '../../src/runtime/audit/audit-store.js';
import type { RuntimeEventEntry } from '../../src/runtime/http/event-log.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import { boundUsageMeter } from '../../src/runtime/usage/usage-binding.js';
import type { UsageMeter } from '../../src/runtime/usage/usage-meter.js';
import { noteEntity } from './support/entities.js';
import { code, member, organizationCalls, record, who } from './support/organization-calls.js';
import { membershipAuth } from './support/registry-auth.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

// A plan of 4,000 bytes: what the gone instance counted (5,000) is over it.
const QUOTA = 4000;
const policy = membershipAuth(
  'home-dir',
  { plans: { free: { storageMb: QUOTA / 1024 / 1024 } }, defaultPlan: 'free' },
  { createTenants: 'any-user', audit: 'audit' },
);
let cosmos: LocalCosmos;
let members: Container;
let tenants: Container;
let usage: Container;
let notes: Container;
let meter: UsageMeter;
const fns = new Map<string, HttpFunctionOptions>();
const timers = new Map<string, TimerFunctionOptions>();
const lines: RuntimeEventEntry[] = [];
const { call } = organizationCalls(fns);
const HOUR = '2026-01-05T10';

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  members = await cosmos.container('members', '/tenant');
  tenants = await cosmos.container('tenants', '/id');
  usage = await cosmos.container('usage', '/tenant');
  notes = await cosmos.container(noteEntity.componentId, '/tenantId');
  const audit = await cosmos.container('audit', '/tenant');
  const manifest: RuntimeManifest = {
    version: 1,
    backendId: 'orgs',
    entities: [noteEntity],
    auth: policy,
  };
  registerCrudRoutes(
    { http: (name, o) => fns.set(name, o), timer: (name, o) => timers.set(name, o) },
    manifest,
    {
      containerFor: () => notes,
      caller: policy,
      audit: { store: cosmosAuditStore(audit) },
      eventLogger: (entry) => lines.push(entry),
      // Flushed and read by the test: what the limits see is the ledger as it is.
      usageLedger: { flushIntervalMs: 0, readIntervalMs: 0 },
      tenantRegistry: { maxAgeMs: 0 },
    },
  );
  const bound = policy.registry && boundUsageMeter(policy.registry);
  if (!bound) throw new Error('no usage meter');
  meter = bound;
});
afterAll(async () => cosmos?.stop());

const all = async (c: Container) =>
  (await c.items.query<Record<string, unknown>>('SELECT * FROM c').fetchAll()).resources;
const write = (title: string) =>
  call('NoteApi-collection', 'POST', 'notes', who('ada'), 'acme', { body: { title } });
const erase = async () => {
  const timer = timers.get('membership-organization-erase');
  await (timer?.handler as (t: unknown, c: unknown) => Promise<void>)({}, {});
  return lines.at(-1);
};

describe('the organization erase and the usage ledger', () => {
  it('an erased organization counts 0 stored bytes, its id is never given again; the hour lines stay', async () => {
    await tenants.items.create(record('acme'));
    await members.items.create(member('acme', 'ada', ['Owner']));
    // This live instance counts a note, held in its running total (and its own `stored` line)…
    expect((await write('x'.repeat(300))).status).toBe(201);
    await meter.flush();
    const mine = await meter.storedBytes('acme');
    expect(mine).toBeGreaterThan(300);
    // …and an instance gone for good counted 5,000 bytes and an hour's requests: over the plan's 4,000.
    await usage.items.create({
      id: 'stored:i-gone',
      tenant: 'acme',
      kind: 'stored',
      instance: 'i-gone',
      itemBytes: 4200,
      fileBytes: 800,
      ttl: -1,
    });
    const hour = {
      id: `hour:${HOUR}:i-gone`,
      tenant: 'acme',
      kind: 'hour',
      hour: `${HOUR}:00:00.000Z`,
      instance: 'i-gone',
      requests: 12,
      refused: 0,
      ru: 30,
      messages: 0,
      itemBytes: 4200,
      fileBytes: 800,
    };
    await usage.items.create(hour);
    const full = await write('y');
    expect([full.status, code(full)]).toEqual([403, 'storage-quota-exceeded']);
    const deleted = await call('tenant-self', 'DELETE', 'tenant', who('ada'), 'acme');
    expect(deleted.status).toBe(202);
    // Due now: the Owner's deleteOn moved to the past.
    const [held] = (await all(tenants)).filter((r) => r['id'] === 'acme');
    await tenants.item('acme', 'acme').replace({ ...held, deleteOn: '2026-01-01T00:00:00.000Z' });
    await meter.flush();
    expect(await erase()).toMatchObject({
      outcome: 'done',
      erased: [{ tenant: 'acme', items: { NoteApi: 1 }, storedBytes: 5000 + mine }],
    });
    // The instances' lines stay as they are; the erase's own line takes their sum off, and the bytes freed are
    // the erase hour's signed count (as a delete's are).
    const lines = (await all(usage)).filter((i) => i['tenant'] === 'acme');
    const sum = (kind: string) =>
      lines
        .filter((i) => i['kind'] === kind && i['instance'] === 'atakora-erase')
        .reduce((n, i) => n + Number(i['itemBytes']) + Number(i['fileBytes']), 0);
    expect([sum('stored'), sum('hour')]).toEqual([-(5000 + mine), -(5000 + mine)]);

    // Nothing is counted for it any more, and its id is never given again: a tombstone keeps it (409 to anyone), so
    // no later holder inherits its hour lines.
    expect(await meter.storedBytes('acme')).toBe(0);
    const again = await call('tenants-admin', 'POST', 'tenants', who('bob'), undefined, {
      body: { name: 'Acme again', id: 'acme' },
    });
    expect([again.status, code(again)]).toEqual([409, 'conflict']);
    expect((await all(tenants)).find((r) => r['id'] === 'acme')).toMatchObject({
      status: 'erased',
    });
    // The hour lines stay (billing's and `atakora usage`'s record of what was used).
    expect((await all(usage)).find((i) => i['id'] === hour.id)).toMatchObject({
      requests: 12,
      ru: 30,
    });
    // A second run has nothing to erase and leaves the count alone.
    expect(await erase()).toMatchObject({ outcome: 'done', erased: [] });
    expect(await meter.storedBytes('acme')).toBe(0);
  });
});
