import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { seedsComponents } from './fixtures.js';

describe('planner: the seeds overview backend', () => {
  const plan = defineBackend(seedsComponents(), { environment: 'prod', location: 'eastus' }).plan();

  it('shares one Cosmos account, one Function App and one Storage account among three APIs', () => {
    expect(plan.summary.resources).toBe(3);
    expect(plan.summary.unsharedResources).toBe(9);
    expect(plan.summary.reduction).toBeCloseTo(0.667, 3);
    expect(plan.resources.map((r) => r.key)).toEqual([
      'cosmos:shared',
      'functions:shared',
      'storage:shared',
    ]);
    for (const r of plan.resources)
      expect(r.consumers).toEqual(['OrderApi', 'ProductApi', 'UserApi']);
  });

  it('lists every Terraform resource apply will create', () => {
    const count = (t: string) =>
      plan.resources.flatMap((r) => r.deploys).filter((d) => d.terraformType === t).length;
    expect(count('azurerm_cosmosdb_account')).toBe(1);
    expect(count('azurerm_cosmosdb_sql_database')).toBe(3);
    expect(count('azurerm_cosmosdb_sql_container')).toBe(3);
    expect(count('azurerm_cosmosdb_sql_role_assignment')).toBe(3);
    expect(count('azurerm_function_app_flex_consumption')).toBe(1);
    expect(count('azurerm_service_plan')).toBe(1);
    expect(count('azurerm_storage_account')).toBe(1);
  });

  it('gives each component typed outputs known from the plan', () => {
    const user = plan.components.find((c) => c.key === 'userApi')!;
    const func = plan.resources.find((r) => r.type === 'functions')!;
    expect(user.outputs['apiEndpoint']).toBe(`https://${func.name}.azurewebsites.net/api/users`);
    expect(user.resources).toEqual({
      cosmos: 'cosmos:shared',
      functions: 'functions:shared',
      storage: 'storage:shared',
    });
    expect(user.outputs['databaseName']).toBe('user-db');
  });

  it('namespaces per-component app settings and resolves the Cosmos endpoint', () => {
    const settings = plan.resources.find((r) => r.type === 'functions')!.config[
      'appSettings'
    ] as Record<string, string>;
    const cosmos = plan.resources.find((r) => r.type === 'cosmos')!;
    expect(settings['USER_API_COSMOS_ENDPOINT']).toBe(
      `https://${cosmos.name}.documents.azure.com:443/`,
    );
    expect(settings['PRODUCT_API_DATABASE_NAME']).toBe('product-db');
    expect(Object.keys(settings).some((k) => k === 'COSMOS_ENDPOINT')).toBe(false);
  });

  it('names resources {type}-{app}-{env} with a deterministic token for global names', () => {
    const names = Object.fromEntries(plan.resources.map((r) => [r.type, r.name]));
    expect(names['cosmos']).toMatch(/^cosmos-backend-prod-[a-z0-9]{6}$/);
    expect(names['functions']).toMatch(/^func-backend-prod-[a-z0-9]{6}$/);
    expect(names['storage']).toMatch(/^stbackendprod[a-z0-9]{6}$/);
  });
});

describe('planner: compatibility groups', () => {
  const api = (id: string, extra: Record<string, unknown> = {}) =>
    CrudApi.define(id, { entityName: id.replace('Api', ''), schema: { id: 'string' }, ...extra });

  it('Session vs Strong → two Cosmos accounts; the default group keeps the plain name', () => {
    const plan = defineBackend({
      a: api('AApi'),
      b: api('BApi', { consistency: 'Strong' }),
    }).plan();
    const cosmos = plan.resources.filter((r) => r.type === 'cosmos');
    expect(cosmos.map((r) => r.key)).toEqual(['cosmos:shared', 'cosmos:strong-serverless-eastus']);
    expect(cosmos[1]!.consumers).toEqual(['BApi']);
    expect(cosmos[1]!.name).toContain('strong');
  });

  it('serverless vs provisioned → two Cosmos accounts', () => {
    const plan = defineBackend({ a: api('AApi'), b: api('BApi', { throughput: 400 }) }).plan();
    expect(plan.resources.filter((r) => r.type === 'cosmos').length).toBe(2);
  });

  it('two components naming the same database → one database with both containers', () => {
    const plan = defineBackend({
      a: api('AApi', { databaseName: 'shop' }),
      b: api('BApi', { databaseName: 'shop' }),
    }).plan();
    const dbs = plan.resources.find((r) => r.type === 'cosmos')!.config['databases'] as {
      name: string;
      containers: { name: string }[];
    }[];
    expect(dbs).toHaveLength(1);
    expect(dbs[0]!.containers.map((c) => c.name)).toEqual(['a', 'b']);
  });

  it('same container with a different partition key → an error that says "partition key"', () => {
    const plan = defineBackend({
      a: CrudApi.define('AApi', {
        entityName: 'Data',
        schema: { id: 'string' },
        partitionKey: '/id',
      }),
      b: CrudApi.define('BApi', {
        entityName: 'Data',
        schema: { id: 'string', tenantId: 'string' },
        partitionKey: '/tenantId',
      }),
    }).plan();
    const issue = plan.issues.find((i) => i.code === 'PARTITION_KEY_CONFLICT');
    expect(issue?.severity).toBe('error');
    expect(issue?.message).toContain('partition key');
    expect(issue?.components).toEqual(['AApi', 'BApi']);
  });

  it('read-only operations get read access; shared containers keep both grants', () => {
    const plan = defineBackend({
      readOnlyApi: CrudApi.define('ReadOnlyApi', {
        entityName: 'Data',
        operations: ['read', 'list'],
        schema: { id: 'string' },
      }),
      adminApi: CrudApi.define('AdminApi', { entityName: 'Data', schema: { id: 'string' } }),
    }).plan();
    const c = (
      plan.resources.find((r) => r.type === 'cosmos')!.config['databases'] as {
        containers: { access: Record<string, string> }[];
      }[]
    )[0]!.containers[0]!;
    expect(c.access).toEqual({ AdminApi: 'readwrite', ReadOnlyApi: 'read' });
  });

  it('the seeds limit example: maxCosmosAccounts 1 with two incompatible groups → a violation', () => {
    const b = defineBackend(
      { a: api('AApi'), b: api('BApi', { consistency: 'Strong' }) },
      { limits: { maxCosmosAccounts: 1 } },
    );
    expect(b.plan().limitViolations).toEqual([
      expect.objectContaining({
        limit: 'maxCosmosAccounts',
        allowed: 1,
        requested: 2,
        resourceType: 'cosmos',
        message: 'Maximum Cosmos DB accounts exceeded',
      }),
    ]);
    expect(b.validate().valid).toBe(false);
  });

  it('a secret-looking value in config is an error pointing at Key Vault and identity', () => {
    const plan = defineBackend(
      { a: api('AApi') },
      { tags: { conn: 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abcd==' } },
    ).plan();
    expect(plan.issues.map((i) => i.code)).toContain('SECRET_IN_CONFIG');
  });
});

describe('planner: settings that would weaken security are refused with a warning', () => {
  const one = () => ({ a: CrudApi.define('AApi', { entityName: 'A', schema: { id: 'string' } }) });
  it('enforceHttps: false and useManagedIdentity: false', () => {
    const plan = defineBackend(one(), { enforceHttps: false, useManagedIdentity: false }).plan();
    expect(plan.issues.filter((i) => i.severity === 'warning').map((i) => i.code)).toEqual([
      'HTTPS_ALWAYS_ON',
      'IDENTITY_ALWAYS_ON',
    ]);
    expect(defineBackend(one()).plan().issues).toEqual([]);
  });
  it('autoScale gives provisioned containers an autoscale maximum (multiple of 1,000)', () => {
    const plan = defineBackend(one(), {
      autoScale: { enabled: true, minThroughput: 400, maxThroughput: 9500 },
    }).plan();
    const cosmos = plan.resources.find((r) => r.type === 'cosmos')!;
    expect(cosmos.config['serverless']).toBe(false);
    const c = (
      cosmos.config['databases'] as { containers: { autoscaleMaxThroughput?: number }[] }[]
    )[0]!.containers[0]!;
    expect(c.autoscaleMaxThroughput).toBe(10000);
    expect(plan.issues.map((i) => i.code)).toContain('AUTOSCALE_RANGE');
  });
});

describe('planner: CrudApi health checks', () => {
  it('the seeds healthCheck maps to /api/health with an eviction time from interval × threshold', () => {
    const plan = defineBackend({
      api: CrudApi.define('Api', {
        entityName: 'Entity',
        schema: { id: 'string' },
        healthCheck: { path: '/health', interval: 30, timeout: 10, unhealthyThreshold: 3 },
      }),
    }).plan();
    const f = plan.resources.find((r) => r.type === 'functions')!.config;
    expect([f['healthCheckPath'], f['healthCheckEvictionMinutes']]).toEqual(['/api/health', 2]);
  });
  it('a path the runtime does not serve is refused', () => {
    expect(() =>
      CrudApi.define('Api', {
        entityName: 'Entity',
        schema: { id: 'string' },
        healthCheck: { path: '/status' },
      }),
    ).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
