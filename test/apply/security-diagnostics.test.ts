import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { StaticSiteWithCdn } from '../../src/components/web/index.js';
import { defineComponent } from '../../src/components/custom/define.js';
import { expectHonest, synth } from '../support/synth.js';

const components = () => ({
  userApi: CrudApi.define('UserApi', {
    entityName: 'User',
    schema: { id: 'string', name: 'string' },
  }),
  site: StaticSiteWithCdn.define('Web', { indexDocument: 'index.html' }),
  secrets: defineComponent({
    type: 'Billing',
    id: 'Billing',
    config: { secrets: ['stripe-key'], access: 'read' },
    requirements: (c) => [
      {
        resourceType: 'functions',
        requirementKey: 'billing-fn',
        config: { runtime: 'node', functionCount: 1 },
      },
      { resourceType: 'keyvault', requirementKey: 'billing-kv', config: c },
    ],
  }),
});

type Setting = {
  target_resource_id: string;
  log_analytics_workspace_id: string;
  enabled_log?: { category_group: string }[];
  enabled_metric: { category: string }[];
};

describe('diagnostics: with monitoring on, every resource reports to the workspace', () => {
  const backend = defineBackend(components(), { monitoring: true });
  const json = synth(backend);
  const settings = Object.values(
    json.resource['azurerm_monitor_diagnostic_setting'] ?? {},
  ) as unknown as Setting[];
  const [workspace] = Object.keys(json.resource['azurerm_log_analytics_workspace'] ?? {});
  const targeting = (type: string, suffix = '') =>
    settings.filter((s) =>
      new RegExp(`^\\$\\{${type}\\.[\\w-]+\\.id\\}${suffix}$`).test(s.target_resource_id),
    );

  it('Cosmos DB, storage (account, blob, queue, table), Function App, Key Vault and Front Door each get one setting', () => {
    const cosmos = targeting('azurerm_cosmosdb_account');
    expect(cosmos).toHaveLength(Object.keys(json.resource['azurerm_cosmosdb_account']!).length);
    expect(cosmos[0]).toMatchObject({
      enabled_log: [{ category_group: 'allLogs' }],
      enabled_metric: [{ category: 'Requests' }],
    });
    const accounts = Object.keys(json.resource['azurerm_storage_account']!).length;
    expect(targeting('azurerm_storage_account')).toHaveLength(accounts);
    expect(targeting('azurerm_storage_account')[0]!.enabled_log).toBeUndefined();
    for (const svc of ['blobServices', 'queueServices', 'tableServices']) {
      const s = targeting('azurerm_storage_account', `/${svc}/default`);
      expect(s, svc).toHaveLength(accounts);
      expect(s[0]!.enabled_log).toEqual([{ category_group: 'allLogs' }]);
    }
    for (const type of [
      'azurerm_function_app_flex_consumption',
      'azurerm_key_vault',
      'azurerm_cdn_frontdoor_profile',
    ]) {
      const s = targeting(type);
      expect(s, type).toHaveLength(Object.keys(json.resource[type] ?? {}).length);
      expect(s.length, type).toBeGreaterThan(0);
      expect(s[0]).toMatchObject({
        enabled_log: [{ category_group: 'allLogs' }],
        enabled_metric: [{ category: 'AllMetrics' }],
      });
    }
    for (const s of settings)
      expect(s.log_analytics_workspace_id).toBe(
        `\${azurerm_log_analytics_workspace.${workspace}.id}`,
      );
  });

  it('the plan lists every setting (honest)', () => {
    expectHonest(backend.plan(), json);
  });

  it('monitoring off: no diagnostic settings', () => {
    expect(
      synth(defineBackend(components())).resource['azurerm_monitor_diagnostic_setting'],
    ).toBeUndefined();
  });
});

describe('diagnostics: a membership backend with the SCIM app', () => {
  const backend = defineBackend(
    { userApi: components().userApi },
    {
      monitoring: true,
      tenants: { by: 'membership', plans: { free: {} }, defaultPlan: 'free', scimApp: true },
    },
  );
  const json = synth(backend);
  const settings = Object.values(
    json.resource['azurerm_monitor_diagnostic_setting'] ?? {},
  ) as unknown as Setting[];

  it('both Function Apps (the serving app and the SCIM app) report to the one workspace, alike (honest)', () => {
    const apps = Object.keys(json.resource['azurerm_function_app_flex_consumption'] ?? {});
    expect(apps.sort()).toEqual(['backend_functions_shared', 'backend_scim_shared']);
    const [workspace] = Object.keys(json.resource['azurerm_log_analytics_workspace'] ?? {});
    for (const app of apps) {
      const s = settings.filter(
        (d) => d.target_resource_id === `\${azurerm_function_app_flex_consumption.${app}.id}`,
      );
      expect(s, app).toHaveLength(1);
      expect(s[0], app).toMatchObject({
        log_analytics_workspace_id: `\${azurerm_log_analytics_workspace.${workspace}.id}`,
        enabled_log: [{ category_group: 'allLogs' }],
        enabled_metric: [{ category: 'AllMetrics' }],
      });
    }
    expectHonest(backend.plan(), json);
  });
});

describe('hygiene: storage the backend owns keeps deleted and overwritten blobs recoverable', () => {
  it('blob soft delete, container soft delete and versioning on every storage account', () => {
    const json = synth(defineBackend(components()));
    const accounts = Object.values(json.resource['azurerm_storage_account'] ?? {});
    expect(accounts.length).toBeGreaterThan(0);
    for (const a of accounts) {
      expect(a['blob_properties']).toMatchObject({
        versioning_enabled: true,
        delete_retention_policy: { days: 7 },
        container_delete_retention_policy: { days: 7 },
      });
    }
  });

  it('Key Vault denies by default in isolated mode', () => {
    const json = synth(defineBackend(components(), { networking: 'isolated' }));
    for (const kv of Object.values(json.resource['azurerm_key_vault'] ?? {})) {
      expect(kv).toMatchObject({
        public_network_access_enabled: false,
        network_acls: { default_action: 'Deny' },
      });
    }
  });
});
