import { Testing, CosmosdbAccount, DataAzurermCosmosdbAccount } from '../support/engine.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectHonest } from '../support/synth.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { PlanError } from '../../src/model/errors.js';

Testing.setupJest();
type Res = Record<string, unknown>;
type Synth = {
  resource: Record<string, Record<string, Res>>;
  data?: Record<string, Record<string, Res>>;
};

/** The seeds' disaster-recovery components (Example 8), identical in both regions. */
const drComponents = () => ({
  userApi: CrudApi.define('UserApi', {
    entityName: 'User',
    schema: { id: 'string', email: 'string', name: 'string', lastModified: 'timestamp' },
    partitionKey: '/id',
  }),
  transactionApi: CrudApi.define('TransactionApi', {
    entityName: 'Transaction',
    schema: { id: 'string', userId: 'string', amount: 'number', timestamp: 'timestamp' },
    partitionKey: '/userId',
  }),
});

describe('disaster recovery: the seeds primary + DR backends in two stacks of one app', () => {
  const primaryRegion = 'eastus';
  const drRegion = 'westus2';
  const primary = defineBackend(drComponents(), {
    environment: 'production',
    location: primaryRegion,
    cosmosConfig: {
      enableMultiRegion: true,
      failoverPolicies: [
        { locationName: primaryRegion, priority: 0 },
        { locationName: drRegion, priority: 1 },
      ],
      consistencyLevel: 'Session',
      enableAutomaticFailover: true,
    },
    monitoring: { enabled: true, retentionDays: 180, workspaceName: 'dr-workspace-primary' },
    tags: { role: 'primary', dr: 'enabled', rto: '1-hour', rpo: '15-minutes' },
  });
  const dr = defineBackend(drComponents(), {
    environment: 'production-dr',
    location: drRegion,
    cosmosConfig: { useExisting: true, accountName: 'cosmos-app-primary', readLocation: drRegion },
    monitoring: { enabled: true, retentionDays: 180, workspaceName: 'dr-workspace-secondary' },
    tags: { role: 'dr', dr: 'enabled', status: 'standby' },
  });
  let p: { text: string; json: Synth };
  let d: { text: string; json: Synth };

  beforeAll(() => {
    const app = Testing.app();
    const primaryStack = new ResourceGroupStack(app, 'PrimaryStack', {
      resourceGroupName: 'rg-app-primary',
      location: primaryRegion,
    });
    primary.addToStack(primaryStack);
    const drStack = new ResourceGroupStack(app, 'DRStack', {
      resourceGroupName: 'rg-app-dr',
      location: drRegion,
    });
    dr.addToStack(drStack);
    const pt = Testing.synth(primaryStack);
    const dt = Testing.synth(drStack);
    p = { text: pt, json: JSON.parse(pt) as Synth };
    d = { text: dt, json: JSON.parse(dt) as Synth };
  });

  it('primary: one account in both regions, priorities 0 and 1, automatic failover', () => {
    const accounts = Object.values(p.json.resource['azurerm_cosmosdb_account']!);
    expect(accounts).toHaveLength(1);
    expect(accounts[0]!['geo_location']).toEqual([
      { location: 'eastus', failover_priority: 0 },
      { location: 'westus2', failover_priority: 1 },
    ]);
    expect(p.text).toHaveResourceWithProperties(CosmosdbAccount, {
      automatic_failover_enabled: true,
      location: 'eastus',
      consistency_policy: { consistency_level: 'Session' },
      local_authentication_disabled: true,
    });
  });

  it('primary: serverless cannot span regions, so the account is provisioned, with a warning', () => {
    const account = Object.values(p.json.resource['azurerm_cosmosdb_account']!)[0]!;
    expect(account['capabilities']).toEqual([]);
    const cosmos = primary.plan().resources.find((r) => r.key === 'cosmos:shared')!;
    expect(cosmos.config).toMatchObject({ serverless: false, automaticFailover: true });
    expect(primary.plan().issues.map((i) => i.code)).toContain(
      'COSMOS_PROVISIONED_FOR_MULTI_REGION',
    );
    expect(primary.plan().issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('DR: reads the account through a data source and creates no account, databases or containers', () => {
    expect(d.json.resource['azurerm_cosmosdb_account']).toBeUndefined();
    expect(d.json.resource['azurerm_cosmosdb_sql_database']).toBeUndefined();
    expect(d.json.resource['azurerm_cosmosdb_sql_container']).toBeUndefined();
    expect(d.text).toHaveDataSourceWithProperties(DataAzurermCosmosdbAccount, {
      name: 'cosmos-app-primary',
      resource_group_name: 'rg-app-dr',
    });
    const cosmos = dr.plan().resources.find((r) => r.key === 'cosmos:shared')!;
    expect(cosmos.name).toBe('cosmos-app-primary');
    // Only the grants are the DR stack's, each waiting for its new principal (worst on an existing account).
    expect(cosmos.deploys.map((x) => x.terraformType)).toEqual([
      'azurerm_cosmosdb_sql_role_assignment',
      'azurerm_cosmosdb_sql_role_assignment',
      'time_sleep',
      'time_sleep',
    ]);
    expect(cosmos.estimatedMonthlyUsd).toBe(0);
  });

  it('DR: grants its Function App data roles scoped to the existing account containers', () => {
    const [dataName] = Object.keys(d.json.data!['azurerm_cosmosdb_account']!);
    const grants = Object.values(d.json.resource['azurerm_cosmosdb_sql_role_assignment']!);
    expect(grants.map((g) => g['scope']).sort()).toEqual([
      `\${data.azurerm_cosmosdb_account.${dataName}.id}/dbs/transaction-db/colls/transaction`,
      `\${data.azurerm_cosmosdb_account.${dataName}.id}/dbs/user-db/colls/user`,
    ]);
    for (const g of grants) {
      expect(g).toMatchObject({
        account_name: `\${data.azurerm_cosmosdb_account.${dataName}.name}`,
        resource_group_name: 'rg-app-dr',
        // Each component's own user-assigned identity holds its grant.
        principal_id: expect.stringMatching(
          /^\$\{azurerm_user_assigned_identity\.[\w-]+\.principal_id\}$/,
        ) as never,
      });
      expect(String(g['role_definition_id'])).toMatch(
        new RegExp(
          `^\\$\\{data\\.azurerm_cosmosdb_account\\.${dataName}\\.id\\}/sqlRoleDefinitions/`,
        ),
      );
    }
  });

  it('DR: points the endpoint settings and handles at the existing account, and says why in the plan', () => {
    const func = Object.values(d.json.resource['azurerm_function_app_flex_consumption']!)[0]!;
    const settings = func['app_settings'] as Record<string, string>;
    expect(settings['USER_API_COSMOS_ENDPOINT']).toBe(
      'https://cosmos-app-primary.documents.azure.com:443/',
    );
    expect(settings['TRANSACTION_API_COSMOS_ENDPOINT']).toBe(
      'https://cosmos-app-primary.documents.azure.com:443/',
    );
    expect(dr.components.userApi.cosmosAccountName).toBe('cosmos-app-primary');
    const note = dr.plan().issues.find((i) => i.code === 'COSMOS_USE_EXISTING');
    expect(note).toMatchObject({ severity: 'warning' });
    expect(note!.message).toMatch(/databases and containers are managed by/);
  });

  it('both stacks are honest: planned deploys equal the synthesized resources', () => {
    for (const [backend, out] of [
      [primary, p],
      [dr, d],
    ] as const) {
      expectHonest(backend.plan(), out.json);
    }
  });

  it('each region has its own workspace and Application Insights', () => {
    expect(Object.values(p.json.resource['azurerm_log_analytics_workspace']!)[0]).toMatchObject({
      name: 'dr-workspace-primary',
      retention_in_days: 180,
      location: 'eastus',
    });
    expect(Object.values(d.json.resource['azurerm_log_analytics_workspace']!)[0]).toMatchObject({
      name: 'dr-workspace-secondary',
      retention_in_days: 180,
      location: 'westus2',
    });
  });
});

describe('cosmosConfig: account-level settings', () => {
  const api = () => ({
    userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
  });

  it('useExisting without accountName is a plan error COSMOS_EXISTING_NAME_MISSING and apply refuses', () => {
    const backend = defineBackend(api(), { cosmosConfig: { useExisting: true } });
    expect(backend.plan().issues).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        code: 'COSMOS_EXISTING_NAME_MISSING',
        path: ['config', 'cosmosConfig', 'accountName'],
      }),
    );
    const stack = new ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg',
      location: 'eastus',
    });
    expect(() => backend.apply(stack)).toThrow(PlanError);
  });

  it('a DR backend that names the primary account it replicates deploys beside it in one app without a name collision', () => {
    const policies = [
      { locationName: 'eastus', priority: 0 },
      { locationName: 'westus2', priority: 1 },
    ];
    // The primary's final names are in its plan only when it knows its target (else they wait for apply).
    const primary = defineBackend(api(), {
      environment: 'prod',
      location: 'eastus',
      naming: { uniqueSeed: 'sub-1/rg-primary' },
      cosmosConfig: { failoverPolicies: policies, enableAutomaticFailover: true },
    });
    const accountName = primary.plan().resources.find((r) => r.key === 'cosmos:shared')!.name;
    expect(accountName).not.toContain('tgtxxx');
    const dr = defineBackend(api(), {
      environment: 'prod',
      location: 'westus2',
      cosmosConfig: { useExisting: true, accountName, resourceGroupName: 'rg-primary' },
    });
    const app = Testing.app();
    primary.apply(
      new ResourceGroupStack(app, 'P', { resourceGroupName: 'rg-primary', location: 'eastus' }),
    );
    const drStack = new ResourceGroupStack(app, 'D', {
      resourceGroupName: 'rg-dr',
      location: 'westus2',
    });
    expect(() => dr.apply(drStack)).not.toThrow();
    const json = JSON.parse(Testing.synth(drStack)) as Synth;
    expect(Object.values(json.data!['azurerm_cosmosdb_account']!)[0]).toMatchObject({
      name: accountName,
      resource_group_name: 'rg-primary',
    });
    expect(dr.components.userApi.cosmosEndpoint).toBe(primary.components.userApi.cosmosEndpoint);
  });

  it('useExisting reads from cosmosConfig.resourceGroupName when given', () => {
    const backend = defineBackend(api(), {
      cosmosConfig: {
        useExisting: true,
        accountName: 'cosmos-shared-x',
        resourceGroupName: 'rg-data',
      },
    });
    const stack = new ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg',
      location: 'eastus',
    });
    backend.apply(stack);
    const json = JSON.parse(Testing.synth(stack)) as Synth;
    expect(Object.values(json.data!['azurerm_cosmosdb_account']!)[0]).toMatchObject({
      name: 'cosmos-shared-x',
      resource_group_name: 'rg-data',
    });
    expect(Object.values(json.resource['azurerm_cosmosdb_sql_role_assignment']!)[0]).toMatchObject({
      resource_group_name: 'rg-data',
    });
  });

  it('enableMultiRegion without failoverPolicies warns and keeps one region', () => {
    const backend = defineBackend(api(), { cosmosConfig: { enableMultiRegion: true } });
    expect(backend.plan().issues).toContainEqual(
      expect.objectContaining({ severity: 'warning', code: 'COSMOS_MULTI_REGION_NO_POLICIES' }),
    );
    const stack = new ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg',
      location: 'eastus',
    });
    backend.apply(stack);
    const json = JSON.parse(Testing.synth(stack)) as Synth;
    const account = Object.values(json.resource['azurerm_cosmosdb_account']!)[0]!;
    expect(account['geo_location']).toEqual([{ location: 'eastus', failover_priority: 0 }]);
    expect(account['capabilities']).toEqual([{ name: 'EnableServerless' }]);
  });

  it('the backend location joins as priority 0 when not listed; policies are sorted by priority', () => {
    const backend = defineBackend(api(), {
      location: 'eastus',
      cosmosConfig: {
        failoverPolicies: [
          { locationName: 'northeurope', priority: 2 },
          { locationName: 'westus2', priority: 1 },
        ],
      },
    });
    expect(
      backend.plan().resources.find((r) => r.key === 'cosmos:shared')!.config['geoLocations'],
    ).toEqual([
      { location: 'eastus', failoverPriority: 0 },
      { location: 'westus2', failoverPriority: 1 },
      { location: 'northeurope', failoverPriority: 2 },
    ]);
  });

  it('duplicate or gapped priorities are a plan error COSMOS_FAILOVER_INVALID', () => {
    const dup = defineBackend(api(), {
      location: 'eastus',
      cosmosConfig: { failoverPolicies: [{ locationName: 'westus2', priority: 0 }] },
    });
    expect(dup.plan().issues.map((i) => i.code)).toContain('COSMOS_FAILOVER_INVALID');
    const gap = defineBackend(api(), {
      location: 'eastus',
      cosmosConfig: {
        failoverPolicies: [
          { locationName: 'eastus', priority: 0 },
          { locationName: 'westus2', priority: 3 },
        ],
      },
    });
    expect(gap.plan().issues.map((i) => i.code)).toContain('COSMOS_FAILOVER_INVALID');
  });

  it('only the default (shared) account gets the account-level settings', () => {
    const backend = defineBackend(
      {
        userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
        auditApi: CrudApi.define('AuditApi', {
          entityName: 'Audit',
          schema: { id: 'string' },
          consistency: 'Strong',
        }),
      },
      {
        cosmosConfig: {
          failoverPolicies: [
            { locationName: 'eastus', priority: 0 },
            { locationName: 'westus2', priority: 1 },
          ],
          enableAutomaticFailover: true,
        },
      },
    );
    const cosmos = backend.plan().resources.filter((r) => r.type === 'cosmos');
    expect(cosmos).toHaveLength(2);
    const shared = cosmos.find((r) => r.key === 'cosmos:shared')!;
    const other = cosmos.find((r) => r.key !== 'cosmos:shared')!;
    expect(shared.config['geoLocations']).toHaveLength(2);
    expect(other.config).not.toHaveProperty('geoLocations');
    expect(other.config).not.toHaveProperty('automaticFailover');
  });

  it('without cosmosConfig the merged config carries no account-level fields (existing plans unchanged)', () => {
    const config = defineBackend(api())
      .plan()
      .resources.find((r) => r.key === 'cosmos:shared')!.config;
    expect(Object.keys(config).sort()).toEqual([
      'capabilities',
      'consistency',
      'databases',
      'location',
      'serverless',
    ]);
  });
});

describe('multi-region: the seeds three regional backends in three stacks', () => {
  const regions = [
    { name: 'eastus', displayName: 'US East' },
    { name: 'westeurope', displayName: 'West Europe' },
    { name: 'southeastasia', displayName: 'Southeast Asia' },
  ];
  const components = () => ({
    userApi: CrudApi.define('UserApi', {
      entityName: 'User',
      schema: { id: 'string', email: 'string', name: 'string', region: 'string' },
      partitionKey: '/region',
    }),
    productApi: CrudApi.define('ProductApi', {
      entityName: 'Product',
      schema: { id: 'string', name: 'string', price: 'number', region: 'string' },
      partitionKey: '/region',
    }),
  });
  let stacks: {
    region: string;
    backend: ReturnType<typeof defineBackend<ReturnType<typeof components>>>;
    json: Synth;
  }[];

  beforeAll(() => {
    const app = Testing.app();
    stacks = regions.map((region) => {
      const backend = defineBackend(components(), {
        environment: 'production',
        location: region.name,
        monitoring: {
          enabled: true,
          retentionDays: 90,
          workspaceName: `myapp-workspace-${region.name}`,
        },
        tags: {
          region: region.name,
          regionDisplay: region.displayName,
          multiRegion: 'true',
          project: 'global-app',
        },
      });
      const stack = new ResourceGroupStack(app, `GlobalStack-${region.name}`, {
        resourceGroupName: `rg-global-${region.name}`,
        location: region.name,
      });
      backend.addToStack(stack);
      return { region: region.name, backend, json: JSON.parse(Testing.synth(stack)) as Synth };
    });
  });

  it('every stack synthesizes honestly in its own region', () => {
    for (const s of stacks) {
      expectHonest(s.backend.plan(), s.json);
      for (const t of [
        'azurerm_cosmosdb_account',
        'azurerm_function_app_flex_consumption',
        'azurerm_storage_account',
        'azurerm_log_analytics_workspace',
        'azurerm_application_insights',
      ]) {
        for (const r of Object.values(s.json.resource[t]!)) {
          expect(r['location']).toBe(s.region);
          expect(r['tags']).toMatchObject({ region: s.region, multiRegion: 'true' });
        }
      }
    }
  });

  it('globally unique names never collide across regions: the naming token differs by target (resource group and location)', () => {
    const names = (t: string) =>
      stacks.flatMap((s) => Object.values(s.json.resource[t]!).map((r) => String(r['name'])));
    for (const t of [
      'azurerm_cosmosdb_account',
      'azurerm_function_app_flex_consumption',
      'azurerm_storage_account',
      'azurerm_log_analytics_workspace',
    ]) {
      const all = names(t);
      expect(all).toHaveLength(3);
      expect(new Set(all).size).toBe(3);
    }
    const tokens = stacks.map((s) =>
      String(Object.values(s.json.resource['azurerm_cosmosdb_account']!)[0]!['name'])
        .split('-')
        .at(-1),
    );
    expect(new Set(tokens).size).toBe(3);
    // Before apply the plan shows the placeholder and says how apply derives the token.
    for (const s of stacks)
      expect(s.backend.plan().naming).toMatchObject({ token: 'tgtxxx', atApply: true });
    const endpoints = stacks.map((s) =>
      Object.values((s.json as { output?: Record<string, { value: unknown }> }).output ?? {})
        .map((o) => String(o.value))
        .find((v) => v.endsWith('/api/users')),
    );
    expect(new Set(endpoints).size).toBe(3);
  });
});
