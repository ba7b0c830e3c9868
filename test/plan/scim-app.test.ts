/**
 * The SCIM app (docs/enterprise.md, "The SCIM app"): a membership backend gets a second Function App, `scim:shared`,
 * of the shared app's hosting kind, with no `auth_settings_v2`, `ATAKORA_APP_ROLE=scim`, the same runtime package,
 * and an identity of its own holding roles on the registry's containers only (the records read, members, audit and
 * usage written) — and on the vault, hub and Application Insights the shared app uses, each at that resource's
 * scope. Absent without organizations, when no plan includes `scim`, and with isolated networking (a warning). The
 * plan says why and what it costs; what it deploys is what synthesizes; its Tenant URL is an output.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import type { AtakoraError } from '../../src/model/errors.js';
import { defineComponent } from '../../src/components/custom/define.js';
import { expectHonest, synth } from '../support/synth.js';

type Block = Record<string, unknown>;
const notes = () => CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });
const membership = {
  by: 'membership',
  plans: { free: {} },
  defaultPlan: 'free',
  scimApp: true,
} as const satisfies BackendConfig['tenants'];
const backendOf = (config: BackendConfig, components = { notes: notes() }) =>
  defineBackend(components, {
    naming: { uniqueSeed: 'sub/rg' },
    location: 'westeurope',
    ...config,
  });
const scimOf = (config: BackendConfig) =>
  backendOf(config)
    .plan()
    .resources.find((r) => r.type === 'scim');

/** A component asking for an Elastic Premium Function App: the shared app, and so the SCIM app, on EP1. */
const premium = defineComponent({
  type: 'Premium',
  id: 'Premium',
  config: {},
  requirements: () => [
    {
      resourceType: 'functions',
      requirementKey: 'Premium-functions',
      config: { runtime: 'node', functionCount: 1, sku: 'EP1' },
    },
  ],
});

describe('a membership backend plans the SCIM app beside the shared app', () => {
  it('Flex Consumption like the shared app, its own plan, identities and package; why and cost; honest', () => {
    const backend = backendOf({ tenants: membership });
    const plan = backend.plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const scim = plan.resources.find((r) => r.type === 'scim')!;
    const shared = plan.resources.find((r) => r.key === 'functions:shared')!;
    expect(scim.key).toBe('scim:shared');
    expect(scim.name).toMatch(/^func-backend-dev-scim-[a-z0-9]{6}$/);
    expect(scim.config['sku']).toBe(shared.config['sku']);
    expect(scim.config['serves']).toBe('functions:shared');
    expect(String(scim.config['why'])).toContain('App Service authentication');
    expect(scim.config['url']).toBe(`https://${scim.name}.azurewebsites.net/api/scim/v2`);
    expect(scim.estimatedMonthlyUsd).toBe(shared.estimatedMonthlyUsd);
    expect(scim.estimatedMonthlyUsd).toBeGreaterThan(0);
    expect(scim.config['containers']).toEqual({
      audit: 'readwrite',
      members: 'readwrite',
      tenants: 'read',
      usage: 'readwrite',
    });
    expect(scim.deploys.map((d) => d.terraformType).sort()).toEqual([
      ...Array(4).fill('azurerm_cosmosdb_sql_role_assignment'),
      'azurerm_function_app_flex_consumption',
      ...Array(3).fill('azurerm_role_assignment'),
      'azurerm_service_plan',
      'azurerm_storage_blob',
      'azurerm_storage_container',
      'azurerm_user_assigned_identity',
      'azurerm_user_assigned_identity',
      'time_sleep',
    ]);
    const json = synth(backend);
    expectHonest(plan, json);
  });

  it('the app: no auth_settings_v2, the SCIM role, its own identities, the same package bytes as the shared app', () => {
    const json = synth(backendOf({ tenants: membership }));
    const apps = json.resource['azurerm_function_app_flex_consumption'] as Record<string, Block>;
    const app = apps['backend_scim_shared']!;
    const shared = apps['backend_functions_shared']!;
    expect(shared['auth_settings_v2']).toBeDefined();
    expect(app['auth_settings_v2']).toBeUndefined();
    expect(app['public_network_access_enabled']).toBe(true);
    expect(app['https_only']).toBe(true);
    const settings = app['app_settings'] as Record<string, string>;
    expect(settings['ATAKORA_APP_ROLE']).toBe('scim');
    expect(settings['ATAKORA_MANIFEST']).toBe(
      (shared['app_settings'] as Record<string, string>)['ATAKORA_MANIFEST'],
    );
    // The component's identity setting names the SCIM app's data identity: the only one attached to it.
    expect(settings['NOTE_API_AZURE_CLIENT_ID']).toBe(
      '${azurerm_user_assigned_identity.backend_scim_shared_data_identity.client_id}',
    );
    expect(settings['AzureWebJobsStorage__clientId']).toBe(
      '${azurerm_user_assigned_identity.backend_scim_shared_host_identity.client_id}',
    );
    expect(settings['AzureFunctionsWebHost__hostid']).not.toBe(
      (shared['app_settings'] as Record<string, string>)['AzureFunctionsWebHost__hostid'],
    );
    expect(app['identity']).toEqual({
      type: 'SystemAssigned, UserAssigned',
      identity_ids: [
        '${azurerm_user_assigned_identity.backend_scim_shared_host_identity.id}',
        '${azurerm_user_assigned_identity.backend_scim_shared_data_identity.id}',
      ],
    });
    // Deploy uploads the one runtime package twice: two blobs, the same bytes (MD5 of the same file content).
    const blobs = json.resource['azurerm_storage_blob'] as Record<string, Block>;
    const source = (b: Block | undefined) => String(b?.['source']).replace(/^.*\//, '');
    expect(source(blobs['backend_scim_shared_package_blob'])).toBe(
      source(blobs['backend_functions_shared_package_blob']),
    );
    // The Tenant URL on the host Azure gives the app, and a trigger sync like every app's.
    expect(json.output?.['backend_scim_shared_url']?.value).toBe(
      'https://${azurerm_function_app_flex_consumption.backend_scim_shared.default_hostname}/api/scim/v2',
    );
    expect(json.output?.['atakora_sync_triggers_backend_scim_shared']).toBeDefined();
  });

  it("least privilege: data roles scoped to the registry's four containers, Reader on the records; nothing else", () => {
    const json = synth(backendOf({ tenants: membership }));
    const all = json.resource['azurerm_cosmosdb_sql_role_assignment'] as Record<string, Block>;
    const mine = Object.entries(all).filter(([, b]) =>
      String(b['principal_id']).includes('backend_scim_shared_data_identity'),
    );
    expect(
      mine
        .map(([, b]) => [
          String(b['scope']).replace(/^.*\/dbs\//, 'dbs/'),
          String(b['role_definition_id']).slice(-1),
        ])
        .sort(),
    ).toEqual([
      ['dbs/atakora/colls/audit', '2'],
      ['dbs/atakora/colls/members', '2'],
      ['dbs/atakora/colls/tenants', '1'],
      ['dbs/atakora/colls/usage', '2'],
    ]);
    // No CrudApi container, no account- or database-wide role; no Azure role on storage but its host's three.
    const roles = json.resource['azurerm_role_assignment'] as Record<string, Block>;
    const azureRoles = Object.entries(roles)
      .filter(([name]) => name.startsWith('backend_scim_shared'))
      .map(([, b]) => String(b['role_definition_name']))
      .sort();
    expect(azureRoles).toEqual([
      'Storage Blob Data Owner',
      'Storage Queue Data Contributor',
      'Storage Table Data Contributor',
    ]);
  });

  it("the shared app's vault, hub and Application Insights: one role each at that resource", () => {
    const backend = backendOf(
      {
        tenants: {
          ...membership,
          plans: { free: { stripe: { price: 'price_1', perSeat: true } } },
          billing: {
            stripe: { secret: 'STRIPE_KEY', webhookSecret: 'STRIPE_WEBHOOK', meters: {} },
          },
        },
        monitoring: { enabled: true },
        realtime: {},
      },
      {
        notes: CrudApi.define('NoteApi', {
          entityName: 'Note',
          schema: { id: 'string' },
          realtime: true,
        }),
      },
    );
    const plan = backend.plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const json = synth(backend);
    expectHonest(plan, json);
    const roles = json.resource['azurerm_role_assignment'] as Record<string, Block>;
    const of = (name: string) => roles[name]!;
    expect(of('backend_scim_shared_secrets_keyvault_shared')).toMatchObject({
      role_definition_name: 'Key Vault Secrets User',
      scope: '${azurerm_key_vault.backend_keyvault_shared.id}',
    });
    expect(of('backend_scim_shared_realtime')).toMatchObject({
      role_definition_name: 'Web PubSub Service Owner',
      principal_id:
        '${azurerm_user_assigned_identity.backend_scim_shared_data_identity.principal_id}',
    });
    expect(of('backend_scim_shared_publisher')).toMatchObject({
      role_definition_name: 'Monitoring Metrics Publisher',
      principal_id:
        '${azurerm_function_app_flex_consumption.backend_scim_shared.identity[0].principal_id}',
    });
  });

  it('Elastic Premium like the shared app: a Linux app of its own plan, run from its own copy of the package', () => {
    const backend = backendOf({ tenants: membership }, { notes: notes(), premium } as never);
    const plan = backend.plan();
    expect(plan.resources.find((r) => r.type === 'scim')?.config['sku']).toBe('EP1');
    const json = synth(backend);
    expectHonest(plan, json);
    const app = (json.resource['azurerm_linux_function_app'] as Record<string, Block>)[
      'backend_scim_shared'
    ]!;
    expect(app['auth_settings_v2']).toBeUndefined();
    expect(app['key_vault_reference_identity_id']).toBe(
      '${azurerm_user_assigned_identity.backend_scim_shared_host_identity.id}',
    );
    const settings = app['app_settings'] as Record<string, string>;
    expect(settings['WEBSITE_RUN_FROM_PACKAGE']).toBe(
      '${azurerm_storage_blob.backend_scim_shared_package_blob.url}',
    );
    expect(settings['ATAKORA_APP_ROLE']).toBe('scim');
  });

  it("a FunctionsApp's handlers stay on the shared app: the SCIM app runs the runtime alone", () => {
    const jobs = FunctionsApp.define('Jobs', {
      runtime: 'node',
      functions: { tick: { trigger: 'timer', schedule: '0 0 * * * *' } },
    });
    const plan = defineBackend({ notes: notes(), jobs }, { tenants: membership }).plan();
    const scim = plan.resources.find((r) => r.type === 'scim');
    expect(scim?.config['functionCount']).toBe(11);
    expect(
      plan.resources.find((r) => r.key === 'functions:shared')?.config['hostedFunctions'],
    ).toBeDefined();
  });
});

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return (e as AtakoraError).code;
  }
  return undefined;
};

describe('the SCIM app is opt-in (tenants.scimApp)', () => {
  it('by default a membership backend keeps one Function App, isolated or not, and no SCIM_APP_ISOLATED', () => {
    const { scimApp: _, ...byDefault } = membership;
    const plan = backendOf({ tenants: byDefault }).plan();
    expect(plan.resources.filter((r) => r.type === 'scim')).toEqual([]);
    expect(plan.resources.filter((r) => r.type === 'functions')).toHaveLength(1);
    expect(scimOf({ tenants: { ...byDefault, scimApp: false } })).toBeUndefined();
    const isolated = backendOf({
      tenants: byDefault,
      networking: { mode: 'isolated', deployerAddresses: ['203.0.113.7'] },
    }).plan();
    expect(isolated.issues.some((i) => i.code === 'SCIM_APP_ISOLATED')).toBe(false);
  });

  it('scimApp: true without membership, without a plan with scim, or not a boolean is a config error', () => {
    expect(
      codeOf(() =>
        scimOf({
          auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
          tenants: { plans: { free: {} }, defaultPlan: 'free', scimApp: true },
        }),
      ),
    ).toBe('TENANTS_SCIM_APP_INVALID');
    expect(
      codeOf(() =>
        scimOf({ tenants: { ...membership, plans: { free: { features: ['audit'] } } } }),
      ),
    ).toBe('TENANTS_SCIM_APP_INVALID');
    const notBoolean = codeOf(() =>
      scimOf({ tenants: { ...membership, scimApp: 'yes' } as never }),
    );
    expect(notBoolean).toBeDefined();
    expect(notBoolean).not.toBe('TENANTS_SCIM_APP_INVALID');
  });
});

describe('no SCIM app where SCIM is not served', () => {
  it('without organizations, and with isolated networking (a warning)', () => {
    expect(scimOf({})).toBeUndefined();
    expect(
      scimOf({
        auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
        tenants: { plans: { free: {} }, defaultPlan: 'free' },
      }),
    ).toBeUndefined();
    expect(
      scimOf({
        tenants: {
          ...membership,
          plans: { free: { features: ['audit'] }, pro: { features: ['scim'] } },
        },
      }),
    ).toBeDefined();
    const isolated = backendOf({
      tenants: membership,
      networking: { mode: 'isolated', deployerAddresses: ['203.0.113.7'] },
    }).plan();
    expect(isolated.resources.some((r) => r.type === 'scim')).toBe(false);
    expect(isolated.issues.find((i) => i.code === 'SCIM_APP_ISOLATED')?.severity).toBe('warning');
  });
});

describe('the SCIM app, as a property of any membership backend', () => {
  it('is planned exactly when opted in and SCIM is served and reachable, its roles never past the four containers', () => {
    const featureSets = fc.constantFrom<(readonly string[] | undefined)[]>(
      [undefined],
      [['audit']],
      [['scim']],
      [['audit'], ['scim', 'audit']],
      [undefined, undefined],
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom('NoteApi', 'TaskApi', 'ItemApi'), { minLength: 1 }),
        featureSets,
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (ids, features, byMembership, isolated, optIn) => {
          const plans = Object.fromEntries(
            features.map((f, i) => [`p${String(i)}`, f === undefined ? {} : { features: [...f] }]),
          );
          const components = Object.fromEntries(
            ids.map((id) => [
              id.toLowerCase(),
              CrudApi.define(id, { entityName: id.replace('Api', ''), schema: { id: 'string' } }),
            ]),
          );
          const config = {
            ...(byMembership
              ? {
                  tenants: {
                    by: 'membership' as const,
                    plans,
                    defaultPlan: 'p0',
                    ...(optIn ? { scimApp: true } : {}),
                  },
                }
              : {}),
            ...(isolated
              ? { networking: { mode: 'isolated' as const, deployerAddresses: ['203.0.113.7'] } }
              : {}),
          };
          const declares = features.some((f) => f !== undefined);
          const serves = byMembership && (!declares || features.some((f) => f?.includes('scim')));
          const opted = optIn && byMembership;
          if (opted && !serves) {
            expect(codeOf(() => backendOf(config, components as never).plan())).toBe(
              'TENANTS_SCIM_APP_INVALID',
            );
            return;
          }
          const plan = backendOf(config, components as never).plan();
          const scim = plan.resources.filter((r) => r.type === 'scim');
          expect(scim.length).toBe(opted && serves && !isolated ? 1 : 0);
          expect(plan.resources.filter((r) => r.type === 'functions')).toHaveLength(1);
          expect(plan.issues.some((i) => i.code === 'SCIM_APP_ISOLATED')).toBe(
            opted && serves && isolated,
          );
          for (const r of scim) {
            expect(Object.keys(r.config['containers'] as object).sort()).toEqual([
              'audit',
              'members',
              'tenants',
              'usage',
            ]);
            expect(r.consumers).toEqual([]);
            // Every Cosmos DB role it deploys is one of its four, by name.
            const cosmosRoles = r.deploys.filter(
              (d) => d.terraformType === 'azurerm_cosmosdb_sql_role_assignment',
            );
            expect(cosmosRoles.map((d) => d.name.replace(/^.*_data_/, '')).sort()).toEqual([
              'audit',
              'members',
              'tenants',
              'usage',
            ]);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('maxFunctionApps counts the opted-in SCIM app', () => {
  it('one app allowed: the opt-in is a violation naming two; the default one app is none', () => {
    const limits = { maxFunctionApps: 1 };
    const opted = backendOf({ tenants: membership, limits }).plan().limitViolations;
    expect(opted.map((v) => [v.limit, v.allowed, v.requested])).toEqual([
      ['maxFunctionApps', 1, 2],
    ]);
    const { scimApp: _, ...byDefault } = membership;
    const plain = backendOf({ tenants: byDefault, limits }).plan();
    expect(plain.limitViolations).toEqual([]);
    expect(plain.resources.filter((r) => r.type === 'scim')).toEqual([]);
    expect(
      backendOf({ tenants: membership, limits: { maxFunctionApps: 2 } }).plan().limitViolations,
    ).toEqual([]);
  });
});

describe('the SCIM app with monitoring: the serving app’s diagnostics and alerts, its own', () => {
  type Setting = Block & { enabled_log?: unknown; enabled_metric?: unknown };
  const monitored = (monitoring: BackendConfig['monitoring']) =>
    backendOf({ tenants: membership, monitoring });
  const deploysOf = (plan: ReturnType<ReturnType<typeof backendOf>['plan']>, key: string) =>
    plan.resources
      .find((r) => r.key === key)!
      .deploys.filter((d) => d.terraformType.startsWith('azurerm_monitor_'))
      .map((d) => `${d.terraformType}.${d.name}`)
      .sort();

  it('plans a diagnostic setting and the three alerts under scim:shared, with their price; honest', () => {
    const backend = monitored({
      enabled: true,
      alerting: { errorThreshold: 9, latencyThreshold: 2500 },
    });
    const plan = backend.plan();
    const scim = plan.resources.find((r) => r.type === 'scim')!;
    const shared = plan.resources.find((r) => r.key === 'functions:shared')!;
    expect(deploysOf(plan, 'scim:shared')).toEqual([
      'azurerm_monitor_diagnostic_setting.backend_scim_shared_diag',
      'azurerm_monitor_metric_alert.backend_scim_shared_alert_errors',
      'azurerm_monitor_metric_alert.backend_scim_shared_alert_latency',
      'azurerm_monitor_metric_alert.backend_scim_shared_alert_unauthorized',
    ]);
    expect(scim.config['alerts']).toEqual({
      errorThreshold: 9,
      latencyThreshold: 2500,
      unauthorizedThreshold: 20,
    });
    // Three metric alerts at $0.10 a month each (monitoring prices the serving app's the same way).
    expect(scim.estimatedMonthlyUsd).toBeCloseTo(shared.estimatedMonthlyUsd + 0.3, 2);
    // Monitoring keeps exactly what it had: the serving app's alerts, no second copy of the SCIM app's.
    expect(deploysOf(plan, 'monitoring:shared').filter((d) => /scim/.test(d))).toEqual([]);
    expectHonest(plan, synth(backend));
  });

  it('its diagnostic setting sends what the serving app’s sends, to the same workspace', () => {
    const json = synth(monitored(true));
    const settings = json.resource['azurerm_monitor_diagnostic_setting'] as Record<string, Setting>;
    const mine = settings['backend_scim_shared_diag']!;
    const served = Object.values(settings).find(
      (s) =>
        s['target_resource_id'] ===
        '${azurerm_function_app_flex_consumption.backend_functions_shared.id}',
    )!;
    expect(mine['target_resource_id']).toBe(
      '${azurerm_function_app_flex_consumption.backend_scim_shared.id}',
    );
    expect(mine['name']).toMatch(/^diag-func-backend-dev-scim-[a-z0-9]{6}$/);
    expect(mine['log_analytics_workspace_id']).toBe(served['log_analytics_workspace_id']);
    expect(mine['enabled_log']).toEqual(served['enabled_log']);
    expect(mine['enabled_metric']).toEqual(served['enabled_metric']);
    expect(mine['enabled_log']).toEqual([{ category_group: 'allLogs' }]);
    expect(mine['log_analytics_destination_type']).toBeUndefined();
  });

  it('its alerts: HTTP 5xx, latency and 401 of the SCIM app, named for it, told to the receivers', () => {
    const backend = monitored({
      enabled: true,
      alerting: { errorThreshold: 3, latencyThreshold: 1500, emails: ['ops@example.com'] },
    });
    const scimName = backend.plan().resources.find((r) => r.type === 'scim')!.name;
    const json = synth(backend);
    const alerts = json.resource['azurerm_monitor_metric_alert'] as Record<string, Block>;
    expect(Object.keys(alerts)).toHaveLength(5);
    const errors = alerts['backend_scim_shared_alert_errors']!;
    const latency = alerts['backend_scim_shared_alert_latency']!;
    const unauthorized = alerts['backend_scim_shared_alert_unauthorized']!;
    expect(errors).toMatchObject({
      name: `alert-${scimName}-errors`,
      scopes: ['${azurerm_function_app_flex_consumption.backend_scim_shared.id}'],
      severity: 1,
      window_size: 'PT5M',
      criteria: [{ metric_namespace: 'Microsoft.Web/sites', metric_name: 'Http5xx', threshold: 3 }],
      action: [
        {
          action_group_id:
            '${azurerm_monitor_action_group.backend_monitoring_shared_action-group.id}',
        },
      ],
    });
    expect(String(errors['description'])).toContain('scim:shared');
    expect(latency).toMatchObject({
      name: `alert-${scimName}-latency`,
      severity: 2,
      criteria: [{ metric_name: 'HttpResponseTime', aggregation: 'Average', threshold: 1.5 }],
    });
    // Someone guessing SCIM tokens: more than 20 HTTP 401 answers in 5 minutes, to the same receivers.
    expect(unauthorized).toMatchObject({
      name: `alert-${scimName}-unauthorized`,
      scopes: ['${azurerm_function_app_flex_consumption.backend_scim_shared.id}'],
      severity: 2,
      frequency: 'PT1M',
      window_size: 'PT5M',
      auto_mitigate: true,
      criteria: [
        {
          metric_namespace: 'Microsoft.Web/sites',
          metric_name: 'Http401',
          aggregation: 'Total',
          operator: 'GreaterThan',
          threshold: 20,
        },
      ],
      action: errors['action'],
    });
    expect(String(unauthorized['description'])).toContain('scim:shared');
    // Only the SCIM app answers 401 to a guessed token: the serving app gets no such alert.
    expect(
      Object.values(alerts).filter((a) =>
        (a['criteria'] as { metric_name: string }[]).some((c) => c.metric_name === 'Http401'),
      ),
    ).toEqual([unauthorized]);
    // The serving app's pair, unchanged beside them.
    expect(
      Object.values(alerts)
        .filter(
          (a) =>
            String(a['name']).startsWith('alert-func-backend-dev-') &&
            !String(a['name']).includes('-scim-'),
        )
        .map((a) => (a['scopes'] as string[])[0]),
    ).toEqual([
      '${azurerm_function_app_flex_consumption.backend_functions_shared.id}',
      '${azurerm_function_app_flex_consumption.backend_functions_shared.id}',
    ]);
  });

  it('its telemetry: the connection string, Entra ID ingestion and trace export, as the serving app', () => {
    const json = synth(monitored(true));
    const apps = json.resource['azurerm_function_app_flex_consumption'] as Record<string, Block>;
    for (const name of ['backend_scim_shared', 'backend_functions_shared']) {
      const app = apps[name]!;
      expect((app['site_config'] as Block)['application_insights_connection_string'], name).toBe(
        '${azurerm_application_insights.backend_monitoring_shared.connection_string}',
      );
      const settings = app['app_settings'] as Record<string, string>;
      expect(settings['APPLICATIONINSIGHTS_AUTHENTICATION_STRING'], name).toBe('Authorization=AAD');
      expect(settings['ATAKORA_TRACES'], name).toBeDefined();
    }
  });

  it('alerting off: the diagnostic setting alone; monitoring off: neither', () => {
    const quiet = monitored({ enabled: true, alerting: { enabled: false } });
    const plan = quiet.plan();
    expect(deploysOf(plan, 'scim:shared')).toEqual([
      'azurerm_monitor_diagnostic_setting.backend_scim_shared_diag',
    ]);
    expect(plan.resources.find((r) => r.type === 'scim')!.config['alerts']).toBeUndefined();
    expectHonest(plan, synth(quiet));
    expect(deploysOf(backendOf({ tenants: membership }).plan(), 'scim:shared')).toEqual([]);
  });

  it('Elastic Premium: the Linux app gets the same setting and alerts', () => {
    const backend = backendOf({ tenants: membership, monitoring: true }, {
      notes: notes(),
      premium,
    } as never);
    const plan = backend.plan();
    const json = synth(backend);
    expectHonest(plan, json);
    const target = '${azurerm_linux_function_app.backend_scim_shared.id}';
    const settings = json.resource['azurerm_monitor_diagnostic_setting'] as Record<string, Block>;
    expect(settings['backend_scim_shared_diag']!['target_resource_id']).toBe(target);
    const alerts = json.resource['azurerm_monitor_metric_alert'] as Record<string, Block>;
    expect(alerts['backend_scim_shared_alert_errors']!['scopes']).toEqual([target]);
    expect(alerts['backend_scim_shared_alert_unauthorized']!['scopes']).toEqual([target]);
  });

  it('as a property: the SCIM app’s monitoring deploys mirror the serving app’s plus its 401 alert, and its price follows', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 100, max: 10_000 }),
        (on, alerting, errorThreshold, latencyThreshold) => {
          const plan = backendOf({
            tenants: membership,
            monitoring: {
              enabled: on,
              alerting: { enabled: alerting, errorThreshold, latencyThreshold },
            },
          }).plan();
          const scim = plan.resources.find((r) => r.type === 'scim')!;
          const shared = plan.resources.find((r) => r.key === 'functions:shared')!;
          const kinds = (marker: string) =>
            plan.resources
              .flatMap((r) => r.deploys)
              .filter(
                (d) => d.terraformType.startsWith('azurerm_monitor_') && d.name.includes(marker),
              )
              .map((d) => d.terraformType)
              .sort();
          const alerted = on && alerting;
          // What monitoring plans for the serving app (its diagnostic setting and alerts), the SCIM app plans for
          // itself, and with alerting on one metric alert more: the 401s.
          expect(kinds('scim_shared')).toEqual(
            alerted
              ? [...kinds('functions_shared'), 'azurerm_monitor_metric_alert'].sort()
              : kinds('functions_shared'),
          );
          expect(kinds('scim_shared')).toHaveLength(on ? (alerting ? 4 : 1) : 0);
          expect(
            scim.deploys.some((d) => d.name === 'backend_scim_shared_alert_unauthorized'),
          ).toBe(alerted);
          expect(scim.config['alerts']).toEqual(
            alerted ? { errorThreshold, latencyThreshold, unauthorizedThreshold: 20 } : undefined,
          );
          // Each metric alert $0.10 a month: the SCIM app's three.
          expect(scim.estimatedMonthlyUsd).toBeCloseTo(
            shared.estimatedMonthlyUsd + (alerted ? 0.3 : 0),
            2,
          );
        },
      ),
      { numRuns: 30 },
    );
  });
});
