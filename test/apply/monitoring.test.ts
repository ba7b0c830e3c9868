import {
  Testing,
  ApplicationInsights,
  FunctionAppFlexConsumption,
  LogAnalyticsWorkspace,
} from '../support/engine.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectHonest, synthText } from '../support/synth.js';
import { plannedAddresses } from '../../src/testing/synth-backend.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { parseTraceSettings } from '../../src/runtime/telemetry/start-telemetry.js';
import { ingestionEstimate } from '../../src/resources/monitoring/ingestion.js';
import { renderPlanText } from '../../src/plan/render/text.js';

Testing.setupJest();
type Res = Record<string, unknown>;
type Synth = {
  resource: Record<string, Record<string, Res>>;
  data?: Record<string, Record<string, Res>>;
};

const MONITORING_TYPES = [
  'azurerm_log_analytics_workspace',
  'azurerm_application_insights',
  'azurerm_monitor_metric_alert',
  'azurerm_monitor_action_group',
];

const values = (json: Synth, type: string) => Object.values(json.resource[type] ?? {});

/** The seeds' multi-tenant example (Example 7) with the best-practices alerting block. */
const multiTenant = () => ({
  authApi: CrudApi.define('AuthApi', {
    entityName: 'User',
    schema: {
      id: 'string',
      tenantId: 'string',
      email: 'string',
      role: 'string',
      permissions: 'array',
    },
    partitionKey: '/tenantId',
  }),
  dataApi: CrudApi.define('DataApi', {
    entityName: 'Data',
    schema: {
      id: 'string',
      tenantId: 'string',
      name: 'string',
      value: 'string',
      createdAt: 'timestamp',
    },
    partitionKey: '/tenantId',
  }),
  tenantApi: CrudApi.define('TenantApi', {
    entityName: 'Tenant',
    schema: {
      id: 'string',
      name: 'string',
      tier: 'string',
      status: 'string',
      limits: 'object',
      createdAt: 'timestamp',
    },
    partitionKey: '/id',
  }),
});

describe('monitoring: the seeds multi-tenant backend with alerting', () => {
  const backend = defineBackend(multiTenant(), {
    environment: 'production',
    location: 'eastus',
    monitoring: {
      enabled: true,
      retentionDays: 90,
      samplingPercentage: 50,
      alerting: { enabled: true, errorThreshold: 7, latencyThreshold: 1500 },
    },
    tags: { architecture: 'multi-tenant' },
  });
  let out: ReturnType<typeof synthText>;
  beforeAll(() => {
    out = synthText(backend);
  });

  it('plans one monitoring:shared serving every Function App consumer', () => {
    const m = backend.plan().resources.find((r) => r.key === 'monitoring:shared');
    expect(m).toBeDefined();
    expect(m!.type).toBe('monitoring');
    expect(m!.consumers).toEqual(['AuthApi', 'DataApi', 'TenantApi']);
    expect(m!.config).toMatchObject({
      retentionDays: 90,
      samplingPercentage: 50,
      functionApps: ['functions:shared'],
      alerting: { enabled: true, errorThreshold: 7, latencyThreshold: 1500 },
    });
    expect(m!.name).toBe(m!.config['workspaceName']);
    // Diagnostic settings are checked in security-diagnostics.test.ts.
    expect(
      m!.deploys
        .map((d) => d.terraformType)
        .filter((t) => t !== 'azurerm_monitor_diagnostic_setting'),
    ).toEqual([
      'azurerm_application_insights',
      'azurerm_log_analytics_workspace',
      'azurerm_monitor_metric_alert',
      'azurerm_monitor_metric_alert',
      'azurerm_role_assignment',
    ]);
  });

  it('creates a Log Analytics workspace and workspace-based Application Insights with local auth off', () => {
    const m = backend.plan().resources.find((r) => r.key === 'monitoring:shared')!;
    expect(out.text).toHaveResourceWithProperties(LogAnalyticsWorkspace, {
      name: m.name,
      retention_in_days: 90,
      location: 'eastus',
      tags: { architecture: 'multi-tenant' },
    });
    expect(out.text).toHaveResourceWithProperties(ApplicationInsights, {
      application_type: 'web',
      sampling_percentage: 50,
      retention_in_days: 90,
      local_authentication_disabled: true,
    });
    const [insights] = values(out.json, 'azurerm_application_insights');
    const [workspaceName] = Object.keys(out.json.resource['azurerm_log_analytics_workspace']!);
    expect(insights!['workspace_id']).toBe(
      `\${azurerm_log_analytics_workspace.${workspaceName}.id}`,
    );
  });

  it('wires the connection string and AAD telemetry auth into the Function App', () => {
    const [insightsName] = Object.keys(out.json.resource['azurerm_application_insights']!);
    expect(out.text).toHaveResourceWithProperties(FunctionAppFlexConsumption, {
      site_config: expect.objectContaining({
        application_insights_connection_string: `\${azurerm_application_insights.${insightsName}.connection_string}`,
      }) as never,
      app_settings: expect.objectContaining({
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD',
      }) as never,
    });
  });

  it('turns on the runtime’s trace export at the configured sampling (ATAKORA_TRACES)', () => {
    const [func] = values(out.json, 'azurerm_function_app_flex_consumption');
    const settings = func!['app_settings'] as Record<string, string>;
    expect(JSON.parse(settings['ATAKORA_TRACES']!)).toEqual({
      exporter: 'azure-monitor',
      samplingPercentage: 50,
    });
    // What the runtime reads it with accepts it (runtime/telemetry/start-telemetry.ts).
    expect(parseTraceSettings(settings['ATAKORA_TRACES']!)).toEqual({
      exporter: 'azure-monitor',
      samplingPercentage: 50,
    });
  });

  it('plans the ingestion at that sampling: the cost line and the resource’s price', () => {
    const m = backend.plan().resources.find((r) => r.key === 'monitoring:shared')!;
    expect(m.config['ingestion']).toEqual(ingestionEstimate(1, 50));
    expect(m.estimatedMonthlyUsd).toBe(ingestionEstimate(1, 50).usdPerMonth + 2 * 0.1);
    expect(renderPlanText(backend.plan())).toMatch(
      /telemetry to Application Insights: traces kept at 50% .*about [\d.]+ GB ingested a month at an assumed 1,000,000 requests: ~\$[\d.]+\/month/,
    );
  });

  it('grants the Function App identity Monitoring Metrics Publisher on Application Insights', () => {
    const [insightsName] = Object.keys(out.json.resource['azurerm_application_insights']!);
    const [funcName] = Object.keys(out.json.resource['azurerm_function_app_flex_consumption']!);
    const publishers = values(out.json, 'azurerm_role_assignment').filter(
      (r) => r['role_definition_name'] === 'Monitoring Metrics Publisher',
    );
    expect(publishers).toHaveLength(1);
    expect(publishers[0]).toMatchObject({
      scope: `\${azurerm_application_insights.${insightsName}.id}`,
      principal_id: `\${azurerm_function_app_flex_consumption.${funcName}.identity[0].principal_id}`,
    });
  });

  it('alerts on HTTP 5xx over the error threshold and on response time over the latency threshold', () => {
    const [funcName] = Object.keys(out.json.resource['azurerm_function_app_flex_consumption']!);
    const alerts = values(out.json, 'azurerm_monitor_metric_alert');
    expect(alerts).toHaveLength(2);
    const criteria = alerts
      .map((a) => (a['criteria'] as Res[])[0]!)
      .sort((a, b) => String(a['metric_name']).localeCompare(String(b['metric_name'])));
    expect(criteria).toEqual([
      {
        metric_namespace: 'Microsoft.Web/sites',
        metric_name: 'Http5xx',
        aggregation: 'Total',
        operator: 'GreaterThan',
        threshold: 7,
      },
      {
        metric_namespace: 'Microsoft.Web/sites',
        metric_name: 'HttpResponseTime',
        aggregation: 'Average',
        operator: 'GreaterThan',
        threshold: 1.5,
      },
    ]);
    for (const a of alerts) {
      expect(a['scopes']).toEqual([`\${azurerm_function_app_flex_consumption.${funcName}.id}`]);
      expect(a['window_size']).toBe('PT5M');
    }
    // No receivers are configured, so no (empty) action group is created.
    expect(out.json.resource['azurerm_monitor_action_group']).toBeUndefined();
  });

  it('is honest: planned deploys equal the synthesized resources', () => {
    expect(
      plannedAddresses(backend.plan()).filter((x) =>
        /^azurerm_(monitor_metric_alert|application_insights|log_analytics_workspace)\./.test(x),
      ),
    ).toHaveLength(4);
    expectHonest(backend.plan(), out.json);
  });
});

describe('monitoring: variants', () => {
  it('monitoring off (the default) creates none of the monitoring resources and wires nothing', () => {
    const backend = defineBackend(multiTenant(), { environment: 'production' });
    const { json } = synthText(backend);
    expect(backend.plan().resources.map((r) => r.type)).not.toContain('monitoring');
    for (const t of MONITORING_TYPES) expect(json.resource[t]).toBeUndefined();
    const [func] = values(json, 'azurerm_function_app_flex_consumption');
    expect(func!['site_config']).not.toHaveProperty('application_insights_connection_string');
    expect(func!['app_settings']).not.toHaveProperty('APPLICATIONINSIGHTS_AUTHENTICATION_STRING');
    expect(func!['app_settings']).not.toHaveProperty('ATAKORA_TRACES');
    expect(
      values(json, 'azurerm_role_assignment').map((r) => r['role_definition_name']),
    ).not.toContain('Monitoring Metrics Publisher');
  });

  it('monitoring: true uses the defaults (30 days, 25 % sampling in prod, alerts at 5 errors / 1 s) and a rule-made workspace name', () => {
    const backend = defineBackend(multiTenant(), { environment: 'prod', monitoring: true });
    const { json, text } = synthText(backend);
    const m = backend.plan().resources.find((r) => r.key === 'monitoring:shared')!;
    expect(m.name).toMatch(/^log-backend-prod/);
    expect(text).toHaveResourceWithProperties(LogAnalyticsWorkspace, {
      name: m.name,
      retention_in_days: 30,
    });
    expect(text).toHaveResourceWithProperties(ApplicationInsights, {
      sampling_percentage: 25,
      local_authentication_disabled: true,
    });
    const [func] = values(json, 'azurerm_function_app_flex_consumption');
    expect(
      JSON.parse((func!['app_settings'] as Record<string, string>)['ATAKORA_TRACES']!),
    ).toEqual({
      exporter: 'azure-monitor',
      samplingPercentage: 25,
    });
    const thresholds = values(json, 'azurerm_monitor_metric_alert')
      .map((a) => (a['criteria'] as Res[])[0]!['threshold'])
      .sort();
    expect(thresholds).toEqual([1, 5]);
    expectHonest(backend.plan(), json);
  });

  it('outside prod every trace is kept by default (100 %)', () => {
    const backend = defineBackend(multiTenant(), { environment: 'staging', monitoring: true });
    const m = backend.plan().resources.find((r) => r.key === 'monitoring:shared')!;
    expect(m.config['samplingPercentage']).toBe(100);
    expect(synthText(backend).text).toHaveResourceWithProperties(ApplicationInsights, {
      sampling_percentage: 100,
    });
  });

  it('alerting disabled: workspace, App Insights and publisher role, but no alerts (plan and synth agree)', () => {
    const backend = defineBackend(multiTenant(), {
      monitoring: { enabled: true, workspaceName: 'my-workspace', alerting: { enabled: false } },
    });
    const { json } = synthText(backend);
    expect(Object.values(json.resource['azurerm_log_analytics_workspace']!)[0]!['name']).toBe(
      'my-workspace',
    );
    expect(json.resource['azurerm_monitor_metric_alert']).toBeUndefined();
    expect(json.resource['azurerm_application_insights']).toBeDefined();
    expectHonest(backend.plan(), json);
  });

  it("an invalid workspace name is refused with the config (the provider's rule, at define time)", () => {
    expect(() =>
      defineBackend(multiTenant(), { monitoring: { enabled: true, workspaceName: 'bad_name!' } }),
    ).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        path: ['config', 'monitoring', 'workspaceName'],
      }),
    );
  });

  it('the plan stays pure and deterministic with monitoring on', () => {
    const config = { monitoring: { enabled: true, retentionDays: 60 } } as const;
    const a = defineBackend(multiTenant(), config).plan();
    const c = multiTenant();
    const b = defineBackend(
      { tenantApi: c.tenantApi, dataApi: c.dataApi, authApi: c.authApi },
      config,
    ).plan();
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(Object.isFrozen(a.resources.find((r) => r.key === 'monitoring:shared'))).toBe(true);
  });
});

describe('monitoring: a membership backend with the SCIM app', () => {
  it('alerts on each Function App, the SCIM app included (with its 401 alert), each scoped to its app and priced', () => {
    const backend = defineBackend(
      { notes: CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } }) },
      {
        monitoring: { enabled: true, alerting: { errorThreshold: 4, latencyThreshold: 800 } },
        tenants: { by: 'membership', plans: { free: {} }, defaultPlan: 'free', scimApp: true },
      },
    );
    const plan = backend.plan();
    const { json } = synthText(backend);
    const byScope = new Map<string, string[]>();
    for (const a of values(json, 'azurerm_monitor_metric_alert')) {
      const scope = (a['scopes'] as string[])[0]!;
      const criteria = (a['criteria'] as Res[])[0]!;
      const alert = `${String(criteria['metric_name'])} > ${Number(criteria['threshold'])}`;
      byScope.set(scope, [...(byScope.get(scope) ?? []), alert].sort());
    }
    expect(Object.fromEntries(byScope)).toEqual({
      '${azurerm_function_app_flex_consumption.backend_functions_shared.id}': [
        'Http5xx > 4',
        'HttpResponseTime > 0.8',
      ],
      '${azurerm_function_app_flex_consumption.backend_scim_shared.id}': [
        'Http401 > 20',
        'Http5xx > 4',
        'HttpResponseTime > 0.8',
      ],
    });
    // $0.10 a month per alert: the serving app's pair under monitoring, the SCIM app's three under its own.
    const m = plan.resources.find((r) => r.key === 'monitoring:shared')!;
    expect(m.estimatedMonthlyUsd).toBeCloseTo(ingestionEstimate(1, 100).usdPerMonth + 0.2, 2);
    const scim = plan.resources.find((r) => r.key === 'scim:shared')!;
    const shared = plan.resources.find((r) => r.key === 'functions:shared')!;
    expect(scim.estimatedMonthlyUsd).toBeCloseTo(shared.estimatedMonthlyUsd + 0.3, 2);
    expectHonest(plan, json);
  });
});

describe('monitoring: alert receivers', () => {
  it('alerting.emails → one action group with email receivers, wired into every alert', () => {
    const backend = defineBackend(multiTenant(), {
      monitoring: { enabled: true, alerting: { emails: ['ops@example.com', 'dev@example.com'] } },
    });
    const { json } = synthText(backend);
    const groups = values(json, 'azurerm_monitor_action_group');
    expect(groups).toHaveLength(1);
    expect(
      (groups[0]!['email_receiver'] as { email_address: string }[]).map((r) => r.email_address),
    ).toEqual(['dev@example.com', 'ops@example.com']);
    expect(String(groups[0]!['short_name']).length).toBeLessThanOrEqual(12);
    for (const alert of values(json, 'azurerm_monitor_metric_alert'))
      expect(JSON.stringify(alert['action'])).toContain('azurerm_monitor_action_group');
    const planned = backend
      .plan()
      .resources.flatMap((r) => r.deploys.map((d) => `${d.terraformType}.${d.name}`))
      .sort();
    const made = Object.entries(json.resource)
      .filter(([t]) => t !== 'azurerm_resource_group')
      .flatMap(([t, v]) => Object.keys(v).map((n) => `${t}.${n}`))
      .sort();
    expect(made).toEqual(planned);
  });

  it('an address that is not an email is refused with its path', () => {
    expect(() =>
      defineBackend(multiTenant(), { monitoring: { alerting: { emails: ['not-an-email'] } } }),
    ).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        path: ['config', 'monitoring', 'alerting', 'emails', 0],
      }),
    );
  });
});
