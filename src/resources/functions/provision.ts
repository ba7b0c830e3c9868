import { emailSettingsOf } from '../../kit/cdktf/email-settings.js';
import { openaiSettingsOf } from '../../kit/cdktf/openai-settings.js';
import { admissionPolicy, hasTenantRegistry } from '../../kit/pure/tenant-registry.js';
import type {
  ApplicationInsights,
  LinuxFunctionAppSiteConfigApplicationStack,
  RoleAssignment as RoleAssignmentT,
  StorageAccount,
} from '../../kit/cdktf/azurerm-types.js';
import {
  AUTH_SETTING,
  COMPONENT_KEYS_SETTING,
  HOME_TENANT_SETTING,
  PRM_SCOPES_SETTING,
  SITE_ORIGINS_SETTING,
  ACCEPT_URL_SETTING,
  MANIFEST_SETTING,
  OPENAPI_SECURITY_SETTING,
  PREFERRED_LOCATIONS_SETTING,
  REALTIME_SERVICE_PRINCIPAL_SETTING,
  type RuntimeAuth,
} from '../../model/runtime-manifest.js';
import type { ITerraformDependable } from '../../kit/cdktf/engine.js';
import { named, regional, type ProvisionContext } from '../../kit/cdktf/provision-context.js';
import type { FunctionAppConstruct } from '../../kit/cdktf/provisioner.js';
import { asJsonObject, type TypedPlannedResource } from '../../kit/pure/resources/resource-type.js';
import { dataKeysOf } from '../../kit/pure/http-functions.js';
import { settingName, tfName } from '../../kit/pure/names/terraform-names.js';
import { networkFor } from '../../kit/cdktf/network-lookup.js';
import { sharedKey } from '../../kit/pure/names/resource-key.js';
import { AtakoraError } from '../../model/errors.js';
import { AtakoraFault } from '../../model/fault.js';
import { shipsPackage, type MergedFunctionsConfig } from './type.js';
import { functionAppPackage } from './package.js';
import { HOST_ID_SETTING, PACKAGE_HASH_SETTING, functionsNames, hostingOf } from './hosting.js';
import { hostIdentity, hostStorageSettings } from './host-identity.js';
import { deliverPackage } from './package-delivery.js';
import { INSIGHTS_AUTH_SETTING } from './applied-settings.js';
import { TRACES_SETTING, type TraceSettings } from '../../model/trace-settings.js';
import { deploymentStorage } from './deployment-storage.js';
import { runtimeAnonymousPaths, anonymousPaths, authSettingsFor } from './auth-settings.js';
import { createsLandingRegistration } from '../../kit/pure/marketplace-landing.js';
import { landingRegistration } from '../../kit/cdktf/marketplace/landing-registration.js';
import { apiRegistration, checkSharedRegistration } from '../../kit/cdktf/entra-registrations.js';
import { apiAuthInfo, createsRegistrations } from '../../kit/pure/entra.js';
import { corsOriginsFor } from '../../kit/pure/cors-origins.js';
import { acceptSiteOf } from '../../kit/pure/accept-site.js';
import { clientConfig } from '../../kit/cdktf/client-config.js';
import { realtimeServicePrincipalOf } from '../../kit/cdktf/realtime-service.js';
import {
  componentIdentityOf,
  provisionComponentIdentities,
} from '../../kit/cdktf/component-identity.js';
import {
  QUEUE_CONNECTION_IDENTITY,
  QUEUE_CONNECTION_ROLE,
  queueConnectionOwners,
  queueRoleTfName,
} from './queue-connections.js';
import { CHANGE_FEED_CLIENT_ID, changeFeedConnectionOwners } from './change-feed-connection.js';
import { azurerm, cdktf } from '../../kit/cdktf/cdk-modules.js';
import { SYNC_TRIGGERS_OUTPUT_PREFIX } from './trigger-sync.js';
import { QUEUES_SETTING } from '../../model/queue-settings.js';
import { runtimeManifestOf } from './runtime-manifest.js';
import { doorPathsOf, doorSettingOf } from './door/door-paths.js';
import { DOOR_SETTING } from '../../model/door/runtime-door.js';

/**
 * The service plan and the Function App: HTTPS only, TLS 1.2, no basic-auth publishing, host storage by a
 * user-assigned host identity whose storage roles exist before the app (depends_on), the package delivered
 * the way its plan documents (Flex: the deployment container; Premium/Dedicated: a run-from-package blob URL
 * read by that identity). Nothing is deployed through the SCM site, so a private app deploys the same way.
 */
export function provisionFunctions(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedFunctionsConfig>,
): FunctionAppConstruct {
  const c = resource.config;
  const base = tfName(ctx.config.backendId, resource.key);
  const storage = ctx.constructs.get(c.hostStorage) as StorageAccount;
  const hosting = supportedHosting(resource);
  const plan = servicePlan(ctx, resource, base);
  const identity = hostIdentity(ctx, base, resource.name, storage);
  const pkg = functionAppPackage(ctx, resource);
  if (!!pkg !== shipsPackage(c)) {
    throw new AtakoraFault(
      `the plan says Function App ${resource.name} ${shipsPackage(c) ? 'ships' : 'ships no'} package, ` +
        `package.ts disagrees.`,
      { details: { path: ['resources', resource.key] } },
    );
  }
  // Isolated networking: outbound through the VNet (network provisioned before the Function Apps).
  const isolated = ctx.config.networking.mode === 'isolated';
  const network = isolated ? networkFor(ctx, resource.key) : undefined;
  const subnetId = network?.integrationSubnetId;
  // Isolated: the package goes where the deployer can write it from outside the VNet (deployment-storage.ts).
  const deployment =
    isolated && (pkg || hosting === 'flex')
      ? deploymentStorage(ctx, base, resource.name, identity, hosting, subnetId)
      : undefined;
  const delivery = deliverPackage(
    ctx,
    base,
    resource.name,
    deployment?.account ?? storage,
    identity,
    hosting,
    pkg,
  );
  // One identity per hosted component for its data roles; the runtime reads each client id from its setting.
  const identities = provisionComponentIdentities(ctx, resource.consumers);
  const appSettings: Record<string, string> = {
    ...c.appSettings,
    ...identities.appSettings,
    ...hostStorageSettings(storage, identity, hosting),
    ...delivery.appSettings,
    [HOST_ID_SETTING]: c.hostId,
  };
  // The components' queue roles exist before the app starts its queue triggers under those identities.
  const queueRoles = queueConnections(ctx, resource, storage, appSettings);
  changeFeedClientIds(ctx, resource, appSettings);
  const insights = monitoringSettings(ctx, appSettings);
  const door = runtimeSettings(ctx, resource, appSettings);
  const app = functionApp({
    ctx,
    base,
    hosting,
    runtime: c.runtime,
    version: c.version,
    alwaysOn: c.alwaysOn,
    storageName: storage.name,
    containerEndpoint: `${(deployment?.account ?? storage).primaryBlobEndpoint}${delivery.containerName}`,
    hostIdentityId: identity.identity.id,
    common: commonAppConfig(ctx, resource, plan.id, subnetId, appSettings, door, {
      identityIds: [identity.identity.id, ...identities.identityIds],
      // The app starts (and fetches its package) only once its identity may read storage and the package
      // exists. Component roles on resources provisioned later (Cosmos containers) are added by their grants
      // (appWaitsFor). VNet integration updates the subnet: after its NSG association (BackendNetwork.subnetReady).
      dependsOn: [
        ...identity.roles,
        ...(deployment ? [deployment.role] : []),
        ...queueRoles,
        ...delivery.dependsOn,
        ...(network?.integrationSubnetReady ? [network.integrationSubnetReady] : []),
      ],
    }),
    siteConfig: commonSiteConfig(ctx, resource, subnetId, insights),
  });
  // What a trigger sync after apply needs (trigger-sync.ts): the app's ARM id and its package hash.
  const output = new cdktf.TerraformOutput(ctx.scope, `${base}_sync_triggers`, {
    value: { resource_id: app.id, package_md5: delivery.appSettings[PACKAGE_HASH_SETTING] ?? '' },
  });
  output.overrideLogicalId(`${SYNC_TRIGGERS_OUTPUT_PREFIX}${base}`);
  return app;
}

function supportedHosting(
  resource: TypedPlannedResource<MergedFunctionsConfig>,
): 'flex' | 'package-url' {
  const hosting = hostingOf(resource.config.sku);
  if (hosting === 'unsupported') {
    // The plan refuses Y1 (FUNCTIONS_SKU_UNSUPPORTED), so apply never gets here with it.
    throw new AtakoraError(
      'FUNCTIONS_SKU_UNSUPPORTED',
      `Function App ${resource.name}: sku ${resource.config.sku} cannot run its package.`,
      { path: ['resources', resource.key] },
    );
  }
  return hosting;
}

function servicePlan(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedFunctionsConfig>,
  base: string,
): { readonly id: string } {
  const { ServicePlan } = azurerm('service-plan');
  return named(
    new ServicePlan(ctx.scope, functionsNames.plan(base), {
      ...regional(ctx, `asp-${resource.name}`.slice(0, 60)),
      osType: 'Linux',
      skuName: resource.config.sku,
    }),
    functionsNames.plan(base),
  );
}

/**
 * Change feed triggers connect as their CrudApi's own identity, which holds its roles on the watched and the
 * lease containers (cosmos/provision.ts grantCosmosAccess; the app waits for them there).
 */
function changeFeedClientIds(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedFunctionsConfig>,
  appSettings: Record<string, string>,
): void {
  const { hostedFunctions, appSettings: planned } = resource.config;
  for (const owner of changeFeedConnectionOwners(hostedFunctions, planned, resource.consumers)) {
    const own = componentIdentityOf(ctx, owner);
    if (!own)
      throw new AtakoraFault(
        `component ${owner} of Function App ${resource.name} has no identity.`,
        { details: { path: ['components', owner] } },
      );
    appSettings[settingName(owner, CHANGE_FEED_CLIENT_ID)] = own.clientId;
  }
}

/**
 * Monitoring (provisioned before the Function Apps): App Insights with local auth off takes telemetry by
 * identity. Returns the component, when there is one.
 */
function monitoringSettings(
  ctx: ProvisionContext,
  appSettings: Record<string, string>,
): ApplicationInsights | undefined {
  const insights = ctx.constructs.get(sharedKey('monitoring')) as ApplicationInsights | undefined;
  if (insights) {
    // The host's telemetry by the app's (system-assigned) identity, which holds Monitoring Metrics Publisher.
    appSettings[INSIGHTS_AUTH_SETTING] = 'Authorization=AAD';
    // The runtime's spans, to the same component by the same identity (runtime/telemetry/start-telemetry.ts).
    const traces: TraceSettings = {
      exporter: 'azure-monitor',
      samplingPercentage: ctx.config.monitoring.samplingPercentage,
    };
    appSettings[TRACES_SETTING] = JSON.stringify(traces);
  }
  return insights;
}

/** What the runtime reads: the queues, the callers' policy, the home tenant, the manifest and its siblings. */
function runtimeSettings(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedFunctionsConfig>,
  appSettings: Record<string, string>,
): string[] {
  const c = resource.config;
  let door: string[] = [];
  const callerPolicy: RuntimeAuth = {
    required: ctx.config.auth.enabled,
    tenantClaim: ctx.config.tenancy.claim,
    trustTenantHeader: ctx.config.tenancy.trustGatewayHeader,
    ...admissionPolicy(ctx.config),
  };
  // The queues the code may send to (runtime/events/queue-client.ts), each through its declaring
  // component's connection.
  if (c.queues) appSettings[QUEUES_SETTING] = JSON.stringify(c.queues);
  // The HTTP functions' gate (runtime/caller/handler-gate.ts) admits callers by the same policy as the CRUD routes.
  if ((c.hostedFunctions ?? []).some((f) => f.trigger === 'http'))
    appSettings[AUTH_SETTING] = JSON.stringify(callerPolicy);
  // dataOf(request).<key>: the declared CrudApis' keys (runtime/in-process/data-door.ts).
  const dataKeys = dataKeysOf(asJsonObject(c), ctx.plan.components);
  if (dataKeys) appSettings[COMPONENT_KEYS_SETTING] = JSON.stringify(dataKeys);
  // The backend's own directory: shared data's role rules hold there only (a deploy-time value, not in the manifest).
  // With organizations (tenants by membership) it is also where the operator's TenantAdmin role counts.
  if (
    ctx.config.auth.enabled &&
    (ctx.config.auth.allowedTenants !== undefined || hasTenantRegistry(ctx.config)) &&
    c.crudRuntime
  ) {
    appSettings[HOME_TENANT_SETTING] = ctx.config.auth.tenantId ?? clientConfig(ctx).tenantId;
  }
  if (c.crudRuntime) {
    const manifest = runtimeManifestOf(c, {
      backendId: ctx.config.backendId,
      environment: ctx.plan.environment,
      auth: callerPolicy,
      identities: true,
      ...(ctx.config.mcp ? { mcp: ctx.config.mcp } : {}),
    });
    appSettings[MANIFEST_SETTING] = JSON.stringify(manifest);
    door = doorPathsOf(ctx.config, manifest);
    const security = openApiSecurity(ctx);
    if (security) appSettings[OPENAPI_SECURITY_SETTING] = JSON.stringify(security);
    // The MCP server's sign-in discovery: App Service authentication (preview) then serves the protected-resource
    // metadata (RFC 9728) at /.well-known/oauth-protected-resource and its 401s name it in WWW-Authenticate, before
    // the app runs (Learn, app-service/configure-authentication-mcp, "Configure protected resource metadata":
    // the setting holds the API's scopes, api://<client-id>/user_impersonation for the registration it validates).
    // api/mcp stays behind authentication: excluded (auth_settings_v2 excluded_paths), App Service would neither
    // validate the token nor set the principal the runtime reads (docs/security.md, "MCP server").
    // With mcp.authorization the backend is the door's authorization server: App Service's document would name
    // Entra ID, so it is not turned on; the runtime serves its own under api/ (runtime/members/agents/
    // discovery-routes.ts) and the door's 401 names that one.
    if (security && ctx.config.mcp && !ctx.config.mcp.authorization)
      appSettings[PRM_SCOPES_SETTING] = security.scope;
    // The MCP endpoint admits a browser page only from the app's own sites (runtime/mcp/origin.ts: MCP 2025-11-25
    // transports, "Security Warning", DNS rebinding): the origins its CORS lists, never `*`. Terraform references
    // until apply (the Static Web App's host), hence a setting of their own, not the manifest.
    // With organizations the same origins are those whose `Origin` an invitation's link may take (a spoofed Origin
    // from a script must not put another host in a link the app hands out), and the accept page is the site's.
    if (ctx.config.mcp || ctx.config.tenants?.membership) {
      const origins = corsOriginsFor(ctx.plan, ctx.config, c.corsOrigins).filter((o) => o !== '*');
      if (origins.length) appSettings[SITE_ORIGINS_SETTING] = origins.join(',');
    }
    const accept = acceptSiteOf(ctx.plan.components, ctx.config).url;
    if (accept) appSettings[ACCEPT_URL_SETTING] = accept;
    // The hub posts its connection events here: the runtime admits them from the service's identity alone.
    const servicePrincipal = realtimeServicePrincipalOf(ctx, resource.key);
    if (servicePrincipal) appSettings[REALTIME_SERVICE_PRINCIPAL_SETTING] = servicePrincipal;
    // Invitation e-mail (tenants.email): where to send and as whom; the sending role is the app identity's.
    Object.assign(appSettings, emailSettingsOf(ctx));
    // Embeddings (search.vector.embed): the Azure OpenAI endpoint; the OpenAI user role is the app identity's.
    Object.assign(appSettings, openaiSettingsOf(ctx, resource));
    const readLocations = readLocationsFor(ctx, resource);
    if (readLocations.length) appSettings[PREFERRED_LOCATIONS_SETTING] = readLocations.join(',');
  }
  return door;
}

/** The app's identities and what it waits for. */
interface AppIdentities {
  readonly identityIds: string[];
  readonly dependsOn: ITerraformDependable[];
}

/** The app's settings both hosting kinds share: plan, network, sign-in, identities, settings. */
function commonAppConfig(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedFunctionsConfig>,
  servicePlanId: string,
  subnetId: string | undefined,
  appSettings: Record<string, string>,
  doorPaths: readonly string[],
  { identityIds, dependsOn }: AppIdentities,
) {
  checkSharedRegistration(ctx);
  const registration = createsRegistrations(ctx.config) ? apiRegistration(ctx) : undefined;
  // The paths whose bearers the runtime checks itself (door.ts): excluded, and told to the runtime, only together.
  const tenantId = ctx.config.auth.tenantId ?? clientConfig(ctx).tenantId;
  const clientId = ctx.config.auth.clientId ?? registration?.clientId;
  const door = clientId ? doorSettingOf(ctx.config, tenantId, clientId, doorPaths) : undefined;
  if (door) appSettings[DOOR_SETTING] = JSON.stringify(door);
  // The Marketplace landing page's sign-in, on the app that serves it (the CRUD runtime's).
  const landing =
    createsLandingRegistration(ctx.config) && resource.config.crudRuntime
      ? landingRegistration(ctx, resource.name)
      : undefined;
  const authSettingsV2 = authSettingsFor(
    ctx.config,
    tenantId,
    registration?.clientId,
    [
      ...anonymousPaths(resource.config.hostedFunctions),
      ...runtimeAnonymousPaths(ctx.config, resource.config.crudRuntime),
      ...(door?.paths ?? []),
    ],
    landing?.clientId,
  );
  return {
    name: resource.name,
    resourceGroupName: ctx.resourceGroupName,
    location: ctx.plan.location,
    servicePlanId,
    httpsOnly: true,
    publicNetworkAccessEnabled: ctx.config.networking.mode !== 'isolated',
    // Nothing is published through the SCM site (the package is a blob), so its basic auth stays off.
    webdeployPublishBasicAuthenticationEnabled: false,
    ...(authSettingsV2 ? { authSettingsV2 } : {}),
    ...(subnetId ? { virtualNetworkSubnetId: subnetId } : {}),
    // System identity: Key Vault references and telemetry (Monitoring Metrics Publisher). User-assigned: the
    // host identity (storage, the package) and one per hosted component for its own data roles.
    identity: { type: 'SystemAssigned, UserAssigned', identityIds },
    appSettings,
    tags: { ...ctx.tags },
    dependsOn,
  };
}

function commonSiteConfig(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedFunctionsConfig>,
  subnetId: string | undefined,
  insights: ApplicationInsights | undefined,
) {
  const c = resource.config;
  const corsOrigins = corsOriginsFor(ctx.plan, ctx.config, c.corsOrigins);
  return {
    minimumTlsVersion: '1.2',
    scmMinimumTlsVersion: '1.2',
    http2Enabled: true,
    ...(subnetId ? { vnetRouteAllEnabled: true } : {}),
    ...(insights ? { applicationInsightsConnectionString: insights.connectionString } : {}),
    ...(c.healthCheckPath
      ? {
          healthCheckPath: c.healthCheckPath,
          healthCheckEvictionTimeInMin: c.healthCheckEvictionMinutes ?? 10,
        }
      : {}),
    ...(corsOrigins.length ? { cors: { allowedOrigins: corsOrigins } } : {}),
  };
}

/** What either Function App of the backend (the shared app, the SCIM app) is made from, by hosting kind. */
export interface FunctionAppParts {
  readonly ctx: ProvisionContext;
  readonly base: string;
  readonly hosting: 'flex' | 'package-url';
  readonly runtime: string;
  readonly version: string;
  readonly alwaysOn: boolean;
  /** The host storage account's name (run from package). */
  readonly storageName: string;
  /** The Flex deployment container's URL. */
  readonly containerEndpoint: string;
  /** The host identity: storage, the package and Key Vault references. */
  readonly hostIdentityId: string;
  readonly common: ReturnType<typeof commonAppConfig>;
  readonly siteConfig: ReturnType<typeof commonSiteConfig>;
}

/**
 * The Flex Consumption app (its deployment container) or the Linux Function App (run from package): the one
 * constructor of both of the backend's Function Apps.
 *
 * @example
 * ```ts
 * const app = functionApp({ ctx, base, hosting: 'flex', runtime: 'node', version: '20', alwaysOn: false, … });
 * ```
 */
export function functionApp(parts: FunctionAppParts): FunctionAppConstruct {
  const { ctx, base, hosting, common, siteConfig } = parts;
  if (hosting === 'flex') {
    const { FunctionAppFlexConsumption } = azurerm('function-app-flex-consumption');
    return named(
      new FunctionAppFlexConsumption(ctx.scope, functionsNames.app(base), {
        ...common,
        runtimeName: parts.runtime,
        runtimeVersion: parts.version,
        // azurerm 4.55 schema: the deployment container and how the platform reads it (here: the host identity).
        storageContainerType: 'blobContainer',
        storageContainerEndpoint: parts.containerEndpoint,
        storageAuthenticationType: 'UserAssignedIdentity',
        storageUserAssignedIdentityId: parts.hostIdentityId,
        siteConfig,
      }),
      functionsNames.app(base),
    );
  }
  const { LinuxFunctionApp } = azurerm('linux-function-app');
  return named(
    new LinuxFunctionApp(ctx.scope, functionsNames.app(base), {
      ...common,
      storageAccountName: parts.storageName,
      storageUsesManagedIdentity: true,
      // Key Vault references resolve with the host identity, whose secrets role exists before the app starts
      // (keyvault/provision.ts), so they resolve at first start; the system identity only exists with the app.
      keyVaultReferenceIdentityId: parts.hostIdentityId,
      ftpPublishBasicAuthenticationEnabled: false,
      functionsExtensionVersion: '~4',
      siteConfig: {
        ...siteConfig,
        ftpsState: 'Disabled',
        alwaysOn: parts.alwaysOn,
        applicationStack: applicationStack(parts.runtime, parts.version),
      },
    }),
    functionsNames.app(base),
  );
}

/**
 * Queue triggers of FunctionsApps run under their component's own identity: the connection names that
 * identity (`__credential`, `__clientId`) and the identity gets the queue role on the storage account that
 * holds the component's queues (see queue-connections.ts).
 */
function queueConnections(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedFunctionsConfig>,
  hostStorage: StorageAccount,
  appSettings: Record<string, string>,
): RoleAssignmentT[] {
  const { RoleAssignment } = azurerm('role-assignment');
  const roles: RoleAssignmentT[] = [];
  const storageOf = new Map(ctx.plan.components.map((x) => [x.id, x.resources['storage']]));
  for (const owner of queueConnectionOwners(resource.config.appSettings, resource.consumers)) {
    const identity = componentIdentityOf(ctx, owner);
    if (!identity)
      throw new AtakoraFault(
        `component ${owner} of Function App ${resource.name} has no identity.`,
        { details: { path: ['components', owner] } },
      );
    const [credential, clientId] = QUEUE_CONNECTION_IDENTITY;
    appSettings[settingName(owner, credential)] = 'managedidentity';
    appSettings[settingName(owner, clientId)] = identity.clientId;
    const storageKey = storageOf.get(owner);
    const account =
      (storageKey ? (ctx.constructs.get(storageKey) as StorageAccount | undefined) : undefined) ??
      hostStorage;
    const id = queueRoleTfName(ctx.config.backendId, owner);
    roles.push(
      named(
        new RoleAssignment(ctx.scope, id, {
          scope: account.id,
          roleDefinitionName: QUEUE_CONNECTION_ROLE,
          principalId: identity.principalId,
          principalType: 'ServicePrincipal',
        }),
        id,
      ),
    );
  }
  return roles;
}

/** The Linux Function App's `application_stack` for a runtime and version (the SCIM app's too). */
export function applicationStack(
  runtime: string,
  version: string,
): LinuxFunctionAppSiteConfigApplicationStack {
  switch (runtime) {
    case 'python':
      return { pythonVersion: version };
    case 'dotnet-isolated':
      return { dotnetVersion: version, useDotnetIsolatedRuntime: true };
    case 'java':
      return { javaVersion: version };
    case 'powershell':
      return { powershellCoreVersion: version };
    default:
      return { nodeVersion: version };
  }
}

/** `cosmosConfig.readLocation` of the Cosmos accounts this app's components use, for the runtime's reads. */
function readLocationsFor(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedFunctionsConfig>,
): string[] {
  const keys = new Set(
    ctx.plan.components
      .filter((c) => resource.consumers.includes(c.id))
      .map((c) => c.resources['cosmos'])
      .filter(Boolean),
  );
  const out = ctx.plan.resources
    .filter((r) => keys.has(r.key))
    .map(
      (r) =>
        r.config['readLocation'] ??
        (r.config['existing'] as { readLocation?: unknown } | undefined)?.readLocation,
    )
    .filter((l): l is string => typeof l === 'string');
  return [...new Set(out)];
}

/**
 * The API's sign-in for `GET api/openapi.json`, in its own app setting (OPENAPI_SECURITY_SETTING): the
 * registration's client id and the deploying tenant are Terraform references until deploy, resolved by
 * Terraform in the setting's value as in the handles' outputs; the tenant is `auth.tenantId` when given (App
 * Service authentication's issuer), else the deploying identity's.
 */
function openApiSecurity(ctx: ProvisionContext): { tenantId: string; scope: string } | undefined {
  const info = apiAuthInfo(ctx.config, '');
  return info
    ? { tenantId: ctx.config.auth.tenantId ?? clientConfig(ctx).tenantId, scope: info.scope }
    : undefined;
}
