import {
  AnnotationMetadataEntryType,
  TerraformStack,
  Testing,
  AzurermProvider,
  type Construct,
} from '../support/engine.js';
import { describe, expect, it } from 'vitest';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { defineComponent } from '../../src/components/custom/define.js';
import { PlanError } from '../../src/model/errors.js';
import { hostIdFor } from '../../src/resources/functions/hosting.js';
import type { Backend } from '../../src/backend/backend.js';
import { deployabilityProblems, effectiveHostId, type TfJson } from '../support/deployability.js';
import { expectHonest } from '../support/synth.js';

/** A Node function needs its handler: apply bundles it into the app's package. */
const TICK = `${import.meta.dirname}/../packaging/fixtures/tick.ts`;

type Json = TfJson & {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
  [key: string]: unknown;
};

const userApi = () =>
  CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string', name: 'string' } });
const jobs = (sku?: string, version?: string) =>
  FunctionsApp.define('Jobs', {
    runtime: 'node',
    ...(version ? { version } : {}),
    ...(sku ? { sku } : {}),
    functions: { nightly: { trigger: 'timer', schedule: '0 0 2 * * *', handler: TICK } },
  });

function synthIn(backend: Backend, resourceGroupName = 'rg-deploy', subscriptionId?: string): Json {
  const stack = new ResourceGroupStack(Testing.app(), 'S', {
    resourceGroupName,
    location: 'eastus',
    ...(subscriptionId ? { subscriptionId } : {}),
  });
  backend.apply(stack);
  const json = JSON.parse(Testing.synth(stack)) as Json;
  return { ...json, resource: json.resource ?? {} };
}
const one = (json: Json, type: string): [string, Record<string, unknown>] =>
  Object.entries(json.resource[type] ?? {})[0]!;
const settings = (app: Record<string, unknown>) => app['app_settings'] as Record<string, string>;

describe('deploy: Flex Consumption (FC1) by default', () => {
  const backend = defineBackend({ userApi: userApi() }, { environment: 'prod' });
  const json = synthIn(backend);
  const [appName, app] = one(json, 'azurerm_function_app_flex_consumption');
  const [idName] = one(json, 'azurerm_user_assigned_identity');

  it('emits azurerm_function_app_flex_consumption on an FC1 plan, never a Linux app', () => {
    expect(one(json, 'azurerm_service_plan')[1]['sku_name']).toBe('FC1');
    expect(json.resource['azurerm_linux_function_app']).toBeUndefined();
    expect([app['runtime_name'], app['runtime_version']]).toEqual(['node', '22']);
  });

  it('reads its deployment container with the user-assigned host identity; no run-from-package, no zip deploy', () => {
    expect(app['storage_container_type']).toBe('blobContainer');
    expect(app['storage_authentication_type']).toBe('UserAssignedIdentity');
    expect(app['storage_user_assigned_identity_id']).toBe(
      `\${azurerm_user_assigned_identity.${idName}.id}`,
    );
    expect((app['identity'] as { identity_ids: string[] }).identity_ids).toContain(
      `\${azurerm_user_assigned_identity.${idName}.id}`,
    );
    const [containerName] = one(json, 'azurerm_storage_container');
    expect(app['storage_container_endpoint']).toMatch(
      new RegExp(
        `primary_blob_endpoint\\}\\$\\{azurerm_storage_container\\.${containerName}\\.name\\}$`,
      ),
    );
    expect(settings(app)['WEBSITE_RUN_FROM_PACKAGE']).toBeUndefined();
    expect(app['zip_deploy_file']).toBeUndefined();
  });

  it('uploads the package as released-package.zip into that container, replaced when the zip changes', () => {
    const [containerName] = one(json, 'azurerm_storage_container');
    const [, blob] = one(json, 'azurerm_storage_blob');
    expect(blob).toMatchObject({
      name: 'released-package.zip',
      type: 'Block',
      storage_container_name: `\${azurerm_storage_container.${containerName}.name}`,
    });
    expect(String(blob['content_md5'])).toMatch(/^\$\{filemd5\(/);
    expect(settings(app)['ATAKORA_PACKAGE_MD5']).toBe(blob['content_md5']);
  });

  it('connects the host to storage by identity and overrides the key-based AzureWebJobsStorage azurerm 4.55 injects', () => {
    // Under a name the provider dedupes ignoring case but keeps on read (host-identity.ts), so plans stay clean.
    expect(settings(app)['AzureWebJobsStorage']).toBeUndefined();
    expect(settings(app)).toMatchObject({
      AZUREWEBJOBSSTORAGE: '',
      AzureWebJobsStorage__credential: 'managedidentity',
      AzureWebJobsStorage__clientId: `\${azurerm_user_assigned_identity.${idName}.client_id}`,
    });
    expect(settings(app)['AzureWebJobsStorage__accountName']).toMatch(
      /^\$\{azurerm_storage_account\.[^.]+\.name\}$/,
    );
  });

  it('grants the host identity blob, queue and table roles, and the app starts only after them and its package', () => {
    const roles = Object.entries(json.resource['azurerm_role_assignment']!).filter(
      ([, r]) => r['principal_id'] === `\${azurerm_user_assigned_identity.${idName}.principal_id}`,
    );
    expect(roles.map(([, r]) => r['role_definition_name']).sort()).toEqual([
      'Storage Blob Data Owner',
      'Storage Queue Data Contributor',
      'Storage Table Data Contributor',
    ]);
    const dependsOn = app['depends_on'] as string[];
    for (const [n] of roles) expect(dependsOn).toContain(`azurerm_role_assignment.${n}`);
    expect(dependsOn).toContain(`azurerm_storage_blob.${one(json, 'azurerm_storage_blob')[0]}`);
    expect(appName).toBe('backend_functions_shared');
  });

  it('passes every deployability rule, and the plan is honest', () => {
    expect(deployabilityProblems(json)).toEqual([]);
    expectHonest(backend.plan(), json);
  });
});

describe('deploy: Premium and Dedicated run from a blob URL read by the host identity', () => {
  for (const sku of ['EP1', 'P1v3']) {
    it(`${sku}: WEBSITE_RUN_FROM_PACKAGE = the blob URL, fetched with the user-assigned identity`, () => {
      const backend = defineBackend(
        { userApi: userApi(), jobs: jobs(sku) },
        { environment: 'prod' },
      );
      const json = synthIn(backend);
      expect(json.resource['azurerm_function_app_flex_consumption']).toBeUndefined();
      const [, app] = one(json, 'azurerm_linux_function_app');
      const [blobName, blob] = one(json, 'azurerm_storage_blob');
      const [idName] = one(json, 'azurerm_user_assigned_identity');
      expect(settings(app)['WEBSITE_RUN_FROM_PACKAGE']).toBe(
        `\${azurerm_storage_blob.${blobName}.url}`,
      );
      expect(settings(app)['WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID']).toBe(
        `\${azurerm_user_assigned_identity.${idName}.id}`,
      );
      expect(blob['name']).not.toBe('released-package.zip');
      expect(app['zip_deploy_file']).toBeUndefined();
      expect(app['storage_uses_managed_identity']).toBe(true);
      expect(deployabilityProblems(json)).toEqual([]);
      expectHonest(backend.plan(), json);
    });
  }

  it('an isolated Premium app is private and still gets its code without the SCM site', () => {
    const backend = defineBackend(
      { userApi: userApi(), jobs: jobs('EP1') },
      { environment: 'prod', networking: 'isolated' },
    );
    const json = synthIn(backend);
    const [, app] = one(json, 'azurerm_linux_function_app');
    expect(app['public_network_access_enabled']).toBe(false);
    expect(app['zip_deploy_file']).toBeUndefined();
    const subnet = String(app['virtual_network_subnet_id']).replace(
      /^\$\{azurerm_subnet\.([^.]+)\.id\}$/,
      '$1',
    );
    expect(
      (
        json.resource['azurerm_subnet']![subnet]!['delegation'] as {
          service_delegation: { name: string };
        }[]
      )[0]!.service_delegation.name,
    ).toBe('Microsoft.Web/serverFarms');
    expect(deployabilityProblems(json)).toEqual([]);
  });
});

describe('deploy: Linux Consumption (Y1) is refused', () => {
  it('is a plan error naming FC1, and apply throws before touching the stack', () => {
    const backend = defineBackend({ userApi: userApi(), jobs: jobs('Y1') });
    const issue = backend.plan().issues.find((i) => i.code === 'FUNCTIONS_SKU_UNSUPPORTED');
    expect(issue).toMatchObject({ severity: 'error', components: ['Jobs'] });
    expect(issue?.message).toContain("'FC1'");
    const stack = new ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg',
      location: 'eastus',
    });
    expect(() => backend.apply(stack)).toThrow(PlanError);
  });
});

describe('deploy: host ids of apps sharing a storage account', () => {
  it('apps whose names share their first 32 characters get distinct, valid host ids', () => {
    const backend = defineBackend(
      { userApi: userApi(), jobs: jobs(undefined, '20') },
      { backendId: 'customer-portal-backend', environment: 'production' },
    );
    const json = synthIn(backend);
    const apps = Object.values(json.resource['azurerm_function_app_flex_consumption']!);
    expect(apps).toHaveLength(2);
    const names = apps.map((a) => String(a['name']));
    // Without an explicit host id both would be the same 32-character prefix.
    expect(names[0]!.slice(0, 32)).toBe(names[1]!.slice(0, 32));
    const ids = apps.map((a) => effectiveHostId(String(a['name']), settings(a)));
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/);
    expect(new Set(apps.map((a) => settings(a)['AzureWebJobsStorage__accountName'])).size).toBe(1);
    expect(deployabilityProblems(json)).toEqual([]);
  });

  it('hostIdFor keeps short names and hashes long ones within 32 characters', () => {
    expect(hostIdFor('func-backend-prod-k3x9a1')).toBe('func-backend-prod-k3x9a1');
    const a = hostIdFor('func-customer-portal-backend-production-abc123');
    const b = hostIdFor('func-customer-portal-backend-production-node-20-abc123');
    expect(a).not.toBe(b);
    for (const id of [a, b]) expect(id.length).toBeLessThanOrEqual(32);
  });
});

describe('deploy: names unique per deployment target', () => {
  const backend = () => defineBackend({ userApi: userApi() }, { environment: 'prod' });
  const globalNames = (json: Json) =>
    [
      'azurerm_cosmosdb_account',
      'azurerm_storage_account',
      'azurerm_function_app_flex_consumption',
    ].map((t) => String(one(json, t)[1]['name']));

  it('the same defaults in two resource groups (or subscriptions) get different names; the same target the same names', () => {
    const a = globalNames(synthIn(backend(), 'rg-team-a', '00000000-0000-4000-8000-000000000001'));
    const b = globalNames(synthIn(backend(), 'rg-team-b', '00000000-0000-4000-8000-000000000001'));
    const c = globalNames(synthIn(backend(), 'rg-team-a', '00000000-0000-4000-8000-000000000002'));
    const again = globalNames(
      synthIn(backend(), 'rg-team-a', '00000000-0000-4000-8000-000000000001'),
    );
    expect(again).toEqual(a);
    for (const [i, n] of a.entries()) {
      expect(n).not.toBe(b[i]);
      expect(n).not.toBe(c[i]);
    }
  });

  it("a user's own stack: the subscription comes from its azurerm provider, as ResourceGroupStack's would", () => {
    class OwnStack extends TerraformStack {
      readonly resourceGroupName = 'rg-team-a';
      constructor(scope: Construct, id: string, subscriptionId: string) {
        super(scope, id);
        new AzurermProvider(this, 'azurerm', { features: [{}], subscriptionId });
      }
    }
    const synthOwn = (subscriptionId: string) => {
      const stack = new OwnStack(Testing.app(), 'Own', subscriptionId);
      backend().apply(stack);
      return globalNames({ resource: (JSON.parse(Testing.synth(stack)) as Json).resource } as Json);
    };
    expect(synthOwn('00000000-0000-4000-8000-000000000001')).toEqual(
      globalNames(synthIn(backend(), 'rg-team-a', '00000000-0000-4000-8000-000000000001')),
    );
    expect(synthOwn('00000000-0000-4000-8000-000000000002')).not.toEqual(
      synthOwn('00000000-0000-4000-8000-000000000001'),
    );
  });

  it('without any subscription id the synth warns that the names will change once one is set', () => {
    const saved = process.env['ARM_SUBSCRIPTION_ID'];
    delete process.env['ARM_SUBSCRIPTION_ID'];
    try {
      const warnings = (subscriptionId?: string, b = backend()) => {
        const stack = new ResourceGroupStack(Testing.app(), 'S', {
          resourceGroupName: 'rg-team-a',
          location: 'eastus',
          ...(subscriptionId ? { subscriptionId } : {}),
        });
        b.apply(stack);
        return stack.node.metadata
          .filter((m) => m.type === AnnotationMetadataEntryType.WARN)
          .map((m) => String(m.data));
      };
      expect(warnings()).toEqual([
        expect.stringMatching(/no subscription id at synth.*"rg-team-a".*naming\.uniqueSeed/),
      ]);
      expect(warnings('00000000-0000-4000-8000-000000000001')).toEqual([]);
      expect(
        warnings(
          undefined,
          defineBackend(
            { userApi: userApi() },
            { naming: { uniqueSeed: '00000000-0000-4000-8000-000000000001/rg-team-a' } },
          ),
        ),
      ).toEqual([]);
    } finally {
      if (saved !== undefined) process.env['ARM_SUBSCRIPTION_ID'] = saved;
    }
  });

  it('a uniqueSeed of "<subscription>/<resource group>" shows in the plan the names apply deploys', () => {
    const seeded = defineBackend(
      { userApi: userApi() },
      {
        environment: 'prod',
        naming: { uniqueSeed: '00000000-0000-4000-8000-000000000001/rg-team-a' },
      },
    );
    const planned = ['cosmos:shared', 'storage:shared', 'functions:shared'].map(
      (k) => seeded.plan().resources.find((r) => r.key === k)!.name,
    );
    expect(planned).toEqual(
      globalNames(synthIn(backend(), 'rg-team-a', '00000000-0000-4000-8000-000000000001')),
    );
    expect(globalNames(synthIn(seeded, 'rg-anything'))).toEqual(planned);
  });

  it('apply replaces the placeholder everywhere: outputs and app settings name the deployed resources', () => {
    const json = synthIn(backend(), 'rg-team-a', '00000000-0000-4000-8000-000000000001');
    expect(JSON.stringify(json)).not.toContain('tgtxxx');
    expect(deployabilityProblems(json)).toEqual([]);
  });
});

describe('deploy: serverless Cosmos DB never silently loses its failover regions', () => {
  const cache = () =>
    defineComponent({
      type: 'Cache',
      id: 'Cache',
      config: {},
      requirements: () => [
        {
          resourceType: 'cosmos',
          requirementKey: 'cache',
          config: {
            enableServerless: true,
            databases: [{ name: 'cache-db', containers: [{ name: 'items', partitionKey: '/id' }] }],
          },
        },
      ],
    });
  const regions = { failoverPolicies: [{ locationName: 'westus2', priority: 1 }] };

  it('a component insisting on serverless with failover regions is a plan error with a resolution', () => {
    const plan = defineBackend({ cache: cache() }, { cosmosConfig: regions }).plan();
    const issue = plan.issues.find((i) => i.code === 'COSMOS_SERVERLESS_MULTI_REGION');
    expect(issue).toMatchObject({
      severity: 'error',
      components: ['Cache'],
      path: ['config', 'cosmosConfig', 'failoverPolicies'],
    });
    expect(issue?.resolution).toMatch(/enableServerless/);
  });

  it('without the insistence the account is provisioned across the regions, with a warning', () => {
    const plan = defineBackend({ userApi: userApi() }, { cosmosConfig: regions }).plan();
    expect(plan.issues.map((i) => i.code)).toContain('COSMOS_PROVISIONED_FOR_MULTI_REGION');
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(plan.resources.find((r) => r.key === 'cosmos:shared')!.config['serverless']).toBe(false);
  });

  it('a serverless component in a single-region backend is fine', () => {
    expect(
      defineBackend({ cache: cache() })
        .plan()
        .issues.filter((i) => i.severity === 'error'),
    ).toEqual([]);
  });
});

describe('deploy: an existing VNet is named with its resource group', () => {
  it('a literal vnetName without vnetResourceGroupName is a plan error with a resolution', () => {
    const plan = defineBackend(
      { userApi: userApi() },
      { networking: { mode: 'isolated', vnetName: 'corp-vnet' } },
    ).plan();
    const issue = plan.issues.find(
      (i) => i.path?.join('.') === 'config.networking.vnetResourceGroupName',
    );
    expect(issue).toMatchObject({ severity: 'error', code: 'CONFIG_INVALID' });
    expect(issue?.resolution).toMatch(/vnetResourceGroupName/);
  });

  it('an existing endpoint subnet is read, not added, and the rest goes to the VNet resource group', () => {
    const backend = defineBackend(
      { userApi: userApi() },
      {
        networking: {
          mode: 'isolated',
          vnetName: 'corp-vnet',
          vnetResourceGroupName: 'rg-net',
          subnetName: 'snet-apps',
          privateEndpointSubnetName: 'snet-pe',
        },
      },
    );
    const json = synthIn(backend);
    const data =
      (json as { data?: Record<string, Record<string, Record<string, unknown>>> }).data ?? {};
    expect(
      Object.values(data['azurerm_subnet']!)
        .map((s) => [s['name'], s['resource_group_name']])
        .sort(),
    ).toEqual([
      ['snet-apps', 'rg-net'],
      ['snet-pe', 'rg-net'],
    ]);
    expect(json.resource['azurerm_subnet']).toBeUndefined();
    for (const pe of Object.values(json.resource['azurerm_private_endpoint']!))
      expect(pe['subnet_id']).toBe('${data.azurerm_subnet.backend_network_shared_subnet_pe.id}');
    expectHonest(
      backend.apply(
        new ResourceGroupStack(Testing.app(), 'T', {
          resourceGroupName: 'rg-deploy',
          location: 'eastus',
        }),
      ).plan,
      json,
    );
  });
});

describe('deploy: global names get the target token, and deploy the planned one', () => {
  it("the seeds' Service Bus example (planned by the built-in servicebus type) deploys the name the plan shows, with the target token", async () => {
    const { buildEventDrivenBackend } = await import('../../examples/custom-provider.js');
    const backend = buildEventDrivenBackend();
    expect(backend.plan().resources.find((r) => r.type === 'servicebus')!.name).toMatch(/-tgtxxx$/);
    const stack = new ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg-events',
      location: 'eastus',
      subscriptionId: '00000000-0000-4000-8000-000000000001',
    });
    const applied = backend.apply(stack);
    const planned = applied.plan.resources.find((r) => r.type === 'servicebus')!.name;
    expect(planned).toMatch(/^sbns-backend-[a-z0-9-]+-[a-z0-9]{6}$/);
    expect(planned).not.toContain('tgtxxx');
    const json = JSON.parse(Testing.synth(stack)) as Json;
    expect(
      Object.values(json.resource['azurerm_servicebus_namespace']!).map((n) => n['name']),
    ).toEqual([planned]);
    const other = new ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg-events-2',
      location: 'eastus',
      subscriptionId: '00000000-0000-4000-8000-000000000001',
    });
    expect(
      buildEventDrivenBackend()
        .apply(other)
        .plan.resources.find((r) => r.type === 'servicebus')!.name,
    ).not.toBe(planned);
  });
});

describe('deploy: stand-alone components know their stack', () => {
  it('new CrudApi(stack, …) exposes the deployed endpoint, not the placeholder', () => {
    const stack = new ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg-legacy',
      location: 'eastus',
      subscriptionId: '00000000-0000-4000-8000-000000000001',
    });
    const legacy = new CrudApi(stack, 'LegacyApi', {
      entityName: 'Legacy',
      schema: { id: 'string' },
    });
    expect(legacy.apiEndpoint).not.toContain('tgtxxx');
    const json = JSON.parse(Testing.synth(stack)) as Json;
    const app = String(one(json, 'azurerm_function_app_flex_consumption')[1]['name']);
    expect(legacy.apiEndpoint).toBe(`https://${app}.azurewebsites.net/api/legacies`);
  });
});
