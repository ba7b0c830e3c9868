/**
 * A customer sign-in (`auth.signInAudience: 'customers'`, DESIGN §2 "Customer sign-in"): its config rules, the plan
 * error without tenants by membership, and the synthesized external-tenant wiring — the registrations through an
 * azuread provider configured for the external tenant, App Service authentication on its ciamlogin.com endpoint,
 * each site's atakora.config.json naming that authority — with the plan honest about what apply creates.
 * azuread 3.7.0 docs/index.md (tenant_id, several provider blocks); azurerm 4.55.0
 * internal/services/appservice/helpers/auth_v2_schema.go (tenant_auth_endpoint → openIdIssuer).
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { normalizeConfig } from '../../src/backend/normalize-config.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { StaticSite } from '../../src/components/web/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { declaredSecrets } from '../../src/cli/shared/secrets/secret-target.js';
import { SIGN_IN_CONSUMER } from '../../src/plan/phases/sign-in-secrets.js';
import { siteConfigOf } from '../../src/kit/pure/site-config.js';
import { plannedRegistrations } from '../../src/kit/pure/entra.js';
import { PlanError } from '../../src/model/errors.js';
import { expectHonest, synth, thrown } from '../support/synth.js';
import { customersConfig, EXTERNAL_TENANT } from '../support/customers-config.js';

const TENANT = EXTERNAL_TENANT;
const tid = TENANT.toLowerCase();
const customers = customersConfig;
const notes = () => CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });
const portal = () => StaticSite.define('Portal', {});
type Block = Record<string, unknown>;

describe("auth.signInAudience 'customers': the config", () => {
  it('normalizes the external tenant (lower case), one-time codes by default, Google before Facebook', () => {
    const c = normalizeConfig(customers);
    expect(c.auth).toMatchObject({ signInAudience: 'customers', tenantId: tid });
    expect(c.auth.customers).toEqual({
      tenantId: tid,
      subdomain: 'contosoid',
      emailSignIn: 'one-time-code',
      identityProviders: [{ type: 'google' }, { type: 'facebook', clientId: '236028191057849' }],
    });
    expect(c.auth.allowedTenants).toBeUndefined();
  });

  it('plans an error, AUTH_CUSTOMERS_NEED_MEMBERSHIP, without tenants by membership; apply refuses it', () => {
    for (const tenants of [undefined, { plans: { free: {} }, defaultPlan: 'free' }] as const) {
      const backend = defineBackend(
        { notes: notes() },
        { auth: customers.auth, ...(tenants ? { tenants } : {}) },
      );
      const issue = backend.plan().issues.find((i) => i.code === 'AUTH_CUSTOMERS_NEED_MEMBERSHIP');
      expect(issue).toMatchObject({ severity: 'error', path: ['config', 'tenants'] });
      expect(issue?.resolution).toContain("by: 'membership'");
      expect(backend.validate().valid).toBe(false);
      expect(() => synth(backend)).toThrow(PlanError);
    }
    const ok = defineBackend({ notes: notes() }, customers).plan();
    expect(ok.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it.each([
    [{ signInAudience: 'customers' }, 'externalTenant'],
    [{ externalTenant: { id: TENANT, subdomain: 'contosoid' } }, 'externalTenant'],
    [{ emailSignIn: 'password' }, 'emailSignIn'],
    [{ identityProviders: ['google'] }, 'identityProviders'],
    [{ ...customers.auth, allowedTenants: 'any' }, 'allowedTenants'],
    [{ ...customers.auth, tenantId: '11111111-2222-4333-8444-555555555555' }, 'tenantId'],
    [{ ...customers.auth, identityProviders: ['google', 'google'] }, 'identityProviders'],
  ] as const)('refuses %j (AUTH_SIGN_IN_AUDIENCE_INVALID at %s)', (auth, key) => {
    const e = thrown(() => normalizeConfig({ auth, tenants: customers.tenants }));
    expect(e.code).toBe('AUTH_SIGN_IN_AUDIENCE_INVALID');
    expect(e.path).toContain(key);
    expect(e.resolution).toBeTruthy();
  });

  it('refuses a client id of the wrong shape without repeating it (it may be the secret)', () => {
    const secret = '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';
    const e = thrown(() =>
      normalizeConfig({
        ...customers,
        auth: { ...customers.auth, identityProviders: [{ type: 'google', clientId: secret }] },
      }),
    );
    expect(e.code).toBe('AUTH_SIGN_IN_AUDIENCE_INVALID');
    expect(e.path).toEqual(['config', 'auth', 'identityProviders', 0, 'clientId']);
    expect(`${e.message} ${e.resolution ?? ''}`).not.toContain(secret);
  });

  it.each([
    ['a non-GUID tenant id', { id: 'contoso', subdomain: 'contosoid' }],
    ['a full host name', { id: TENANT, subdomain: 'contosoid.ciamlogin.com' }],
    ['a leading hyphen', { id: TENANT, subdomain: '-contoso' }],
    ['a label over 63 characters', { id: TENANT, subdomain: 'a'.repeat(64) }],
  ])('refuses %s (CONFIG_INVALID)', (_, externalTenant) => {
    const e = thrown(() =>
      normalizeConfig({ ...customers, auth: { ...customers.auth, externalTenant } }),
    );
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.path.join('.')).toContain('auth.externalTenant');
  });
});

describe("auth.signInAudience 'customers': the synthesized external tenant", () => {
  const backend = defineBackend({ notes: notes(), portal: portal() }, customers);
  const json = synth(backend);
  const provider = (json['provider'] as { azuread?: Block[] }).azuread ?? [];
  const apps = (json.resource['azuread_application'] ?? {}) as Record<string, Block>;

  it('configures an aliased azuread provider for the external tenant and no default one', () => {
    expect(provider).toEqual([{ alias: 'backend_customers', tenant_id: tid }]);
  });

  it('creates every registration, service principal and pre-authorization through it', () => {
    const azuread = Object.entries(json.resource).filter(([type]) => type.startsWith('azuread_'));
    expect(azuread.map(([type]) => type).sort()).toEqual([
      'azuread_application',
      'azuread_application_identifier_uri',
      'azuread_application_pre_authorized',
      'azuread_service_principal',
    ]);
    for (const [, byName] of azuread)
      for (const block of Object.values(byName))
        expect((block as Block)['provider']).toBe('azuread.backend_customers');
    const data = (json.data?.['azuread_client_config'] ?? {}) as Record<string, Block>;
    expect(Object.values(data).map((d) => d['provider'])).toEqual(['azuread.backend_customers']);
  });

  it("asks for email and xms_edov in the API's access tokens (invitations need a verified email)", () => {
    expect(apps['backend_entra_api']?.['optional_claims']).toEqual({
      access_token: [{ name: 'email' }, { name: 'xms_edov' }],
    });
    expect(apps['backend_staticsite_portal_spa']?.['optional_claims']).toBeUndefined();
    const workforce = synth(defineBackend({ notes: notes() }));
    const api = (workforce.resource['azuread_application'] ?? {})['backend_entra_api'] as Block;
    expect(api['optional_claims']).toBeUndefined();
  });

  it('gives the registrations the display names atakora auth setup finds them by', () => {
    const planned = plannedRegistrations(backend.plan());
    expect(planned.map((r) => [r.kind, r.displayName])).toEqual([
      ['api', 'backend-dev-api'],
      ['spa', 'backend-dev-Portal'],
    ]);
    for (const r of planned) expect(apps[r.terraformName]?.['display_name']).toBe(r.displayName);
  });

  it("registers the apps for the external tenant's own accounts", () => {
    expect(apps['backend_entra_api']).toMatchObject({ sign_in_audience: 'AzureADMyOrg' });
    expect(apps['backend_staticsite_portal_spa']).toMatchObject({
      sign_in_audience: 'AzureADMyOrg',
    });
  });

  it("validates customers' tokens at the external tenant's ciamlogin.com v2.0 endpoint", () => {
    const apps = Object.values(json.resource['azurerm_function_app_flex_consumption'] ?? {}) as {
      auth_settings_v2: { active_directory_v2: Block };
    }[];
    expect(apps.length).toBeGreaterThan(0);
    for (const app of apps)
      expect(app.auth_settings_v2.active_directory_v2).toMatchObject({
        client_id: '${azuread_application.backend_entra_api.client_id}',
        tenant_auth_endpoint: `https://contosoid.ciamlogin.com/${tid}/v2.0`,
      });
  });

  it("names the authority in each site's atakora.config.json, the handles and the outputs", () => {
    const authority = `https://contosoid.ciamlogin.com/${tid}`;
    const site = siteConfigOf(backend.plan(), 'portal');
    expect(site.auth).toMatchObject({ authority });
    const output = json.output?.['backend_portal_site_config']?.value;
    expect(JSON.stringify(output)).toContain(authority);
    expect(backend.components.portal.auth).toMatchObject({ authority, tenantId: tid });
    expect(json.output?.['backend_auth_authority']?.value).toBe(authority);
    expect(json.output?.['backend_auth_tenant_id']?.value).toBe(tid);
  });

  it('is honest: the planned deploys are what apply creates', () => {
    expectHonest(backend.plan(), json);
  });
});

describe("auth.signInAudience 'customers': the social providers' secrets", () => {
  const backend = defineBackend({ notes: notes() }, customers);
  const plan = backend.plan();
  const vault = plan.resources.find((r) => r.type === 'keyvault');

  it('plans a Key Vault holding GOOGLE_CLIENT_SECRET and FACEBOOK_APP_SECRET by name, read by no app', () => {
    expect(vault?.config['secrets']).toEqual(['FACEBOOK-APP-SECRET', 'GOOGLE-CLIENT-SECRET']);
    expect(vault?.deploys.map((d) => d.terraformType)).toEqual(['azurerm_key_vault']);
    expect(declaredSecrets(plan).map((s) => [s.name, s.apps])).toEqual([
      ['FACEBOOK_APP_SECRET', []],
      ['GOOGLE_CLIENT_SECRET', []],
    ]);
    const json = synth(backend);
    expect(Object.keys(json.resource['azurerm_key_vault'] ?? {})).toHaveLength(1);
    expect(JSON.stringify(json)).not.toContain('GOOGLE-CLIENT-SECRET');
    expectHonest(plan, json);
  });

  it("joins the backend's own vault when a FunctionsApp declares secrets, its app reading only those", () => {
    const withFn = defineBackend(
      {
        notes: notes(),
        billing: FunctionsApp.define('Billing', {
          runtime: 'node',
          functions: { pay: { trigger: 'http', handler: './src/pay.ts' } },
          secrets: ['STRIPE_KEY'],
        }),
      },
      customers,
    ).plan();
    const vaults = withFn.resources.filter((r) => r.type === 'keyvault');
    expect(vaults).toHaveLength(1);
    expect(vaults[0]?.config['secrets']).toEqual([
      'FACEBOOK-APP-SECRET',
      'GOOGLE-CLIENT-SECRET',
      'STRIPE-KEY',
    ]);
    expect(Object.keys(vaults[0]?.config['access'] as object).sort()).toEqual([
      'Billing',
      SIGN_IN_CONSUMER,
    ]);
  });

  it('plans no vault without social providers', () => {
    const plain = defineBackend(
      { notes: notes() },
      { ...customers, auth: { ...customers.auth, identityProviders: [] } },
    ).plan();
    expect(plain.resources.some((r) => r.type === 'keyvault')).toBe(false);
  });
});
