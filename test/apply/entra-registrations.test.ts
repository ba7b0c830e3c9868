import {
  App,
  TerraformOutput,
  TerraformStack,
  Testing,
  AzureadProvider,
  AzurermProvider,
} from '../support/engine.js';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { StaticSite, StaticSiteWithCdn } from '../../src/components/web/index.js';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import { scopeId } from '../../src/kit/pure/entra.js';
import { renderPlanText } from '../../src/plan/render/text.js';
import { codeOf, expectHonest, synth } from '../support/synth.js';
import { functionApps } from '../support/app-packages.js';

// Entra registrations (src/kit/pure/entra.ts, src/kit/cdktf/entra-registrations.ts): the azuread provider 3.7.0 resources, checked on synthesized JSON.
// Arguments per terraform-provider-azuread docs/resources/{application,application_identifier_uri,
// application_pre_authorized,service_principal}.md@v3.7.0.

const CLIENT = '11111111-2222-3333-4444-555555555555';
const TENANT = '99999999-8888-7777-6666-555555555555';
const API_CLIENT = '${azuread_application.backend_entra_api.client_id}';
const SCOPE_ID = scopeId('backend', 'user_impersonation');

const notes = () =>
  CrudApi.define('NoteApi', {
    entityName: 'Note',
    schema: { id: 'string', tenantId: 'string', title: 'string' },
    partitionKey: '/tenantId',
  });
const full = () => ({
  notes: notes(),
  admin: StaticSite.define('AdminPortal', { customDomain: 'admin.contoso.com' }),
  web: StaticSiteWithCdn.define('Website', { customDomain: 'www.contoso.com' }),
});
type Block = Record<string, unknown>;
const of = (json: ReturnType<typeof synth>, type: string): Record<string, Block> =>
  (json.resource[type] ?? {}) as Record<string, Block>;
const azureadTypes = (json: ReturnType<typeof synth>) =>
  Object.keys(json.resource)
    .filter((t) => t.startsWith('azuread_'))
    .sort();

describe('Entra registrations by default', () => {
  const backend = defineBackend(full(), { environment: 'prod' });
  const json = synth(backend);

  it('the API application: a delegated user scope, v2 tokens, single tenant, the deployer as owner', () => {
    const api = of(json, 'azuread_application')['backend_entra_api']!;
    expect(api).toMatchObject({
      display_name: 'backend-prod-api',
      sign_in_audience: 'AzureADMyOrg',
      owners: ['${data.azuread_client_config.backend_azuread_client_config.object_id}'],
      api: {
        requested_access_token_version: 2,
        oauth2_permission_scope: [
          { id: SCOPE_ID, value: 'user_impersonation', type: 'User', enabled: true },
        ],
      },
      // identifier_uris is managed by azuread_application_identifier_uri (the provider's docs ask for this).
      lifecycle: { ignore_changes: ['identifier_uris'] },
    });
    expect(of(json, 'azuread_application_identifier_uri')['backend_entra_api_uri']).toEqual({
      application_id: '${azuread_application.backend_entra_api.id}',
      identifier_uri: `api://${API_CLIENT}`,
    });
    expect(of(json, 'azuread_service_principal')['backend_entra_api_sp']).toMatchObject({
      client_id: API_CLIENT,
    });
    expect(json.data?.['azuread_client_config']).toHaveProperty('backend_azuread_client_config');
  });

  it('App Service authentication validates tokens for it: client id, audience api://<client id>, the deployment tenant', () => {
    const app = functionApps(json.resource)[0] as {
      auth_settings_v2: { default_provider: string; active_directory_v2: Block };
    };
    expect(app.auth_settings_v2.default_provider).toBe('azureactivedirectory');
    expect(app.auth_settings_v2.active_directory_v2).toEqual({
      client_id: API_CLIENT,
      allowed_audiences: [`api://${API_CLIENT}`],
      tenant_auth_endpoint:
        'https://login.microsoftonline.com/${data.azurerm_client_config.backend_client_config.tenant_id}/v2.0',
    });
  });

  it('each static site: a single-page-app registration for its URLs (custom domain, Front Door host) and the dev origin, allowed to call the scope', () => {
    const apps = of(json, 'azuread_application');
    expect(apps['backend_staticsite_adminportal_spa']).toMatchObject({
      display_name: 'backend-prod-AdminPortal',
      sign_in_audience: 'AzureADMyOrg',
      single_page_application: {
        redirect_uris: [
          'http://localhost:5173',
          'https://${azurerm_static_web_app.backend_staticsite_adminportal.default_host_name}',
          'https://admin.contoso.com',
        ],
      },
      required_resource_access: [
        { resource_app_id: API_CLIENT, resource_access: [{ id: SCOPE_ID, type: 'Scope' }] },
      ],
    });
    expect(
      (
        apps['backend_staticsite_website_spa'] as {
          single_page_application: { redirect_uris: string[] };
        }
      ).single_page_application.redirect_uris,
    ).toEqual([
      'http://localhost:5173',
      'https://${azurerm_cdn_frontdoor_endpoint.backend_cdn_shared_Website.host_name}',
      'https://${azurerm_static_web_app.backend_staticsite_website.default_host_name}',
      'https://www.contoso.com',
    ]);
    // Pre-authorized on the API scope: no consent prompt for the API.
    expect(
      of(json, 'azuread_application_pre_authorized')['backend_staticsite_adminportal_spa_preauth'],
    ).toEqual({
      application_id: '${azuread_application.backend_entra_api.id}',
      authorized_client_id: '${azuread_application.backend_staticsite_adminportal_spa.client_id}',
      permission_ids: [SCOPE_ID],
    });
    expect(Object.keys(of(json, 'azuread_service_principal')).sort()).toEqual([
      'backend_entra_api_sp',
      'backend_staticsite_adminportal_spa_sp',
      'backend_staticsite_website_spa_sp',
    ]);
  });

  it('the azuread provider is configured in the stack; outputs name the client ids, tenant, scope and API base URL', () => {
    expect(json).toHaveProperty(['provider', 'azuread']);
    const out = Object.fromEntries(
      Object.entries(json.output ?? {}).map(([k, v]) => [k, v.value] as const),
    );
    expect(out['backend_auth_api_client_id']).toBe(API_CLIENT);
    expect(out['backend_auth_tenant_id']).toBe(
      '${data.azurerm_client_config.backend_client_config.tenant_id}',
    );
    expect(out['backend_auth_api_scope']).toBe(`api://${API_CLIENT}/user_impersonation`);
    expect(out['backend_auth_api_base_url']).toMatch(
      /^https:\/\/func-backend-prod-\w{6}\.azurewebsites\.net\/api$/,
    );
    expect(out['backend_staticsite_adminportal_auth_client_id']).toBe(
      '${azuread_application.backend_staticsite_adminportal_spa.client_id}',
    );
  });

  it('the plan lists every registration (honest) without counting them as shared resources', () => {
    expectHonest(backend.plan(), json);
    const fn = backend.plan().resources.find((r) => r.key === 'functions:shared')!;
    expect(
      fn.deploys.filter((d) => d.terraformType.startsWith('azuread_')).map((d) => d.name),
    ).toEqual(['backend_entra_api', 'backend_entra_api_uri', 'backend_entra_api_sp']);
    expect(
      backend
        .plan()
        .resources.map((r) => r.type)
        .sort(),
    ).toEqual(['cdn', 'cosmos', 'functions', 'staticsite', 'staticsite', 'storage']);
    expect(backend.validate()).toMatchObject({ valid: true });
  });

  it('the text plan names the app registrations (the deployer needs a directory permission for them)', () => {
    const text = renderPlanText(backend.plan());
    expect(text).toContain(
      'Microsoft Entra ID app registrations: backend_entra_api (functions:shared), backend_staticsite_adminportal_spa (staticsite:adminportal), backend_staticsite_website_spa (staticsite:website)',
    );
    expect(
      renderPlanText(defineBackend(full(), { auth: { clientId: CLIENT } }).plan()),
    ).not.toContain('app registrations');
  });

  it('handles expose the sign-in values (after apply, tokens of the registrations)', () => {
    const stack = new ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg',
      location: 'eastus',
    });
    const applied = defineBackend(full(), { environment: 'prod' }).apply(stack);
    // What a handle's tokens synthesize to: each read through an output of the stack.
    const resolved = <T>(value: T): T => {
      const id = `probe_${Math.random().toString(36).slice(2)}`;
      new TerraformOutput(stack, id, { value });
      return (JSON.parse(Testing.synth(stack)) as { output: Record<string, { value: T }> }).output[
        id
      ]!.value;
    };
    expect(applied.components.notes.auth?.clientId).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
    expect(resolved(applied.components.notes.auth)).toEqual({
      clientId: API_CLIENT,
      tenantId: '${data.azurerm_client_config.backend_client_config.tenant_id}',
      scope: `api://${API_CLIENT}/user_impersonation`,
      apiBaseUrl: expect.stringMatching(
        /^https:\/\/func-backend-prod-\w+\.azurewebsites\.net\/api$/,
      ),
    });
    expect(resolved(applied.components.admin.auth)).toMatchObject({
      clientId: '${azuread_application.backend_staticsite_adminportal_spa.client_id}',
      apiClientId: API_CLIENT,
      scope: `api://${API_CLIENT}/user_impersonation`,
      redirectUris: expect.arrayContaining(['https://admin.contoso.com', 'http://localhost:5173']),
    });
  });

  it('two Function Apps share one API registration; both validate tokens for it', () => {
    const b = defineBackend({
      notes: notes(),
      hooks: FunctionsApp.define('Hooks', {
        runtime: 'python',
        functions: { ping: { trigger: 'http' } },
      }),
    });
    const j = synth(b);
    expect(Object.keys(of(j, 'azuread_application'))).toEqual(['backend_entra_api']);
    const apps = functionApps(j.resource) as { auth_settings_v2: { active_directory_v2: Block } }[];
    expect(apps).toHaveLength(2);
    for (const a of apps)
      expect(a.auth_settings_v2.active_directory_v2['client_id']).toBe(API_CLIENT);
    expectHonest(b.plan(), j);
  });

  it('auth.scope and auth.devOrigins shape the scope and the redirect URIs', () => {
    const b = defineBackend(
      { notes: notes(), admin: StaticSite.define('AdminPortal') },
      {
        auth: {
          scope: 'access_as_user',
          devOrigins: ['http://localhost:3000', 'https://dev.contoso.com'],
        },
      },
    );
    const j = synth(b);
    const api = of(j, 'azuread_application')['backend_entra_api'] as {
      api: { oauth2_permission_scope: Block[] };
    };
    expect(api.api.oauth2_permission_scope[0]).toMatchObject({
      value: 'access_as_user',
      id: scopeId('backend', 'access_as_user'),
    });
    expect(
      (
        of(j, 'azuread_application')['backend_staticsite_adminportal_spa'] as {
          single_page_application: { redirect_uris: string[] };
        }
      ).single_page_application.redirect_uris,
    ).toEqual([
      'http://localhost:3000',
      'https://${azurerm_static_web_app.backend_staticsite_adminportal.default_host_name}',
      'https://dev.contoso.com',
    ]);
  });
});

describe('bring your own, or none', () => {
  it('auth.clientId: an existing registration, none created, no azuread provider', () => {
    const b = defineBackend(full(), { auth: { clientId: CLIENT } });
    const j = synth(b);
    expect(azureadTypes(j)).toEqual([]);
    expect(j).not.toHaveProperty(['provider', 'azuread']);
    expect(
      (functionApps(j.resource)[0] as { auth_settings_v2: { active_directory_v2: Block } })
        .auth_settings_v2.active_directory_v2['client_id'],
    ).toBe(CLIENT);
    expect(b.components.notes.auth).toMatchObject({
      clientId: CLIENT,
      scope: `api://${CLIENT}/user_impersonation`,
    });
    expect(b.components.admin.auth).toBeUndefined();
    expect(b.plan().issues.map((i) => i.code)).not.toContain('AUTH_CLIENT_ID_MISSING');
    expectHonest(b.plan(), j);
  });

  it('auth.appRegistration: false without a client id: a plan error (azurerm refuses auth_settings_v2 without a provider)', () => {
    const b = defineBackend(full(), { auth: { appRegistration: false } });
    const issue = b.plan().issues.find((i) => i.code === 'AUTH_CLIENT_ID_MISSING');
    expect(issue).toMatchObject({ severity: 'error', path: ['config', 'auth', 'appRegistration'] });
    expect(issue?.message).toMatch(/refuses authentication settings without one/);
    expect(() => synth(b)).toThrow(/AUTH_CLIENT_ID_MISSING/);
    expect(b.components.notes.auth).toBeUndefined();
  });

  it("auth: 'none' creates none, and a backend without an API creates none either", () => {
    expect(azureadTypes(synth(defineBackend(full(), { auth: 'none' })))).toEqual([]);
    const sitesOnly = defineBackend({ admin: StaticSite.define('AdminPortal') });
    const j = synth(sitesOnly);
    expect(azureadTypes(j)).toEqual([]);
    expect(sitesOnly.components.admin.auth).toBeUndefined();
    expectHonest(sitesOnly.plan(), j);
  });

  it('auth.tenantId names the azuread provider tenant too', () => {
    const j = synth(defineBackend({ notes: notes() }, { auth: { tenantId: TENANT } }));
    expect((j as unknown as { provider: { azuread: Block[] } }).provider.azuread).toEqual([
      { tenant_id: TENANT },
    ]);
  });

  it('bad auth settings are CONFIG_INVALID', () => {
    expect(
      codeOf(() =>
        defineBackend({ notes: notes() }, { auth: { devOrigins: ['http://dev.contoso.com'] } }),
      ),
    ).toBe('CONFIG_INVALID');
    expect(codeOf(() => defineBackend({ notes: notes() }, { auth: { scope: 'two words' } }))).toBe(
      'CONFIG_INVALID',
    );
    expect(
      codeOf(() => defineBackend({ notes: notes() }, { auth: { appRegistration: 'no' as never } })),
    ).toBe('CONFIG_INVALID');
  });
});

describe("a user's own stack", () => {
  class OwnStack extends TerraformStack {
    readonly resourceGroupName = 'rg-own';
  }

  it('without an azuread provider gets one; with one keeps its own (no second provider block)', () => {
    const bare = new OwnStack(Testing.app(), 'Own');
    new AzurermProvider(bare, 'azurerm', { features: [{}] });
    defineBackend({ notes: notes() }).apply(bare);
    expect(JSON.parse(Testing.synth(bare)).provider.azuread).toEqual([{}]);

    const app = new App({ outdir: Testing.app().outdir });
    const own = new OwnStack(app, 'Own2');
    new AzurermProvider(own, 'azurerm', { features: [{}] });
    new AzureadProvider(own, 'my-azuread', { tenantId: TENANT });
    defineBackend({ notes: notes() }).apply(own);
    const synthesized = JSON.parse(Testing.synth(own)) as {
      provider: { azuread: Block[] };
      resource: Record<string, unknown>;
    };
    expect(synthesized.provider.azuread).toEqual([{ tenant_id: TENANT }]);
    expect(Object.keys(synthesized.resource)).toContain('azuread_application');
  });
});
