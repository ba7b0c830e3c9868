/**
 * Tenant events to webhooks from the audit container's change feed, on the plan's side (DESIGN §2, "Integrations":
 * the organization's events "delivered from the change feed"): the runtime registers `atakora-webhooks-audit` on the
 * registry's `audit` container only when the app setting `ATAKORA_WEBHOOK_AUDIT_FEED` names a change feed connection
 * the app has (runtime/start-runtime.ts). A membership backend whose plan includes `webhooks` gets that setting (a
 * tenant-scoped CrudApi's own `<PREFIX>_CHANGE_FEED`), the lease container `atakora/audit-leases` and that CrudApi's
 * identity granted Contributor on it (the trigger writes its leases; Learn, "Azure Cosmos DB bindings for Azure
 * Functions 2.x and higher", identity-based connections: the trigger needs Cosmos DB Built-in Data Contributor);
 * a backend without webhooks gets none of it — all as the real providers synthesize it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import { functionApps } from '../support/app-packages.js';
import { expectHonest, synth } from '../support/synth.js';
import {
  catalog,
  notes,
  settingsOf,
  webhooksBackend as backendOf,
  webhooksOptions as options,
} from './support/webhook-backends.js';

type Block = Record<string, unknown>;
const SETTING = 'ATAKORA_WEBHOOK_AUDIT_FEED';
const CONTRIBUTOR = '00000000-0000-0000-0000-000000000002';
const orders = () =>
  CrudApi.define('OrderApi', { entityName: 'Order', schema: { id: 'string', total: 'number' } });
const containersOf = (plan: ResourcePlan) =>
  plan.resources
    .filter((r) => r.type === 'cosmos')
    .flatMap((r) =>
      (
        r.config['databases'] as {
          name: string;
          containers: { name: string; partitionKey: string; access: Record<string, string> }[];
        }[]
      ).flatMap((d) => d.containers.map((c) => ({ ...c, path: `${d.name}/${c.name}` }))),
    );
const functionCount = (plan: ResourcePlan) =>
  Number(plan.resources.find((r) => r.key === 'functions:shared')?.config['functionCount']);

describe('a backend whose plans include webhooks reads the audit container’s change feed', () => {
  it('names a change feed connection the app has, plans audit-leases for its identity, and synthesizes honestly', () => {
    const backend = backendOf(['webhooks']);
    const plan = backend.plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const settings = settingsOf(plan);
    // The tenant-scoped CrudApi's own connection: the runtime registers the trigger only when it exists.
    expect(settings[SETTING]).toBe('NOTE_API_CHANGE_FEED');
    expect(settings['NOTE_API_CHANGE_FEED__accountEndpoint']).toBeDefined();
    expect(settings['NOTE_API_CHANGE_FEED__credential']).toBe('managedidentity');
    const leases = containersOf(plan).find((c) => c.path === 'atakora/audit-leases');
    expect(leases).toMatchObject({ partitionKey: '/id', access: { NoteApi: 'readwrite' } });
    // The feed's own container: its identity reads it as a consumer of the registry's account.
    expect(containersOf(plan).find((c) => c.path === 'atakora/audit')?.access['NoteApi']).toBe(
      'readwrite',
    );
    // The plan says why it is there.
    const why = plan.issues.find((i) => i.code === 'WEBHOOKS_FROM_CHANGE_FEED');
    expect(why?.message).toContain('atakora-webhooks-audit');
    expect(why?.message).toContain('audit-leases');

    const json = synth(backend);
    expectHonest(plan, json);
    const app = functionApps(json.resource)[0]!;
    const written = app['app_settings'] as Record<string, string>;
    expect(written[SETTING]).toBe('NOTE_API_CHANGE_FEED');
    // Apply completes the named connection with NoteApi's own identity…
    const clientId = String(written['NOTE_API_CHANGE_FEED__clientId']);
    expect(clientId).toMatch(/^\$\{azurerm_user_assigned_identity\.[^.]+\.client_id\}$/);
    const identity = clientId.slice(2, -'.client_id}'.length);
    // …which holds Contributor on audit-leases (its leases are written) and a data role on audit (the feed is read).
    const roles = Object.values(
      json.resource['azurerm_cosmosdb_sql_role_assignment'] as Record<string, Block>,
    );
    const on = (container: string) =>
      roles.filter(
        (r) =>
          String(r['scope']).endsWith(`/dbs/atakora/colls/${container}`) &&
          String(r['principal_id']).startsWith(`\${${identity}.`),
      );
    expect(on('audit-leases')).toHaveLength(1);
    expect(String(on('audit-leases')[0]!['role_definition_id'])).toContain(CONTRIBUTOR);
    expect(on('audit')).toHaveLength(1);
    const containers = Object.values(
      json.resource['azurerm_cosmosdb_sql_container'] as Record<string, Block>,
    );
    expect(containers.find((c) => c['name'] === 'audit-leases')).toMatchObject({
      partition_key_paths: ['/id'],
    });
  });

  it('counts the trigger among the CRUD app’s functions', () => {
    const count = functionCount(backendOf(['webhooks']).plan());
    // One entity feed (NoteApi; CatalogApi is shared) and the audit feed.
    expect(count).toBe(functionCount(backendOf(['audit']).plan()) + 2);
  });

  it('plans none of it when no plan includes webhooks, or no plan lists features', () => {
    for (const features of [['audit'], undefined]) {
      const plan = backendOf(features).plan();
      expect(settingsOf(plan)[SETTING]).toBeUndefined();
      expect(containersOf(plan).map((c) => c.path)).not.toContain('atakora/audit-leases');
      const json = synth(backendOf(features));
      const roles = Object.values(
        (json.resource['azurerm_cosmosdb_sql_role_assignment'] ?? {}) as Record<string, Block>,
      );
      expect(roles.filter((r) => String(r['scope']).endsWith('/audit-leases'))).toEqual([]);
    }
  });

  it('shares audit-leases with a tenant-events function: one container, both identities granted', () => {
    const mail = FunctionsApp.define('Mail', {
      runtime: 'node',
      functions: {
        welcome: {
          trigger: 'tenant-events',
          events: ['member.added'],
          handler: './test/packaging/fixtures/tick.ts',
        },
      },
    });
    const plan = backendOf(['webhooks'], { mail }).plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const leases = containersOf(plan).filter((c) => c.path === 'atakora/audit-leases');
    expect(leases).toHaveLength(1);
    expect(leases[0]?.access).toMatchObject({ Mail: 'readwrite', NoteApi: 'readwrite' });
    expect(settingsOf(plan)[SETTING]).toBe('NOTE_API_CHANGE_FEED');
  });

  it('whatever the components and their order: the setting iff webhooks and a tenant-scoped CrudApi, naming a planned connection with audit-leases', () => {
    const pool = { notes, orders, catalog } as const;
    fc.assert(
      fc.property(
        fc.subarray(Object.keys(pool) as (keyof typeof pool)[], { minLength: 1 }),
        fc.boolean(),
        fc.boolean(),
        (keys, webhooks, reversed) => {
          const order = reversed ? [...keys].reverse() : keys;
          const components = Object.fromEntries(order.map((k) => [k, pool[k]()]));
          const plan = defineBackend(
            components,
            options(webhooks ? ['webhooks'] : ['audit']),
          ).plan();
          const settings = settingsOf(plan);
          const fed = webhooks && keys.some((k) => k !== 'catalog');
          const leases = containersOf(plan).find((c) => c.path === 'atakora/audit-leases');
          if (!fed) {
            expect(settings[SETTING]).toBeUndefined();
            expect(leases).toBeUndefined();
            return;
          }
          const connection = settings[SETTING]!;
          // The first tenant-scoped CrudApi by key, whatever the order given.
          const host = keys.includes('notes') ? 'NoteApi' : 'OrderApi';
          expect(connection).toBe(
            host === 'NoteApi' ? 'NOTE_API_CHANGE_FEED' : 'ORDER_API_CHANGE_FEED',
          );
          expect(settings[`${connection}__accountEndpoint`]).toBeDefined();
          expect(leases?.access[host]).toBe('readwrite');
        },
      ),
      { numRuns: 20 },
    );
  });
});
