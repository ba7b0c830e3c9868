/**
 * What `atakora tenant restore` proves before it reads an item or bills anything (./support/restore-scene.ts): the
 * temporary account reachable by the operator alone (locked and read back; on an isolated backend through a private
 * endpoint of its own in the backend's network, or refused), the firewall's 403 told from a role still spreading,
 * the containers restored those that existed at --at, and --at no later than the latest restorable time.
 */
import { describe, expect, it } from 'vitest';
import { A, byId, entry, notA, ofA, raw, restoreScene, THEN } from './support/restore-scene.js';

const scene = restoreScene();
const { run, restore, armCalls } = scene;
const TEMP = /databaseAccounts\/[^/]+-r[0-9a-f]{10}$/;
/** Calls that create, change or delete something (billed, or undone by the clean-up). */
const writes = () => scene.arm.calls.filter((c) => ['PUT', 'PATCH', 'DELETE'].includes(c.method));
const liveState = async () => ({
  notes: await raw(scene.c.live.notes),
  tasks: await raw(scene.c.live.tasks),
  products: await raw(scene.c.live.products),
});

describe('the temporary account is reachable by the operator alone', () => {
  it('isolated: public access off, a private endpoint in the backend subnet and zone, deleted first', async () => {
    process.env['TENANT_FIXTURE_NETWORK'] = 'isolated';
    scene.arm.behaviour.liveNetwork = { publicNetworkAccess: 'Disabled', ipRules: [] };
    const r = await restore('--yes');
    expect(r.err).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    const [put] = armCalls('PUT', TEMP);
    expect((put!.body as { properties: Record<string, unknown> }).properties).toMatchObject({
      publicNetworkAccess: 'Disabled',
      ipRules: [],
    });
    expect(armCalls('PATCH', TEMP).map((c) => c.body)).toEqual([
      expect.objectContaining({
        properties: expect.objectContaining({ publicNetworkAccess: 'Disabled' }),
      }),
    ]);
    const [endpoint] = armCalls('PUT', /\/privateEndpoints\/pe-[^/]+-r[0-9a-f]{10}-sql$/);
    expect(endpoint!.query['api-version']).toBe('2025-01-01');
    expect(endpoint!.body).toMatchObject({
      location: 'eastus',
      properties: {
        subnet: {
          id: expect.stringMatching(
            /^\/subscriptions\/00000000-0000-4000-8000-00000000a5b5\/resourceGroups\/rg-tenanted-test\/providers\/Microsoft\.Network\/virtualNetworks\/vnet-tenanted-test\/subnets\/snet-tenanted-test-pe$/,
          ),
        },
        privateLinkServiceConnections: [
          { properties: { privateLinkServiceId: expect.stringMatching(TEMP), groupIds: ['Sql'] } },
        ],
      },
    });
    const [group] = armCalls('PUT', /\/privateDnsZoneGroups\/default$/);
    expect(group!.body).toEqual({
      properties: {
        privateDnsZoneConfigs: [
          {
            name: 'privatelink-documents-azure-com',
            properties: {
              privateDnsZoneId:
                '/subscriptions/00000000-0000-4000-8000-00000000a5b5/resourceGroups/rg-tenanted-test/providers/' +
                'Microsoft.Network/privateDnsZones/privatelink.documents.azure.com',
            },
          },
        ],
      },
    });
    // Nothing read before the endpoint was approved; the endpoint deleted before the account.
    const approved = scene.arm.calls.filter(
      (c) => c.method === 'GET' && /privateEndpoints\/[^/]+$/.test(c.path),
    );
    expect(scene.gate.requests[0]!.seq).toBeGreaterThan(approved[0]!.seq);
    const deletes = writes()
      .filter((c) => c.method === 'DELETE')
      .map((c) => c.path.split('/').at(-2));
    expect(deletes).toEqual(['privateEndpoints', 'databaseAccounts']);
    expect(scene.arm.endpoints.size + scene.arm.accounts.size).toBe(0);
    expect(r.err).toMatch(/reachable only through its private endpoint/);
    expect(byId(ofA(await raw(scene.c.live.notes)))).toEqual(byId(ofA(THEN.notes)));
  });

  it('isolated with a zone named by a Terraform reference: refused before anything is billed', async () => {
    process.env['TENANT_FIXTURE_NETWORK'] = 'isolated-hub';
    scene.arm.behaviour.liveNetwork = { publicNetworkAccess: 'Disabled', ipRules: [] };
    const before = await liveState();
    const r = await restore('--yes');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /TENANT_RESTORE_NETWORK.*only as a Terraform reference.*Nothing was created/,
    );
    expect(writes()).toEqual([]);
    expect(await liveState()).toEqual(before);
  });

  it('public and open to every network: refused without --operator-address, locked to it with', async () => {
    scene.arm.behaviour.liveNetwork = {
      publicNetworkAccess: 'Enabled',
      ipRules: [{ ipAddressOrRange: '0.0.0.0' }],
    };
    const refused = await restore('--yes');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/TENANT_RESTORE_NETWORK.*admits every network.*--operator-address/);
    expect(writes()).toEqual([]);
    const bad = await restore('--yes', '--operator-address', '10.0.0.300');
    expect(bad.code).toBe(2);
    const r = await restore('--yes', '--operator-address', '198.51.100.23');
    expect(r.code).toBe(0);
    expect(armCalls('PATCH', TEMP).map((c) => (c.body as any).properties.ipRules)).toEqual([
      [{ ipAddressOrRange: '198.51.100.23' }],
    ]);
  });

  it('a lock that does not hold: refused before any item is read, the account deleted', async () => {
    scene.arm.behaviour.patchIgnored = true;
    const before = await liveState();
    const r = await restore('--yes');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /TENANT_RESTORE_NETWORK.*still admits public network access from every network .*Nothing of it was read/,
    );
    expect(scene.gate.requests).toEqual([]);
    expect(scene.arm.accounts.size).toBe(0);
    expect(await liveState()).toEqual(before);
  });
});

describe('a 403 of the firewall is not a role still spreading', () => {
  it('the firewall: fails at once (TENANT_RESTORE_NETWORK), the account deleted, nothing erased', async () => {
    scene.gate.mode = 'firewall';
    const before = await liveState();
    const r = await restore('--yes');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /TENANT_RESTORE_NETWORK.*firewall refused this machine.*198\.51\.100\.23 through public internet/,
    );
    expect(r.err).not.toMatch(/waiting for the data role/);
    expect(scene.gate.requests.length).toBeLessThanOrEqual(2);
    expect(scene.arm.accounts.size).toBe(0);
    expect(await liveState()).toEqual(before);
  });

  it('a role not yet spread (403, substatus 5301): waited for, then the restore goes on', async () => {
    scene.gate.mode = { rbac: 2 };
    const r = await restore('--yes');
    expect(r.err).toMatch(/waiting for the data role on \S+ \(HTTP 403\)/);
    expect(r.code).toBe(0);
    expect(byId(ofA(await raw(scene.c.live.tasks)))).toEqual(byId(ofA(THEN.tasks)));
  });
});

describe('what is restored, and when', () => {
  it('restores the containers that existed at --at; one created since is skipped with a note, its items erased', async () => {
    const product = scene.arm.behaviour.containers.find((c) => c.container === 'product');
    product!.createdOn = new Date(Date.now() - 30 * 60_000).toISOString();
    const before = await raw(scene.c.live.products);
    const r = await restore('--yes');
    expect(r.err).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    const [put] = armCalls('PUT', TEMP);
    expect((put!.body as any).properties.restoreParameters.databasesToRestore).toEqual([
      { databaseName: 'note-db', collectionNames: ['note'] },
      { databaseName: 'task-db', collectionNames: ['task'] },
    ]);
    expect(r.err).toMatch(/product-db\/product did not exist at \S+: nothing of it is restored/);
    // A had no product then: its products now are erased; B's are untouched.
    expect(ofA(await raw(scene.c.live.products))).toEqual([]);
    expect(notA(await raw(scene.c.live.products))).toEqual(notA(before));
    expect(byId(ofA(await raw(scene.c.live.notes)))).toEqual(byId(ofA(THEN.notes)));
  });

  it('refuses --at later than the latest restorable time, and a backup not begun, creating nothing', async () => {
    scene.arm.behaviour.backupLagMs = 2 * 3600_000;
    const later = await restore('--yes');
    expect(later.code).toBe(1);
    expect(later.err).toMatch(
      /TENANT_RESTORE_TIME_INVALID.*is later than the latest restorable time of \S+'s note-db\/note, \S+ \(backups trail/,
    );
    scene.arm.behaviour.backupLagMs = 'epoch';
    const epoch = await restore('--yes');
    expect(epoch.err).toMatch(/TENANT_RESTORE_TIME_INVALID.*has data not backed up yet/);
    expect(writes()).toEqual([]);
  });

  it('says so when --at is within 100 s of now (backups trail writes)', async () => {
    scene.arm.behaviour.backupLagMs = 90_000;
    const recent = new Date(Date.now() - 30_000).toISOString();
    const r = await run('restore', entry, A, '--environment', 'test', '--at', recent, '--yes');
    expect(r.err).toMatch(
      /warning: --at \S+ is within 100 s of now, and backups trail writes by up to 100 s/,
    );
    expect(r.err).toMatch(/TENANT_RESTORE_TIME_INVALID.*later than the latest restorable time/);
    expect(writes()).toEqual([]);
  });
});
