/**
 * The daily erase of organizations their Owners deleted (DESIGN §2, `tenants.deleteAfterDays`), through the timer
 * the app registers, against the local Cosmos DB server: one past its `deleteOn` loses its items, members and
 * registry record (audited `tenant.erased`); one before its `deleteOn`, one undeleted and one the operator
 * suspended keep everything; a second run, or one after a run cut short, finishes the job.
 */
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, TimerFunctionOptions } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/contract/audit.js';
import type { RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { cosmosAuditStore } from '../../src/runtime/audit/audit-store.js';
import type { RuntimeEventEntry } from '../../src/runtime/http/event-log.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import { catalogEntity, noteEntity } from './support/entities.js';
import { member, organizationCalls, policy, record, who } from './support/organization-calls.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

let cosmos: LocalCosmos;
let members: Container;
let tenants: Container;
let audit: Container;
let notes: Container;
let catalog: Container;
const fns = new Map<string, HttpFunctionOptions>();
const timers = new Map<string, TimerFunctionOptions>();
const lines: RuntimeEventEntry[] = [];
const { call } = organizationCalls(fns);
const DAY = 86_400_000;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  members = await cosmos.container('members', '/tenant');
  tenants = await cosmos.container('tenants', '/id');
  audit = await cosmos.container('audit', '/tenant');
  await cosmos.container('usage', '/tenant');
  notes = await cosmos.container(noteEntity.componentId, '/tenantId');
  catalog = await cosmos.container(catalogEntity.componentId, '/id');
  const manifest: RuntimeManifest = {
    version: 1,
    backendId: 'orgs',
    entities: [noteEntity, catalogEntity],
    auth: policy,
  };
  registerCrudRoutes(
    { http: (name, o) => fns.set(name, o), timer: (name, o) => timers.set(name, o) },
    manifest,
    {
      containerFor: (e) => (e === catalogEntity ? catalog : notes),
      caller: policy,
      audit: { store: cosmosAuditStore(audit) },
      eventLogger: (entry) => lines.push(entry),
    },
  );
});
afterAll(async () => cosmos?.stop());

const all = async (c: Container) =>
  (await c.items.query<Record<string, string>>('SELECT * FROM c').fetchAll()).resources;

beforeEach(async () => {
  lines.length = 0;
  for (const c of [members, tenants, audit, notes, catalog])
    for (const r of await all(c))
      await c
        .item(
          r['id'] ?? '',
          c === tenants || c === catalog ? r['id'] : (r['tenant'] ?? r['tenantId']),
        )
        .delete();
  const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();
  await tenants.items.create({ ...record('acme'), status: 'suspended', deleteOn: at(-1) });
  await tenants.items.create({ ...record('globex'), status: 'suspended', deleteOn: at(1) });
  await tenants.items.create({ ...record('hooli'), status: 'suspended' });
  await tenants.items.create(record('initech'));
  for (const t of ['acme', 'globex', 'hooli', 'initech']) {
    await members.items.create(member(t, 'ada', ['Owner']));
    await members.items.create(member(t, 'bob', ['Member']));
    for (const n of [1, 2, 3])
      await notes.items.create({
        id: `${t}-${String(n)}`,
        tenantId: t,
        title: 'n',
        ownerId: 'ada',
      });
    // A shared CrudApi's item one of its users created (the runtime stamps the creator's organization).
    await catalog.items.create({ id: `${t}-c`, name: 'c', _atakoraTid: t });
  }
  // The global claims of a verified domain and a linked directory (runtime/members/domains/domain-claim-store.ts).
  for (const [t, kind, key] of [
    ['acme', 'domain', 'acme.com'],
    ['acme', 'directory', 'tid-acme'],
    ['globex', 'domain', 'globex.com'],
  ] as const)
    await members.items.create({
      id: `${kind}|${key}`,
      tenant: '~domains',
      kind: `${kind}-claim`,
      [kind]: key,
      owner: t,
    });
  // Another organization's shared item, and one no organization stamped: never an erase's.
  await catalog.items.create({ id: 'unstamped', name: 'c' });
});

const run = async () => {
  const timer = timers.get('membership-organization-erase');
  expect(timer?.schedule).toBe('0 41 3 * * *');
  await (timer?.handler as (t: unknown, c: unknown) => Promise<void>)({}, {});
  return lines.at(-1);
};
const left = async (tenant: string) => ({
  // An erased organization's record is a tombstone: its id, `erased` and when — nothing else.
  record: (await all(tenants)).some((r) => r['id'] === tenant && r['status'] !== 'erased'),
  tombstone: (await all(tenants))
    .filter((r) => r['id'] === tenant && r['status'] === 'erased')
    .map((r) =>
      Object.keys(r)
        .filter((k) => !k.startsWith('_'))
        .sort(),
    ),
  members: (await all(members)).filter((m) => m['tenant'] === tenant).length,
  notes: (await all(notes)).filter((n) => n['tenantId'] === tenant).length,
  catalog: (await all(catalog)).filter((c) => c['_atakoraTid'] === tenant).length,
});

describe('the organization erase timer', () => {
  it('erases a deleted organization past its deleteOn, audited, and nothing else', async () => {
    // initech is deleted by its Owner and undeleted before its deleteOn: never erased.
    expect((await call('tenant-self', 'DELETE', 'tenant', who('ada'), 'initech')).status).toBe(202);
    const back = await call(
      'membership-tenant-undelete',
      'POST',
      'tenant/undelete',
      who('ada'),
      'initech',
    );
    expect(back.status).toBe(200);
    expect(await run()).toMatchObject({
      operation: 'organization-erase',
      outcome: 'done',
      erased: [{ tenant: 'acme', items: { NoteApi: 3, CatalogApi: 1 } }],
    });
    expect(await left('acme')).toEqual({
      record: false,
      tombstone: [['erasedOn', 'id', 'status']],
      members: 0,
      notes: 0,
      catalog: 0,
    });
    for (const t of ['globex', 'hooli', 'initech'])
      expect(await left(t)).toEqual({
        record: true,
        tombstone: [],
        members: 2,
        notes: 3,
        catalog: 1,
      });
    expect((await all(catalog)).map((c) => c['id'])).toContain('unstamped');
    // Its domain and directory are free for another organization; globex's claim stays.
    const claims = (await all(members)).filter((m) => m['tenant'] === '~domains');
    expect(claims.map((c) => `${c['id']}:${c['owner']}`)).toEqual(['domain|globex.com:globex']);
    const erased = (await all(audit)) as unknown as AuditEntry[];
    expect(erased.filter((e) => e.action === 'tenant.erased').map((e) => e.tenant)).toEqual([
      'acme',
    ]);
    // A second run finds nothing due.
    expect(await run()).toMatchObject({ outcome: 'done', erased: [] });
  });

  it('finishes an erase a crash cut short: the record stays due until everything else is gone', async () => {
    // What a run killed halfway leaves: some notes and the members gone, the record still there.
    await notes.item('acme-1', 'acme').delete();
    for (const m of (await all(members)).filter((x) => x['tenant'] === 'acme'))
      await members.item(m['id'] ?? '', 'acme').delete();
    expect(await run()).toMatchObject({
      outcome: 'done',
      erased: [{ tenant: 'acme', items: { NoteApi: 2, CatalogApi: 1 } }],
    });
    expect(await left('acme')).toEqual({
      record: false,
      tombstone: [['erasedOn', 'id', 'status']],
      members: 0,
      notes: 0,
      catalog: 0,
    });
  });
});
