/**
 * `atakora tenant restore` against a loopback Resource Manager (test/support/cosmos-arm-standin.ts) and two local
 * Cosmos DB servers over verified TLS: the live account, and the "restored" temporary account the stand-in reports
 * (seeded with the past state). The tenant's items come back as they were, other tenants' items in the live
 * account are untouched byte for byte, the temporary account is deleted (also when the import fails), and bad
 * times and periodic backup are refused before anything is created.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import type { Container } from '@azure/cosmos';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loopbackCertificate } from '../../src/cli/dev/loopback/loopback-certificate.js';
import { main } from '../../src/cli/main.js';
import { tenantCommand } from '../../src/cli/tenant/command.js';
import { capturedIo } from '../support/captured-io.js';
import { type CosmosArmStandIn, startCosmosArmStandIn } from '../support/cosmos-arm-standin.js';
import { startTlsCosmos, type TlsCosmos } from '../support/tls-cosmos.js';

const entry = 'test/cli/fixtures/tenant-backend.ts';
const A = '72f988bf-0000-4000-8000-0000000000a1';
const B = '72f988bf-0000-4000-8000-0000000000b1';
const OID = '5d2b0c0e-0000-4000-8000-00000000f00d';
/** An unsigned JWT whose payload names the operator (the command reads its oid claim only). */
const TOKEN = `e30.${Buffer.from(JSON.stringify({ oid: OID })).toString('base64url')}.sig`;

type Item = Record<string, unknown>;
/** The live account now: A changed n1, made n4 and p4 after the point in time, deleted n2 and t1. */
const NOW: Record<'notes' | 'tasks' | 'products' | 'tenants', Item[]> = {
  notes: [
    { id: 'n1', tenantId: A, ownerId: 'uA1', body: 'edited after', pinned: true, _atakoraV: 2 },
    { id: 'n4', tenantId: A, ownerId: 'uA1', body: 'made after', pinned: false, _atakoraV: 2 },
    { id: 'n1', tenantId: B, ownerId: 'uB1', body: 'B now', pinned: false, _atakoraV: 2 },
  ],
  tasks: [
    { id: 't2', tenantId: A, ownerId: 'uA1', title: 'A two' },
    { id: 't3', tenantId: B, ownerId: 'uB1', title: 'B three, now' },
  ],
  products: [
    { id: 'p1', ownerId: 'uA1', name: 'A renamed after' },
    { id: 'p4', ownerId: 'uA1', name: 'A made after' },
    { id: 'p2', ownerId: 'uB1', name: 'B now' },
  ],
  tenants: [
    {
      id: A,
      plan: 'pro',
      status: 'suspended',
      createdOn: '2026-01-01T00:00:00Z',
      updatedOn: '2026-02-01T00:00:00Z',
    },
    {
      id: B,
      plan: 'free',
      status: 'active',
      createdOn: '2026-01-02T00:00:00Z',
      updatedOn: '2026-01-02T00:00:00Z',
    },
  ],
};
/** The account as it was at the point in time (what the restore reads), B's items different from now. */
const THEN: typeof NOW = {
  notes: [
    { id: 'n1', tenantId: A, ownerId: 'uA1', body: 'as it was', pinned: false, _atakoraV: 2 },
    { id: 'n2', tenantId: A, ownerId: 'uA2', body: 'deleted since', pinned: false, _atakoraV: 2 },
    { id: 'n1', tenantId: B, ownerId: 'uB1', body: 'B then', pinned: false, _atakoraV: 2 },
    { id: 'n9', tenantId: B, ownerId: 'uB1', body: 'B then only', pinned: false, _atakoraV: 2 },
  ],
  tasks: [
    { id: 't1', tenantId: A, ownerId: 'uA1', title: 'A one, deleted since' },
    { id: 't2', tenantId: A, ownerId: 'uA1', title: 'A two' },
    { id: 't3', tenantId: B, ownerId: 'uB1', title: 'B three, then' },
  ],
  products: [
    { id: 'p1', ownerId: 'uA1', name: 'A as it was' },
    { id: 'p3', ownerId: 'uA2', name: 'A’s second user, deleted since' },
    { id: 'p2', ownerId: 'uB1', name: 'B then' },
  ],
  tenants: [
    {
      id: A,
      plan: 'free',
      status: 'active',
      createdOn: '2026-01-01T00:00:00Z',
      updatedOn: '2026-01-01T00:00:00Z',
    },
  ],
};
const KEYS = {
  notes: ['note-db', 'note', '/tenantId'],
  tasks: ['task-db', 'task', '/id'],
} as const;
const SYSTEM = ['_rid', '_self', '_etag', '_attachments', '_ts'];

const dir = mkdtempSync(join(tmpdir(), 'atakora-restore-'));
const tls = loopbackCertificate(dir);
let live: TlsCosmos;
let past: TlsCosmos;
let arm: CosmosArmStandIn;
const c: { live: Record<keyof typeof NOW, Container>; past: Record<keyof typeof NOW, Container> } =
  {
    live: {} as never,
    past: {} as never,
  };

const raw = async (container: Container) =>
  (await container.items.query<Item>('SELECT * FROM c').fetchAll()).resources.sort((x, y) =>
    `${String(x['tenantId'])}/${String(x['id'])}`.localeCompare(
      `${String(y['tenantId'])}/${String(y['id'])}`,
    ),
  );
const strip = (i: Item) =>
  Object.fromEntries(Object.entries(i).filter(([k]) => !SYSTEM.includes(k)));
const byId = (items: Item[]) =>
  items.map(strip).sort((x, y) => String(x['id']).localeCompare(String(y['id'])));
const ofA = (items: Item[]) =>
  items.filter((i) => i['tenantId'] === A || String(i['ownerId']).startsWith('uA'));
const notA = (items: Item[]) => items.filter((i) => !ofA([i]).length && i['id'] !== A);

const saved = { ...process.env };
let token = TOKEN;
const at = () => new Date(Date.now() - 3600_000).toISOString();
const run = async (...args: string[]) => {
  Object.assign(process.env, {
    ATAKORA_COSMOS_ENDPOINT: live.endpoint,
    ATAKORA_COSMOS_CA: tls.certFile,
    ATAKORA_ARM_TOKEN: token,
    ATAKORA_ARM_ENDPOINT: arm.endpoint,
    ARM_SUBSCRIPTION_ID: '00000000-0000-4000-8000-00000000a5b5',
    ATAKORA_RESTORE_POLL_MS: '1',
  });
  const io = capturedIo();
  const code = await main(['tenant', ...args], io.io);
  return { code, out: io.out, err: io.err };
};
const restore = (...extra: string[]) =>
  run('restore', entry, A, '--environment', 'test', '--at', at(), ...extra);
const armCalls = (method: string, re: RegExp) =>
  arm.calls.filter((x) => x.method === method && re.test(x.path));

beforeAll(async () => {
  live = await startTlsCosmos(tls);
  past = await startTlsCosmos(tls);
  arm = await startCosmosArmStandIn(past.endpoint);
  for (const side of ['live', 'past'] as const) {
    const server = side === 'live' ? live : past;
    c[side].notes = await server.container(...KEYS.notes);
    c[side].tasks = await server.container(...KEYS.tasks);
    c[side].products = await server.container('product-db', 'product', '/id');
    c[side].tenants = await server.container('atakora', 'tenants', '/id');
  }
});
beforeEach(async () => {
  for (const side of ['live', 'past'] as const)
    for (const k of Object.keys(NOW) as (keyof typeof NOW)[]) {
      for (const i of await raw(c[side][k]))
        await c[side][k]
          .item(String(i['id']), k === 'notes' ? String(i['tenantId']) : String(i['id']))
          .delete();
      for (const i of (side === 'live' ? NOW : THEN)[k]) await c[side][k].items.create({ ...i });
    }
  arm.calls.length = 0;
  token = TOKEN;
  Object.assign(arm.behaviour, {
    backup: 'Continuous',
    pollsBeforeDone: 2,
    failDelete: false,
    hideLive: false,
  });
});
afterEach(() => {
  for (const k of Object.keys(process.env))
    if (!(k in saved)) delete process.env[k];
    else process.env[k] = saved[k];
});
afterAll(async () => {
  await live.stop();
  await past.stop();
  await arm.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('atakora tenant restore', () => {
  it('puts the tenant’s items back as at then, others byte for byte, deletes the temporary account', async () => {
    const before = {
      notes: await raw(c.live.notes),
      tasks: await raw(c.live.tasks),
      products: await raw(c.live.products),
      tenants: await raw(c.live.tenants),
    };
    const r = await restore('--yes');
    expect(r.err).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /Restored tenant .* \(test\) to .*: 5 item\(s\) erased, 6 item\(s\) as at then created/,
    );
    // A's items: as they were (n2, t1, p3 back; n4, p4 gone; n1, p1 as then).
    expect(byId(ofA(await raw(c.live.notes)))).toEqual(byId(ofA(THEN.notes)));
    expect(byId(ofA(await raw(c.live.tasks)))).toEqual(byId(ofA(THEN.tasks)));
    // Shared items come back stamped as A's (an import records the tenant that created them: tenant-items.ts).
    expect(byId(ofA(await raw(c.live.products)))).toEqual(
      byId(ofA(THEN.products)).map((p) => ({ ...p, _atakoraTid: A })),
    );
    // Every other item of the live account, system fields and all: untouched (B's past state never read back).
    expect(notA(await raw(c.live.notes))).toEqual(notA(before.notes));
    expect(notA(await raw(c.live.tasks))).toEqual(notA(before.tasks));
    expect(notA(await raw(c.live.products))).toEqual(notA(before.products));
    // The registry record stays as the operator set it (suspended, pro), not the past one.
    expect(await raw(c.live.tenants)).toEqual(before.tenants);

    const [put] = armCalls('PUT', /databaseAccounts\/[^/]+-r[0-9a-f]{10}$/);
    const body = put!.body as { location: string; properties: Record<string, any> };
    expect(body.location).toBe('West Europe');
    expect(body.properties).toMatchObject({
      createMode: 'Restore',
      disableLocalAuth: true,
      ipRules: [{ ipAddressOrRange: '203.0.113.7' }],
      restoreParameters: { restoreMode: 'PointInTime', restoreTimestampInUtc: expect.any(String) },
    });
    const [listed] = armCalls('GET', /restorableDatabaseAccounts$/);
    expect(listed!.path).toMatch(/\/locations\/West Europe\/restorableDatabaseAccounts$/);
    expect(body.properties['restoreParameters'].restoreSource).toMatch(
      new RegExp(
        '^/subscriptions/[^/]+/providers/Microsoft\\.DocumentDB/locations/West Europe/' +
          'restorableDatabaseAccounts/b2b7a0a1-',
      ),
    );
    // Only the databases the tenant's items are in.
    expect(body.properties['restoreParameters'].databasesToRestore).toEqual([
      { databaseName: 'note-db', collectionNames: ['note'] },
      { databaseName: 'product-db', collectionNames: ['product'] },
      { databaseName: 'task-db', collectionNames: ['task'] },
    ]);
    const [assignment] = armCalls('PUT', /sqlRoleAssignments\//);
    expect(assignment!.body).toEqual({
      properties: {
        principalId: OID,
        roleDefinitionId: expect.stringMatching(
          /\/sqlRoleDefinitions\/00000000-0000-0000-0000-000000000001$/,
        ),
        scope: expect.stringMatching(/databaseAccounts\/[^/]+-r[0-9a-f]{10}$/),
      },
    });
    expect(armCalls('DELETE', /-r[0-9a-f]{10}$/)).toHaveLength(1);
    expect(arm.accounts.size).toBe(0);
    // Progress on stderr: the window, the creation polled, each step, the deletion.
    expect(r.err).toMatch(/tenant restore .*: \S+ restorable from \S+ to \S+\n/);
    expect(r.err).toMatch(/creating temporary account .*-r[0-9a-f]{10}/);
    expect(r.err.match(/creating .*: InProgress/g)?.length).toBe(2);
    expect(r.err).toMatch(/tenant export .*: NoteApi 2 item\(s\)/);
    expect(r.err).toMatch(/tenant delete .*: NoteApi 2 item\(s\) deleted/);
    expect(r.err).toMatch(/tenant import .*: NoteApi 2 created/);
    expect(r.err).toMatch(/temporary account .* deleted/);

    // Twice (and without --yes: no terminal to ask on): the same state, a temporary account again, deleted again.
    const again = await restore();
    expect(again.code).toBe(0);
    expect(again.err).toMatch(
      new RegExp(
        String.raw`its items as they are now \((\S+)\) stay in the continuous backup: ` +
          String.raw`atakora tenant restore \S+ \S+ --at \1 --environment test puts them back`,
      ),
    );
    expect(byId(ofA(await raw(c.live.notes)))).toEqual(byId(ofA(THEN.notes)));
    expect(notA(await raw(c.live.notes))).toEqual(notA(before.notes));
    expect(arm.accounts.size).toBe(0);
  }, 120_000);

  it('deletes the temporary account when the import fails, and says where the past items are', async () => {
    // The past holds an item the schema refuses (no body): the import stops before writing it.
    await c.past.notes.items.create({ id: 'bad', tenantId: A, ownerId: 'uA1', _atakoraV: 2 });
    const r = await restore();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/CRUD_SEED_INVALID/);
    expect(armCalls('DELETE', /-r[0-9a-f]{10}$/)).toHaveLength(1);
    expect(arm.accounts.size).toBe(0);
    const kept = /the tenant's items as at .* are kept in (\S+);/.exec(r.err)?.[1];
    expect(kept && existsSync(join(kept, 'manifest.json'))).toBe(true);
    rmSync(kept!, { recursive: true, force: true });
  }, 120_000);

  it('names the temporary account when its deletion fails, and a second run takes it up and deletes it', async () => {
    arm.behaviour.failDelete = true;
    const first = await restore();
    expect(first.code).toBe(1);
    expect(first.err).toMatch(/TENANT_RESTORE_FAILED.*could not be deleted/);
    expect(first.err).toMatch(
      /temporary account\(s\) \S+-r[0-9a-f]{10} in rg-tenanted-test are left and billed/,
    );
    expect(arm.accounts.size).toBe(1);
    arm.behaviour.failDelete = false;
    arm.calls.length = 0;
    // The same time again: the hour-old point, fixed for both runs.
    const time = [...arm.accounts.values()][0]!.tags['atakora-restore-at']!;
    // An opaque token (no oid claim): no role assignment, said on stderr, and the restore goes on.
    token = 'not-a-jwt';
    const second = await run('restore', entry, A, '--environment', 'test', '--at', time, '--yes');
    expect(second.code).toBe(0);
    expect(second.err).toMatch(/taking up temporary account/);
    expect(second.err).toMatch(
      /token names no principal \(no oid claim\): no data role assigned on/,
    );
    expect(armCalls('PUT', /sqlRoleAssignments/)).toEqual([]);
    expect(armCalls('PUT', /databaseAccounts\/[^/]+-r[0-9a-f]{10}$/)).toHaveLength(0);
    expect(arm.accounts.size).toBe(0);
    expect(byId(ofA(await raw(c.live.tasks)))).toEqual(byId(ofA(THEN.tasks)));
  }, 120_000);

  it('refuses a time outside the window or without zone, and periodic backup, creating nothing', async () => {
    const untouched = await raw(c.live.notes);
    const future = await run(
      'restore',
      entry,
      A,
      '--environment',
      'test',
      '--at',
      new Date(Date.now() + 3600_000).toISOString(),
      '--yes',
    );
    expect(future.code).toBe(1);
    expect(future.err).toMatch(/TENANT_RESTORE_TIME_INVALID.*in the future/);
    const early = await run(
      'restore',
      entry,
      A,
      '--environment',
      'test',
      '--at',
      new Date(Date.now() - 3 * 86400_000).toISOString(),
      '--yes',
    );
    expect(early.code).toBe(1);
    expect(early.err).toMatch(
      /TENANT_RESTORE_TIME_INVALID.*outside the restorable window .*restorable: \S+ – \S+/,
    );
    const local = await run(
      'restore',
      entry,
      A,
      '--environment',
      'test',
      '--at',
      '2026-11-20T09:00:00',
      '--yes',
    );
    expect(local.err).toMatch(/TENANT_RESTORE_TIME_INVALID.*with its zone/);
    arm.behaviour.backup = 'Periodic';
    const periodic = await restore();
    expect(periodic.code).toBe(1);
    expect(periodic.err).toMatch(/TENANT_RESTORE_UNAVAILABLE.*Periodic backup/);
    expect(periodic.err).toMatch(/continuous7Days/);
    expect(arm.calls.filter((x) => x.method !== 'GET')).toEqual([]);
    expect(await raw(c.live.notes)).toEqual(untouched);
  }, 60_000);

  it('goes by the plan when Resource Manager does not show the live account (location, backup mode)', async () => {
    arm.behaviour.hideLive = true;
    // test: no backup in the config, so Azure's default, periodic: refused before anything is created.
    const periodic = await restore();
    expect(periodic.code).toBe(1);
    expect(periodic.err).toMatch(
      /does not show \S+; going by the plan \(eastus, Periodic backup\)/,
    );
    expect(periodic.err).toMatch(/TENANT_RESTORE_UNAVAILABLE/);
    expect(arm.calls.filter((x) => x.method !== 'GET')).toEqual([]);
    // prod: continuous 7 days by default; the restore goes through in the plan's region.
    process.env['TENANT_FIXTURE_ENV'] = 'prod';
    const prod = await run(
      'restore',
      entry,
      A,
      '--environment',
      'prod',
      '--at',
      at(),
      '--allow-production',
    );
    expect(prod.err).toMatch(/going by the plan \(eastus, Continuous backup Continuous7Days\)/);
    expect(prod.code).toBe(0);
    expect(armCalls('GET', /\/locations\/eastus\/restorableDatabaseAccounts$/)).toHaveLength(1);
    expect(byId(ofA(await raw(c.live.notes)))).toEqual(byId(ofA(THEN.notes)));
    expect(arm.accounts.size).toBe(0);
  }, 120_000);

  it('asks on a terminal without --yes, needs --at, refuses prod without --allow-production', async () => {
    const untouched = await raw(c.live.notes);
    arm.calls.length = 0;
    const io = capturedIo();
    const terminal = Object.assign(Readable.from(['n\n']), { isTTY: true });
    await expect(
      tenantCommand(['restore', entry, A, '--environment', 'test', '--at', at()], {
        ...io.io,
        stdin: terminal,
      }),
    ).rejects.toMatchObject({ code: 'TENANT_COMMAND_REFUSED' });
    expect(io.err).toMatch(
      /Replace every item of tenant .* in test with its items as at .*\? \[y\/N\]/,
    );
    const noAt = await run('restore', entry, A, '--environment', 'test', '--yes');
    expect(noAt.code).toBe(2);
    process.env['TENANT_FIXTURE_ENV'] = 'prod';
    const prod = await run('restore', entry, A, '--environment', 'prod', '--at', at(), '--yes');
    expect(prod.code).toBe(1);
    expect(prod.err).toMatch(/TENANT_COMMAND_REFUSED.*--allow-production/);
    expect(arm.calls).toEqual([]);
    expect(await raw(c.live.notes)).toEqual(untouched);
  }, 60_000);
});
