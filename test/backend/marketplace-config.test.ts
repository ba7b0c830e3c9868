import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { normalizeConfig } from '../../src/backend/normalize-config.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import { MANIFEST_SETTING } from '../../src/model/runtime-manifest.js';
import { renderPlanText } from '../../src/plan/render/text.js';
import { parseManifest } from '../../src/runtime/manifest-loader.js';
import { expectHonest, synth } from '../support/synth.js';
import { thrown } from '../support/errors.js';

// tenants.billing.marketplace (DESIGN §2, "Sold on Azure Marketplace beside Stripe"): the config's rules, and what
// the plan and apply make of it — the landing sign-in registered, the URLs printed, the secrets as Key Vault references.
const PUBLISHER = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '5b1c7a3e-8d2f-4c2d-9e8f-1a2b3c4d5e6f';
const marketplace = {
  offer: 'notes-saas',
  publisherTenantId: PUBLISHER,
  clientId: CLIENT,
  secret: 'MARKETPLACE_SECRET',
  plans: { pro: 'pro-monthly' },
  dimensions: { requests: 'api_calls' },
  included: { pro: { requests: 1000 } },
};
const sold = {
  tenants: {
    by: 'membership',
    plans: { free: {}, pro: { requestsPerMinute: 600 } },
    defaultPlan: 'free',
    billing: { marketplace },
  },
} as const satisfies BackendConfig;
const notes = () => CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });
const withMarketplace = (m: unknown, extra: object = {}) =>
  ({
    ...sold,
    tenants: { ...sold.tenants, billing: { marketplace: m, ...extra } },
  }) as unknown as BackendConfig;
const refusal = (m: unknown, extra: object = {}) =>
  thrown(() => normalizeConfig(withMarketplace(m, extra)));

describe('tenants.billing.marketplace in the config', () => {
  it('keeps the offer alone (no Stripe), and beside Stripe', () => {
    expect(normalizeConfig(sold).tenants?.billing).toEqual({ marketplace });
    const both = normalizeConfig(
      withMarketplace(marketplace, {
        stripe: { secret: 'STRIPE_KEY', meters: { requests: 'api_requests' } },
      }),
    );
    expect(both.tenants?.billing?.stripe?.secret).toBe('STRIPE_KEY');
    expect(both.tenants?.billing?.marketplace?.offer).toBe('notes-saas');
  });

  it('refuses each mistake with BILLING_CONFIG_INVALID at its key, never echoing a client secret', () => {
    const cases: [unknown, string[]][] = [
      [{ ...marketplace, offer: 'Notes SaaS' }, ['offer']],
      [{ ...marketplace, publisherTenantId: 'contoso.onmicrosoft.com' }, ['publisherTenantId']],
      [{ ...marketplace, clientId: '1234' }, ['clientId']],
      [{ ...marketplace, secret: 'abc8Q~verysecretvalue' }, ['secret']],
      [{ ...marketplace, secret: 'marketplace-secret' }, ['secret']],
      [{ ...marketplace, plans: {} }, ['plans']],
      [{ ...marketplace, plans: { gold: 'gold' } }, ['plans', 'gold']],
      [{ ...marketplace, plans: { pro: 'Pro Monthly' } }, ['plans', 'pro']],
      [{ ...marketplace, plans: { pro: 'p', free: 'p' } }, ['plans', 'pro']],
      [{ ...marketplace, dimensions: { requests: 'a b' } }, ['dimensions', 'requests']],
      [
        { ...marketplace, dimensions: { requests: 'x', requestUnits: 'x' } },
        ['dimensions', 'requestUnits'],
      ],
      [{ ...marketplace, included: { free: { requests: 1 } } }, ['included', 'free']],
      [
        { ...marketplace, included: { pro: { storedGbHours: 1 } } },
        ['included', 'pro', 'storedGbHours'],
      ],
      [{ ...marketplace, included: { pro: { requests: 1.5 } } }, ['included', 'pro', 'requests']],
    ];
    for (const [m, path] of cases) {
      const e = refusal(m);
      expect(e.code, JSON.stringify(m)).toBe('BILLING_CONFIG_INVALID');
      expect(e.path).toEqual(['config', 'tenants', 'billing', 'marketplace', ...path]);
      expect(e.resolution).toBeTruthy();
    }
    expect(refusal({ ...marketplace, secret: 'abc8Q~verysecretvalue' }).message).not.toContain(
      'verysecret',
    );
    // The Stripe key's name is taken: two secrets under one name would be one value.
    const shared = refusal(
      { ...marketplace, secret: 'STRIPE_KEY' },
      { stripe: { secret: 'STRIPE_KEY', meters: { requests: 'r' } } },
    );
    expect(shared.path).toEqual(['config', 'tenants', 'billing', 'marketplace', 'secret']);
    // Without organizations there is no Owner for a buyer to become.
    const directory = thrown(() =>
      normalizeConfig({
        auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
        tenants: { plans: { free: {} }, defaultPlan: 'free', billing: { marketplace } },
      } as unknown as BackendConfig),
    );
    expect(directory.code).toBe('BILLING_CONFIG_INVALID');
    expect(directory.path).toEqual(['config', 'tenants', 'billing', 'marketplace']);
    // Neither channel.
    expect(thrown(() => normalizeConfig(withMarketplace(undefined))).code).toBe(
      'BILLING_CONFIG_INVALID',
    );
  });
});

describe('the plan of an offer sold on Azure Marketplace', () => {
  const backend = defineBackend({ notes: notes() }, sold);
  const plan = backend.plan();

  it('prints what Partner Center asks for: the landing page and webhook URLs, the tenant and the fulfillment app', () => {
    expect(plan.marketplace).toMatchObject({
      offer: 'notes-saas',
      landingPageUrl: expect.stringMatching(
        /^https:\/\/func-[a-z0-9-]+\.azurewebsites\.net\/api\/marketplace\/landing$/,
      ),
      webhookUrl: expect.stringMatching(/\/api\/marketplace\/webhook$/),
      tenantId: PUBLISHER,
      applicationId: CLIENT,
      landingSignIn: { signInAudience: 'AzureADandPersonalMicrosoftAccount' },
      secrets: ['MARKETPLACE_SECRET', 'MARKETPLACE_LANDING_SECRET'],
      storeServiceFeePercent: 3,
    });
    const text = renderPlanText(plan);
    expect(text).toContain(`Landing page URL: ${plan.marketplace?.landingPageUrl}`);
    expect(text).toContain(`Connection webhook: ${plan.marketplace?.webhookUrl}`);
    expect(text).toContain('3% of what buyers pay');
  });

  it('registers the landing sign-in for any directory and personal accounts, and synthesizes exactly the plan', () => {
    const json = synth(backend);
    expectHonest(plan, json);
    const apps = Object.values(json.resource['azuread_application'] ?? {}) as {
      sign_in_audience?: string;
      web?: { redirect_uris?: string[] };
      api?: { requested_access_token_version?: number };
    }[];
    const landing = apps.find((a) => a.sign_in_audience === 'AzureADandPersonalMicrosoftAccount');
    expect(landing?.api?.requested_access_token_version).toBe(2);
    expect(landing?.web?.redirect_uris?.[0]).toMatch(/\/\.auth\/login\/marketplace\/callback$/);
    const app = Object.values(json.resource['azurerm_function_app_flex_consumption'] ?? {})[0] as {
      app_settings: Record<string, string>;
      auth_settings_v2: {
        excluded_paths: string[];
        custom_oidc_v2?: { name: string; openid_configuration_endpoint: string }[];
      };
    };
    expect(app.auth_settings_v2.excluded_paths).toEqual(
      expect.arrayContaining(['/api/marketplace/landing', '/api/marketplace/webhook']),
    );
    expect(app.auth_settings_v2.custom_oidc_v2?.[0]).toMatchObject({
      name: 'marketplace',
      openid_configuration_endpoint:
        'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
    });
    expect(app.app_settings['MARKETPLACE_SECRET']).toMatch(
      /^@Microsoft\.KeyVault\(.*SecretName=MARKETPLACE-SECRET\)$/,
    );
    expect(app.app_settings['MARKETPLACE_PROVIDER_AUTHENTICATION_SECRET']).toMatch(
      /SecretName=MARKETPLACE-LANDING-SECRET\)$/,
    );
    const manifest = parseManifest(app.app_settings[MANIFEST_SETTING]);
    expect(manifest.auth?.registry?.marketplace).toEqual({
      offer: 'notes-saas',
      publisherTenantId: PUBLISHER,
      clientId: CLIENT,
      secret: 'MARKETPLACE_SECRET',
      plans: { 'pro-monthly': 'pro' },
      dimensions: { requests: 'api_calls' },
      included: { pro: { requests: 1000 } },
      onCanceled: 'default-plan',
    });
    expect(manifest.auth?.registry?.billing).toBeUndefined();
    expect(Object.keys(json.output ?? {})).toEqual(
      expect.arrayContaining([
        'backend_marketplace_landing_page_url',
        'backend_marketplace_webhook_url',
        'backend_marketplace_landing_client_id',
      ]),
    );
  });
});

describe('the OpenAPI document of an offer sold on Azure Marketplace', () => {
  it('lists the landing page and the webhook, outside the API’s sign-in', async () => {
    const { openApiFromPlan } = await import('../../src/plan/openapi.js');
    const doc = openApiFromPlan(defineBackend({ notes: notes() }, sold).plan()) as unknown as {
      paths: Record<
        string,
        Record<string, { security?: unknown[]; responses: Record<string, unknown> }>
      >;
    };
    expect(doc.paths['/api/marketplace/landing']?.['get']?.security).toEqual([]);
    expect(Object.keys(doc.paths['/api/marketplace/landing']?.['get']?.responses ?? {})).toContain(
      '302',
    );
    expect(Object.keys(doc.paths['/api/marketplace/webhook']?.['post']?.responses ?? {})).toContain(
      '401',
    );
    const plain = openApiFromPlan(
      defineBackend(
        { notes: notes() },
        { tenants: { by: 'membership', plans: { free: {} }, defaultPlan: 'free' } },
      ).plan(),
    ) as unknown as { paths: Record<string, unknown> };
    expect(plain.paths['/api/marketplace/landing']).toBeUndefined();
  });
});
