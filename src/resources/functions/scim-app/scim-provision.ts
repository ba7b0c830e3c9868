import type {
  ApplicationInsights,
  StorageAccount,
  UserAssignedIdentity,
} from '../../../kit/cdktf/azurerm-types.js';
import type { Construct, ITerraformDependable } from '../../../kit/cdktf/engine.js';
import type { BackendProvisioner, FunctionAppConstruct } from '../../../kit/cdktf/provisioner.js';
import { named, regional, type ProvisionContext } from '../../../kit/cdktf/provision-context.js';
import { azurerm, cdktf } from '../../../kit/cdktf/cdk-modules.js';
import type { TypedPlannedResource } from '../../../kit/pure/resources/resource-type.js';
import { componentIdentitySetting } from '../../../kit/pure/names/component-identity.js';
import { AtakoraFault } from '../../../model/fault.js';
import type { PlannedResource } from '../../../model/plan.js';
import {
  APP_ROLE_SETTING,
  PRM_SCOPES_SETTING,
  SCIM_APP_ROLE,
} from '../../../model/runtime-manifest.js';
import { mergedConfigOf } from '../../types.js';
import { functionsNames, HOST_ID_SETTING, hostingOf, PACKAGE_HASH_SETTING } from '../hosting.js';
import { SYNC_TRIGGERS_OUTPUT_PREFIX } from '../trigger-sync.js';
import { hostIdentity, hostStorageSettings } from '../host-identity.js';
import { deliverPackage } from '../package-delivery.js';
import { functionAppPackage } from '../package.js';
import type { MergedFunctionsConfig } from '../type.js';
import { functionApp } from '../provision.js';
import { scimAppNames, type MergedScimAppConfig } from './scim-type.js';
import { scimDataRoles, scimAppRoles } from './scim-roles.js';
import { scimMonitoring } from './scim-monitoring.js';

/**
 * The SCIM app in a stack (docs/enterprise.md, "The SCIM app"). `provision` runs before the component resources and
 * makes its service plan (Flex Consumption: one plan per app); `finalize`, once the serving app, the registry's
 * Cosmos DB containers, the Key Vault and Application Insights exist, makes the rest: a host identity with the host
 * storage roles, the same runtime package delivered the way the plan kind reads it, a data identity holding its
 * roles on the registry's containers (scim-roles.ts), and the app — the serving app's settings with its own
 * identities, host id and package, `ATAKORA_APP_ROLE=scim`, and **no `auth_settings_v2`**: nothing of App Service
 * authentication stands in front of it, so the runtime serves the SCIM routes (authenticated by the SCIM token) and
 * health alone (runtime/register-scim-app.ts). With monitoring, its diagnostic setting and alerts
 * (scim-monitoring.ts). The Tenant URL is an output (`<backend>_scim_shared_url`).
 *
 * @example
 * ```ts
 * scimAppProvisioner.finalize?.(ctx, plan.resources.find((r) => r.key === 'scim:shared')!);
 * ```
 */
export const scimAppProvisioner: BackendProvisioner = {
  provision(ctx, resource) {
    const c = mergedConfigOf('scim', resource);
    const { ServicePlan } = azurerm('service-plan');
    const base = scimAppNames(ctx.config.backendId).base;
    return named(
      new ServicePlan(ctx.scope, functionsNames.plan(base), {
        ...regional(ctx, `asp-${resource.name}`.slice(0, 60)),
        osType: 'Linux',
        skuName: c.sku,
      }),
      functionsNames.plan(base),
    );
  },
  finalize(ctx, resource) {
    scimApp(ctx, resource, mergedConfigOf('scim', resource));
  },
};

function scimApp(ctx: ProvisionContext, resource: PlannedResource, c: MergedScimAppConfig): void {
  const names = scimAppNames(ctx.config.backendId);
  const base = names.base;
  const served = ctx.plan.resources.find((r) => r.key === c.serves);
  const servedApp = ctx.constructs.get(c.serves) as FunctionAppConstruct | undefined;
  const storage = ctx.constructs.get(c.hostStorage) as StorageAccount | undefined;
  const plan = ctx.constructs.get(resource.key) as { readonly id: string } | undefined;
  if (!served || !servedApp || !storage || !plan)
    throw new AtakoraFault(
      `the SCIM app ${resource.name} finds no ${c.serves} or ${c.hostStorage}.`,
      {
        details: { path: ['resources', resource.key] },
      },
    );
  const hosting = hostingOf(c.sku) === 'flex' ? 'flex' : 'package-url';
  const host = hostIdentity(ctx, base, resource.name, storage);
  // The serving app's package, without the FunctionsApps' code: the runtime alone (its SCIM role registers no handler).
  const servedConfig = mergedConfigOf('functions', served);
  const runtimeOnly: TypedPlannedResource<MergedFunctionsConfig> = {
    ...served,
    key: resource.key,
    name: resource.name,
    consumers: [],
    config: runtimeOnlyConfig(servedConfig),
  };
  const pkg = functionAppPackage(ctx, runtimeOnly);
  const delivery = deliverPackage(ctx, base, resource.name, storage, host, hosting, pkg);
  const { UserAssignedIdentity } = azurerm('user-assigned-identity');
  const data: UserAssignedIdentity = named(
    new UserAssignedIdentity(ctx.scope, names.identity, {
      ...regional(ctx, `id-${resource.name}-data`.slice(0, 128)),
    }),
    names.identity,
  );
  const dataRoles = scimDataRoles(ctx, c, data);
  const insights = c.monitoring
    ? (ctx.constructs.get(c.monitoring) as ApplicationInsights | undefined)
    : undefined;
  const appSettings: Record<string, string> = {
    ...settingsOf(servedApp, served.consumers, data.clientId),
    ...hostStorageSettings(storage, host, hosting),
    ...delivery.appSettings,
    [HOST_ID_SETTING]: c.hostId,
    [APP_ROLE_SETTING]: SCIM_APP_ROLE,
  };
  const app = scimFunctionApp(ctx, resource, c, {
    planId: plan.id,
    storage,
    host: host.identity,
    data,
    containerEndpoint: `${storage.primaryBlobEndpoint}${delivery.containerName}`,
    appSettings,
    insights,
    dependsOn: [...host.roles, ...delivery.dependsOn, ...dataRoles],
  });
  scimAppRoles(ctx, c, app, { host: host.identity, data }, hosting);
  scimMonitoring(ctx, resource, c, app);
  // `atakora deploy` syncs its triggers after a package change, as the serving app's (trigger-sync.ts).
  new cdktf.TerraformOutput(ctx.scope, `${base}_sync_triggers`, {
    value: { resource_id: app.id, package_md5: delivery.appSettings[PACKAGE_HASH_SETTING] ?? '' },
  }).overrideLogicalId(`${SYNC_TRIGGERS_OUTPUT_PREFIX}${base}`);
  // The Tenant URL (Entra's "Tenant URL", Okta's "Base URL") on the host Azure gives the app.
  new cdktf.TerraformOutput(ctx.scope, names.url, {
    value: `https://${app.defaultHostname}/api/scim/v2`,
  }).overrideLogicalId(names.url);
}

/** The serving app's config with the runtime alone: no handlers, queues or prebuilt folder. */
function runtimeOnlyConfig(c: MergedFunctionsConfig): MergedFunctionsConfig {
  const { hostedFunctions: _h, queues: _q, codePath: _p, ...rest } = c;
  return { ...rest, crudRuntime: true };
}

/**
 * The serving app's settings as apply wrote them (manifest, registry, endpoints, Key Vault references), each of its
 * components' identity settings pointing at the SCIM app's data identity (the only one it holds a role with), and
 * App Service authentication's MCP setting left out (no authentication here).
 */
function settingsOf(
  served: FunctionAppConstruct,
  consumers: readonly string[],
  dataClientId: string,
): Record<string, string> {
  const out: Record<string, string> = Object.fromEntries(
    Object.entries(served.appSettingsInput ?? {}).filter(([name]) => name !== PRM_SCOPES_SETTING),
  );
  for (const id of consumers) out[componentIdentitySetting(id)] = dataClientId;
  return out;
}

interface AppParts {
  readonly planId: string;
  readonly storage: StorageAccount;
  readonly host: UserAssignedIdentity;
  readonly data: UserAssignedIdentity;
  readonly containerEndpoint: string;
  readonly appSettings: Record<string, string>;
  readonly insights: ApplicationInsights | undefined;
  readonly dependsOn: readonly ITerraformDependable[];
}

/** The app as the serving app is made (provision.ts `functionApp`), minus `auth_settings_v2`, CORS and VNet integration. */
function scimFunctionApp(
  ctx: ProvisionContext,
  resource: PlannedResource,
  c: MergedScimAppConfig,
  p: AppParts,
): FunctionAppConstruct & Construct {
  return functionApp({
    ctx,
    base: scimAppNames(ctx.config.backendId).base,
    hosting: hostingOf(c.sku) === 'flex' ? 'flex' : 'package-url',
    runtime: c.runtime,
    version: c.version,
    alwaysOn: !c.sku.startsWith('EP'),
    storageName: p.storage.name,
    containerEndpoint: p.containerEndpoint,
    hostIdentityId: p.host.id,
    common: {
      name: resource.name,
      resourceGroupName: ctx.resourceGroupName,
      location: ctx.plan.location,
      servicePlanId: p.planId,
      httpsOnly: true,
      publicNetworkAccessEnabled: true,
      webdeployPublishBasicAuthenticationEnabled: false,
      identity: { type: 'SystemAssigned, UserAssigned', identityIds: [p.host.id, p.data.id] },
      appSettings: p.appSettings,
      tags: { ...ctx.tags },
      dependsOn: [...p.dependsOn],
    },
    siteConfig: {
      minimumTlsVersion: '1.2',
      scmMinimumTlsVersion: '1.2',
      http2Enabled: true,
      ...(p.insights ? { applicationInsightsConnectionString: p.insights.connectionString } : {}),
    },
  });
}
