/**
 * A plan's items per organization (`plans.<n>.items`, docs/packaging.md "Items") against the real runtime on the
 * local Cosmos DB server: 20 parallel creates on a plan of 3 leave exactly 3 items and 17 402 `item-limit` naming the
 * CrudApi, the bound and the plans with room; a delete gives its room back; a downgrade deletes nothing — the items
 * past the new bound stay readable and deletable, new ones are refused until the count is under it again; another
 * organization's count is its own; `GET api/tenant` shows the limits, the counts and what is over. The count is the usage container's `room|items|NoteApi` item, read back.
 */
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalHeader } from './support/built-app.js';
import { noteEntity } from './support/entities.js';
import { invoke } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { registerNotesApp } from './support/notes-app.js';
import { membershipAuth } from './support/registry-auth.js';

const at = '2026-01-01T00:00:00.000Z';
let clock = Date.UTC(2026, 2, 1, 14, 5, 30);
const policy = membershipAuth('home-dir', {
  plans: {
    free: { items: { NoteApi: 3 } },
    team: { items: { NoteApi: 25 } },
    pro: {},
  },
  defaultPlan: 'free',
});

let cosmos: LocalCosmos;
let tenants: Container;
let usage: Container;
let collection: HttpHandler;
let item: HttpHandler;
let self: HttpHandler;

const as = (org: string, user = 'ada') => ({
  ...principalHeader([
    ['tid', 'ada-directory'],
    ['oid', user],
  ]),
  'x-atakora-tenant': org,
});
const create = (org: string, title: string) =>
  invoke(collection, 'POST', noteEntity.route, { headers: as(org), body: { title } });
const remove = (org: string, id: string) =>
  invoke(item, 'DELETE', `${noteEntity.route}/${id}`, {
    headers: as(org),
    params: { id },
  });

async function setPlan(org: string, plan: string): Promise<void> {
  await tenants.items.upsert({ id: org, plan, status: 'active', createdOn: at, updatedOn: at });
  clock += 60_000; // past the registry cache's 30 s
}

async function stored(org: string): Promise<number> {
  const { resources } = await usage.items
    .query<number>({
      query: "SELECT VALUE c.count FROM c WHERE c.tenant = @t AND c.id = 'room|items|NoteApi'",
      parameters: [{ name: '@t', value: org }],
    })
    .fetchAll();
  return resources[0] ?? -1;
}

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  tenants = await cosmos.container('tenants', '/id');
  const members = await cosmos.container('members', '/tenant');
  usage = await cosmos.container('usage', '/tenant');
  for (const org of ['acme', 'globex']) {
    await setPlan(org, 'free');
    await members.items.upsert({
      id: `${org}|ada`,
      tenant: org,
      userId: 'ada',
      roles: ['Owner'],
      addedOn: at,
    });
  }
  const notes = await cosmos.container(noteEntity.componentId, '/tenantId');
  const fns = new Map<string, HttpFunctionOptions>();
  registerNotesApp(fns, policy, notes, {
    tenantRegistry: { now: () => clock },
    usageLedger: { instance: 'i-a', now: () => clock, flushIntervalMs: 0 },
  });
  collection = fns.get(`${noteEntity.componentId}-collection`)?.handler as HttpHandler;
  item = fns.get(`${noteEntity.componentId}-item`)?.handler as HttpHandler;
  self = fns.get('tenant-self')?.handler as HttpHandler;
});
afterAll(async () => cosmos?.stop());

describe("a plan's items", () => {
  it('20 parallel creates on a plan of 3: exactly 3 stored, 17 refused 402 item-limit', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => create('acme', `n${String(i)}`)),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 402)).toHaveLength(17);
    const refused = answers.find((a) => a.status === 402);
    expect(refused?.body).toMatchObject({
      type: 'urn:atakora:problem:item-limit',
      status: 402,
      crudApi: 'NoteApi',
      limit: 3,
      plans: ['team', 'pro'],
    });
    expect(await stored('acme')).toBe(3);
    const list = await invoke(collection, 'GET', noteEntity.route, { headers: as('acme') });
    expect((list.body.items as unknown[]).length).toBe(3);
    // Another organization's count is its own.
    expect((await create('globex', 'g')).status).toBe(201);
    expect(await stored('globex')).toBe(1);
  });

  it('a delete gives its room back', async () => {
    const list = await invoke(collection, 'GET', noteEntity.route, { headers: as('acme') });
    const first = (list.body.items as { id: string }[])[0]?.id ?? '';
    expect((await remove('acme', first)).status).toBe(204);
    expect(await stored('acme')).toBe(2);
    expect((await create('acme', 'again')).status).toBe(201);
    expect((await create('acme', 'over')).status).toBe(402);
  });

  it('a downgrade deletes nothing: past the bound items stay, new ones are refused until under it', async () => {
    await setPlan('acme', 'team');
    for (const t of ['a', 'b', 'c']) expect((await create('acme', t)).status).toBe(201);
    await setPlan('acme', 'free');
    const list = await invoke(collection, 'GET', noteEntity.route, { headers: as('acme') });
    const ids = (list.body.items as { id: string }[]).map((i) => i.id);
    expect(ids).toHaveLength(6);
    expect((await create('acme', 'refused')).status).toBe(402);
    // GET api/tenant says what is over the plan now, and the count against it.
    const shown = await invoke(self, 'GET', 'tenant', { headers: as('acme') });
    expect(shown.body).toMatchObject({
      plan: 'free',
      limits: { items: { NoteApi: 3 } },
      counts: { items: { NoteApi: 6 } },
      over: ['items.NoteApi'],
    });
    // Deleting down to 3 leaves no room yet; below it, one create again.
    for (const id of ids.slice(0, 3)) expect((await remove('acme', id)).status).toBe(204);
    expect((await create('acme', 'still refused')).status).toBe(402);
    expect((await remove('acme', ids[3] ?? '')).status).toBe(204);
    expect((await create('acme', 'room')).status).toBe(201);
    expect(await stored('acme')).toBe(3);
  });
});
