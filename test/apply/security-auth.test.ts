import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { StaticSite } from '../../src/components/web/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import type { RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { codeOf, expectHonest, synth } from '../support/synth.js';
import { functionApps } from '../support/app-packages.js';

type Attrs = Record<string, unknown> & {
  auth_settings_v2?: Record<string, unknown> & {
    active_directory_v2?: Record<string, unknown>;
    login?: Record<string, unknown>;
  };
  site_config: { cors?: { allowed_origins: string[] } };
  app_settings: Record<string, string>;
};

const api = () => ({
  noteApi: CrudApi.define('NoteApi', {
    entityName: 'Note',
    schema: { id: 'string', tenantId: 'string', title: 'string' },
    partitionKey: '/tenantId',
  }),
});
const CLIENT = '11111111-2222-3333-4444-555555555555';
const TENANT = '99999999-8888-7777-6666-555555555555';

function app(json: ReturnType<typeof synth>): Attrs {
  const apps = functionApps(json.resource);
  expect(apps).toHaveLength(1);
  return apps[0] as Attrs;
}
const manifestOf = (a: Attrs) => JSON.parse(a.app_settings['ATAKORA_MANIFEST']!) as RuntimeManifest;

describe('authentication on the Function App', () => {
  it('on by default: Return401 for everything but the health route, no basic-auth publishing', () => {
    const backend = defineBackend(api(), { environment: 'prod' });
    const json = synth(backend);
    const a = app(json);
    expect(a.auth_settings_v2).toMatchObject({
      auth_enabled: true,
      require_authentication: true,
      unauthenticated_action: 'Return401',
      require_https: true,
      excluded_paths: ['/api/health'],
    });
    // The API registration the stack creates: its client id, its api:// identifier URI as audience.
    expect(a.auth_settings_v2?.active_directory_v2).toMatchObject({
      client_id: '${azuread_application.backend_entra_api.client_id}',
      allowed_audiences: ['api://${azuread_application.backend_entra_api.client_id}'],
    });
    // Flex Consumption (the default) has no FTP(S) publishing at all (Learn, "Deployment technologies in Azure
    // Functions": FTPS is not available on Flex Consumption) and azurerm 4.55 has no attribute for it; the
    // Premium/Dedicated case (ftp off) is checked by test/support/security.ts on every backend it walks.
    expect(a.ftp_publish_basic_authentication_enabled).toBeUndefined();
    expect(a.webdeploy_publish_basic_authentication_enabled).toBe(false);
    expect(manifestOf(a).auth).toEqual({
      required: true,
      tenantClaim: 'tid',
      trustTenantHeader: false,
    });
    // Valid; a /tenantId entity under a single-tenant registration is warned about (every caller shares one tid).
    expect(backend.validate()).toEqual({
      valid: true,
      warnings: [expect.stringMatching(/^TENANCY_SINGLE_DIRECTORY: /)],
    });
    expectHonest(backend.plan(), json);
  });

  it('auth.clientId → Entra ID provider with the tenant endpoint and audiences', () => {
    const deployTenant = app(synth(defineBackend(api(), { auth: { clientId: CLIENT } })));
    expect(deployTenant.auth_settings_v2).toMatchObject({
      default_provider: 'azureactivedirectory',
    });
    expect(deployTenant.auth_settings_v2?.active_directory_v2).toMatchObject({
      client_id: CLIENT,
      allowed_audiences: [`api://${CLIENT}`],
    });
    // The tenant Terraform deploys with, read from the client config data source.
    expect(deployTenant.auth_settings_v2?.active_directory_v2?.['tenant_auth_endpoint']).toMatch(
      /^https:\/\/login\.microsoftonline\.com\/\$\{data\.azurerm_client_config\.[\w-]+\.tenant_id\}\/v2\.0$/,
    );
    const explicit = app(
      synth(
        defineBackend(api(), {
          auth: { clientId: CLIENT, tenantId: TENANT, audiences: ['api://notes'] },
        }),
      ),
    );
    expect(explicit.auth_settings_v2?.active_directory_v2).toMatchObject({
      client_id: CLIENT,
      tenant_auth_endpoint: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      allowed_audiences: ['api://notes'],
    });
  });

  it("auth: 'none' is explicit: no auth settings, anonymous runtime, a plan warning", () => {
    const backend = defineBackend(api(), { auth: 'none' });
    const a = app(synth(backend));
    expect(a.auth_settings_v2).toBeUndefined();
    expect(manifestOf(a).auth?.required).toBe(false);
    expect(backend.plan().issues.map((i) => i.code)).toContain('AUTH_DISABLED');
  });

  it('tenancy config reaches the runtime and a trusted header is warned about', () => {
    const backend = defineBackend(api(), {
      auth: { clientId: CLIENT },
      tenancy: { claim: 'extension_org', trustGatewayHeader: true },
    });
    expect(manifestOf(app(synth(backend))).auth).toEqual({
      required: true,
      tenantClaim: 'extension_org',
      trustTenantHeader: true,
    });
    expect(backend.plan().issues.map((i) => i.code)).toContain('TENANT_HEADER_TRUSTED');
  });

  it('user HTTP functions on their own app (another runtime) get the same authentication and their own identity', () => {
    const backend = defineBackend(
      {
        ...api(),
        hooks: FunctionsApp.define('Hooks', {
          runtime: 'python',
          functions: { ping: { trigger: 'http' } },
        }),
      },
      { auth: { clientId: CLIENT } },
    );
    const json = synth(backend);
    const apps = functionApps(json.resource) as Attrs[];
    expect(apps).toHaveLength(2);
    for (const a of apps) {
      expect(a.auth_settings_v2).toMatchObject({
        require_authentication: true,
        unauthenticated_action: 'Return401',
        excluded_paths: ['/api/health'],
      });
      expect(a.auth_settings_v2?.active_directory_v2).toMatchObject({ client_id: CLIENT });
      expect(a.webdeploy_publish_basic_authentication_enabled).toBe(false);
    }
    expect(
      Object.keys(json.resource['azurerm_user_assigned_identity']!).some((n) =>
        n.endsWith('_Hooks'),
      ),
    ).toBe(true);
    expectHonest(backend.plan(), json);
  });

  it('bad auth config is a CONFIG_INVALID AtakoraError', () => {
    expect(codeOf(() => defineBackend(api(), { auth: { clientId: 'not-a-guid' } }).plan())).toBe(
      'CONFIG_INVALID',
    );
    expect(codeOf(() => defineBackend(api(), { auth: 'off' as never }).plan())).toBe(
      'CONFIG_INVALID',
    );
    expect(codeOf(() => defineBackend(api(), { corsOrigins: ['https://x.com/path'] }).plan())).toBe(
      'CONFIG_INVALID',
    );
  });
});

describe('CORS', () => {
  it("the backend's own static site and configured origins; no wildcard by default", () => {
    const backend = defineBackend(
      {
        ...api(),
        site: StaticSite.define('AdminPortal', {
          sourceDirectory: './admin',
          buildCommand: 'npm run build',
        }),
      },
      { corsOrigins: ['https://app.contoso.com'] },
    );
    const origins = app(synth(backend)).site_config.cors?.allowed_origins ?? [];
    expect(origins).toContain('https://app.contoso.com');
    expect(
      origins.some((o) =>
        /^https:\/\/\$\{azurerm_static_web_app\.[\w-]+\.default_host_name\}$/.test(o),
      ),
    ).toBe(true);
    expect(origins).not.toContain('*');
    expect(backend.plan().issues.map((i) => i.code)).not.toContain('CORS_WILDCARD');
    expect(app(synth(defineBackend(api()))).site_config.cors).toBeUndefined();
  });

  it("'*' only when configured, with a warning", () => {
    const backend = defineBackend(api(), { corsOrigins: ['*'] });
    expect(app(synth(backend)).site_config.cors?.allowed_origins).toEqual(['*']);
    expect(backend.plan().issues.map((i) => i.code)).toContain('CORS_WILDCARD');
  });
});
