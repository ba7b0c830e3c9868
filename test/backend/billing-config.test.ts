import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { normalizeConfig } from '../../src/backend/normalize-config.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import { MANIFEST_SETTING, type RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { parseManifest } from '../../src/runtime/manifest-loader.js';
import { expectHonest, synth } from '../support/synth.js';
import { thrown } from '../support/errors.js';

// tenants.billing (DESIGN §2, "Usage to invoices"): the config's rules, and what the plan and apply make of it.
const billed = {
  auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
  tenants: {
    plans: { free: { requestsPerMinute: 60 }, pro: { monthlyFeeUsd: 49 } },
    defaultPlan: 'free',
    billing: {
      stripe: {
        secret: 'STRIPE_KEY',
        meters: { requests: 'api_requests', storedGbHours: 'stored_gb_hours' },
      },
    },
  },
} as const satisfies BackendConfig;
const notes = () => CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });
const withBilling = (billing: unknown) =>
  ({ ...billed, tenants: { ...billed.tenants, billing } }) as unknown as BackendConfig;

describe('tenants.billing in the config', () => {
  it('keeps the declared meters and the secret name, and a plan its fee', () => {
    const c = normalizeConfig(billed);
    expect(c.tenants?.billing).toEqual(billed.tenants.billing);
    expect(c.tenants?.plans['pro']).toEqual({ monthlyFeeUsd: 49 });
  });

  it('refuses a key in the config, a bad secret name, no meter, a bad or shared event name', () => {
    const key = thrown(() =>
      normalizeConfig(
        withBilling({ stripe: { secret: 'sk_test_abc', meters: { requests: 'r' } } }),
      ),
    );
    expect(key.code).toBe('BILLING_CONFIG_INVALID');
    expect(key.path).toEqual(['config', 'tenants', 'billing', 'stripe', 'secret']);
    expect(key.message).not.toContain('sk_test_abc');
    expect(
      thrown(() =>
        normalizeConfig(
          withBilling({ stripe: { secret: 'stripe-key', meters: { requests: 'r' } } }),
        ),
      ).code,
    ).toBe('BILLING_CONFIG_INVALID');
    const none = thrown(() =>
      normalizeConfig(withBilling({ stripe: { secret: 'STRIPE_KEY', meters: {} } })),
    );
    expect(none.path).toEqual(['config', 'tenants', 'billing', 'stripe', 'meters']);
    const spaced = thrown(() =>
      normalizeConfig(
        withBilling({ stripe: { secret: 'STRIPE_KEY', meters: { requests: 'api requests' } } }),
      ),
    );
    expect(spaced.path).toEqual(['config', 'tenants', 'billing', 'stripe', 'meters', 'requests']);
    const twice = thrown(() =>
      normalizeConfig(
        withBilling({
          stripe: {
            secret: 'STRIPE_KEY',
            meters: { requests: 'usage', realtimeMessages: 'usage' },
          },
        }),
      ),
    );
    expect(twice.code).toBe('BILLING_CONFIG_INVALID');
    expect(twice.message).toMatch(/both send to "usage"/);
    // An unknown meter is the schema's: the key is named.
    const unknown = thrown(() =>
      normalizeConfig(
        withBilling({ stripe: { secret: 'STRIPE_KEY', meters: { requests: 'r', cpu: 'c' } } }),
      ),
    );
    expect(JSON.stringify(unknown.path) + unknown.message).toMatch(/cpu/);
    expect(
      thrown(() =>
        normalizeConfig({
          ...billed,
          tenants: { ...billed.tenants, plans: { free: { monthlyFeeUsd: 9.999 } } },
        }),
      ).path?.join('.'),
    ).toMatch(/monthlyFeeUsd/);
  });

  it('gives the CRUD app the key as a Key Vault reference, the vault its secret, and the manifest the meters', () => {
    const backend = defineBackend({ notes: notes() }, billed);
    const json = synth(backend);
    expectHonest(backend.plan(), json);
    const app = Object.values(json.resource['azurerm_function_app_flex_consumption'] ?? {})[0] as {
      app_settings: Record<string, string>;
    };
    expect(app.app_settings['STRIPE_KEY']).toMatch(
      /^@Microsoft\.KeyVault\(VaultName=kv-[a-z0-9-]+;SecretName=STRIPE-KEY\)$/,
    );
    const manifest: RuntimeManifest = parseManifest(app.app_settings[MANIFEST_SETTING]);
    expect(manifest.auth?.registry?.billing).toEqual(billed.tenants.billing.stripe);
    // A plan's fee is the reports', not the runtime's.
    expect(manifest.auth?.registry?.plans['pro']).toEqual({});
    const vault = backend.plan().resources.find((r) => r.type === 'keyvault');
    expect(vault?.config['secrets']).toEqual(['STRIPE-KEY']);
    expect(Object.keys(json.resource['azurerm_role_assignment'] ?? {}).join(' ')).toMatch(
      /keyvault/,
    );
  });

  it('adds nothing without tenants.billing', () => {
    const plan = defineBackend(
      { notes: notes() },
      { ...billed, tenants: { plans: { free: {} }, defaultPlan: 'free' } },
    ).plan();
    expect(plan.resources.some((r) => r.type === 'keyvault')).toBe(false);
  });
});

describe('examples/billing', () => {
  it('plans the Stripe key as a Key Vault secret the CRUD app reads, and no error', async () => {
    const { default: backend } = await import('../../examples/billing/backend.js');
    const plan = backend.plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(plan.resources.find((r) => r.type === 'keyvault')?.config['secrets']).toEqual([
      'STRIPE-KEY',
    ]);
  });
});
