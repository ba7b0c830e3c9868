import { describe, expect, it } from 'vitest';
import { BILLING_CONSUMER } from '../../src/plan/phases/billing-requirements.js';
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

  it('names the runtime’s billing, not a CrudApi, as the vault’s consumer; the CRUD app still reads the key', () => {
    const backend = defineBackend({ notes: notes() }, billed);
    const plan = backend.plan();
    const vault = plan.resources.find((r) => r.type === 'keyvault');
    expect(vault?.consumers).toEqual([BILLING_CONSUMER]);
    expect(vault?.config['access']).toEqual({ [BILLING_CONSUMER]: 'read' });
    expect(vault?.config['readsIn']).toEqual({ [BILLING_CONSUMER]: 'NoteApi' });
    // The billing timer runs in the CRUD app: its consumers name both.
    const app = plan.resources.find((r) => r.type === 'functions');
    expect([...(app?.consumers ?? [])].sort()).toEqual([BILLING_CONSUMER, 'NoteApi'].sort());
    // The role is the CRUD app's (Key Vault Secrets User on the vault), exactly as planned.
    const json = synth(backend);
    expectHonest(plan, json);
    const grants = Object.values(json.resource['azurerm_role_assignment'] ?? {}) as {
      scope: string;
      role_definition_name: string;
    }[];
    expect(
      grants.filter((g) => /azurerm_key_vault\./.test(g.scope)).map((g) => g.role_definition_name),
    ).toEqual(['Key Vault Secrets User']);
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

// Subscriptions drive plans (DESIGN §2): a plan's Stripe price, the webhook's signing secret, what a cancel does.
const subscribed = {
  ...billed,
  tenants: {
    ...billed.tenants,
    plans: { free: {}, pro: { requestsPerMinute: 600, stripe: { price: 'price_1ProMonthly' } } },
    billing: {
      stripe: { ...billed.tenants.billing.stripe, webhookSecret: 'STRIPE_WEBHOOK_SECRET' },
      onCanceled: 'suspend',
    },
  },
} as const satisfies BackendConfig;
const withPlans = (plans: unknown, billing: unknown = subscribed.tenants.billing) =>
  ({
    ...subscribed,
    tenants: { ...subscribed.tenants, plans, billing },
  }) as unknown as BackendConfig;

describe('tenants.billing.returnUrl', () => {
  it('is the page Checkout and the portal return to: in the manifest, an https page or a loopback http one', () => {
    const withReturn = (returnUrl: string) =>
      withPlans(subscribed.tenants.plans, { ...subscribed.tenants.billing, returnUrl });
    const backend = defineBackend(
      { notes: notes() },
      withReturn('https://app.contoso.com/settings/billing'),
    );
    const json = synth(backend);
    const app = Object.values(json.resource['azurerm_function_app_flex_consumption'] ?? {})[0] as {
      app_settings: Record<string, string>;
    };
    const manifest: RuntimeManifest = parseManifest(app.app_settings[MANIFEST_SETTING]);
    expect(manifest.auth?.registry?.billing?.subscriptions?.returnUrl).toBe(
      'https://app.contoso.com/settings/billing',
    );
    expect(
      normalizeConfig(withReturn('http://localhost:5173/billing')).tenants?.billing?.returnUrl,
    ).toBe('http://localhost:5173/billing');
    for (const bad of [
      'http://app.contoso.com/',
      'javascript:alert(1)',
      'https://user:pw@app.contoso.com/',
      '/billing',
      'https://app.contoso.com/#x',
    ]) {
      const e = thrown(() => normalizeConfig(withReturn(bad)));
      expect([e.code, e.path], bad).toEqual([
        'BILLING_CONFIG_INVALID',
        ['config', 'tenants', 'billing', 'returnUrl'],
      ]);
    }
  });
});

describe('plans.<name>.stripe and tenants.billing.stripe.webhookSecret', () => {
  it('keeps the price, the webhook secret and onCanceled; the manifest maps each price to its plan', () => {
    const c = normalizeConfig(subscribed);
    expect(c.tenants?.plans['pro']?.stripe).toEqual({ price: 'price_1ProMonthly' });
    expect(c.tenants?.billing?.stripe?.webhookSecret).toBe('STRIPE_WEBHOOK_SECRET');
    const backend = defineBackend({ notes: notes() }, subscribed);
    const json = synth(backend);
    expectHonest(backend.plan(), json);
    const app = Object.values(json.resource['azurerm_function_app_flex_consumption'] ?? {})[0] as {
      app_settings: Record<string, string>;
    };
    // A Key Vault reference exactly like the API key's.
    expect(app.app_settings['STRIPE_WEBHOOK_SECRET']).toMatch(
      /^@Microsoft\.KeyVault\(VaultName=kv-[a-z0-9-]+;SecretName=STRIPE-WEBHOOK-SECRET\)$/,
    );
    const manifest: RuntimeManifest = parseManifest(app.app_settings[MANIFEST_SETTING]);
    expect(manifest.auth?.registry?.billing?.subscriptions).toEqual({
      webhookSecret: 'STRIPE_WEBHOOK_SECRET',
      prices: { price_1ProMonthly: 'pro' },
      onCanceled: 'suspend',
    });
    expect(manifest.auth?.registry?.plans['pro']).toEqual({ requestsPerMinute: 600 });
    const vault = backend.plan().resources.find((r) => r.type === 'keyvault');
    expect(vault?.config['secrets']).toEqual(['STRIPE-KEY', 'STRIPE-WEBHOOK-SECRET']);
    // Default: a canceled subscription moves the organization to the default plan.
    const byDefault = withPlans(subscribed.tenants.plans, {
      stripe: subscribed.tenants.billing.stripe,
    });
    const m2 = parseManifest(
      (
        Object.values(
          synth(defineBackend({ notes: notes() }, byDefault)).resource[
            'azurerm_function_app_flex_consumption'
          ] ?? {},
        )[0] as { app_settings: Record<string, string> }
      ).app_settings[MANIFEST_SETTING],
    );
    expect(m2.auth?.registry?.billing?.subscriptions?.onCanceled).toBe('default-plan');
  });

  it('exempts the webhook route from App Service sign-in, and only with a webhook secret', () => {
    const settings = (config: BackendConfig) =>
      (
        Object.values(
          synth(defineBackend({ notes: notes() }, config)).resource[
            'azurerm_function_app_flex_consumption'
          ] ?? {},
        )[0] as { auth_settings_v2?: { excluded_paths?: string[] } }
      ).auth_settings_v2?.excluded_paths ?? [];
    expect(settings(subscribed)).toContain('/api/billing/stripe');
    expect(settings(billed)).not.toContain('/api/billing/stripe');
  });

  it('refuses a bad price id, a price on two plans, a price without a webhook, a webhook secret without prices', () => {
    const stripe = subscribed.tenants.billing.stripe;
    const shape = thrown(() =>
      normalizeConfig(withPlans({ free: {}, pro: { stripe: { price: 'prod_1' } } })),
    );
    expect(shape.code).toBe('BILLING_CONFIG_INVALID');
    expect(shape.path).toEqual(['config', 'tenants', 'plans', 'pro', 'stripe', 'price']);
    const twice = thrown(() =>
      normalizeConfig(
        withPlans({
          free: { stripe: { price: 'price_A' } },
          pro: { stripe: { price: 'price_A' } },
        }),
      ),
    );
    expect(twice.code).toBe('BILLING_CONFIG_INVALID');
    expect(twice.message).toMatch(/price_A/);
    const noBilling = thrown(() =>
      normalizeConfig({
        ...billed,
        tenants: { plans: subscribed.tenants.plans, defaultPlan: 'free' },
      } as unknown as BackendConfig),
    );
    expect(noBilling.code).toBe('BILLING_CONFIG_INVALID');
    expect(noBilling.path).toEqual(['config', 'tenants', 'plans', 'pro', 'stripe']);
    const noWebhook = thrown(() =>
      normalizeConfig(
        withPlans(subscribed.tenants.plans, { stripe: billed.tenants.billing.stripe }),
      ),
    );
    expect(noWebhook.path).toEqual(['config', 'tenants', 'billing', 'stripe', 'webhookSecret']);
    const noPrice = thrown(() => normalizeConfig(withPlans({ free: {}, pro: {} })));
    expect(noPrice.path).toEqual(['config', 'tenants', 'billing', 'stripe', 'webhookSecret']);
    const value = thrown(() =>
      normalizeConfig(
        withPlans(subscribed.tenants.plans, {
          stripe: { ...stripe, webhookSecret: 'whsec_abc123' },
        }),
      ),
    );
    expect(value.path).toEqual(['config', 'tenants', 'billing', 'stripe', 'webhookSecret']);
    expect(value.message).not.toContain('whsec_abc123');
    const same = thrown(() =>
      normalizeConfig(
        withPlans(subscribed.tenants.plans, { stripe: { ...stripe, webhookSecret: 'STRIPE_KEY' } }),
      ),
    );
    expect(same.path).toEqual(['config', 'tenants', 'billing', 'stripe', 'webhookSecret']);
    const canceled = thrown(() =>
      normalizeConfig(withPlans(subscribed.tenants.plans, { stripe, onCanceled: 'delete' })),
    );
    expect(JSON.stringify(canceled.path) + canceled.message).toMatch(/onCanceled/);
    // A checkout-only backend: the webhook secret and no meter.
    expect(
      normalizeConfig(
        withPlans(subscribed.tenants.plans, {
          stripe: { secret: 'STRIPE_KEY', meters: {}, webhookSecret: 'STRIPE_WEBHOOK_SECRET' },
        }),
      ).tenants?.billing?.stripe?.meters,
    ).toEqual({});
  });
});
