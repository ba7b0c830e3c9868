/**
 * `atakora tenant restore` against a loopback Resource Manager and two local Cosmos DB servers over verified TLS
 * (./support/restore-scene.ts): the tenant's items come back as they were, other tenants' items in the live
 * account are untouched byte for byte, the temporary account is deleted (also when a step fails), and bad times
 * and periodic backup are refused before anything is created.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { tenantCommand } from '../../src/cli/tenant/command.js';
import { capturedIo } from '../support/captured-io.js';
import {
  A,
  at,
  byId,
  entry,
  notA,
  OID,
  ofA,
  raw,
  restoreScene,
  THEN,
} from './support/restore-scene.js';

const scene = restoreScene();
const { run, restore, armCalls } = scene;

describe('atakora tenant restore', () => {
  it('puts the tenant’s items back as at then, others byte for byte, deletes the temporary account', async () => {
    const before = {
      notes: await raw(scene.c.live.notes),
      tasks: await raw(scene.c.live.tasks),
      products: await raw(scene.c.live.products),
      tenants: await raw(scene.c.live.tenants),
    };
    const r = await restore('--yes');
    expect(r.err).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /Restored tenant .* \(test\) to .*: 5 item\(s\) erased, 6 item\(s\) as at then created/,
    );
    // A's items: as they were (n2, t1, p3 back; n4, p4 gone; n1, p1 as then).
    expect(byId(ofA(await raw(scene.c.live.notes)))).toEqual(byId(ofA(THEN.notes)));
    expect(byId(ofA(await raw(scene.c.live.tasks)))).toEqual(byId(ofA(THEN.tasks)));
    // Shared items come back stamped as A's (an import records the tenant that created them: tenant-items.ts).
    expect(byId(ofA(await raw(scene.c.live.products)))).toEqual(
      byId(ofA(THEN.products)).map((p) => ({ ...p, _atakoraTid: A })),
    );
    // Every other item of the live account, system fields and all: untouched (B's past state never read back).
    expect(notA(await raw(scene.c.live.notes))).toEqual(notA(before.notes));
    expect(notA(await raw(scene.c.live.tasks))).toEqual(notA(before.tasks));
    expect(notA(await raw(scene.c.live.products))).toEqual(notA(before.products));
    // The registry record stays as the operator set it (suspended, pro), not the past one.
    expect(await raw(scene.c.live.tenants)).toEqual(before.tenants);

    const [put] = armCalls('PUT', /databaseAccounts\/[^/]+-r[0-9a-f]{10}$/);
    const body = put!.body as { location: string; properties: Record<string, any> };
    expect(body.location).toBe('West Europe');
    // Asked locked (the live account's own address, 0.0.0.0 never), …
    expect(body.properties).toMatchObject({
      createMode: 'Restore',
      disableLocalAuth: true,
      publicNetworkAccess: 'Enabled',
      ipRules: [{ ipAddressOrRange: '203.0.113.7' }],
      isVirtualNetworkFilterEnabled: false,
      virtualNetworkRules: [],
      networkAclBypass: 'None',
      restoreParameters: { restoreMode: 'PointInTime', restoreTimestampInUtc: expect.any(String) },
    });
    // … came back open (a restore restores no network setting), was locked with a PATCH and read back before the
    // first data-plane request reached the temporary account.
    expect(r.err).toMatch(
      /came back admitting public network access from every network .*; locking it/,
    );
    const [patch] = armCalls('PATCH', /databaseAccounts\/[^/]+-r[0-9a-f]{10}$/);
    expect(patch!.body).toEqual({
      properties: {
        publicNetworkAccess: 'Enabled',
        ipRules: [{ ipAddressOrRange: '203.0.113.7' }],
        isVirtualNetworkFilterEnabled: false,
        virtualNetworkRules: [],
        networkAclBypass: 'None',
        networkAclBypassResourceIds: [],
      },
    });
    const readBack = scene.arm.calls.filter(
      (c) => c.method === 'GET' && /-r[0-9a-f]{10}$/.test(c.path) && c.seq > patch!.seq,
    );
    expect(readBack.length).toBeGreaterThan(0);
    expect(scene.gate.requests.length).toBeGreaterThan(0);
    expect(scene.gate.requests[0]!.seq).toBeGreaterThan(readBack[0]!.seq);
    expect(r.err).toMatch(/read back: reachable only from 203\.0\.113\.7 \(the IP rules of /);
    // What existed at --at was asked for, in the restore region, at that time; and how far the backup had got.
    const [resources] = armCalls('GET', /\/restorableSqlResources$/);
    expect(resources!.query).toEqual({
      'api-version': '2024-08-15',
      restoreLocation: 'West Europe',
      restoreTimestampInUtc: body.properties['restoreParameters'].restoreTimestampInUtc,
    });
    expect(
      armCalls('POST', /\/retrieveContinuousBackupInformation$/).map((c) => [
        c.path.split('/').slice(-5, -1).join('/'),
        c.body,
      ]),
    ).toEqual([
      ['sqlDatabases/note-db/containers/note', { location: 'West Europe' }],
      ['sqlDatabases/product-db/containers/product', { location: 'West Europe' }],
      ['sqlDatabases/task-db/containers/task', { location: 'West Europe' }],
    ]);
    expect(r.err).toMatch(/backed up to \S+ \(--at \S+\)/);
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
    expect(scene.arm.accounts.size).toBe(0);
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
    expect(byId(ofA(await raw(scene.c.live.notes)))).toEqual(byId(ofA(THEN.notes)));
    expect(notA(await raw(scene.c.live.notes))).toEqual(notA(before.notes));
    expect(scene.arm.accounts.size).toBe(0);
  });

  it('refuses before erasing when an item as at then would not import; deletes the temporary account', async () => {
    // The past holds an item the schema refuses (no body): the import is prepared, and refused, before the erase.
    await scene.c.past.notes.items.create({ id: 'bad', tenantId: A, ownerId: 'uA1', _atakoraV: 2 });
    const before = {
      notes: await raw(scene.c.live.notes),
      tasks: await raw(scene.c.live.tasks),
      products: await raw(scene.c.live.products),
    };
    const r = await restore();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/CRUD_SEED_INVALID/);
    expect(r.err).not.toMatch(/tenant delete/);
    expect(armCalls('DELETE', /-r[0-9a-f]{10}$/)).toHaveLength(1);
    expect(scene.arm.accounts.size).toBe(0);
    // Nothing of the live account changed, and nothing of the tenant's past is left on disk.
    expect(await raw(scene.c.live.notes)).toEqual(before.notes);
    expect(await raw(scene.c.live.tasks)).toEqual(before.tasks);
    expect(await raw(scene.c.live.products)).toEqual(before.products);
    expect(r.err).not.toMatch(/are kept in/);
  });

  it('names the temporary account when its deletion fails, and a second run takes it up and deletes it', async () => {
    scene.arm.behaviour.failDelete = true;
    const first = await restore();
    expect(first.code).toBe(1);
    expect(first.err).toMatch(/TENANT_RESTORE_FAILED.*could not be deleted/);
    expect(first.err).toMatch(
      /temporary account\(s\) \S+-r[0-9a-f]{10} in rg-tenanted-test are left and billed/,
    );
    expect(scene.arm.accounts.size).toBe(1);
    scene.arm.behaviour.failDelete = false;
    scene.arm.calls.length = 0;
    // The same time again: the hour-old point, fixed for both runs.
    const time = [...scene.arm.accounts.values()][0]!.tags['atakora-restore-at']!;
    // An opaque token (no oid claim): no role assignment, said on stderr, and the restore goes on.
    scene.token = 'not-a-jwt';
    const second = await run('restore', entry, A, '--environment', 'test', '--at', time, '--yes');
    expect(second.code).toBe(0);
    expect(second.err).toMatch(/taking up temporary account/);
    expect(second.err).toMatch(
      /token names no principal \(no oid claim\): no data role assigned on/,
    );
    expect(armCalls('PUT', /sqlRoleAssignments/)).toEqual([]);
    expect(armCalls('PUT', /databaseAccounts\/[^/]+-r[0-9a-f]{10}$/)).toHaveLength(0);
    expect(scene.arm.accounts.size).toBe(0);
    expect(byId(ofA(await raw(scene.c.live.tasks)))).toEqual(byId(ofA(THEN.tasks)));
  });

  it('refuses a time outside the window or without zone, and periodic backup, creating nothing', async () => {
    const untouched = await raw(scene.c.live.notes);
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
    expect(local.err).toMatch(
      /TENANT_RESTORE_TIME_INVALID.*not a strict ISO 8601 time: .*with Z or an offset/,
    );
    // No calendar has them; Date.parse reads the first as March 2: refused, before anything is loaded or asked.
    scene.arm.calls.length = 0;
    for (const bad of [
      '2026-02-30T10:00Z',
      '2026-02-29T10:00Z',
      '2026-04-31T10:00:00Z',
      '2026-11-20T24:00:00Z',
      '2026-11-20T10:60Z',
      '2026-11-20T10:00:60Z',
      '2026-11-20T10:00+24:00',
      '2026-11-20 10:00Z',
      '2026-11-20T10:00:00z',
      '20261120T100000Z',
    ]) {
      const r = await run('restore', entry, A, '--environment', 'test', '--at', bad, '--yes');
      expect([r.code, r.err.includes('TENANT_RESTORE_TIME_INVALID')], bad).toEqual([1, true]);
    }
    expect(scene.arm.calls).toEqual([]);
    scene.arm.behaviour.backup = 'Periodic';
    const periodic = await restore();
    expect(periodic.code).toBe(1);
    expect(periodic.err).toMatch(/TENANT_RESTORE_UNAVAILABLE.*Periodic backup/);
    expect(periodic.err).toMatch(/continuous7Days/);
    expect(scene.arm.calls.filter((x) => x.method !== 'GET')).toEqual([]);
    expect(await raw(scene.c.live.notes)).toEqual(untouched);
  });

  it('goes by the plan when Resource Manager does not show the live account (location, backup mode)', async () => {
    scene.arm.behaviour.hideLive = true;
    // test: no backup in the config, so Azure's default, periodic: refused before anything is created.
    const periodic = await restore();
    expect(periodic.code).toBe(1);
    expect(periodic.err).toMatch(
      /does not show \S+; going by the plan \(eastus, Periodic backup\)/,
    );
    expect(periodic.err).toMatch(/TENANT_RESTORE_UNAVAILABLE/);
    expect(scene.arm.calls.filter((x) => x.method !== 'GET')).toEqual([]);
    // prod: continuous 7 days by default; the restore goes through in the plan's region.
    process.env['TENANT_FIXTURE_ENV'] = 'prod';
    const inProd = (...extra: string[]) =>
      run(
        'restore',
        entry,
        A,
        '--environment',
        'prod',
        '--at',
        at(),
        '--allow-production',
        ...extra,
      );
    const open = await inProd();
    // The plan names no IP rule: the temporary account would admit every network.
    expect(open.err).toMatch(/TENANT_RESTORE_NETWORK.*admits every network.*--operator-address/);
    expect(scene.arm.calls.filter((x) => x.method === 'PUT' || x.method === 'PATCH')).toEqual([]);
    scene.arm.calls.length = 0;
    const prod = await inProd('--operator-address', '198.51.100.23');
    expect(prod.err).toMatch(/going by the plan \(eastus, Continuous backup Continuous7Days\)/);
    expect(prod.err).toMatch(/reachable only from 198\.51\.100\.23 \(--operator-address\)/);
    expect(prod.code).toBe(0);
    expect(armCalls('GET', /\/locations\/eastus\/restorableDatabaseAccounts$/)).toHaveLength(1);
    expect(byId(ofA(await raw(scene.c.live.notes)))).toEqual(byId(ofA(THEN.notes)));
    expect(scene.arm.accounts.size).toBe(0);
  });

  it('asks on a terminal without --yes, needs --at, refuses prod without --allow-production', async () => {
    const untouched = await raw(scene.c.live.notes);
    scene.arm.calls.length = 0;
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
    expect(scene.arm.calls).toEqual([]);
    expect(await raw(scene.c.live.notes)).toEqual(untouched);
  });
});
