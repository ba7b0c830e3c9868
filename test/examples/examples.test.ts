import { crossStackProblems } from '../support/cross-stack-rules.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addresses, count, planned, resources, stacks, synthOnce, tempOut } from './support.js';
import { insecureAttributes } from '../support/security.js';

// Every example file in examples/ must have a test here: none is skipped.
const COVERED = new Set([
  'basic.ts',
  'quick-start.ts',
  'ttl.ts',
  'least-privilege.ts',
  'per-environment.ts',
  'limits.ts',
  'blue-green.ts',
  'multi-tenant.ts',
  'custom-provider.ts',
  'builder-feature-flags.ts',
  'multi-region.ts',
  'disaster-recovery.ts',
  'network-isolation.ts',
  'security-boundaries.ts',
  'order-processing.ts', // test/packaging/order-processing.test.ts (unzips and loads its package)
  'sign-in.ts',
  'saas-access.ts',
  'invitation-email.ts',
  'search.ts',
  'integrations.ts',
  'agents.ts',
]);

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});
const out = () => {
  const t = tempOut();
  cleanup = t.cleanup;
  return t.dir;
};

describe('examples', () => {
  it('every example file is covered by a test', () => {
    const files = readdirSync(join(import.meta.dirname, '../../examples')).filter((f) =>
      f.endsWith('.ts'),
    );
    expect(files.filter((f) => !COVERED.has(f))).toEqual([]);
  });

  it('basic: the seeds overview — 3 shared resources instead of 9, the exact resource counts', async () => {
    const { synthBasic } = await import('../../examples/basic.js');
    const { backend, outdir: dir } = synthOnce('basic.ts', synthBasic);
    const s = stacks(dir)['MyStack']!;
    expect(backend.plan().summary).toMatchObject({ resources: 3, unsharedResources: 9 });
    expect([
      count(s, 'azurerm_cosmosdb_account'),
      count(s, 'azurerm_cosmosdb_sql_database'),
      count(s, 'azurerm_cosmosdb_sql_container'),
      count(s, 'azurerm_storage_account'),
      count(s, 'azurerm_service_plan'),
      count(s, 'azurerm_function_app_flex_consumption'),
      count(s, 'azurerm_cosmosdb_sql_role_assignment'),
    ]).toEqual([1, 3, 3, 1, 1, 1, 3]);
    expect(addresses(s)).toEqual(planned(backend.plan()));
  });

  it('quick start: typed endpoints and the shared resources by type', async () => {
    const { synthQuickStart } = await import('../../examples/quick-start.js');
    const r = synthOnce('quick-start.ts', synthQuickStart);
    const dir = r.outdir;
    expect(r.userEndpoint).toMatch(
      /^https:\/\/func-backend-dev-[a-z0-9]+\.azurewebsites\.net\/api\/users$/,
    );
    expect(r.productEndpoint).toMatch(/\/api\/products$/);
    expect(r.cosmosDb?.key).toBe('cosmos:shared');
    expect(r.functions?.key).toBe('functions:shared');
    const containers = resources(stacks(dir)['MyStack']!, 'azurerm_cosmosdb_sql_container');
    expect(containers.map((c) => c['partition_key_paths']).sort()).toEqual([
      ['/category'],
      ['/id'],
    ]);
  });

  it('ttl: containers carry their default TTL', async () => {
    const { outdir: dir } = synthOnce('ttl.ts', (await import('../../examples/ttl.js')).synthTtl);
    const ttls = resources(stacks(dir)['TtlStack']!, 'azurerm_cosmosdb_sql_container').map((c) => [
      c['name'],
      c['default_ttl'],
    ]);
    expect(ttls.sort()).toEqual([
      ['auditlog', 7776000],
      ['session', 86400],
    ]);
  });

  it('least privilege: read-only API gets the Data Reader role, admin the Contributor, both on the one container', async () => {
    const { outdir: dir } = synthOnce(
      'least-privilege.ts',
      (await import('../../examples/least-privilege.js')).synthLeastPrivilege,
    );
    const s = stacks(dir)['LeastPrivilegeStack']!;
    expect(count(s, 'azurerm_cosmosdb_sql_container')).toBe(1);
    const roles = resources(s, 'azurerm_cosmosdb_sql_role_assignment')
      .map((r) => String(r['role_definition_id']).slice(-1))
      .sort();
    expect(roles).toEqual(['1', '2']);
    for (const r of resources(s, 'azurerm_cosmosdb_sql_role_assignment'))
      expect(String(r['scope'])).toMatch(/\/dbs\/data-db\/colls\/data$/);
    // Each role sits on its own component's identity: Reader on ReadOnlyApi's, Contributor on AdminApi's.
    const holder = (suffix: string) =>
      resources(s, 'azurerm_cosmosdb_sql_role_assignment').find((r) =>
        String(r['role_definition_id']).endsWith(suffix),
      )!['principal_id'];
    expect(holder('1')).toMatch(
      /^\$\{azurerm_user_assigned_identity\.[\w-]+_ReadOnlyApi\.principal_id\}$/,
    );
    expect(holder('2')).toMatch(
      /^\$\{azurerm_user_assigned_identity\.[\w-]+_AdminApi\.principal_id\}$/,
    );
    // Two APIs over one entity, on two routes: the plan is clean (test/packaging/least-privilege.test.ts runs it).
    const { leastPrivilegeBackend } = {
      leastPrivilegeBackend: (await import('../../examples/least-privilege.js')).default,
    };
    const backend = leastPrivilegeBackend();
    expect(backend.validate()).toEqual({ valid: true });
    expect([backend.components.readOnlyApi.routes, backend.components.adminApi.routes]).toEqual([
      ['api/datas', 'api/datas/{id}'],
      ['api/admin/data', 'api/admin/data/{id}'],
    ]);
  });

  it('per environment: dev and production differ in throughput and TTL, and in every name', async () => {
    const { backends, outdir: dir } = synthOnce(
      'per-environment.ts',
      (await import('../../examples/per-environment.js')).synthPerEnvironment,
    );
    const s = stacks(dir);
    const container = (stack: string) => resources(s[stack]!, 'azurerm_cosmosdb_sql_container')[0]!;
    expect([container('Stack-dev')['throughput'], container('Stack-dev')['default_ttl']]).toEqual([
      400, 86400,
    ]);
    expect([
      container('Stack-production')['throughput'],
      container('Stack-production')['default_ttl'],
    ]).toEqual([4000, 2592000]);
    const names = backends.map((b) => b.plan().resources.map((r) => r.name));
    expect(names[0]!.filter((n) => names[1]!.includes(n))).toEqual([]);
  });

  it('limits: within limits it applies; two Cosmos groups with maxCosmosAccounts 1 fail with the seeds message', async () => {
    const {
      within,
      error,
      validation,
      outdir: dir,
    } = synthOnce('limits.ts', (await import('../../examples/limits.js')).synthLimits);
    expect(within.validate()).toEqual({ valid: true });
    expect(error?.message).toContain(
      'Maximum Cosmos DB accounts exceeded\n  Limit: 1\n  Requested: 2\n  Solution: Either:\n    1. Increase maxCosmosAccounts in backend config\n    2. Split components across multiple backends\n    3. Request Azure quota increase',
    );
    expect(validation.valid).toBe(false);
    expect(Object.keys(stacks(dir)['OverLimitStack']!.resource ?? {})).toEqual([
      'azurerm_resource_group',
    ]);
  });

  it('blue-green: two backends that never collide, behind weighted Front Door origins', async () => {
    const { deployments, outdir: dir } = synthOnce(
      'blue-green.ts',
      (await import('../../examples/blue-green.js')).synthBlueGreen,
    );
    const s = stacks(dir);
    const [blue, green] = resources(s['AppStack']!, 'azurerm_cosmosdb_account').map(
      (a) => a['name'],
    );
    expect(blue).not.toBe(green);
    // One API registration, created by blue, validated by both colors' apps.
    expect(count(s['AppStack']!, 'azuread_application')).toBe(1);
    const clientIds = resources(s['AppStack']!, 'azurerm_function_app_flex_consumption').map(
      (a) =>
        (a['auth_settings_v2'] as { active_directory_v2: { client_id: string } })
          .active_directory_v2.client_id,
    );
    expect(clientIds).toEqual([
      '${azuread_application.app-blue_entra_api.client_id}',
      '${azuread_application.app-blue_entra_api.client_id}',
    ]);
    for (const { backend } of deployments)
      expect(addresses(s['AppStack']!).filter((a) => planned(backend.plan()).includes(a))).toEqual(
        planned(backend.plan()),
      );
    expect(deployments[0]!.endpoints.userApi).not.toBe(deployments[1]!.endpoints.userApi);
    expect(count(s['GlobalRoutingStack']!, 'azurerm_traffic_manager_profile')).toBe(0);
    const origins = resources(s['GlobalRoutingStack']!, 'azurerm_cdn_frontdoor_origin');
    expect(origins.map((e) => e['weight']).sort()).toEqual([1, 1000]);
    // Each origin is the host of the Function App its color's stack creates, called by that host name.
    const hosts = Object.fromEntries(
      origins.map((e) => [e['name'], [e['host_name'], e['origin_host_header']]]),
    );
    for (const color of ['blue', 'green']) {
      const app = resources(s['AppStack']!, 'azurerm_function_app_flex_consumption').find((a) =>
        String(a['name']).includes(`-${color}-`),
      );
      const host = `${String(app!['name'])}.azurewebsites.net`;
      expect(hosts[`api-${color}`]).toEqual([host, host]);
    }
    // The endpoint (a global DNS name) carries the deployment token.
    expect(resources(s['GlobalRoutingStack']!, 'azurerm_cdn_frontdoor_endpoint')[0]!['name']).toBe(
      `myapp-prod-${deployments[0]!.token}`,
    );
    // Every caller's token works on either color: one API registration behind the route.
    expect(crossStackProblems(s as Parameters<typeof crossStackProblems>[0])).toEqual([]);
  });

  it('multi-tenant: tenant-partitioned containers and tagged resources', async () => {
    const { backend, outdir: dir } = synthOnce(
      'multi-tenant.ts',
      (await import('../../examples/multi-tenant.js')).synthMultiTenant,
    );
    const s = stacks(dir)['MultiTenantStack']!;
    const pks = Object.fromEntries(
      resources(s, 'azurerm_cosmosdb_sql_container').map((c) => [
        c['name'],
        (c['partition_key_paths'] as string[])[0],
      ]),
    );
    expect(pks).toEqual({ user: '/tenantId', data: '/tenantId', tenant: '/id' });
    expect(resources(s, 'azurerm_cosmosdb_account')[0]!['tags']).toMatchObject({
      architecture: 'multi-tenant',
      tenantCount: '3',
    });
    expect(backend.components.dataApi.partitionKey).toBe('/tenantId');
  });

  it('sign-in: the API and the site registered in Entra ID, wired to App Service authentication, honest', async () => {
    const { backend, outdir: dir } = synthOnce(
      'sign-in.ts',
      (await import('../../examples/sign-in.js')).synthSignIn,
    );
    const s = stacks(dir)['NotesStack']!;
    expect(count(s, 'azuread_application')).toBe(2);
    expect(count(s, 'azuread_service_principal')).toBe(2);
    expect(count(s, 'azuread_application_pre_authorized')).toBe(1);
    const spa = resources(s, 'azuread_application').find((a) => a['single_page_application'])!;
    expect((spa['single_page_application'] as { redirect_uris: string[] }).redirect_uris).toEqual(
      expect.arrayContaining([
        'https://notes.contoso.com',
        'http://localhost:4280',
        'http://localhost:5173',
      ]),
    );
    const app = resources(s, 'azurerm_function_app_flex_consumption')[0]!;
    expect(
      (app['auth_settings_v2'] as { active_directory_v2: { client_id: string } })
        .active_directory_v2.client_id,
    ).toBe('${azuread_application.notes_entra_api.client_id}');
    // After apply the handle holds the registration's token; the stack's output is what it synthesizes to.
    expect(backend.components.portal.auth?.scope).toMatch(
      /^api:\/\/\$\{TfToken\[TOKEN\.\d+\]\}\/user_impersonation$/,
    );
    expect(
      (s as { output?: Record<string, { value: unknown }> }).output?.['notes_auth_api_scope']
        ?.value,
    ).toBe('api://${azuread_application.notes_entra_api.client_id}/user_impersonation');
    expect(addresses(s)).toEqual(planned(backend.plan()));
  });

  it('saas-access: multi-tenant registrations, app role NoteAdmin, the allow-list and the rules in the runtime manifest, honest', async () => {
    const { backend, outdir: dir } = synthOnce(
      'saas-access.ts',
      (await import('../../examples/saas-access.js')).synthSaasAccess,
    );
    const s = stacks(dir)['SaasStack']!;
    const apps = resources(s, 'azuread_application');
    expect(apps.map((a) => a['sign_in_audience'])).toEqual([
      'AzureADMultipleOrgs',
      'AzureADMultipleOrgs',
    ]);
    expect(
      apps.flatMap((a) => ((a['app_role'] ?? []) as { value: string }[]).map((r) => r.value)),
    ).toEqual(['NoteAdmin']);
    const fn = resources(s, 'azurerm_function_app_flex_consumption')[0]!;
    const manifest = JSON.parse(
      (fn['app_settings'] as Record<string, string>)['ATAKORA_MANIFEST']!,
    );
    expect(manifest.auth.allowedTenants).toEqual([
      '11111111-1111-4111-8111-111111111111',
      '22222222-2222-4222-8222-222222222222',
    ]);
    expect(
      manifest.entities.map((e: { componentId: string; ownerField?: string }) => [
        e.componentId,
        e.ownerField,
      ]),
    ).toEqual([
      ['DraftApi', 'authorId'],
      ['NoteApi', undefined],
    ]);
    expect(
      (s as { output?: Record<string, { value: unknown }> }).output?.['saas_auth_admin_consent_url']
        ?.value,
    ).toBe(
      'https://login.microsoftonline.com/organizations/adminconsent?client_id=${azuread_application.saas_entra_api.client_id}',
    );
    expect(backend.plan().issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(addresses(s)).toEqual(planned(backend.plan()));
  });

  it("custom provider: the seeds' Service Bus example gives one merged namespace (the built-in servicebus type), listed in the plan", async () => {
    const mod = await import('../../examples/custom-provider.js');
    const { backend, outdir: dir } = synthOnce('custom-provider.ts', mod.synthCustomProvider);
    const s = stacks(dir)['EventDrivenStack']!;
    expect(count(s, 'azurerm_servicebus_namespace')).toBe(1);
    expect(
      resources(s, 'azurerm_servicebus_queue')
        .map((q) => q['name'])
        .sort(),
    ).toEqual(['notifications-queue', 'orders-queue']);
    expect(count(s, 'azurerm_servicebus_topic')).toBe(1);
    expect(addresses(s)).toEqual(planned(backend.plan()));
    // The provider is passed, but servicebus is built in: the plan says the built-in takes it.
    expect(backend.plan().issues.map((i) => i.code)).toContain('PROVIDER_TYPE_BUILT_IN');
    // Topics on the Basic SKU are refused as a plan error, as the provider's validateMerged did.
    const basic = mod.buildEventDrivenBackend('Basic');
    expect(
      basic
        .plan()
        .issues.filter((i) => i.severity === 'error')
        .map((i) => i.message),
    ).toEqual(["The Basic Service Bus tier has no topics: ask for sku 'Standard' or 'Premium'."]);
  });

  it('builder with feature flags: only enabled features, node 20 processors in their own Function App, a storage queue', async () => {
    const mod = await import('../../examples/builder-feature-flags.js');
    const { backend, outdir: dir } = synthOnce('builder-feature-flags.ts', mod.synthBuilder);
    const plan = backend.plan();
    expect(plan.resources.find((r) => r.key === 'functions:shared')!.consumers).toEqual([
      'OrderApi',
      'ProductApi',
      'UserApi',
    ]);
    expect(plan.resources.find((r) => r.key === 'functions:node-20')!.consumers).toEqual([
      'AnalyticsProcessor',
      'OrderProcessor',
    ]);
    expect(plan.issues.map((i) => i.code)).toContain('RUNTIME_END_OF_SUPPORT');
    const s = stacks(dir)['ConfigDrivenStack']!;
    expect(resources(s, 'azurerm_storage_queue').map((q) => q['name'])).toEqual(['orders']);
    expect(count(s, 'azurerm_function_app_flex_consumption')).toBe(2);
    expect(addresses(s)).toEqual(planned(plan));
    // Flags off → those components are absent.
    const lean = mod.buildFromConfig({
      ...mod.defaultConfig,
      features: {
        userManagement: true,
        productCatalog: false,
        orderProcessing: false,
        analytics: false,
      },
    });
    expect(lean.plan().components.map((c) => c.id)).toEqual(['UserApi']);
  });

  it('multi-region: three regional backends with distinct names in one stack sharing one API registration, and a CDN front end', async () => {
    const {
      backends,
      globalFrontend,
      outdir: dir,
    } = synthOnce(
      'multi-region.ts',
      (await import('../../examples/multi-region.js')).synthMultiRegion,
    );
    const s = stacks(dir);
    const api = s['GlobalApiStack']!;
    const accountOf = (backend: (typeof backends)[number]['backend']) =>
      resources(api, 'azurerm_cosmosdb_account').find(
        (a) => a['name'] === backend.components.userApi.cosmosAccountName,
      )!;
    expect(new Set(backends.map(({ backend }) => accountOf(backend)['name'])).size).toBe(3);
    for (const { region, backend } of backends) {
      expect(accountOf(backend)['location']).toBe(region);
      expect(addresses(api).filter((a) => planned(backend.plan()).includes(a))).toEqual(
        planned(backend.plan()),
      );
    }
    // One API registration (the first region's), validated by every regional app.
    expect(count(api, 'azuread_application')).toBe(1);
    expect(
      new Set(
        resources(api, 'azurerm_function_app_flex_consumption').map(
          (a) =>
            (a['auth_settings_v2'] as { active_directory_v2: { client_id: string } })
              .active_directory_v2.client_id,
        ),
      ),
    ).toEqual(new Set(['${azuread_application.global-eastus_entra_api.client_id}']));
    expect(globalFrontend.components.website.cdnEndpoint).toBe('https://app.example.com');
    expect(count(s['GlobalFrontendStack']!, 'azurerm_cdn_frontdoor_profile')).toBe(1);
    // Front Door's origins are each region's deployed Function App host (no Traffic Manager: see the example).
    const origins = resources(s['GlobalRoutingStack']!, 'azurerm_cdn_frontdoor_origin');
    expect(origins.map((e) => [e['name'], e['host_name']]).sort()).toEqual(
      backends
        .map(({ region }) => {
          const app = resources(api, 'azurerm_function_app_flex_consumption').find((a) =>
            String(a['name']).includes(`-global-${region}-`),
          );
          return [`api-${region}`, `${String(app!['name'])}.azurewebsites.net`];
        })
        .sort(),
    );
    // Front Door's origin is the static site Terraform creates, by reference to its assigned host name; the
    // handle (after apply) is the token of that same attribute.
    const site = resources(s['GlobalFrontendStack']!, 'azurerm_static_web_app')[0]!;
    expect(site['name']).toBe(globalFrontend.components.website.siteName);
    const siteId = Object.entries(
      s['GlobalFrontendStack']!.resource!['azurerm_static_web_app']!,
    )[0]![0];
    const [origin] = resources(s['GlobalFrontendStack']!, 'azurerm_cdn_frontdoor_origin');
    expect(origin!['host_name']).toBe(`\${azurerm_static_web_app.${siteId}.default_host_name}`);
    expect(globalFrontend.components.website.defaultHostname).toMatch(
      /^\$\{TfToken\[TOKEN\.\d+\]\}$/,
    );
    // Every caller's token works in every region: one API registration behind the route.
    expect(crossStackProblems(s as Parameters<typeof crossStackProblems>[0])).toEqual([]);
  });

  it('disaster recovery: a replicated primary with automatic failover, a DR backend reading the same account', async () => {
    const {
      primaryBackend,
      drBackend,
      outdir: dir,
    } = synthOnce(
      'disaster-recovery.ts',
      (await import('../../examples/disaster-recovery.js')).synthDisasterRecovery,
    );
    const s = stacks(dir);
    const account = resources(s['PrimaryStack']!, 'azurerm_cosmosdb_account')[0]!;
    expect(account['geo_location']).toEqual([
      { failover_priority: 0, location: 'eastus' },
      { failover_priority: 1, location: 'westus2' },
    ]);
    expect(account['automatic_failover_enabled']).toBe(true);
    expect(count(s['DRStack']!, 'azurerm_cosmosdb_account')).toBe(0);
    expect(count(s['DRStack']!, 'azurerm_cosmosdb_sql_container')).toBe(0);
    expect(Object.values(s['DRStack']!.data?.['azurerm_cosmosdb_account'] ?? {})[0]!['name']).toBe(
      account['name'],
    );
    expect(count(s['DRStack']!, 'azurerm_cosmosdb_sql_role_assignment')).toBe(2);
    expect(drBackend.components.userApi.cosmosAccountName).toBe(
      primaryBackend.components.userApi.cosmosAccountName,
    );
    // The DR runtime reads from its own region first.
    const settings = resources(s['DRStack']!, 'azurerm_function_app_flex_consumption')[0]![
      'app_settings'
    ] as Record<string, string>;
    expect(settings['ATAKORA_COSMOS_PREFERRED_LOCATIONS']).toBe('westus2');
    for (const [stack, b] of [
      ['PrimaryStack', primaryBackend],
      ['DRStack', drBackend],
    ] as const)
      expect(addresses(s[stack]!)).toEqual(planned(b.plan()));
  });

  it('network isolation: private endpoints for every data resource, no public access, the user VNet reused', async () => {
    const { backend, outdir: dir } = synthOnce(
      'network-isolation.ts',
      (await import('../../examples/network-isolation.js')).synthNetworkIsolation,
    );
    const s = stacks(dir)['SecureStack']!;
    expect(count(s, 'azurerm_virtual_network')).toBe(1); // the user's own, not a second one
    const subresources = resources(s, 'azurerm_private_endpoint')
      .flatMap(
        (p) =>
          (p['private_service_connection'] as { subresource_names: string[] }).subresource_names,
      )
      .sort();
    expect(subresources).toEqual(['Sql', 'blob', 'queue', 'sites', 'table']);
    expect(
      resources(s, 'azurerm_function_app_flex_consumption')[0]!['virtual_network_subnet_id'],
    ).toBeTruthy();
    // The user's endpoint subnet holds the endpoints (no subnet of the backend's own), and the VNet is looked
    // up in the resource group it is in, by a reference that waits for it.
    expect(count(s, 'azurerm_subnet')).toBe(2);
    const peSubnets = new Set(
      resources(s, 'azurerm_private_endpoint').map((p) => String(p['subnet_id'])),
    );
    expect([...peSubnets]).toHaveLength(1);
    const [peSubnetRef] = [...peSubnets];
    const peLookup = (s as { data: Record<string, Record<string, Record<string, unknown>>> }).data[
      'azurerm_subnet'
    ]![/^\$\{data\.azurerm_subnet\.([^.]+)\.id\}$/.exec(peSubnetRef!)![1]!]!;
    expect(peLookup['name']).toMatch(/^\$\{azurerm_subnet\.private-endpoint-subnet\.name\}$/);
    const vnetLookup = Object.values(
      (s as { data: Record<string, Record<string, Record<string, unknown>>> }).data[
        'azurerm_virtual_network'
      ]!,
    )[0]!;
    expect(vnetLookup).toMatchObject({
      resource_group_name: 'rg-secure-prod',
      name: '${azurerm_virtual_network.vnet.name}',
    });
    expect(insecureAttributes(s as never, { isolated: true })).toEqual([]);
    const userMade = [
      'azurerm_virtual_network',
      'azurerm_subnet',
      'azurerm_network_security_group',
      'azurerm_network_security_rule',
      'azurerm_subnet_network_security_group_association',
    ];
    const mine = planned(backend.plan()).filter(
      (a) => !userMade.some((t) => a.startsWith(`${t}.`)),
    );
    expect(addresses(s, userMade)).toEqual(mine);
  });

  it('security boundaries: a public and an isolated backend, each with its own resources', async () => {
    const {
      publicBackend,
      privateBackend,
      outdir: dir,
    } = synthOnce(
      'security-boundaries.ts',
      (await import('../../examples/security-boundaries.js')).synthSecurityBoundaries,
    );
    const s = stacks(dir);
    expect(count(s['PublicStack']!, 'azurerm_private_endpoint')).toBe(0);
    expect(count(s['PrivateStack']!, 'azurerm_private_endpoint')).toBeGreaterThan(0);
    expect(insecureAttributes(s['PublicStack']! as never, { isolated: false })).toEqual([]);
    expect(insecureAttributes(s['PrivateStack']! as never, { isolated: true })).toEqual([]);
    expect(publicBackend.plan().resources.map((r) => r.name)).not.toContain(
      privateBackend.plan().resources[0]!.name,
    );
  });

  it('invitation e-mail: an Azure-managed domain linked by Terraform; a custom one left to atakora deploy', async () => {
    const {
      managedEmail,
      customDomainEmail,
      outdir: dir,
    } = synthOnce(
      'invitation-email.ts',
      (await import('../../examples/invitation-email.js')).synthInvitationEmail,
    );
    const s = stacks(dir);
    const managed = s['ManagedEmailStack']!;
    const custom = s['CustomDomainEmailStack']!;
    expect(count(managed, 'azurerm_communication_service_email_domain_association')).toBe(1);
    // Linked only once Azure verified it, by the deploy step (docs/tenants.md, "A custom domain in two steps").
    expect(count(custom, 'azurerm_communication_service_email_domain_association')).toBe(0);
    expect(resources(custom, 'azurerm_email_communication_service_domain')[0]).toMatchObject({
      name: 'mail.contoso.com',
      domain_management: 'CustomerManaged',
    });
    expect(
      Object.keys(custom.output ?? {}).some((o) => o.endsWith('_email_shared_dns_records')),
    ).toBe(true);
    for (const [stack, backend, location] of [
      [managed, managedEmail, 'Europe'],
      [custom, customDomainEmail, 'Europe'],
    ] as const) {
      expect(addresses(stack)).toEqual(planned(backend.plan()));
      expect(resources(stack, 'azurerm_communication_service')[0]!['data_location']).toBe(location);
      expect(backend.plan().issues.map((i) => i.code)).toContain('EMAIL_SENDING_LIMITS');
    }
    expect(customDomainEmail.plan().issues.map((i) => i.code)).toContain(
      'EMAIL_DOMAIN_VERIFICATION',
    );
  });

  it('search: containers left to atakora deploy, the vector capability for new accounts only, isolated endpoints', async () => {
    const {
      textSearch,
      vectorSearch,
      isolatedSearch,
      outdir: dir,
    } = synthOnce('search.ts', (await import('../../examples/search.js')).synthSearch);
    const s = stacks(dir);
    const account = (name: string) =>
      resources(s[name]!, 'azurerm_cosmosdb_account')[0] as {
        capabilities: { name: string }[];
        lifecycle?: { ignore_changes?: string[] };
      };
    expect(account('TextSearchStack').capabilities.map((c) => c.name)).toEqual([
      'EnableServerless',
    ]);
    for (const name of ['VectorSearchStack', 'IsolatedSearchStack']) {
      expect(
        account(name)
          .capabilities.map((c) => c.name)
          .sort(),
      ).toEqual(['EnableNoSQLVectorSearch', 'EnableServerless']);
      expect(account(name).lifecycle?.ignore_changes).toContain('capabilities');
      expect(count(s[name]!, 'azurerm_cognitive_deployment')).toBe(1);
    }
    for (const [name, backend] of [
      ['TextSearchStack', textSearch],
      ['VectorSearchStack', vectorSearch],
      ['IsolatedSearchStack', isolatedSearch],
    ] as const) {
      // The search containers and their data roles are atakora deploy's, not Terraform's.
      expect(count(s[name]!, 'azurerm_cosmosdb_sql_container')).toBe(0);
      expect(addresses(s[name]!)).toEqual(planned(backend.plan()));
    }
    const subresources = resources(s['IsolatedSearchStack']!, 'azurerm_private_endpoint').flatMap(
      (p) => (p['private_service_connection'] as { subresource_names: string[] }).subresource_names,
    );
    expect(subresources).toEqual(expect.arrayContaining(['Sql', 'account']));
    expect(insecureAttributes(s['IsolatedSearchStack']! as never, { isolated: true })).toEqual([]);
  });

  it('cdktf project: main.ts synthesizes the stack the cdktf CLI would', async () => {
    const dir = out();
    const backend = (await import('../../examples/cdktf-project/main.js')).main(dir);
    const s = stacks(dir)['backend']!;
    expect(addresses(s)).toEqual(planned(backend.plan()));
  });

  it('integrations: organization API keys on the team plan, their bounds in the runtime policy, no plan error', async () => {
    const { integrations } = await import('../../examples/integrations.js');
    const plan = integrations.plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    // Deployed, keys pass App Service authentication to the runtime's door (docs/integrations.md): no warning.
    expect(plan.issues.map((i) => i.code)).not.toContain('TENANTS_API_KEYS_NOT_DEPLOYED');
    const { admissionPolicy } = await import('../../src/kit/pure/tenant-registry.js');
    const registry = admissionPolicy(integrations.config).registry;
    expect(registry?.membership?.apiKeys).toEqual({
      perOrganization: 10,
      roles: ['Reader', 'Member'],
      maxDays: 365,
    });
    expect(registry?.plans['team']?.features).toContain('api-keys');
    expect(registry?.plans['team']?.features).toContain('webhooks');
  });

  it('agents: the backend its own authorization server for the MCP door, its signing key in Key Vault, no plan error', async () => {
    const { helpdesk } = await import('../../examples/agents.js');
    const plan = helpdesk.plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const vault = plan.resources.find((r) => r.type === 'keyvault');
    const keys = (vault?.config as { signingKeys?: Record<string, { users: string[] }> })
      .signingKeys;
    expect(keys?.['atakora-agent-signing']?.users).toEqual(['TicketApi']);
    expect(vault?.deploys.map((d) => d.terraformType)).toContain('azurerm_key_vault_key');
    const { admissionPolicy } = await import('../../src/kit/pure/tenant-registry.js');
    const plans = admissionPolicy(helpdesk.config).registry?.plans;
    expect(plans?.['pro']?.features).toContain('mcp');
    expect(plans?.['free']?.features).not.toContain('mcp');
  });
});
