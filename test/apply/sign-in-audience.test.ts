import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { CrudApiConfig } from '../../src/components/crud/config.js';
import { StaticSite } from '../../src/components/web/index.js';
import { appRoleId } from '../../src/kit/pure/entra.js';
import type { RuntimeManifest } from '../../src/model/runtime-manifest.js';
import type { BackendConfig } from '../../src/model/config.js';
import { functionApps } from '../support/app-packages.js';
import { codeOf, expectHonest, synth, thrown } from '../support/synth.js';

// On synthesized JSON: who may sign in (single- or multi-tenant registrations, the
// issuer App Service accepts, the runtime's allow-list, the admin consent URLs), the app roles access rules
// need, and the plan issues about them. azuread 3.7.0 application.md (sign_in_audience, app_role);
// azurerm 4.55.0 internal/services/appservice/helpers/auth_v2_schema.go (tenant_auth_endpoint → openIdIssuer).

const API_CLIENT = '${azuread_application.backend_entra_api.client_id}';
const T1 = 'AAAAAAAA-0000-4000-8000-000000000001';
const T2 = 'bbbbbbbb-0000-4000-8000-000000000002';
const notes = (extra: Partial<CrudApiConfig> = {}) =>
  CrudApi.define('NoteApi', {
    entityName: 'Note',
    schema: { id: 'string', title: 'string' },
    partitionKey: '/tenantId',
    ...extra,
  });
const site = () => StaticSite.define('Portal', {});
type Block = Record<string, unknown>;
const of = (json: ReturnType<typeof synth>, type: string): Record<string, Block> =>
  (json.resource[type] ?? {}) as Record<string, Block>;
const outputs = (json: ReturnType<typeof synth>) =>
  Object.fromEntries(Object.entries(json.output ?? {}).map(([k, v]) => [k, v.value] as const));
const manifestOf = (json: ReturnType<typeof synth>) =>
  JSON.parse(
    (functionApps(json.resource)[0] as { app_settings: Record<string, string> }).app_settings[
      'ATAKORA_MANIFEST'
    ]!,
  ) as RuntimeManifest;
const authOf = (json: ReturnType<typeof synth>) =>
  (functionApps(json.resource)[0] as { auth_settings_v2: { active_directory_v2: Block } })
    .auth_settings_v2.active_directory_v2;

describe("auth.signInAudience 'AzureADMultipleOrgs'", () => {
  const backend = defineBackend(
    { notes: notes(), portal: site() },
    { auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: [T1, T2] } },
  );
  const json = synth(backend);

  it('makes the API and SPA registrations multi-tenant', () => {
    const apps = of(json, 'azuread_application');
    expect(apps['backend_entra_api']).toMatchObject({ sign_in_audience: 'AzureADMultipleOrgs' });
    expect(apps['backend_staticsite_portal_spa']).toMatchObject({
      sign_in_audience: 'AzureADMultipleOrgs',
    });
  });

  it('App Service authentication takes tokens of every directory (the common issuer), still only for the API audience', () => {
    expect(authOf(json)).toMatchObject({
      client_id: API_CLIENT,
      tenant_auth_endpoint: 'https://login.microsoftonline.com/common/v2.0',
      allowed_audiences: [`api://${API_CLIENT}`],
    });
  });

  it('the runtime admits only the allowed tenants (lowercased, sorted); the outputs give the admin consent URLs for onboarding', () => {
    expect(manifestOf(json).auth).toEqual({
      required: true,
      tenantClaim: 'tid',
      trustTenantHeader: false,
      allowedTenants: [T1.toLowerCase(), T2],
    });
    const out = outputs(json);
    expect(out['backend_auth_admin_consent_url']).toBe(
      `https://login.microsoftonline.com/organizations/adminconsent?client_id=${API_CLIENT}`,
    );
    expect(out['backend_staticsite_portal_admin_consent_url']).toBe(
      'https://login.microsoftonline.com/organizations/adminconsent?client_id=${azuread_application.backend_staticsite_portal_spa.client_id}',
    );
    expectHonest(backend.plan(), json);
  });

  it("'any' is written to the manifest as such; no TENANCY_SINGLE_DIRECTORY warning", () => {
    const b = defineBackend(
      { notes: notes() },
      { auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'any' } },
    );
    expect(manifestOf(synth(b)).auth?.allowedTenants).toBe('any');
    expect(b.plan().issues.map((i) => i.code)).not.toContain('TENANCY_SINGLE_DIRECTORY');
  });

  it('is refused without allowedTenants (AUTH_SIGN_IN_AUDIENCE_INVALID), and with a tenant that is no GUID (CONFIG_INVALID)', () => {
    const e = thrown(() =>
      defineBackend({ notes: notes() }, { auth: { signInAudience: 'AzureADMultipleOrgs' } }).plan(),
    );
    expect(e.code).toBe('AUTH_SIGN_IN_AUDIENCE_INVALID');
    expect(e.path).toEqual(['config', 'auth', 'allowedTenants']);
    expect(e.resolution).toContain("allowedTenants: 'any'");
    expect(
      codeOf(() =>
        defineBackend(
          { notes: notes() },
          { auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: ['contoso.com'] } },
        ).plan(),
      ),
    ).toBe('CONFIG_INVALID');
    expect(
      codeOf(() =>
        defineBackend(
          { notes: notes() },
          { auth: { signInAudience: 'Everyone' as 'AzureADMyOrg' } },
        ).plan(),
      ),
    ).toBe('CONFIG_INVALID');
  });
});

describe('single-tenant (the default)', () => {
  const json = synth(defineBackend({ notes: notes(), portal: site() }));
  it('registrations AzureADMyOrg, the tenant issuer, no allow-list, no admin consent output', () => {
    expect(of(json, 'azuread_application')['backend_entra_api']).toMatchObject({
      sign_in_audience: 'AzureADMyOrg',
    });
    expect(of(json, 'azuread_application')['backend_staticsite_portal_spa']).toMatchObject({
      sign_in_audience: 'AzureADMyOrg',
    });
    expect(authOf(json)['tenant_auth_endpoint']).toBe(
      'https://login.microsoftonline.com/${data.azurerm_client_config.backend_client_config.tenant_id}/v2.0',
    );
    expect(manifestOf(json).auth).toEqual({
      required: true,
      tenantClaim: 'tid',
      trustTenantHeader: false,
    });
    expect(Object.keys(outputs(json)).filter((k) => k.includes('admin_consent'))).toEqual([]);
  });

  it('TENANCY_SINGLE_DIRECTORY warns for tenant-partitioned CrudApis relying on tid, unless a custom claim, a trusted gateway or a multi-tenant registration', () => {
    const codes = (config: BackendConfig) =>
      defineBackend({ notes: notes() }, config)
        .plan()
        .issues.map((i) => i.code);
    const issue = defineBackend({ notes: notes() })
      .plan()
      .issues.find((i) => i.code === 'TENANCY_SINGLE_DIRECTORY');
    expect(issue).toMatchObject({
      severity: 'warning',
      components: ['NoteApi'],
      path: ['config', 'auth', 'signInAudience'],
    });
    expect(issue?.message).toContain('all callers share one tenant');
    expect(codes({ tenancy: { claim: 'extension_tenant' } })).not.toContain(
      'TENANCY_SINGLE_DIRECTORY',
    );
    expect(codes({ tenancy: { trustGatewayHeader: true } })).not.toContain(
      'TENANCY_SINGLE_DIRECTORY',
    );
    expect(
      codes({ auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: [T2] } }),
    ).not.toContain('TENANCY_SINGLE_DIRECTORY');
    expect(
      defineBackend({
        users: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
      }).plan().issues,
    ).toEqual([]);
  });
});

describe('roles of access rules become app roles of the API registration', () => {
  const access: CrudApiConfig['access'] = [
    { allow: 'owner' },
    { allow: 'role', role: 'NoteAdmin' },
    { allow: 'role', role: 'Auditor', operations: ['read', 'list'] },
  ];
  it('one app_role per role (value = role, users and groups, stable id), gathered across CrudApis', () => {
    const b = defineBackend({
      notes: notes({ access }),
      tasks: CrudApi.define('TaskApi', {
        entityName: 'Task',
        schema: { id: 'string' },
        access: [{ allow: 'role', role: 'NoteAdmin' }],
      }),
    });
    const json = synth(b);
    const roles = (of(json, 'azuread_application')['backend_entra_api'] as { app_role: Block[] })
      .app_role;
    expect(roles).toEqual([
      {
        id: appRoleId('backend', 'Auditor'),
        value: 'Auditor',
        allowed_member_types: ['User'],
        enabled: true,
        display_name: 'Auditor',
        description: expect.stringContaining('Auditor'),
      },
      {
        id: appRoleId('backend', 'NoteAdmin'),
        value: 'NoteAdmin',
        allowed_member_types: ['User'],
        enabled: true,
        display_name: 'NoteAdmin',
        description: expect.stringContaining('NoteAdmin'),
      },
    ]);
    expect(appRoleId('backend', 'NoteAdmin')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(appRoleId('backend', 'NoteAdmin')).not.toBe(appRoleId('other', 'NoteAdmin'));
    // Same ids on the next synth: a second plan is clean.
    expect(
      (of(synth(b), 'azuread_application')['backend_entra_api'] as { app_role: Block[] }).app_role,
    ).toEqual(roles);
    expectHonest(b.plan(), json);
  });

  it('no role rules → no app_role; bring-your-own registration → AUTH_ROLES_EXTERNAL warning naming the roles; auth none → AUTH_ROLE_UNDECLARED error', () => {
    expect(
      of(
        synth(defineBackend({ notes: notes({ access: [{ allow: 'owner' }] }) })),
        'azuread_application',
      )['backend_entra_api'],
    ).not.toHaveProperty('app_role');
    const byo = defineBackend(
      { notes: notes({ access }) },
      { auth: { clientId: '11111111-2222-3333-4444-555555555555' } },
    )
      .plan()
      .issues.find((i) => i.code === 'AUTH_ROLES_EXTERNAL');
    expect(byo).toMatchObject({ severity: 'warning', components: ['NoteApi'] });
    expect(byo?.message).toContain('Auditor, NoteAdmin');
    const none = defineBackend({ notes: notes({ access }) }, { auth: 'none' });
    expect(none.plan().issues.find((i) => i.code === 'AUTH_ROLE_UNDECLARED')).toMatchObject({
      severity: 'error',
      components: ['NoteApi'],
    });
    expect(none.validate().valid).toBe(false);
  });
});

describe('the tenant registry declares the TenantAdmin app role', () => {
  const registryConfig = {
    auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
    tenants: { plans: { free: {} }, defaultPlan: 'free' },
  } as const satisfies BackendConfig;
  const rolesOf = (json: ReturnType<typeof synth>) =>
    (
      (of(json, 'azuread_application')['backend_entra_api'] as { app_role?: Block[] }).app_role ??
      []
    ).map((r) => r['value']);

  it('with allowedTenants registry (beside the access rules roles); not without', () => {
    const json = synth(
      defineBackend(
        { notes: notes({ access: [{ allow: 'role', role: 'NoteAdmin' }] }) },
        registryConfig,
      ),
    );
    expect(rolesOf(json)).toEqual(['NoteAdmin', 'TenantAdmin']);
    const admin = (
      of(json, 'azuread_application')['backend_entra_api'] as { app_role: Block[] }
    ).app_role.find((r) => r['value'] === 'TenantAdmin');
    // Assignable to users and to applications: a billing webhook's service principal may hold it and call
    // api/tenants with an app-only token (azuread 3.7.0: allowed_member_types User and/or Application).
    expect(admin).toMatchObject({
      id: appRoleId('backend', 'TenantAdmin'),
      allowed_member_types: ['Application', 'User'],
      enabled: true,
      description: expect.stringContaining('api/tenants'),
    });
    expect(
      rolesOf(
        synth(
          defineBackend(
            { notes: notes() },
            { auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'any' } },
          ),
        ),
      ),
    ).toEqual([]);
  });
});

describe('the TenantAdmin role on a registration the stack does not create', () => {
  it('is an AUTH_ROLES_EXTERNAL warning naming TenantAdmin; a created registration needs none', () => {
    const registry = {
      signInAudience: 'AzureADMultipleOrgs',
      allowedTenants: 'registry',
    } as const;
    const tenants = { plans: { free: {} }, defaultPlan: 'free' };
    const byo = defineBackend(
      { notes: notes() },
      { auth: { ...registry, clientId: '11111111-2222-3333-4444-555555555555' }, tenants },
    )
      .plan()
      .issues.filter((i) => i.code === 'AUTH_ROLES_EXTERNAL');
    expect(byo).toHaveLength(1);
    expect(byo[0]).toMatchObject({ severity: 'warning' });
    expect(byo[0]?.message).toContain('TenantAdmin');
    const created = defineBackend({ notes: notes() }, { auth: registry, tenants }).plan().issues;
    expect(created.filter((i) => i.code === 'AUTH_ROLES_EXTERNAL')).toEqual([]);
  });
});
