import type { ApplicationInsights } from '@cdktf/provider-azurerm/lib/application-insights/index.js';
import { LinuxFunctionApp, type LinuxFunctionAppSiteConfigApplicationStack } from '@cdktf/provider-azurerm/lib/linux-function-app/index.js';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment/index.js';
import { ServicePlan } from '@cdktf/provider-azurerm/lib/service-plan/index.js';
import type { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account/index.js';
import { MANIFEST_SETTING, PREFERRED_LOCATIONS_SETTING, type RuntimeManifest, type RuntimeEntity } from '../../model/runtime-manifest.js';
import { named, type ProvisionContext } from '../../kit/cdktf/provision-context.js';
import type { TypedPlannedResource } from '../../kit/pure/resource-type.js';
import { tfName } from '../../kit/pure/terraform-names.js';
import { networkFor } from '../../kit/cdktf/network-lookup.js';
import { sharedKey } from '../../kit/pure/resource-key.js';
import { HOST_STORAGE_ROLES, type MergedFunctionsConfig } from './type.js';
import { functionAppPackage } from './package.js';
import { authSettingsFor } from './auth-settings.js';
import { corsOriginsFor } from './cors.js';
import { clientConfig } from '../../kit/cdktf/client-config.js';
import { provisionComponentIdentities } from '../../kit/cdktf/component-identity.js';
import { componentIdentitySetting } from '../../kit/pure/component-identity.js';

/**
 * The service plan and Linux Function App: system identity, HTTPS only, TLS 1.2, FTPS off, host storage by
 * identity, and — when it hosts CrudApis — the CRUD runtime deployed as a zip asset with its manifest.
 */
export function provisionFunctions(ctx: ProvisionContext, resource: TypedPlannedResource<MergedFunctionsConfig>): LinuxFunctionApp {
  const c = resource.config;
  const base = tfName(ctx.config.backendId, resource.key);
  const storage = ctx.constructs.get(c.hostStorage) as StorageAccount;
  const plan = named(new ServicePlan(ctx.scope, tfName(base, 'plan'), {
    name: `asp-${resource.name}`.slice(0, 60),
    resourceGroupName: ctx.resourceGroupName,
    location: ctx.plan.location,
    osType: 'Linux',
    skuName: c.sku,
    tags: { ...ctx.tags },
    dependsOn: [...ctx.dependsOn],
  }), tfName(base, 'plan'));

  // Isolated networking: outbound through the VNet (network provisioned before the Function Apps).
  const subnetId = ctx.config.networking.mode === 'isolated' ? networkFor(ctx, resource.key)?.integrationSubnetId : undefined;
  // One identity per hosted component for its data roles; the runtime reads each client id from its setting.
  const identities = provisionComponentIdentities(ctx, resource.consumers);
  const appSettings: Record<string, string> = { ...c.appSettings, ...identities.appSettings };
  // Monitoring (provisioned before the Function Apps): App Insights with local auth off takes telemetry by identity.
  const insights = ctx.constructs.get(sharedKey('monitoring')) as ApplicationInsights | undefined;
  if (insights) appSettings['APPLICATIONINSIGHTS_AUTHENTICATION_STRING'] = 'Authorization=AAD';
  const pkg = functionAppPackage(ctx, resource);
  const zipDeployFile = pkg?.path;
  if (c.crudRuntime) {
    const manifest: RuntimeManifest = {
      version: 1, backendId: ctx.config.backendId,
      entities: (c.crudEntities as unknown as RuntimeEntity[]).map((e) => ({ ...e, settings: { ...e.settings, clientId: componentIdentitySetting(e.componentId) } })),
      auth: { required: ctx.config.auth.enabled, tenantClaim: ctx.config.tenancy.claim, trustTenantHeader: ctx.config.tenancy.trustGatewayHeader },
    };
    appSettings[MANIFEST_SETTING] = JSON.stringify(manifest);
    // zip_deploy_file needs run-from-package (azurerm docs); the package is the prebuilt runtime bundle.
    appSettings['WEBSITE_RUN_FROM_PACKAGE'] = '1';
    const readLocations = readLocationsFor(ctx, resource);
    if (readLocations.length) appSettings[PREFERRED_LOCATIONS_SETTING] = readLocations.join(',');
  }

  const authSettingsV2 = authSettingsFor(ctx.config, ctx.config.auth.tenantId ?? clientConfig(ctx).tenantId);
  const corsOrigins = corsOriginsFor(ctx.plan, ctx.config, c.corsOrigins);
  const app = named(new LinuxFunctionApp(ctx.scope, base, {
    name: resource.name,
    resourceGroupName: ctx.resourceGroupName,
    location: ctx.plan.location,
    servicePlanId: plan.id,
    storageAccountName: storage.name,
    storageUsesManagedIdentity: true,
    httpsOnly: true,
    publicNetworkAccessEnabled: ctx.config.networking.mode !== 'isolated',
    ftpPublishBasicAuthenticationEnabled: false,
    // Zip deploy here goes through the azurerm provider with Entra ID (ARM), not SCM basic auth.
    webdeployPublishBasicAuthenticationEnabled: false,
    ...(authSettingsV2 ? { authSettingsV2 } : {}),
    ...(subnetId ? { virtualNetworkSubnetId: subnetId } : {}),
    functionsExtensionVersion: '~4',
    // System identity: the host's own roles (storage, telemetry); user-assigned: one per component.
    identity: identities.identityIds.length ? { type: 'SystemAssigned, UserAssigned', identityIds: identities.identityIds } : { type: 'SystemAssigned' },
    appSettings,
    siteConfig: {
      minimumTlsVersion: '1.2',
      scmMinimumTlsVersion: '1.2',
      ftpsState: 'Disabled',
      http2Enabled: true,
      ...(subnetId ? { vnetRouteAllEnabled: true } : {}),
      alwaysOn: c.alwaysOn,
      applicationStack: applicationStack(c.runtime, c.version),
      ...(insights ? { applicationInsightsConnectionString: insights.connectionString } : {}),
      ...(c.healthCheckPath ? { healthCheckPath: c.healthCheckPath, healthCheckEvictionTimeInMin: c.healthCheckEvictionMinutes ?? 10 } : {}),
      ...(corsOrigins.length ? { cors: { allowedOrigins: corsOrigins } } : {}),
    },
    ...(zipDeployFile ? { zipDeployFile } : {}),
    tags: { ...ctx.tags },
  }), base);

  // Exactly the data roles the Functions host needs on its own storage when it connects by identity.
  for (const r of HOST_STORAGE_ROLES) {
    const id = tfName(base, 'host', r.short);
    named(new RoleAssignment(ctx.scope, id, { scope: storage.id, roleDefinitionName: r.role, principalId: app.identity.principalId, principalType: 'ServicePrincipal' }), id);
  }
  return app;
}

function applicationStack(runtime: string, version: string): LinuxFunctionAppSiteConfigApplicationStack {
  switch (runtime) {
    case 'python': return { pythonVersion: version };
    case 'dotnet-isolated': return { dotnetVersion: version, useDotnetIsolatedRuntime: true };
    case 'java': return { javaVersion: version };
    case 'powershell': return { powershellCoreVersion: version };
    default: return { nodeVersion: version };
  }
}

/** `cosmosConfig.readLocation` of the Cosmos accounts this app's components use, for the runtime's reads. */
function readLocationsFor(ctx: ProvisionContext, resource: TypedPlannedResource<MergedFunctionsConfig>): string[] {
  const keys = new Set(ctx.plan.components.filter((c) => resource.consumers.includes(c.id)).map((c) => c.resources['cosmos']).filter(Boolean));
  const out = ctx.plan.resources
    .filter((r) => keys.has(r.key))
    .map((r) => r.config['readLocation'] ?? (r.config['existing'] as { readLocation?: unknown } | undefined)?.readLocation)
    .filter((l): l is string => typeof l === 'string');
  return [...new Set(out)];
}
