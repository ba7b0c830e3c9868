import {
  Testing,
  CosmosdbAccount,
  FunctionAppFlexConsumption,
  StorageAccount,
} from '../support/engine.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { AtakoraError, PlanError, ResourceLimitError } from '../../src/model/errors.js';
import { seedsComponents } from '../plan/fixtures.js';
import { synthText } from '../support/synth.js';

Testing.setupJest();
type Synth = {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
};

describe('apply: the seeds overview backend', () => {
  const backend = defineBackend(seedsComponents(), {
    environment: 'prod',
    location: 'eastus',
    tags: { team: 'x' },
  });
  let out: ReturnType<typeof synthText>;
  beforeAll(() => {
    out = synthText(backend, 'rg-myapp-prod');
  });

  it('synthesizes exactly the shared resources', () => {
    const count = (t: string) => Object.keys(out.json.resource[t] ?? {}).length;
    expect(count('azurerm_cosmosdb_account')).toBe(1);
    expect(count('azurerm_cosmosdb_sql_database')).toBe(3);
    expect(count('azurerm_cosmosdb_sql_container')).toBe(3);
    expect(count('azurerm_storage_account')).toBe(1);
    expect(count('azurerm_service_plan')).toBe(1);
    expect(count('azurerm_function_app_flex_consumption')).toBe(1);
    expect(count('azurerm_linux_function_app')).toBe(0);
    expect(count('azurerm_cosmosdb_sql_role_assignment')).toBe(3);
  });

  it('is honest: planned deploys equal the synthesized resources', () => {
    const planned = backend
      .plan()
      .resources.flatMap((r) => r.deploys.map((d) => `${d.terraformType}.${d.name}`))
      .sort();
    const synthesized = Object.entries(out.json.resource)
      .filter(([t]) => t !== 'azurerm_resource_group')
      .flatMap(([t, v]) => Object.keys(v).map((n) => `${t}.${n}`))
      .sort();
    expect(synthesized).toEqual(planned);
  });

  it('secures the Cosmos account, storage and Function App explicitly', () => {
    expect(out.text).toHaveResourceWithProperties(CosmosdbAccount, {
      kind: 'GlobalDocumentDB',
      local_authentication_disabled: true,
      access_key_metadata_writes_enabled: false,
      minimal_tls_version: 'Tls12',
      consistency_policy: { consistency_level: 'Session' },
      capabilities: [{ name: 'EnableServerless' }],
    });
    expect(out.text).toHaveResourceWithProperties(StorageAccount, {
      min_tls_version: 'TLS1_2',
      https_traffic_only_enabled: true,
      allow_nested_items_to_be_public: false,
      shared_access_key_enabled: false,
    });
    expect(out.text).toHaveResourceWithProperties(FunctionAppFlexConsumption, {
      https_only: true,
      storage_authentication_type: 'UserAssignedIdentity',
      webdeploy_publish_basic_authentication_enabled: false,
      identity: expect.objectContaining({ type: 'SystemAssigned, UserAssigned' }) as never,
      site_config: expect.objectContaining({ minimum_tls_version: '1.2' }) as never,
    });
  });

  it('namespaces app settings per component and ships the runtime manifest and code', () => {
    const app = Object.values(out.json.resource['azurerm_function_app_flex_consumption']!)[0]!;
    const settings = app['app_settings'] as Record<string, string>;
    expect(Object.keys(settings)).toEqual(
      expect.arrayContaining([
        'USER_API_COSMOS_ENDPOINT',
        'ORDER_API_CONTAINER_NAME',
        'ATAKORA_MANIFEST',
      ]),
    );
    const manifest = JSON.parse(settings['ATAKORA_MANIFEST']!) as { entities: { route: string }[] };
    expect(manifest.entities.map((e) => e.route).sort()).toEqual(['orders', 'products', 'users']);
    // Flex: the package (the prebuilt, content-hashed CRUD runtime zip) is the deployment container's released-package.zip, never zip deploy or run-from-package.
    expect(settings['WEBSITE_RUN_FROM_PACKAGE']).toBeUndefined();
    expect(app['zip_deploy_file']).toBeUndefined();
    const blob = Object.values(out.json.resource['azurerm_storage_blob']!)[0]!;
    expect(blob['name']).toBe('released-package.zip');
    expect(String(blob['source'])).toMatch(/\/atakora-runtime-[0-9a-f]{16}\.zip$/);
  });

  it('scopes each Cosmos role assignment to its own component container', () => {
    const scopes = Object.values(out.json.resource['azurerm_cosmosdb_sql_role_assignment']!).map(
      (r) => String(r['scope']),
    );
    expect(scopes.map((s) => s.replace(/^.*\/dbs\//, 'dbs/')).sort()).toEqual([
      'dbs/order-db/colls/order',
      'dbs/product-db/colls/product',
      'dbs/user-db/colls/user',
    ]);
  });

  it('tags every taggable resource and outputs endpoints', () => {
    for (const t of [
      'azurerm_cosmosdb_account',
      'azurerm_storage_account',
      'azurerm_service_plan',
      'azurerm_function_app_flex_consumption',
    ]) {
      for (const r of Object.values(out.json.resource[t]!))
        expect(r['tags']).toEqual({ team: 'x' });
    }
    // The plan shows the placeholder token until apply knows the target; after apply the handle and the
    // output both have the deployed name.
    const planned = backend.plan().components.find((c) => c.key === 'userApi')!.outputs[
      'apiEndpoint'
    ] as string;
    expect(planned).toContain('tgtxxx');
    const endpoint = backend.components.userApi.apiEndpoint;
    const outputs = Object.values(out.json.output ?? {}).map((o) => String(o.value));
    expect(outputs.filter((v) => v.includes('tgtxxx'))).toEqual([]);
    const token = String(Object.values(out.json.resource['azurerm_cosmosdb_account']!)[0]!['name'])
      .split('-')
      .at(-1)!;
    expect(endpoint).toBe(planned.replace('tgtxxx', token));
    expect(outputs).toContain(endpoint);
  });
});

describe('apply: refusals before touching the stack', () => {
  const api = (id: string, extra: Record<string, unknown> = {}) =>
    CrudApi.define(id, { entityName: id.replace('Api', ''), schema: { id: 'string' }, ...extra });

  it('a limit violation throws ResourceLimitError with the seeds message shape', () => {
    const backend = defineBackend(
      { a: api('AApi'), b: api('BApi', { consistency: 'Strong' }) },
      { limits: { maxCosmosAccounts: 1 } },
    );
    const app = Testing.app();
    const stack = new ResourceGroupStack(app, 'S', { resourceGroupName: 'rg', location: 'eastus' });
    let err: unknown;
    try {
      backend.apply(stack);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ResourceLimitError);
    expect((err as ResourceLimitError).code).toBe('LIMIT_EXCEEDED');
    expect((err as Error).message).toMatch(
      /Maximum Cosmos DB accounts exceeded\n {2}Limit: 1\n {2}Requested: 2\n {2}Solution: Either:\n {4}1\. Increase maxCosmosAccounts/,
    );
    expect(stack.node.children.filter((c) => c.node.id.startsWith('atakora-'))).toHaveLength(0);
  });

  it('a plan error throws PlanError', () => {
    const backend = defineBackend({
      a: CrudApi.define('AApi', { entityName: 'Data', schema: { id: 'string' } }),
      b: CrudApi.define('BApi', {
        entityName: 'Data',
        schema: { id: 'string', userId: 'string' },
        partitionKey: '/userId',
      }),
    });
    const stack = new ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg',
      location: 'eastus',
    });
    expect(() => backend.apply(stack)).toThrow(PlanError);
  });

  it('the same backend id twice in one stack is a clear error; two ids coexist', () => {
    const stack = new ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg',
      location: 'eastus',
    });
    defineBackend({ a: api('AApi') }).apply(stack);
    expect(() => defineBackend({ a: api('AApi') }).apply(stack)).toThrow(
      expect.objectContaining({ code: 'DUPLICATE_BACKEND_IN_STACK' }),
    );
    expect(() =>
      defineBackend({ a: api('AApi') }, { backendId: 'green' }).apply(stack),
    ).not.toThrow();
    const json = JSON.parse(Testing.synth(stack)) as Synth;
    expect(Object.keys(json.resource['azurerm_cosmosdb_account']!)).toHaveLength(2);
  });

  it('a stack that is not a TerraformStack is refused', () => {
    expect(() => defineBackend({ a: api('AApi') }).apply({})).toThrow(AtakoraError);
  });
});

describe('stand-alone form', () => {
  it('new CrudApi(stack, id, props) creates its own resources next to a backend, unchanged by it', () => {
    const stack = new ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg',
      location: 'eastus',
    });
    const legacy = new CrudApi(stack, 'LegacyApi', {
      entityName: 'Legacy',
      schema: { id: 'string' },
    });
    defineBackend(seedsComponents()).apply(stack);
    const json = JSON.parse(Testing.synth(stack)) as Synth;
    expect(Object.keys(json.resource['azurerm_cosmosdb_account']!)).toHaveLength(2);
    expect(Object.keys(json.resource['azurerm_function_app_flex_consumption']!)).toHaveLength(2);
    expect(legacy.apiEndpoint).toMatch(
      /^https:\/\/func-legacyapi-dev-[a-z0-9]+\.azurewebsites\.net\/api\/legacies$/,
    );
  });
});

describe('apply: Cosmos container options', () => {
  it('TTL, unique keys, provisioned throughput and an Azure-shaped indexing policy reach the container', () => {
    const backend = defineBackend({
      users: CrudApi.define('UserApi', {
        entityName: 'User',
        schema: { id: 'string', email: 'string', userId: 'string', createdAt: 'timestamp' },
        ttl: 3600,
        uniqueKeys: ['/email'],
        throughput: 1000,
        indexingPolicy: {
          indexingMode: 'consistent',
          includedPaths: [{ path: '/*' }],
          excludedPaths: [{ path: '/payload/*' }],
          compositeIndexes: [
            [
              { path: '/userId', order: 'ascending' },
              { path: '/createdAt', order: 'descending' },
            ],
          ],
        },
      }),
    });
    const json = synthText(backend).json;
    const c = Object.values(json.resource['azurerm_cosmosdb_sql_container']!)[0]!;
    expect(c).toMatchObject({
      default_ttl: 3600,
      throughput: 1000,
      unique_key: [{ paths: ['/email'] }],
      indexing_policy: {
        indexing_mode: 'consistent',
        included_path: [{ path: '/*' }],
        excluded_path: [{ path: '/payload/*' }],
        composite_index: [
          {
            index: [
              { path: '/userId', order: 'ascending' },
              { path: '/createdAt', order: 'descending' },
            ],
          },
        ],
      },
    });
    expect(Object.values(json.resource['azurerm_cosmosdb_account']!)[0]!['capabilities']).toEqual(
      [],
    );
  });

  it('a malformed indexing policy or unique key is refused at define time, with its path', () => {
    const bad = (extra: Record<string, unknown>) => () =>
      CrudApi.define('A', { entityName: 'A', schema: { id: 'string' }, ...extra });
    expect(bad({ indexingPolicy: { includedPath: [{ path: '/*' }] } })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        path: ['components', 'A', 'config', 'indexingPolicy', 'includedPath'],
      }),
    );
    expect(bad({ indexingPolicy: { compositeIndexes: [[{ path: '/a' }]] } })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    expect(bad({ uniqueKeys: ['email'] })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
