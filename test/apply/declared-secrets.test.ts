import { Testing } from '../support/engine.js';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { codeOf, expectHonest, synth } from '../support/synth.js';
import { insecureAttributes } from '../support/security.js';

Testing.setupJest();

const VALUE = 'sk_live_never-anywhere-0123456789';
const payments = (
  id = 'Payments',
  secrets: string[] = ['STRIPE_KEY', 'WEBHOOK_SECRET'],
  sku?: string,
) =>
  FunctionsApp.define(id, {
    runtime: 'node',
    secrets,
    ...(sku ? { sku } : {}),
    functions: {
      pay: {
        trigger: 'http',
        route: `${id.toLowerCase()}/pay`,
        handler: './test/packaging/fixtures/read-secret.ts',
      },
    },
  });
const users = () =>
  CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' }, partitionKey: '/id' });
const kvGrants = (json: ReturnType<typeof synth>) =>
  Object.entries(json.resource['azurerm_role_assignment'] ?? {}).filter(([, r]) =>
    String(r['role_definition_name']).startsWith('Key Vault'),
  );

describe('FunctionsApp secrets: the plan and the synthesized stack', () => {
  const backend = defineBackend(
    { users: users(), payments: payments() },
    { naming: { uniqueSeed: 'sub/rg' } },
  );
  const plan = backend.plan();
  const json = synth(backend);
  const vault = plan.resources.find((r) => r.type === 'keyvault')!;

  it('plans the backend vault holding the vault names of the declared secrets (names only)', () => {
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(vault.key).toBe('keyvault:shared');
    expect(vault.consumers).toEqual(['Payments']);
    expect(vault.config['secrets']).toEqual(['STRIPE-KEY', 'WEBHOOK-SECRET']);
    expect(vault.config['access']).toEqual({ Payments: 'read' });
  });

  it('writes one app setting per secret under the name the code reads, a Key Vault reference', () => {
    const app = Object.values(json.resource['azurerm_function_app_flex_consumption']!)[0]!;
    const settings = app['app_settings'] as Record<string, string>;
    expect(settings['STRIPE_KEY']).toBe(
      `@Microsoft.KeyVault(VaultName=${vault.name};SecretName=STRIPE-KEY)`,
    );
    expect(settings['WEBHOOK_SECRET']).toBe(
      `@Microsoft.KeyVault(VaultName=${vault.name};SecretName=WEBHOOK-SECRET)`,
    );
    expect(Object.keys(settings).filter((k) => k.endsWith('STRIPE_KEY'))).toEqual(['STRIPE_KEY']);
  });

  it('creates an RBAC, purge-protected vault, no secret resource, and Key Vault Secrets User for the identity resolving references', () => {
    const kv = Object.values(json.resource['azurerm_key_vault']!)[0]!;
    expect(kv).toMatchObject({
      name: vault.name,
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
    });
    expect(json.resource['azurerm_key_vault_secret']).toBeUndefined();
    const grants = kvGrants(json);
    expect(grants).toHaveLength(1);
    // Flex resolves references with the app's system identity (azurerm 4.55 has no key_vault_reference_identity_id there).
    expect(grants[0]![1]).toMatchObject({
      role_definition_name: 'Key Vault Secrets User',
      principal_type: 'ServicePrincipal',
    });
    expect(grants[0]![1]['principal_id']).toMatch(
      /^\$\{azurerm_function_app_flex_consumption\.[a-z0-9_]+\.identity\[0\]\.principal_id\}$/,
    );
    expect(grants[0]![1]['scope']).toBe(
      `\${azurerm_key_vault.${Object.keys(json.resource['azurerm_key_vault']!)[0]!}.id}`,
    );
  });

  it('on Premium, the grant goes to the host identity the app names as key_vault_reference_identity_id', () => {
    const j = synth(
      defineBackend(
        { payments: payments('Payments', ['STRIPE_KEY'], 'EP1') },
        { naming: { uniqueSeed: 'sub/rg' } },
      ),
    );
    const [appName, app] = Object.entries(j.resource['azurerm_linux_function_app']!)[0]!;
    expect(app['key_vault_reference_identity_id']).toBe(
      `\${azurerm_user_assigned_identity.${appName}_host_identity.id}`,
    );
    expect(kvGrants(j).map(([, g]) => g['principal_id'])).toEqual([
      `\${azurerm_user_assigned_identity.${appName}_host_identity.principal_id}`,
    ]);
  });

  it('is honest and secure, and holds no secret value anywhere', () => {
    expectHonest(plan, json);
    expect(insecureAttributes(json, { isolated: false })).toEqual([]);
    const text = JSON.stringify(json) + JSON.stringify(plan);
    expect(text).not.toContain(VALUE);
    expect(text).not.toMatch(/azurerm_key_vault_secret/);
  });

  it('two components of one app declaring one secret read the one setting; each app of its own gets its own grant', () => {
    const b = defineBackend(
      {
        a: payments('A', ['STRIPE_KEY']),
        b: payments('B', ['STRIPE_KEY', 'MAIL_KEY']),
        n20: FunctionsApp.define('Node20', {
          runtime: 'node',
          version: '20',
          secrets: ['MAIL_KEY'],
          functions: {
            x: {
              trigger: 'http',
              route: 'n20/x',
              handler: './test/packaging/fixtures/read-secret.ts',
            },
          },
        }),
      },
      { naming: { uniqueSeed: 'sub/rg' } },
    );
    const p = b.plan();
    expect(p.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(p.resources.filter((r) => r.type === 'keyvault')).toHaveLength(1);
    expect(p.resources.find((r) => r.type === 'keyvault')!.config['secrets']).toEqual([
      'MAIL-KEY',
      'STRIPE-KEY',
    ]);
    const j = synth(b);
    expectHonest(p, j);
    expect(kvGrants(j)).toHaveLength(2);
  });
});

describe('FunctionsApp secrets: bad names', () => {
  it.each([['stripe_key'], ['STRIPE-KEY'], ['1KEY'], ['A'.repeat(128)], [''], [42]])(
    '%j is SECRET_NAME_INVALID at define',
    (name) => {
      expect(codeOf(() => payments('Payments', [name as string]))).toBe('SECRET_NAME_INVALID');
    },
  );
  it('a list is required', () => {
    expect(
      codeOf(() =>
        FunctionsApp.define('P', {
          runtime: 'node',
          secrets: 'STRIPE_KEY' as never,
          functions: { x: { trigger: 'http', handler: './x.ts' } },
        }),
      ),
    ).toBe('SECRET_NAME_INVALID');
  });
  it('a secret named like a setting apply writes is APP_SETTING_COLLISION', () => {
    const issues = defineBackend({ p: payments('P', ['WEBSITE_RUN_FROM_PACKAGE'], 'EP1') }).plan()
      .issues;
    expect(issues.map((i) => i.code)).toContain('APP_SETTING_COLLISION');
  });
});

describe('FunctionsApp secrets: the plan as text', () => {
  it('names each secret and where it goes, never a value', async () => {
    const { renderPlanText } = await import('../../src/plan/render/index.js');
    const text = renderPlanText(
      defineBackend({ payments: payments() }, { naming: { uniqueSeed: 'sub/rg' } }).plan(),
    );
    expect(text).toMatch(
      /secrets to set in this environment \(names only; atakora secret set <entry> <NAME>, the value on stdin\): STRIPE_KEY \(kv-[a-z0-9-]+\/STRIPE-KEY\), WEBHOOK_SECRET \(kv-[a-z0-9-]+\/WEBHOOK-SECRET\)/,
    );
    expect(text).not.toContain(VALUE);
  });

  it('the HTML review page and the Markdown list the same secrets to set as the text', async () => {
    const { renderPlanHtml, renderPlanMarkdown, renderPlanText } = await import(
      '../../src/plan/render/index.js'
    );
    const plan = defineBackend(
      { payments: payments() },
      { naming: { uniqueSeed: 'sub/rg' } },
    ).plan();
    const line = /secrets to set in this environment[^\n]*/.exec(renderPlanText(plan))![0];
    const names = [...line.matchAll(/[A-Z_]+ \(kv-[a-z0-9-]+\/[A-Z-]+\)/g)].map((m) => m[0]);
    expect(names).toHaveLength(2);
    const html = renderPlanHtml(plan);
    const item = /<li>secrets to set in this environment[^]*?<\/li>/.exec(html)![0];
    expect(item).toContain('<code>atakora secret set &lt;entry&gt; &lt;NAME&gt;</code>');
    for (const n of names) {
      expect(item).toContain(`<code>${n}</code>`);
      expect(renderPlanMarkdown(plan)).toContain(n);
    }
    expect(html).not.toContain(VALUE);
  });
});
