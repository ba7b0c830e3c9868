import {
  Testing,
  TerraformResource,
  NetworkSecurityGroup,
  NetworkSecurityRule,
  Subnet,
  VirtualNetwork,
  type Construct,
} from '../support/engine.js';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { defineComponent } from '../../src/components/custom/define.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import { cidrSubnet } from '../../src/resources/network/cidr.js';
import { seedsComponents } from '../plan/fixtures.js';
import { insecureAttributes } from '../support/security.js';

Testing.setupJest();

type Block = Record<string, unknown>;
type Synth = {
  resource: Record<string, Record<string, Block>>;
  data?: Record<string, Record<string, Block>>;
};
type Appliable = { apply(stack: unknown): unknown; plan(): ResourcePlan };

function synth(backend: Appliable, extra?: (stack: ResourceGroupStack) => void, rg = 'rg') {
  const app = Testing.app();
  const stack = new ResourceGroupStack(app, 'S', { resourceGroupName: rg, location: 'eastus' });
  extra?.(stack);
  // What the test itself created (before the backend): left out of the honesty comparison.
  const own = new Set(
    stack.node
      .findAll()
      .filter((n): n is TerraformResource => n instanceof TerraformResource)
      .map(address),
  );
  backend.apply(stack);
  const json = JSON.parse(Testing.synth(stack)) as Synth;
  return { json, own };
}

function address(n: TerraformResource): string {
  return `${n.terraformResourceType}.${(n as unknown as { friendlyUniqueId: string }).friendlyUniqueId}`;
}

const of = (json: Synth, type: string) => Object.values(json.resource[type] ?? {});
const names = (json: Synth, type: string) => Object.keys(json.resource[type] ?? {}).sort();

function expectHonest(backend: Appliable, json: Synth, own: ReadonlySet<string>) {
  const planned = backend
    .plan()
    .resources.flatMap((r) => r.deploys.map((d) => `${d.terraformType}.${d.name}`))
    .sort();
  const synthesized = Object.entries(json.resource)
    .filter(([t]) => t !== 'azurerm_resource_group')
    .flatMap(([t, v]) => Object.keys(v).map((n) => `${t}.${n}`))
    .filter((a) => !own.has(a))
    .sort();
  expect(synthesized).toEqual(planned);
}

const user = () =>
  CrudApi.define('UserApi', {
    entityName: 'User',
    schema: { id: 'string', name: 'string' },
    partitionKey: '/id',
  });

describe('networking: isolated, VNet created by the backend', () => {
  const backend = defineBackend(seedsComponents(), {
    environment: 'prod',
    location: 'eastus',
    networking: 'isolated',
  });
  const { json, own } = synth(backend);
  const base = 'backend_network_shared';

  it('plans one network:shared resource listing everything it deploys', () => {
    const net = backend.plan().resources.find((r) => r.key === 'network:shared')!;
    expect(net.type).toBe('network');
    expect(net.name).toBe('vnet-backend-prod');
    expect(new Set(net.deploys.map((d) => d.terraformType))).toEqual(
      new Set([
        'azurerm_virtual_network',
        'azurerm_subnet',
        'azurerm_private_endpoint',
        'azurerm_private_dns_zone',
        'azurerm_private_dns_zone_virtual_network_link',
        'azurerm_network_security_group',
        'azurerm_subnet_network_security_group_association',
      ]),
    );
    expect(net.consumers).toEqual(['OrderApi', 'ProductApi', 'UserApi']);
    expect(net.estimatedMonthlyUsd).toBeGreaterThan(0);
  });

  it('gives every subnet it creates a network security group (Checkov CKV2_AZURE_31)', () => {
    const links = of(json, 'azurerm_subnet_network_security_group_association');
    expect(links.map((l) => l['subnet_id']).sort()).toEqual([
      `\${azurerm_subnet.${base}_subnet_integration.id}`,
      `\${azurerm_subnet.${base}_subnet_pe.id}`,
    ]);
    expect(
      of(json, 'azurerm_network_security_group')
        .map((g) => g['name'])
        .sort(),
    ).toEqual(['nsg-snet-backend-prod-integration', 'nsg-snet-backend-prod-pe']);
    // Nothing else updates a subnet while its NSG is being attached (Azure refuses concurrent subnet updates).
    for (const pe of of(json, 'azurerm_private_endpoint'))
      expect(pe['depends_on']).toContain(
        `azurerm_subnet_network_security_group_association.${base}_nsg_pe_link`,
      );
    expect(of(json, 'azurerm_function_app_flex_consumption')[0]!['depends_on']).toContain(
      `azurerm_subnet_network_security_group_association.${base}_nsg_integration_link`,
    );
  });

  it('creates the VNet, an integration subnet delegated to Microsoft.App/environments (Flex) and an endpoint subnet', () => {
    expect(of(json, 'azurerm_virtual_network')).toEqual([
      expect.objectContaining({ name: 'vnet-backend-prod', address_space: ['10.0.0.0/16'] }),
    ]);
    const subnets = json.resource['azurerm_subnet']!;
    expect(Object.keys(subnets).sort()).toEqual([
      `${base}_subnet_integration`,
      `${base}_subnet_pe`,
    ]);
    const integration = subnets[`${base}_subnet_integration`]!;
    expect(integration['address_prefixes']).toEqual(['10.0.1.0/24']);
    expect(integration['delegation']).toEqual([
      expect.objectContaining({
        service_delegation: {
          name: 'Microsoft.App/environments',
          actions: ['Microsoft.Network/virtualNetworks/subnets/join/action'],
        },
      }),
    ]);
    expect(integration['virtual_network_name']).toBe(
      `\${azurerm_virtual_network.${base}_vnet.name}`,
    );
    expect(subnets[`${base}_subnet_pe`]).toEqual(
      expect.objectContaining({
        address_prefixes: ['10.0.0.0/24'],
        private_endpoint_network_policies: 'Disabled',
      }),
    );
  });

  it('puts private endpoints on Cosmos, Storage blob/queue/table and the Function App, one DNS zone each, linked to the VNet', () => {
    const endpoints = of(json, 'azurerm_private_endpoint');
    const targets = endpoints
      .map((e) => {
        const conn = e['private_service_connection'] as Block;
        return `${String(conn['private_connection_resource_id']).replace(/^\$\{(azurerm_[a-z_]+)\..*$/, '$1')}/${(conn['subresource_names'] as string[]).join(',')}`;
      })
      .sort();
    expect(targets).toEqual([
      'azurerm_cosmosdb_account/Sql',
      'azurerm_function_app_flex_consumption/sites',
      'azurerm_storage_account/blob',
      'azurerm_storage_account/queue',
      'azurerm_storage_account/table',
    ]);
    for (const e of endpoints) {
      expect(e['subnet_id']).toBe(`\${azurerm_subnet.${base}_subnet_pe.id}`);
      const ids = (e['private_dns_zone_group'] as Block)['private_dns_zone_ids'] as string[];
      expect(ids).toHaveLength(1);
      expect(ids[0]).toMatch(/^\$\{azurerm_private_dns_zone\./);
    }
    expect(
      of(json, 'azurerm_private_dns_zone')
        .map((z) => z['name'])
        .sort(),
    ).toEqual([
      'privatelink.azurewebsites.net',
      'privatelink.blob.core.windows.net',
      'privatelink.documents.azure.com',
      'privatelink.queue.core.windows.net',
      'privatelink.table.core.windows.net',
    ]);
    const links = of(json, 'azurerm_private_dns_zone_virtual_network_link');
    expect(links).toHaveLength(5);
    for (const l of links) {
      expect(l['virtual_network_id']).toBe(`\${azurerm_virtual_network.${base}_vnet.id}`);
      expect(l['registration_enabled']).toBe(false);
    }
  });

  it('joins the Function App to the integration subnet on the default Flex Consumption plan (no SKU raise)', () => {
    const app = of(json, 'azurerm_function_app_flex_consumption')[0]!;
    expect(app['virtual_network_subnet_id']).toBe(
      `\${azurerm_subnet.${base}_subnet_integration.id}`,
    );
    expect((app['site_config'] as Block)['vnet_route_all_enabled']).toBe(true);
    expect(of(json, 'azurerm_service_plan')[0]!['sku_name']).toBe('FC1');
    expect(backend.plan().issues.map((i) => i.code)).not.toContain('SKU_RAISED_FOR_VNET');
  });

  it('turns public network access off on Cosmos, Storage and the Function App', () => {
    // The deployment storage account (code only) is the one the deployer must reach: tested below.
    const host = of(json, 'azurerm_storage_account').filter(
      (a) => !String(a['name']).startsWith('stpkg'),
    );
    expect(host).toHaveLength(1);
    for (const t of ['azurerm_cosmosdb_account', 'azurerm_function_app_flex_consumption']) {
      for (const r of of(json, t)) expect(r['public_network_access_enabled'], t).toBe(false);
    }
    expect(host[0]!['public_network_access_enabled']).toBe(false);
    expect(host[0]!['network_rules']).toEqual({
      default_action: 'Deny',
      bypass: ['AzureServices'],
    });
    expect(insecureAttributes(json, { isolated: true })).toEqual([]);
  });

  it('is honest: planned deploys equal the synthesized resources', () =>
    expectHonest(backend, json, own));
});

describe('networking: existing VNet', () => {
  it('reads a VNet named in config (seeds 002) and carves its subnets from the top of its address space', () => {
    const backend = defineBackend(
      { userApi: user() },
      {
        environment: 'prod',
        networking: {
          mode: 'isolated',
          vnetName: 'internal-vnet',
          vnetResourceGroupName: 'rg-network',
          privateEndpoints: true,
        },
      },
    );
    const { json, own } = synth(backend);
    expect(json.resource['azurerm_virtual_network']).toBeUndefined();
    expect(Object.values(json.data?.['azurerm_virtual_network'] ?? {})).toEqual([
      expect.objectContaining({ name: 'internal-vnet', resource_group_name: 'rg-network' }),
    ]);
    const subnets = json.resource['azurerm_subnet']!;
    // The subnets the backend adds live in the VNet's resource group, not the stack's.
    for (const s of Object.values(subnets)) expect(s['resource_group_name']).toBe('rg-network');
    expect(Object.values(subnets).map((s) => s['virtual_network_name'])).toEqual([
      '${data.azurerm_virtual_network.backend_network_shared_vnet.name}',
      '${data.azurerm_virtual_network.backend_network_shared_vnet.name}',
    ]);
    expect(subnets['backend_network_shared_subnet_pe']!['address_prefixes']).toEqual([
      '${cidrsubnet(element(data.azurerm_virtual_network.backend_network_shared_vnet.address_space, 0), 8, 255)}',
    ]);
    expect(subnets['backend_network_shared_subnet_integration']!['address_prefixes']).toEqual([
      '${cidrsubnet(element(data.azurerm_virtual_network.backend_network_shared_vnet.address_space, 0), 8, 254)}',
    ]);
    for (const l of of(json, 'azurerm_private_dns_zone_virtual_network_link')) {
      expect(l['virtual_network_id']).toBe(
        '${data.azurerm_virtual_network.backend_network_shared_vnet.id}',
      );
    }
    expectHonest(backend, json, own);
  });

  it('uses an existing subnet by name for VNet integration (seeds Example 4 builder form)', () => {
    const backend = defineBackend({ environment: 'production', location: 'eastus' })
      .addComponent(user())
      .withNetworking({
        mode: 'isolated',
        vnetName: 'myapp-vnet',
        vnetResourceGroupName: 'rg-network',
        subnetName: 'backend-subnet',
        privateEndpoints: true,
      })
      .build();
    const { json, own } = synth(backend);
    expect(json.resource['azurerm_virtual_network']).toBeUndefined();
    expect(Object.values(json.data?.['azurerm_subnet'] ?? {})).toEqual([
      expect.objectContaining({
        name: 'backend-subnet',
        virtual_network_name: '${data.azurerm_virtual_network.backend_network_shared_vnet.name}',
        resource_group_name: 'rg-network',
      }),
    ]);
    expect(names(json, 'azurerm_subnet')).toEqual(['backend_network_shared_subnet_pe']);
    expect(of(json, 'azurerm_function_app_flex_consumption')[0]!['virtual_network_subnet_id']).toBe(
      '${data.azurerm_subnet.backend_network_shared_subnet_integration.id}',
    );
    expect(of(json, 'azurerm_private_endpoint')).toHaveLength(5);
    expect(insecureAttributes(json, { isolated: true })).toEqual([]);
    expectHonest(backend, json, own);
  });
});

/** The seeds' Example 3 as written (azurerm v4 spells the subnet policy `privateEndpointNetworkPolicies`). */
function seedsExample3(stack: Construct) {
  const vnet = new VirtualNetwork(stack, 'vnet', {
    name: 'vnet-secure-prod',
    resourceGroupName: 'rg-secure-prod',
    location: 'eastus',
    addressSpace: ['10.0.0.0/16'],
  });
  const backendSubnet = new Subnet(stack, 'backend-subnet', {
    name: 'backend-subnet',
    resourceGroupName: 'rg-secure-prod',
    virtualNetworkName: vnet.name,
    addressPrefixes: ['10.0.1.0/24'],
    serviceEndpoints: ['Microsoft.AzureCosmosDB', 'Microsoft.Storage', 'Microsoft.Web'],
    delegation: [
      {
        name: 'flex-delegation',
        serviceDelegation: {
          name: 'Microsoft.App/environments',
          actions: ['Microsoft.Network/virtualNetworks/subnets/join/action'],
        },
      },
    ],
  });
  new Subnet(stack, 'private-endpoint-subnet', {
    name: 'private-endpoint-subnet',
    resourceGroupName: 'rg-secure-prod',
    virtualNetworkName: vnet.name,
    addressPrefixes: ['10.0.2.0/24'],
    privateEndpointNetworkPolicies: 'Disabled',
  });
  const nsg = new NetworkSecurityGroup(stack, 'backend-nsg', {
    name: 'nsg-backend-prod',
    resourceGroupName: 'rg-secure-prod',
    location: 'eastus',
  });
  new NetworkSecurityRule(stack, 'allow-internal', {
    name: 'allow-internal',
    networkSecurityGroupName: nsg.name,
    resourceGroupName: 'rg-secure-prod',
    priority: 100,
    direction: 'Inbound',
    access: 'Allow',
    protocol: 'Tcp',
    sourcePortRange: '*',
    destinationPortRange: '443',
    sourceAddressPrefix: 'VirtualNetwork',
    destinationAddressPrefix: 'VirtualNetwork',
  });
  new NetworkSecurityRule(stack, 'deny-internet', {
    name: 'deny-internet',
    networkSecurityGroupName: nsg.name,
    resourceGroupName: 'rg-secure-prod',
    priority: 200,
    direction: 'Inbound',
    access: 'Deny',
    protocol: '*',
    sourcePortRange: '*',
    destinationPortRange: '*',
    sourceAddressPrefix: 'Internet',
    destinationAddressPrefix: '*',
  });
  return defineBackend(
    {
      userApi: CrudApi.define('UserApi', {
        entityName: 'User',
        schema: { id: 'string', email: 'string', name: 'string', sensitiveData: 'string' },
        partitionKey: '/id',
      }),
      auditApi: CrudApi.define('AuditApi', {
        entityName: 'AuditLog',
        schema: {
          id: 'string',
          action: 'string',
          userId: 'string',
          timestamp: 'timestamp',
          ipAddress: 'string',
        },
        partitionKey: '/userId',
      }),
    },
    {
      environment: 'production',
      location: 'eastus',
      networking: {
        mode: 'isolated',
        vnetName: vnet.name,
        subnetName: backendSubnet.name,
        privateEndpoints: true,
        serviceTags: ['AzureCosmosDB', 'Storage', 'AzureFunctions'],
      },
      monitoring: { enabled: true, retentionDays: 180 },
      tags: {
        security: 'high',
        compliance: 'pci-dss',
        dataClassification: 'confidential',
        networkIsolation: 'full',
      },
    },
  );
}

describe('networking: the seeds Example 3 (user-made VNet and subnets in the same stack)', () => {
  let backend!: ReturnType<typeof seedsExample3>;
  const { json, own } = synth(
    { apply: (s) => backend.addToStack(s as ResourceGroupStack), plan: () => backend.plan() },
    (stack) => {
      backend = seedsExample3(stack);
    },
    'rg-secure-prod',
  );

  it('plans with the token names without errors', () => {
    const plan = backend.plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const net = plan.resources.find((r) => r.key === 'network:shared')!;
    expect(net.config['existingVnet']).toBe(true);
    expect(net.config['serviceTags']).toEqual(['AzureCosmosDB', 'AzureFunctions', 'Storage']);
  });

  it('reads the user VNet and subnet by their Terraform references and joins the Function App to it', () => {
    expect(names(json, 'azurerm_virtual_network')).toEqual(['vnet']);
    expect(Object.values(json.data?.['azurerm_virtual_network'] ?? {})).toEqual([
      expect.objectContaining({ name: '${azurerm_virtual_network.vnet.name}' }),
    ]);
    expect(Object.values(json.data?.['azurerm_subnet'] ?? {})).toEqual([
      expect.objectContaining({ name: '${azurerm_subnet.backend-subnet.name}' }),
    ]);
    expect(of(json, 'azurerm_function_app_flex_consumption')[0]!['virtual_network_subnet_id']).toBe(
      '${data.azurerm_subnet.backend_network_shared_subnet_integration.id}',
    );
    expect(of(json, 'azurerm_private_endpoint').length).toBeGreaterThanOrEqual(5);
    expect(insecureAttributes(json, { isolated: true })).toEqual([]);
  });

  it('is honest apart from the resources the user made', () => {
    expect([...own].filter((a) => !a.startsWith('azurerm_resource_group.')).sort()).toEqual([
      'azurerm_network_security_group.backend-nsg',
      'azurerm_network_security_rule.allow-internal',
      'azurerm_network_security_rule.deny-internet',
      'azurerm_subnet.backend-subnet',
      'azurerm_subnet.private-endpoint-subnet',
      'azurerm_virtual_network.vnet',
    ]);
    expectHonest(backend, json, own);
  });
});

describe('networking: plan details', () => {
  it('makes no network in public mode', () => {
    const backend = defineBackend({ userApi: user() }, { networking: 'public' });
    expect(backend.plan().resources.map((r) => r.type)).not.toContain('network');
    const { json } = synth(backend);
    expect(json.resource['azurerm_virtual_network']).toBeUndefined();
    expect(
      of(json, 'azurerm_function_app_flex_consumption')[0]!['virtual_network_subnet_id'],
    ).toBeUndefined();
  });

  it('refuses privateEndpoints: false in isolated mode: public access would be off with no way in', () => {
    const backend = defineBackend(
      { userApi: user() },
      { networking: { mode: 'isolated', privateEndpoints: false } },
    );
    const issue = backend.plan().issues.find((i) => i.code === 'NETWORK_ENDPOINTS_REQUIRED');
    expect(issue).toMatchObject({
      severity: 'error',
      path: ['config', 'networking', 'privateEndpoints'],
    });
    // It names every service whose public access isolated mode turns off: the account, the host storage, the app.
    const plan = backend.plan();
    for (const type of ['cosmos', 'storage', 'functions'])
      expect(issue?.message).toContain(plan.resources.find((r) => r.type === type)!.name);
    expect(issue?.resolution).toContain("networking: 'public'");
    expect(backend.validate().valid).toBe(false);
    expect(() => synth(backend)).toThrow(expect.objectContaining({ code: 'PLAN_HAS_ERRORS' }));
    // Public mode ignores the flag; isolated with endpoints (the default) is fine.
    expect(
      defineBackend(
        { userApi: user() },
        { networking: { mode: 'public', privateEndpoints: false } },
      ).validate().valid,
    ).toBe(true);
    expect(
      defineBackend({ userApi: user() }, { networking: { mode: 'isolated' } })
        .plan()
        .issues.filter((i) => i.severity === 'error'),
    ).toEqual([]);
  });

  it('names a Service Bus namespace too: privateEndpoints: false would leave it Standard with public access off', () => {
    const bus = defineComponent({
      type: 'Events',
      id: 'Events',
      config: {},
      requirements: () => [
        {
          resourceType: 'servicebus',
          requirementKey: 'bus',
          config: { sku: 'Standard', queues: [{ name: 'orders' }] },
        },
      ],
    });
    const plan = defineBackend(
      { events: bus },
      { networking: { mode: 'isolated', privateEndpoints: false } },
    ).plan();
    const issue = plan.issues.find((i) => i.code === 'NETWORK_ENDPOINTS_REQUIRED');
    expect(issue?.message).toContain(plan.resources.find((r) => r.type === 'servicebus')!.name);
  });

  it('carves subnets from a configured address space and refuses one too small', () => {
    const net = (addressSpace: string) =>
      defineBackend({ userApi: user() }, { networking: { mode: 'isolated', addressSpace } }).plan();
    const subnets = (p: ResourcePlan) =>
      (
        p.resources.find((r) => r.key === 'network:shared')!.config['subnets'] as {
          addressPrefix?: string;
        }[]
      ).map((s) => s.addressPrefix);
    expect(subnets(net('172.16.0.0/20'))).toEqual(['172.16.0.0/24', '172.16.1.0/24']);
    expect(subnets(net('10.1.2.0/26'))).toEqual(['10.1.2.0/27', '10.1.2.32/27']);
    expect(net('10.0.0.0/29').issues).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        code: 'CONFIG_INVALID',
        path: ['config', 'networking', 'addressSpace'],
      }),
    );
    expect(cidrSubnet('192.168.0.0/16', 8, 255)).toBe('192.168.255.0/24');
  });

  it('is pure and stable: same input, same plan; the network key and names do not depend on component order', () => {
    const a = defineBackend(seedsComponents(), { networking: 'isolated' }).plan();
    const { userApi, ...rest } = seedsComponents();
    const b = defineBackend({ ...rest, userApi }, { networking: 'isolated' }).plan();
    // 1 VNet, 2 subnets each with an NSG and its association, 5 zones and links, 5 endpoints.
    expect(a.resources.find((r) => r.key === 'network:shared')?.deploys.length).toBe(22);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('gives the Service Bus namespace a private endpoint: Premium as asked, Standard raised to Premium with a warning', () => {
    const bus = (sku: 'Standard' | 'Premium') => ({
      componentId: 'Events',
      componentType: 'EventDrivenComponent',
      config: {},
      factory: (_s: unknown, componentId: string, config: Record<string, unknown>) => ({
        componentId,
        componentType: 'EventDrivenComponent',
        config,
        getRequirements: () => [
          {
            resourceType: 'servicebus',
            requirementKey: `${componentId}-servicebus`,
            priority: 20,
            config: { sku, queues: [{ name: 'orders' }] },
          },
        ],
        initialize: () => undefined,
        validateResources: () => ({ valid: true }),
        getOutputs: () => ({}),
      }),
    });
    const zones = (sku: 'Standard' | 'Premium') => {
      const backend = defineBackend(
        { userApi: user(), events: bus(sku) },
        { networking: 'isolated' },
      );
      const { json, own } = synth(backend);
      expectHonest(backend, json, own);
      return {
        json,
        zones: of(json, 'azurerm_private_dns_zone').map((z) => z['name']),
        warnings: backend.plan().issues.map((i) => i.code),
      };
    };
    const premium = zones('Premium');
    expect(premium.zones).toContain('privatelink.servicebus.windows.net');
    const ns = of(premium.json, 'azurerm_private_endpoint').find(
      (e) =>
        ((e['private_service_connection'] as Block)['subresource_names'] as string[])[0] ===
        'namespace',
    );
    expect(
      String((ns!['private_service_connection'] as Block)['private_connection_resource_id']),
    ).toMatch(/^\$\{azurerm_servicebus_namespace\./);
    expect(premium.warnings).not.toContain('SERVICEBUS_PREMIUM_FOR_ISOLATION');
    const standard = zones('Standard');
    expect(standard.zones).toContain('privatelink.servicebus.windows.net');
    expect(standard.warnings).toContain('SERVICEBUS_PREMIUM_FOR_ISOLATION');
    expect(
      Object.values(standard.json.resource['azurerm_servicebus_namespace']!).map((n) => n['sku']),
    ).toEqual(['Premium']);
  });
});

describe('two isolated backends in one stack', () => {
  const api = (id: string) =>
    CrudApi.define(id, { entityName: id.replace('Api', ''), schema: { id: 'string' } });

  it('share the privatelink.* zones: the first creates them, the second links its own VNet to them', () => {
    const stack = new ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg',
      location: 'eastus',
    });
    const one = defineBackend(
      { a: api('AApi') },
      { backendId: 'one', networking: 'isolated' },
    ).apply(stack);
    const two = defineBackend(
      { b: api('BApi') },
      { backendId: 'two', networking: { mode: 'isolated', addressSpace: '10.1.0.0/16' } },
    ).apply(stack);
    const json = JSON.parse(Testing.synth(stack)) as Synth;
    const zones = Object.entries(json.resource['azurerm_private_dns_zone']!);
    // One zone per name in the resource group, all made by the first backend.
    expect(new Set(zones.map(([, z]) => z['name'])).size).toBe(zones.length);
    expect(zones.every(([n]) => n.startsWith('one_'))).toBe(true);
    const links = Object.values(json.resource['azurerm_private_dns_zone_virtual_network_link']!);
    expect(links).toHaveLength(zones.length * 2);
    const linked = links.filter((l) =>
      String(l['virtual_network_id']).includes('two_network_shared_vnet'),
    );
    expect(linked).toHaveLength(zones.length);
    for (const l of linked)
      expect(String(l['private_dns_zone_name'])).toMatch(/^\$\{azurerm_private_dns_zone\.one_/);
    // Each applied plan stays honest about what it created.
    expect(
      two.plan.resources
        .flatMap((r) => r.deploys)
        .filter((d) => d.terraformType === 'azurerm_private_dns_zone'),
    ).toEqual([]);
    const planned = [...one.plan.resources, ...two.plan.resources]
      .flatMap((r) => r.deploys.map((d) => `${d.terraformType}.${d.name}`))
      .sort();
    const made = Object.entries(json.resource)
      .filter(([t]) => t !== 'azurerm_resource_group')
      .flatMap(([t, v]) => Object.keys(v).map((n) => `${t}.${n}`))
      .sort();
    expect(made).toEqual(planned);
  });
});

describe('networking: line of sight for the deployer (the package outside the private endpoints)', () => {
  const isolated = (deployerAddresses?: string[]) =>
    defineBackend(seedsComponents(), {
      environment: 'prod',
      networking: { mode: 'isolated', ...(deployerAddresses ? { deployerAddresses } : {}) },
    });

  it('writes the package into a deployment storage account that admits the deployer and the integration subnet', () => {
    const backend = isolated(['203.0.113.7', '198.51.100.0/24']);
    const { json } = synth(backend);
    const accounts = Object.entries(json.resource['azurerm_storage_account']!);
    const [deployName, deploy] = accounts.find(([, a]) => String(a['name']).startsWith('stpkg'))!;
    expect(String(deploy['name'])).toMatch(/^[a-z0-9]{3,24}$/);
    expect(deploy).toMatchObject({
      public_network_access_enabled: true,
      shared_access_key_enabled: false,
      default_to_oauth_authentication: true,
      allow_nested_items_to_be_public: false,
      network_rules: {
        default_action: 'Deny',
        bypass: ['AzureServices'],
        ip_rules: ['198.51.100.0/24', '203.0.113.7'],
        virtual_network_subnet_ids: [
          '${azurerm_subnet.backend_network_shared_subnet_integration.id}',
        ],
      },
    });
    // The subnet rule works through the integration subnet's Microsoft.Storage service endpoint.
    expect(
      json.resource['azurerm_subnet']!['backend_network_shared_subnet_integration']![
        'service_endpoints'
      ],
    ).toEqual(['Microsoft.Storage']);
    const blob = Object.values(json.resource['azurerm_storage_blob']!)[0]!;
    expect(blob['storage_account_name']).toBe(`\${azurerm_storage_account.${deployName}.name}`);
    const app = of(json, 'azurerm_function_app_flex_consumption')[0]!;
    expect(String(app['storage_container_endpoint'])).toContain(
      `\${azurerm_storage_account.${deployName}.primary_blob_endpoint}`,
    );
    // The host identity reads it, and the app waits for that role.
    const [roleName, role] = Object.entries(json.resource['azurerm_role_assignment']!).find(
      ([, r]) => r['scope'] === `\${azurerm_storage_account.${deployName}.id}`,
    )!;
    expect(role['role_definition_name']).toBe('Storage Blob Data Contributor');
    expect(app['depends_on']).toContain(`azurerm_role_assignment.${roleName}`);
    expect(backend.plan().issues.map((i) => i.code)).not.toContain('DEPLOYER_ADDRESSES_MISSING');
    expect(insecureAttributes(json, { isolated: true })).toEqual([]);
  });

  it('without deployer addresses the account admits every network (identity only) and the plan says so', () => {
    const backend = isolated();
    const { json } = synth(backend);
    const deploy = of(json, 'azurerm_storage_account').find((a) =>
      String(a['name']).startsWith('stpkg'),
    )!;
    expect(deploy['network_rules']).toMatchObject({ default_action: 'Allow' });
    const warning = backend.plan().issues.find((i) => i.code === 'DEPLOYER_ADDRESSES_MISSING')!;
    expect(warning).toMatchObject({
      severity: 'warning',
      path: ['config', 'networking', 'deployerAddresses'],
    });
  });

  it('refuses deployer addresses storage firewalls do not take', () => {
    for (const bad of ['203.0.113.7/32', 'not-an-ip', '2001:db8::1']) {
      expect(
        () =>
          defineBackend(seedsComponents(), {
            networking: { mode: 'isolated', deployerAddresses: [bad] },
          }),
        bad,
      ).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    }
  });

  it('public backends keep the package in host storage (no deployment account)', () => {
    const { json } = synth(defineBackend(seedsComponents(), { environment: 'prod' }));
    expect(of(json, 'azurerm_storage_account')).toHaveLength(1);
  });
});
