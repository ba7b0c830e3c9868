/**
 * The organizations' tenant events from the audit container's change feed, as deployed: the backend's synthesized
 * stack gives the shared Function App the settings apply writes, and the runtime package — loaded the way the
 * Functions worker loads `main` (test/runtime/support/host-standin.cjs), its only configuration those settings —
 * registers `atakora-webhooks-audit`, the Cosmos DB trigger of `atakora/audit`, on the connection the plan named,
 * its leases in the planned `audit-leases` whose role the connection's identity holds. Without webhooks in any plan
 * the stack names no such connection and the package registers no such trigger.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { functionApps } from '../support/app-packages.js';
import { synth } from '../support/synth.js';
import { type BuiltApp, buildApp, runHost } from '../runtime/support/built-app.js';

type Block = Record<string, unknown>;
const SETTING = 'ATAKORA_WEBHOOK_AUDIT_FEED';
const CONTRIBUTOR = '00000000-0000-0000-0000-000000000002';

const backendOf = (features: readonly string[]) =>
  defineBackend(
    {
      notes: CrudApi.define('NoteApi', {
        entityName: 'Note',
        schema: { id: 'string', title: 'string' },
        access: [{ allow: 'role', role: 'Member' }],
      }),
    },
    {
      backendId: 'hooks',
      environment: 'dev',
      tenants: {
        by: 'membership',
        createTenants: 'any-user',
        plans: { free: { features: ['audit'] }, pro: { features: [...features] } },
        defaultPlan: 'free',
      },
    },
  );

/** The stack's shared app settings, and the same with what Terraform resolves at deploy standing in. */
function deployed(features: readonly string[]) {
  const json = synth(backendOf(features));
  const written = functionApps(json.resource)[0]!['app_settings'] as Record<string, string>;
  // Endpoints and client ids are Terraform references until apply: any value stands in, the load reaches nothing.
  const settings = Object.fromEntries(
    Object.entries(written).map(([k, v]) => [
      k,
      v.includes('${') ? (k.endsWith('clientId') ? `client-${k}` : 'https://hooks.test/') : v,
    ]),
  );
  return { json, written, settings };
}

let app: BuiltApp;
beforeAll(async () => {
  app = await buildApp('atakora-audit-feed-package-');
});
afterAll(async () => {
  await app?.remove();
});

describe('the deployed package reads the audit container’s feed for webhooks', () => {
  it('registers atakora-webhooks-audit on the planned connection, database, container and lease container', async () => {
    const { json, written, settings } = deployed(['audit', 'webhooks']);
    const connection = written[SETTING];
    expect(connection).toBe('NOTE_API_CHANGE_FEED');
    // The identity-based connection the host reads: endpoint, credential, the client id of NoteApi's identity.
    expect(written[`${connection}__accountEndpoint`]).toMatch(/documents\.azure\.com/);
    expect(written[`${connection}__credential`]).toBe('managedidentity');
    const clientId = String(written[`${connection}__clientId`]);
    expect(clientId).toMatch(/^\$\{azurerm_user_assigned_identity\.[^.]+\.client_id\}$/);

    const loaded = await runHost(app.dir, settings, []);
    const fn = loaded.functions.find((f) => f.name === 'atakora-webhooks-audit');
    expect(fn, loaded.functions.map((f) => f.name).join(', ')).toBeDefined();
    const trigger = Object.values(fn!.bindings).find((b) => b['direction'] === 'in');
    expect(trigger).toMatchObject({
      type: 'cosmosDBTrigger',
      connection,
      databaseName: 'atakora',
      containerName: 'audit',
      leaseContainerName: 'audit-leases',
      leaseContainerPrefix: 'atakora-webhooks.',
      createLeaseContainerIfNotExists: false,
    });

    // The lease container it names is in the stack, and the connection's identity may write it.
    const containers = Object.values(
      json.resource['azurerm_cosmosdb_sql_container'] as Record<string, Block>,
    );
    expect(containers.filter((c) => c['name'] === 'audit-leases')).toHaveLength(1);
    const identity = clientId.slice(2, -'.client_id}'.length);
    const roles = Object.values(
      json.resource['azurerm_cosmosdb_sql_role_assignment'] as Record<string, Block>,
    ).filter((r) => String(r['principal_id']).startsWith(`\${${identity}.`));
    const on = (container: string) =>
      roles.filter((r) => String(r['scope']).endsWith(`/dbs/atakora/colls/${container}`));
    expect(on('audit-leases').map((r) => String(r['role_definition_id']))).toEqual([
      expect.stringContaining(CONTRIBUTOR),
    ]);
    expect(on('audit')).toHaveLength(1);
  });

  it('registers none when no plan includes webhooks', async () => {
    const { written, settings } = deployed(['audit']);
    expect(written[SETTING]).toBeUndefined();
    const loaded = await runHost(app.dir, settings, []);
    // It loaded (the CRUD routes are there), without the trigger.
    expect(loaded.functions.map((f) => f.name)).toContain('health');
    expect(loaded.functions.map((f) => f.name)).not.toContain('atakora-webhooks-audit');
  });
});
