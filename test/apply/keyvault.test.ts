import { Testing } from '../support/engine.js';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { defineComponent } from '../../src/components/custom/define.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import { codeOf, expectHonest, synth } from '../support/synth.js';
import { insecureAttributes } from '../support/security.js';
import { deployabilityProblems, type TfJson } from '../support/deployability.js';

Testing.setupJest();

const user = () =>
  CrudApi.define('UserApi', {
    entityName: 'User',
    schema: { id: 'string', name: 'string' },
    partitionKey: '/id',
  });

type KvConfig = {
  secrets?: string[];
  access?: 'read' | 'readwrite';
  softDeleteRetentionDays?: number;
  sku?: 'standard' | 'premium';
};

/** A component with a Function App of its own kind that reads secrets from Key Vault. */
const billing = (
  id = 'Billing',
  kv: KvConfig = { secrets: ['stripe-key'], access: 'read' },
  withApp = true,
) =>
  defineComponent({
    type: 'Billing',
    id,
    config: kv,
    requirements: (c) => [
      ...(withApp
        ? [
            {
              resourceType: 'functions',
              requirementKey: `${id}-functions`,
              config: {
                runtime: 'node',
                functionCount: 1,
                environmentVariables: {
                  STRIPE_KEY:
                    '@Microsoft.KeyVault(VaultName=${keyvault.name};SecretName=stripe-key)',
                },
              },
            },
          ]
        : []),
      { resourceType: 'keyvault', requirementKey: `${id}-kv`, config: c },
    ],
    // Per-component output: the reference strings of the vault this component uses.
    outputs: (_c, ctx) => ({
      secretReferences: (ctx.resource('keyvault')?.config['references'] ?? {}) as Record<
        string,
        string
      >,
    }),
  });

const vaults = (plan: ResourcePlan) => plan.resources.filter((r) => r.type === 'keyvault');
const errors = (plan: ResourcePlan) => plan.issues.filter((i) => i.severity === 'error');

describe('keyvault: a CrudApi and a component reading one secret', () => {
  // A seed: the plan's names are the deployed names (no placeholder to compare against).
  const backend = defineBackend(
    { userApi: user(), billing: billing() },
    { naming: { uniqueSeed: 'sub/rg' } },
  );
  const plan = backend.plan();
  const json = synth(backend);
  const vault = vaults(plan)[0]!;

  it('plans one shared vault with the secret name, never a value', () => {
    expect(errors(plan)).toEqual([]);
    expect(vaults(plan)).toHaveLength(1);
    expect(vault.key).toBe('keyvault:shared');
    expect(vault.consumers).toEqual(['Billing']);
    expect(vault.config).toMatchObject({
      sku: 'standard',
      softDeleteRetentionDays: 90,
      secrets: ['stripe-key'],
      access: { Billing: 'read' },
    });
    expect(vault.name).toMatch(/^kv-[a-z0-9-]{1,21}$/);
    expect(json.resource['azurerm_key_vault_secret']).toBeUndefined();
  });

  it('exposes the Key Vault reference string in the plan and on the component', () => {
    const ref = `@Microsoft.KeyVault(VaultName=${vault.name};SecretName=stripe-key)`;
    expect(vault.config['references']).toEqual({ 'stripe-key': ref });
    expect(vault.config['vaultUri']).toBe(`https://${vault.name}.vault.azure.net/`);
    expect(plan.components.find((c) => c.id === 'Billing')!.outputs['secretReferences']).toEqual({
      'stripe-key': ref,
    });
    expect(backend.components.billing.secretReferences).toEqual({ 'stripe-key': ref });
    // `${keyvault.name}` in an app setting resolves to the planned vault.
    const app = Object.values(json.resource['azurerm_function_app_flex_consumption']!)[0]!;
    expect((app['app_settings'] as Record<string, string>)['BILLING_STRIPE_KEY']).toBe(ref);
  });

  it('creates the vault secure by default, with the tenant from a client-config data source', () => {
    const kv = json.resource['azurerm_key_vault']!['backend_keyvault_shared']!;
    expect(kv).toMatchObject({
      name: vault.name,
      sku_name: 'standard',
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
      soft_delete_retention_days: 90,
      public_network_access_enabled: true,
      network_acls: { default_action: 'Allow', bypass: 'AzureServices' },
    });
    expect(kv['tenant_id']).toContain('data.azurerm_client_config.backend_client_config.tenant_id');
    expect(Object.keys(json.data?.['azurerm_client_config'] ?? {})).toEqual([
      'backend_client_config',
    ]);
  });

  it("grants the consumer's Function App identity Key Vault Secrets User on the vault", () => {
    const ras = json.resource['azurerm_role_assignment']!;
    const grant = ras['backend_keyvault_shared_ra_functions_shared']!;
    expect(grant).toMatchObject({
      role_definition_name: 'Key Vault Secrets User',
      principal_type: 'ServicePrincipal',
    });
    expect(grant['scope']).toBe('${azurerm_key_vault.backend_keyvault_shared.id}');
    expect(grant['principal_id']).toBe(
      '${azurerm_function_app_flex_consumption.backend_functions_shared.identity[0].principal_id}',
    );
    expect(
      Object.values(ras).filter((r) => String(r['role_definition_name']).startsWith('Key Vault')),
    ).toHaveLength(1);
  });

  it('on Premium/Dedicated, references resolve with the host identity, whose role the app waits for (first start)', () => {
    const premium = defineComponent({
      type: 'Billing',
      id: 'Billing',
      config: { secrets: ['stripe-key'], access: 'read' as const },
      requirements: (c) => [
        {
          resourceType: 'functions',
          requirementKey: 'Billing-functions',
          config: {
            runtime: 'node',
            functionCount: 1,
            sku: 'EP1',
            environmentVariables: {
              STRIPE_KEY: '@Microsoft.KeyVault(VaultName=${keyvault.name};SecretName=stripe-key)',
            },
          },
        },
        { resourceType: 'keyvault', requirementKey: 'Billing-kv', config: c },
      ],
    });
    const j = synth(defineBackend({ billing: premium }, { naming: { uniqueSeed: 'sub/rg' } }));
    const [appName, app] = Object.entries(j.resource['azurerm_linux_function_app']!)[0]!;
    const hostId = `\${azurerm_user_assigned_identity.${appName}_host_identity.id}`;
    expect(app['key_vault_reference_identity_id']).toBe(hostId);
    const [grantName, grant] = Object.entries(j.resource['azurerm_role_assignment']!).find(
      ([, r]) => String(r['role_definition_name']).startsWith('Key Vault'),
    )!;
    expect(grant['principal_id']).toBe(
      `\${azurerm_user_assigned_identity.${appName}_host_identity.principal_id}`,
    );
    expect(app['depends_on']).toContain(`azurerm_role_assignment.${grantName}`);
    expect(deployabilityProblems(j as TfJson)).toEqual([]);
    // The rule sees it: without the reference identity, the system identity could only be granted after the app.
    delete app['key_vault_reference_identity_id'];
    expect(
      deployabilityProblems(j as TfJson).some((p) =>
        p.includes('resolves Key Vault references with its system identity'),
      ),
    ).toBe(true);
  });

  it('is honest and secure (public)', () => {
    expectHonest(plan, json);
    expect(insecureAttributes(json, { isolated: false })).toEqual([]);
  });
});

describe('keyvault: isolated networking', () => {
  const backend = defineBackend(
    { userApi: user(), billing: billing() },
    { networking: 'isolated' },
  );
  const plan = backend.plan();
  const json = synth(backend);

  it('turns public access off, denies by default, and gets a private endpoint (subresource vault)', () => {
    expect(errors(plan)).toEqual([]);
    const kv = json.resource['azurerm_key_vault']!['backend_keyvault_shared']!;
    expect(kv).toMatchObject({
      public_network_access_enabled: false,
      network_acls: { default_action: 'Deny', bypass: 'AzureServices' },
    });
    const pe =
      json.resource['azurerm_private_endpoint']![
        'backend_network_shared_pe_keyvault_shared_vault'
      ]!;
    expect(pe['private_service_connection']).toMatchObject({
      subresource_names: ['vault'],
      private_connection_resource_id: '${azurerm_key_vault.backend_keyvault_shared.id}',
    });
    expect(Object.keys(json.resource['azurerm_private_dns_zone']!)).toContain(
      'backend_network_shared_dns_privatelink_vaultcore_azure_net',
    );
  });

  it('is honest and secure (isolated)', () => {
    expectHonest(plan, json);
    expect(insecureAttributes(json, { isolated: true })).toEqual([]);
  });
});

describe('keyvault: merging', () => {
  it('two components share one vault: secrets unioned, retention and access per the strongest ask', () => {
    const backend = defineBackend({
      billing: billing('Billing', {
        secrets: ['stripe-key'],
        access: 'read',
        softDeleteRetentionDays: 30,
      }),
      mailer: billing('Mailer', {
        secrets: ['sendgrid-key', 'stripe-key'],
        access: 'readwrite',
        softDeleteRetentionDays: 14,
      }),
    });
    const plan = backend.plan();
    expect(errors(plan)).toEqual([]);
    expect(vaults(plan)).toHaveLength(1);
    const vault = vaults(plan)[0]!;
    expect(vault.consumers).toEqual(['Billing', 'Mailer']);
    expect(vault.config).toMatchObject({
      secrets: ['sendgrid-key', 'stripe-key'],
      softDeleteRetentionDays: 30,
      access: { Billing: 'read', Mailer: 'readwrite' },
    });
    // Both components run on the shared Function App: one assignment for its identity, the stronger role.
    const json = synth(backend);
    expectHonest(plan, json);
    const grants = Object.values(json.resource['azurerm_role_assignment']!).filter((r) =>
      String(r['role_definition_name']).startsWith('Key Vault'),
    );
    expect(grants.map((g) => g['role_definition_name'])).toEqual(['Key Vault Secrets Officer']);
  });

  it('a premium vault is separate from the shared standard one', () => {
    const plan = defineBackend({
      billing: billing(),
      hsm: billing('Hsm', { secrets: ['signing'], sku: 'premium' }),
    }).plan();
    expect(vaults(plan).map((r) => [r.key, r.config['sku']])).toEqual([
      ['keyvault:premium', 'premium'],
      ['keyvault:shared', 'standard'],
    ]);
    const premium = vaults(plan)[0]!;
    expect((premium.config['references'] as Record<string, string>)['signing']).toBe(
      `@Microsoft.KeyVault(VaultName=${premium.name};SecretName=signing)`,
    );
  });

  it('retention 3 days is a plan error, and apply refuses it', () => {
    const backend = defineBackend({
      billing: billing('Billing', { secrets: ['a'], softDeleteRetentionDays: 3 }),
    });
    const issue = errors(backend.plan()).find((i) => i.code === 'KEYVAULT_RETENTION_INVALID');
    expect(issue?.components).toEqual(['Billing']);
    expect(issue?.path?.at(-1)).toBe('softDeleteRetentionDays');
    expect(codeOf(() => synth(backend))).toBe('PLAN_HAS_ERRORS');
  });

  it('an invalid secret name is a plan error', () => {
    const plan = defineBackend({
      billing: billing('Billing', { secrets: ['ok-name', 'stripe_key'] }),
    }).plan();
    const issues = errors(plan);
    expect(issues.map((i) => i.code)).toEqual(['KEYVAULT_SECRET_NAME_INVALID']);
    expect(issues[0]!.message).toContain('stripe_key');
    expect(issues[0]!.path).toEqual([
      'components',
      'billing',
      'requirements',
      1,
      'config',
      'secrets',
      1,
    ]);
    expect(
      errors(
        defineBackend({ billing: billing('Billing', { secrets: ['x'.repeat(128)] }) }).plan(),
      )[0]?.code,
    ).toBe('KEYVAULT_SECRET_NAME_INVALID');
  });

  it('an unknown access or sku is a plan error', () => {
    const plan = defineBackend({
      billing: billing('Billing', { secrets: ['a'], access: 'write' as never }),
    }).plan();
    expect(errors(plan).map((i) => [i.code, i.path?.at(-1)])).toEqual([
      ['KEYVAULT_INVALID', 'access'],
    ]);
  });

  it('a consumer without a Function App gets no role assignment, and the plan stays honest', () => {
    const backend = defineBackend({
      userApi: user(),
      vaultOnly: billing('VaultOnly', { secrets: ['shared-key'] }, false),
    });
    const plan = backend.plan();
    expect(errors(plan)).toEqual([]);
    const vault = vaults(plan)[0]!;
    expect(vault.deploys).toEqual([
      { terraformType: 'azurerm_key_vault', name: 'backend_keyvault_shared' },
    ]);
    const json = synth(backend);
    expectHonest(plan, json);
    expect(
      Object.values(json.resource['azurerm_role_assignment'] ?? {}).filter((r) =>
        String(r['role_definition_name']).startsWith('Key Vault'),
      ),
    ).toEqual([]);
    expect(insecureAttributes(json, { isolated: false })).toEqual([]);
  });
});
