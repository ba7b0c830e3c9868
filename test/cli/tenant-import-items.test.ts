/**
 * `atakora tenant import` and `delete` against a plan's item bound (docs/packaging.md "Items"): the runtime keeps
 * each organization's count of a bounded CrudApi's items in the usage ledger (`room|items|<CrudApi>`), and an import
 * writes items past the runtime — so it moves that count by what it created (a count never kept starts from the
 * data), and a delete by what it deleted. An organization pushed past its bound by an import is refused its next
 * create (402 `item-limit`) and `GET api/tenant` shows it `over`: the CLI on a real local Cosmos DB server over
 * verified TLS, the real runtime on the same server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalHeader } from '../runtime/support/built-app.js';
import { noteEntity } from '../runtime/support/entities.js';
import { invoke } from '../runtime/support/http.js';
import { registerNotesApp } from '../runtime/support/notes-app.js';
import { membershipAuth } from '../runtime/support/registry-auth.js';
import { tlsStandInFile } from './support/cosmos-cli.js';

const entry = 'test/cli/fixtures/items-backend.ts';
const at = '2026-01-01T00:00:00.000Z';
const standIn = tlsStandInFile('atakora-import-items-', 'tenant');
const run = standIn.run;
const dir = mkdtempSync(join(tmpdir(), 'atakora-import-items-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let clock = Date.now();
let usage: Container;
let collection: HttpHandler;
let self: HttpHandler;

const as = (org: string) => ({
  ...principalHeader([
    ['tid', 'ada-directory'],
    ['oid', 'ada'],
  ]),
  'x-atakora-tenant': org,
});
const create = (org: string, title: string) =>
  invoke(collection, 'POST', noteEntity.route, { headers: as(org), body: { title } });
const count = async (org: string) =>
  (await usage.item('room|items|NoteApi', org).read<{ count: number }>()).resource?.count;
const record = (id: string) => ({
  id,
  plan: 'free',
  status: 'active',
  createdOn: at,
  updatedOn: at,
});
const owner = (tenant: string) => ({
  id: `${tenant}|ada`,
  tenant,
  userId: 'ada',
  roles: ['Owner'],
  addedOn: at,
});

beforeAll(async () => {
  const local = standIn.local();
  const tenants = await local.container('atakora', 'tenants', '/id');
  const members = await local.container('atakora', 'members', '/tenant');
  usage = await local.container('atakora', 'usage', '/tenant');
  const notes = await local.container('note-db', 'note', '/tenantId');
  for (const org of ['acme', 'globex']) {
    await tenants.items.create(record(org));
    await members.items.create(owner(org));
  }
  // Globex's three notes, written past the runtime (as an older plan allowed): its archive is the import's source.
  for (const n of ['g1', 'g2', 'g3'])
    await notes.items.create({ id: n, tenantId: 'globex', ownerId: 'ada', title: n });
  const fns = new Map<string, HttpFunctionOptions>();
  registerNotesApp(
    fns,
    membershipAuth('home-dir', {
      plans: { free: { items: { NoteApi: 2 } }, pro: {} },
      defaultPlan: 'free',
    }),
    notes,
    {
      tenantRegistry: { now: () => clock },
      usageLedger: { instance: 'i-a', now: () => clock, flushIntervalMs: 0 },
    },
  );
  collection = fns.get(`${noteEntity.componentId}-collection`)?.handler as HttpHandler;
  self = fns.get('tenant-self')?.handler as HttpHandler;
});

describe('tenant import past a plan’s item bound', () => {
  it('moves the count by what it created: the next create is 402 item-limit, GET api/tenant shows over', async () => {
    expect((await create('acme', 'made here')).status).toBe(201);
    expect(await count('acme')).toBe(1);
    const out = join(dir, 'globex');
    const exported = await run('export', entry, 'globex', '--out', out, '--environment', 'test');
    expect(exported.code, exported.err).toBe(0);
    const imported = await run(
      'import',
      entry,
      '--from',
      out,
      '--tenant',
      'acme',
      '--environment',
      'test',
    );
    expect(imported.code, imported.err).toBe(0);
    expect(await count('acme')).toBe(4);
    clock += 60_000;
    const refused = await create('acme', 'one more');
    expect(refused.status).toBe(402);
    expect(refused.body).toMatchObject({
      type: 'urn:atakora:problem:item-limit',
      crudApi: 'NoteApi',
      limit: 2,
    });
    const shown = await invoke(self, 'GET', 'tenant', { headers: as('acme') });
    expect(shown.body).toMatchObject({
      counts: { items: { NoteApi: 4 } },
      over: ['items.NoteApi'],
    });
    // Run twice, it creates nothing and counts nothing.
    expect(
      (await run('import', entry, '--from', out, '--tenant', 'acme', '--environment', 'test')).code,
    ).toBe(0);
    expect(await count('acme')).toBe(4);
  });

  it('a new organization imported past its bound: its count starts from the data, and it is over', async () => {
    const out = join(dir, 'globex-copy');
    expect((await run('export', entry, 'globex', '--out', out, '--environment', 'test')).code).toBe(
      0,
    );
    const imported = await run(
      'import',
      entry,
      '--from',
      out,
      '--tenant',
      'initech',
      '--environment',
      'test',
    );
    expect(imported.code, imported.err).toBe(0);
    expect(await count('initech')).toBe(3);
    clock += 60_000;
    const shown = await invoke(self, 'GET', 'tenant', { headers: as('initech') });
    expect(shown.body).toMatchObject({
      counts: { items: { NoteApi: 3 } },
      over: ['items.NoteApi'],
    });
    expect((await create('initech', 'one more')).status).toBe(402);
  });

  it('tenant delete gives the count back what it deleted', async () => {
    expect(await count('acme')).toBe(4);
    const erased = await run('delete', entry, 'acme', '--environment', 'test', '--yes');
    expect(erased.code, erased.err).toBe(0);
    expect(await count('acme')).toBe(0);
  });
});
