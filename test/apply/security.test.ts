import { Testing } from '../support/engine.js';
import { synth } from '../support/synth.js';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { ServiceBusProvider } from '../../examples/custom-providers/service-bus-provider.js';
import { seedsComponents } from '../plan/fixtures.js';
import {
  CHECKED_TYPES,
  checkedResourceCounts,
  insecureAttributes,
  type SynthJson,
} from '../support/security.js';

Testing.setupJest();

type Json = SynthJson & { resource: Record<string, Record<string, Record<string, unknown>>> };

const core = {
  azurerm_cosmosdb_account: 1,
  azurerm_function_app_flex_consumption: 1,
  azurerm_storage_account: 1,
};
/** Isolated: the host storage account and the app's deployment storage account (functions/deployment-storage.ts). */
const isolatedCore = { ...core, azurerm_storage_account: 2 };

describe('security: every synthesized resource of a checked type is secure', () => {
  it('the seeds overview backend (public networking)', () => {
    const json = synth(
      defineBackend(seedsComponents(), { environment: 'prod', location: 'eastus' }),
    );
    expect(checkedResourceCounts(json)).toMatchObject(core);
    expect(insecureAttributes(json, { isolated: false })).toEqual([]);
    // Public mode leaves public access on: the isolated walk must say so, or it checks nothing.
    expect(
      insecureAttributes(json, { isolated: true }).some((p) =>
        p.includes('public_network_access_enabled'),
      ),
    ).toBe(true);
  });

  it('the network isolation example (isolated, private endpoints, monitoring)', () => {
    const json = synth(
      defineBackend(
        {
          userApi: CrudApi.define('UserApi', {
            entityName: 'User',
            schema: { id: 'string', email: 'string' },
            partitionKey: '/id',
          }),
          auditApi: CrudApi.define('AuditApi', {
            entityName: 'AuditLog',
            schema: { id: 'string', userId: 'string' },
            partitionKey: '/userId',
          }),
        },
        {
          environment: 'production',
          location: 'eastus',
          networking: {
            mode: 'isolated',
            vnetName: 'vnet-secure-prod',
            vnetResourceGroupName: 'rg-network',
            subnetName: 'backend-subnet',
            privateEndpoints: true,
          },
          monitoring: { enabled: true, retentionDays: 180 },
        },
      ),
    );
    expect(checkedResourceCounts(json)).toMatchObject(isolatedCore);
    expect(insecureAttributes(json, { isolated: true })).toEqual([]);
  });

  it("networking: 'isolated', monitoring: true (checks whatever monitoring resources exist)", () => {
    const backend = defineBackend(seedsComponents(), {
      environment: 'prod',
      networking: 'isolated',
      monitoring: true,
    });
    const json = synth(backend);
    expect(checkedResourceCounts(json)).toMatchObject(isolatedCore);
    if (backend.plan().resources.some((r) => r.key === 'monitoring:shared')) {
      expect(
        Object.keys(json.resource['azurerm_application_insights'] ?? {}).length,
      ).toBeGreaterThan(0);
    }
    expect(insecureAttributes(json, { isolated: true })).toEqual([]);
  });

  it('the seeds’ Service Bus namespace (Example 1), now the built-in servicebus type, is checked too and secure', () => {
    const bus = {
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
            config: { sku: 'Standard', queues: [{ name: 'orders' }] },
          },
        ],
        initialize: () => undefined,
        validateResources: () => ({ valid: true }),
        getOutputs: () => ({}),
      }),
    };
    // The seeds' provider is passed as in Example 1; the built-in type plans the namespace (a warning says so).
    const json = synth(defineBackend({ events: bus }, { providers: [new ServiceBusProvider()] }));
    expect(checkedResourceCounts(json)).toEqual({ azurerm_servicebus_namespace: 1 });
    expect(insecureAttributes(json, { isolated: false })).toEqual([]);
    // Public access stays on outside isolated mode: an isolated walk of that stack flags it …
    expect(insecureAttributes(json, { isolated: true })).toEqual([
      'azurerm_servicebus_namespace.backend_servicebus_shared: public_network_access_enabled is true, expected false',
    ]);
    // … and an isolated backend turns it off (Premium, with a private endpoint).
    expect(
      insecureAttributes(synth(defineBackend({ events: bus }, { networking: 'isolated' })), {
        isolated: true,
      }),
    ).toEqual([]);
  });
});

describe('security: the walker fails on insecure resources', () => {
  it('flags a weakened attribute in a real synthesized backend', () => {
    const json = synth(defineBackend(seedsComponents(), { networking: 'isolated' }));
    expect(insecureAttributes(json, { isolated: true })).toEqual([]);
    const cosmos = Object.entries(json.resource['azurerm_cosmosdb_account']!)[0]!;
    cosmos[1]['local_authentication_disabled'] = false;
    const app = Object.entries(json.resource['azurerm_function_app_flex_consumption']!)[0]!;
    (app[1]['site_config'] as Record<string, unknown>)['minimum_tls_version'] = '1.0';
    expect(insecureAttributes(json, { isolated: true })).toEqual([
      `azurerm_cosmosdb_account.${cosmos[0]}: local_authentication_disabled is false, expected true`,
      `azurerm_function_app_flex_consumption.${app[0]}: site_config.minimum_tls_version is "1.0", expected "1.2"`,
    ]);
  });

  it('flags every required attribute of every checked type when absent or wrong', () => {
    const empty = Object.fromEntries(CHECKED_TYPES.map((t) => [t, { x: {} }]));
    const problems = insecureAttributes({ resource: empty }, { isolated: true });
    const expected: Record<string, string[]> = {
      azurerm_linux_function_app: [
        'https_only',
        'site_config.minimum_tls_version',
        'site_config.ftps_state',
        'identity.type',
        'storage_uses_managed_identity',
        'ftp_publish_basic_authentication_enabled',
        'webdeploy_publish_basic_authentication_enabled',
        'public_network_access_enabled',
        'virtual_network_subnet_id',
      ],
      azurerm_function_app_flex_consumption: [
        'https_only',
        'site_config.minimum_tls_version',
        'identity.type',
        'storage_authentication_type',
        'webdeploy_publish_basic_authentication_enabled',
        'public_network_access_enabled',
        'virtual_network_subnet_id',
      ],
      azurerm_cosmosdb_account: [
        'kind',
        'local_authentication_disabled',
        'access_key_metadata_writes_enabled',
        'minimal_tls_version',
        'public_network_access_enabled',
      ],
      azurerm_storage_account: [
        'min_tls_version',
        'https_traffic_only_enabled',
        'allow_nested_items_to_be_public',
        'shared_access_key_enabled',
        'public_network_access_enabled',
        'network_rules.default_action',
      ],
      azurerm_key_vault: [
        'rbac_authorization_enabled',
        'purge_protection_enabled',
        'soft_delete_retention_days',
        'public_network_access_enabled',
      ],
      azurerm_servicebus_namespace: [
        'local_auth_enabled',
        'minimum_tls_version',
        'public_network_access_enabled',
      ],
      azurerm_cognitive_account: [
        'local_auth_enabled',
        'custom_subdomain_name',
        'public_network_access_enabled',
      ],
      azurerm_application_insights: ['local_authentication_disabled'],
    };
    for (const [type, attrs] of Object.entries(expected)) {
      for (const a of attrs)
        expect(
          problems.some((p) => p.startsWith(`${type}.x: ${a} `)),
          `${type} ${a}`,
        ).toBe(true);
    }
    expect(problems).toHaveLength(Object.values(expected).flat().length);
  });

  it('accepts a secure Key Vault in either RBAC spelling and rejects an out-of-range retention', () => {
    const vault = (extra: Record<string, unknown>) => ({
      resource: {
        azurerm_key_vault: {
          kv: {
            purge_protection_enabled: true,
            soft_delete_retention_days: 30,
            public_network_access_enabled: false,
            ...extra,
          },
        },
      },
    });
    expect(
      insecureAttributes(vault({ rbac_authorization_enabled: true }), { isolated: true }),
    ).toEqual([]);
    expect(
      insecureAttributes(vault({ enable_rbac_authorization: true }), { isolated: true }),
    ).toEqual([]);
    expect(
      insecureAttributes(
        vault({ enable_rbac_authorization: true, soft_delete_retention_days: 120 }),
        { isolated: false },
      ),
    ).toEqual(['azurerm_key_vault.kv: soft_delete_retention_days is 120, expected 7-90']);
    expect(
      insecureAttributes(vault({ rbac_authorization_enabled: false }), { isolated: false }),
    ).toEqual(['azurerm_key_vault.kv: rbac_authorization_enabled is not true']);
  });
});
