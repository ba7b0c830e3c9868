/**
 * Tenant events in the plan (DESIGN §2, "Organizations their Owners run"): a FunctionsApp function with `trigger:
 * 'tenant-events'` is the Cosmos DB trigger of the organizations' audit log — its lease container `audit-leases`
 * beside it, its connection by the component's identity, a data role on both —, refused with an unknown event
 * name (`FUNCTIONS_TENANT_EVENTS_INVALID`) and on a backend without tenants by membership
 * (`TENANT_EVENTS_NEED_MEMBERSHIP`).
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp, type FunctionDefinition } from '../../src/components/functions/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import type { HostedFunction } from '../../src/model/requirements.js';
import { synth, thrown } from '../support/synth.js';

const membership = {
  tenants: { by: 'membership', plans: { free: {} }, defaultPlan: 'free' },
} as BackendConfig;
const notes = () => CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });
const welcome = (fn: Partial<FunctionDefinition> = {}) =>
  FunctionsApp.define('Welcome', {
    runtime: 'node',
    functions: {
      mail: {
        trigger: 'tenant-events',
        events: ['member.added'],
        handler: './test/packaging/fixtures/tick.ts',
        ...fn,
      } as FunctionDefinition,
    },
  });

describe('a tenant-events function', () => {
  it('is the Cosmos DB trigger of the audit container, its leases and roles planned', () => {
    const plan = defineBackend({ notes: notes(), welcome: welcome() }, membership).plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const app = plan.resources.find((r) => r.type === 'functions');
    const hosted = (app?.config as unknown as { hostedFunctions: HostedFunction[] })
      .hostedFunctions;
    expect(hosted.find((f) => f.name === 'Welcome-mail')).toMatchObject({
      trigger: 'tenant-events',
      events: ['member.added'],
      connection: 'WELCOME_CHANGE_FEED',
      database: 'atakora',
      container: 'audit',
      leaseContainer: 'audit-leases',
    });
    const json = synth(defineBackend({ notes: notes(), welcome: welcome() }, membership));
    const containers = Object.values(json.resource['azurerm_cosmosdb_sql_container'] ?? {}) as {
      name: string;
      partition_key_paths: string[];
    }[];
    expect(containers.find((c) => c.name === 'audit-leases')).toMatchObject({
      partition_key_paths: ['/id'],
    });
    const scopes = (
      Object.values(json.resource['azurerm_cosmosdb_sql_role_assignment'] ?? {}) as {
        scope: string;
      }[]
    ).map((g) => g.scope);
    expect(scopes.filter((s) => s.endsWith('/dbs/atakora/colls/audit-leases')).length).toBe(1);
    // The audit container is read by the Welcome identity too (one grant per component of the account).
    expect(scopes.filter((s) => s.endsWith('/dbs/atakora/colls/audit')).length).toBe(2);
  });

  it('takes every event when it names none', () => {
    const plan = defineBackend(
      { notes: notes(), welcome: welcome({ events: undefined }) },
      membership,
    ).plan();
    const app = plan.resources.find((r) => r.type === 'functions');
    const hosted = (app?.config as unknown as { hostedFunctions: HostedFunction[] })
      .hostedFunctions;
    expect(hosted.find((f) => f.name === 'Welcome-mail')?.events).toHaveLength(8);
    expect(hosted.find((f) => f.name === 'Welcome-mail')?.events).toContain('tenant.undeleted');
  });

  it('takes tenant.undeleted by name (an Owner restored the organization)', () => {
    const plan = defineBackend(
      { notes: notes(), welcome: welcome({ events: ['tenant.deleted', 'tenant.undeleted'] }) },
      membership,
    ).plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const app = plan.resources.find((r) => r.type === 'functions');
    const hosted = (app?.config as unknown as { hostedFunctions: HostedFunction[] })
      .hostedFunctions;
    expect(hosted.find((f) => f.name === 'Welcome-mail')?.events).toEqual([
      'tenant.deleted',
      'tenant.undeleted',
    ]);
  });

  it('refuses an unknown event name, naming the nearest', () => {
    const e = thrown(() => welcome({ events: ['member.add' as never] }));
    expect(e).toMatchObject({
      code: 'FUNCTIONS_TENANT_EVENTS_INVALID',
      path: ['components', 'Welcome', 'config', 'functions', 'mail', 'events', 0],
    });
    expect(String((e as { resolution?: string }).resolution)).toContain("'member.added'");
    expect(thrown(() => welcome({ events: [] }))).toMatchObject({
      code: 'FUNCTIONS_TENANT_EVENTS_INVALID',
    });
    expect(thrown(() => welcome({ schedule: '0 0 * * * *' }))).toMatchObject({
      code: 'FUNCTIONS_TRIGGER_INVALID',
    });
  });

  it('needs tenants by membership', () => {
    for (const config of [
      {},
      {
        auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
        tenants: { plans: { free: {} }, defaultPlan: 'free' },
      },
    ] as BackendConfig[]) {
      const plan = defineBackend({ notes: notes(), welcome: welcome() }, config).plan();
      expect(plan.issues.find((i) => i.code === 'TENANT_EVENTS_NEED_MEMBERSHIP')).toMatchObject({
        severity: 'error',
        path: ['components', 'welcome', 'config', 'functions', 'mail', 'trigger'],
      });
    }
  });
});
