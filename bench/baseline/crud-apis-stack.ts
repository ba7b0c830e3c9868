/**
 * The synth benchmark's baseline: a hand-written, typed cdktf program that declares, with the
 * azurerm provider classes directly, the Terraform that `defineBackend({ …CrudApis }).apply(new
 * ResourceGroupStack(…))` declares — and synthesizes to the same bytes. bench/run.ts and bench/cli-start.ts
 * time both and refuse to print a ratio when the outputs differ; test/bench/baseline.test.ts checks the
 * bytes once, so this file cannot drift from what apply writes without a failing test.
 *
 * It imports nothing of Atakora. What Atakora derives (globally unique names, settings names, routes, the
 * runtime manifest) is plain data here, as a person writing this program by hand would type it: see
 * `specs.ts`. What it has to reproduce to get the same bytes, beyond the resources themselves:
 * - the construct tree: every resource sits in a `Construct` named `atakora-<backendId>` in the stack, with
 *   its logical id set by `overrideLogicalId` (as apply's `named()` does), so paths and ids match;
 * - the `azurerm_client_config` data source apply reads the deployment tenant from (for authentication);
 * - the API's Entra app registration (application with its scope, identifier URI, service principal, the
 *   deployer as owner) and the azuread provider, added to the stack after the backend's construct;
 * - the package: the prebuilt CRUD runtime zip as a cdktf FILE asset with the same construct id, so the
 *   asset's folder, hash and `filemd5(...)` expressions match;
 * - the order of list attributes (`identity_ids`, `depends_on`); cdktf sorts object keys itself.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  AnnotationMetadataEntryType,
  AssetType,
  dependable,
  Fn,
  TerraformAsset,
  TerraformOutput,
  TerraformStack,
} from 'cdktf';
import { Construct } from 'constructs';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider/index.js';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group/index.js';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account/index.js';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container/index.js';
import { StorageBlob } from '@cdktf/provider-azurerm/lib/storage-blob/index.js';
import { CosmosdbAccount } from '@cdktf/provider-azurerm/lib/cosmosdb-account/index.js';
import { CosmosdbSqlDatabase } from '@cdktf/provider-azurerm/lib/cosmosdb-sql-database/index.js';
import { CosmosdbSqlContainer } from '@cdktf/provider-azurerm/lib/cosmosdb-sql-container/index.js';
import { CosmosdbSqlRoleAssignment } from '@cdktf/provider-azurerm/lib/cosmosdb-sql-role-assignment/index.js';
import { ServicePlan } from '@cdktf/provider-azurerm/lib/service-plan/index.js';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity/index.js';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment/index.js';
import { FunctionAppFlexConsumption } from '@cdktf/provider-azurerm/lib/function-app-flex-consumption/index.js';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config/index.js';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider/index.js';
import { Application } from '@cdktf/provider-azuread/lib/application/index.js';
import { ApplicationIdentifierUri } from '@cdktf/provider-azuread/lib/application-identifier-uri/index.js';
import { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal/index.js';
import { DataAzureadClientConfig } from '@cdktf/provider-azuread/lib/data-azuread-client-config/index.js';
import { TimeProvider } from '@cdktf/provider-time/lib/provider/index.js';
import { Sleep } from '@cdktf/provider-time/lib/sleep/index.js';

/** One CRUD API: a container in its own database, served by the shared Function App under its own identity. */
export interface BaselineApi {
  /** Its key in the backend: names its outputs (`<backendId>_<key>_apiEndpoint`). */
  readonly key: string;
  readonly componentId: string;
  readonly entityName: string;
  /** `/api/<route>` on the Function App. */
  readonly route: string;
  readonly database: string;
  readonly container: string;
  readonly partitionKey: string;
  /** Field → type, in declaration order (the runtime validates bodies against it). */
  readonly schema: Readonly<Record<string, string>>;
  /** Prefix of its app settings: `<prefix>_COSMOS_ENDPOINT`, `_DATABASE_NAME`, `_CONTAINER_NAME`, `_AZURE_CLIENT_ID`. */
  readonly settingPrefix: string;
  /** Name of its user-assigned identity in Azure. */
  readonly identityName: string;
}

/** The stack and the backend's literal names. */
export interface BaselineSpec {
  readonly stackId: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly backendId: string;
  readonly environment: string;
  /** The API's delegated scope id (Atakora derives it from the backend id and the scope name). */
  readonly scopeId: string;
  /** Globally unique names (Azure): Cosmos DB account, Function App, Storage account. */
  readonly names: {
    readonly cosmos: string;
    readonly functionApp: string;
    readonly storage: string;
  };
  readonly apis: readonly BaselineApi[];
  /** The zip the Function App runs: the CRUD runtime package `npm run build` writes under dist/runtime-package. */
  readonly packageFile: string;
}

/** Cosmos DB Built-in Data Contributor. */
const COSMOS_DATA_CONTRIBUTOR = '00000000-0000-0000-0000-000000000002';
const HOST_STORAGE_ROLES = [
  ['blob', 'Storage Blob Data Owner'],
  ['queue', 'Storage Queue Data Contributor'],
  ['table', 'Storage Table Data Contributor'],
] as const;
const CRUD_OPERATIONS = ['create', 'read', 'update', 'delete', 'list'] as const;

/** Set the Terraform logical id (no cdktf path hash), as a hand-written program naming its resources would. */
function named<T extends { overrideLogicalId(id: string): void }>(resource: T, id: string): T {
  resource.overrideLogicalId(id);
  return resource;
}

/**
 * The baseline stack: provider, resource group, and under `atakora-<backendId>` the storage account, the
 * Cosmos DB account with one database and container per API, the Flex Consumption plan and Function App
 * with its host identity, storage roles, package container and blob, one identity and Cosmos data role per
 * API, and the outputs.
 *
 * @example
 * ```ts
 * const app = new App({ outdir: 'cdktf.out' });
 * new CrudApisBaselineStack(app, benchBackendSpec(10));
 * app.synth();
 * ```
 */
export class CrudApisBaselineStack extends TerraformStack {
  constructor(scope: Construct, spec: BaselineSpec) {
    super(scope, spec.stackId);
    const { backendId: b, location, resourceGroupName, names } = spec;
    new AzurermProvider(this, 'azurerm', {
      features: [{ storage: [{ dataPlaneAvailable: false }] }],
      storageUseAzuread: true,
    });
    // The warning apply attaches when it knows no subscription id (the specs' names are derived without one):
    // cdktf writes annotations into manifest.json, so the same bytes need the same words.
    if (!process.env['ARM_SUBSCRIPTION_ID']) {
      this.node.addMetadata(
        AnnotationMetadataEntryType.WARN,
        `atakora: no subscription id at synth (stack subscriptionId, an azurerm provider's subscription_id or ARM_SUBSCRIPTION_ID), so the global names are derived from resource group "${resourceGroupName}" alone and will change — replacing the accounts — once one is set. Pin it, or set naming.uniqueSeed (docs/deploying.md#names).`,
        { stackTrace: false },
      );
    }
    const resourceGroup = new ResourceGroup(this, 'resource-group', {
      name: resourceGroupName,
      location,
    });
    const dependsOn = [resourceGroup];
    const s = new Construct(this, `atakora-${b}`);
    // What holds data is never destroyed by a plan (BackendConfig.preventDestroy, on by default).
    const keepData = { preventDestroy: true };

    // Storage: host storage of the Function App and home of its package.
    const storage = named(
      new StorageAccount(s, `${b}_storage_shared`, {
        name: names.storage,
        resourceGroupName,
        location,
        accountTier: 'Standard',
        accountReplicationType: 'LRS',
        accountKind: 'StorageV2',
        minTlsVersion: 'TLS1_2',
        httpsTrafficOnlyEnabled: true,
        allowNestedItemsToBePublic: false,
        sharedAccessKeyEnabled: false,
        defaultToOauthAuthentication: true,
        blobProperties: {
          versioningEnabled: true,
          deleteRetentionPolicy: { days: 7 },
          containerDeleteRetentionPolicy: { days: 7 },
        },
        publicNetworkAccessEnabled: true,
        tags: {},
        dependsOn,
        lifecycle: keepData,
      }),
      `${b}_storage_shared`,
    );

    // Cosmos DB: serverless, identity-only, one database and container per API.
    const cosmos = named(
      new CosmosdbAccount(s, `${b}_cosmos_shared`, {
        name: names.cosmos,
        resourceGroupName,
        location,
        offerType: 'Standard',
        kind: 'GlobalDocumentDB',
        consistencyPolicy: { consistencyLevel: 'Session' },
        geoLocation: [{ location, failoverPriority: 0 }],
        capabilities: [{ name: 'EnableServerless' }],
        localAuthenticationDisabled: true,
        accessKeyMetadataWritesEnabled: false,
        minimalTlsVersion: 'Tls12',
        publicNetworkAccessEnabled: true,
        tags: {},
        dependsOn,
        // As provisionCosmos: the capabilities are the new account's (azurerm replaces it to change most of them).
        lifecycle: { ignoreChanges: ['capabilities'], ...keepData },
      }),
      `${b}_cosmos_shared`,
    );
    const cosmosEndpoint = `https://${names.cosmos}.documents.azure.com:443/`;
    const containers = new Map<string, CosmosdbSqlContainer>();
    for (const api of spec.apis) {
      const dbId = `${b}_cosmos_shared_db_${api.database}`;
      const database = named(
        new CosmosdbSqlDatabase(s, dbId, {
          name: api.database,
          resourceGroupName,
          accountName: cosmos.name,
          lifecycle: keepData,
        }),
        dbId,
      );
      containers.set(
        api.componentId,
        named(
          new CosmosdbSqlContainer(s, `${dbId}_c_${api.container}`, {
            name: api.container,
            resourceGroupName,
            accountName: cosmos.name,
            databaseName: database.name,
            partitionKeyPaths: [api.partitionKey],
            partitionKeyVersion: 2,
            lifecycle: keepData,
          }),
          `${dbId}_c_${api.container}`,
        ),
      );
    }

    // The Function App's plan, host identity and its storage roles.
    const plan = named(
      new ServicePlan(s, `${b}_functions_shared_plan`, {
        name: `asp-${names.functionApp}`,
        resourceGroupName,
        location,
        osType: 'Linux',
        skuName: 'FC1',
        tags: {},
        dependsOn,
      }),
      `${b}_functions_shared_plan`,
    );
    const host = named(
      new UserAssignedIdentity(s, `${b}_functions_shared_host_identity`, {
        name: `id-${names.functionApp}`,
        resourceGroupName,
        location,
        tags: {},
        dependsOn,
      }),
      `${b}_functions_shared_host_identity`,
    );
    const hostRoles = HOST_STORAGE_ROLES.map(([short, role]) =>
      named(
        new RoleAssignment(s, `${b}_functions_shared_host_${short}`, {
          scope: storage.id,
          roleDefinitionName: role,
          principalId: host.principalId,
          principalType: 'ServicePrincipal',
        }),
        `${b}_functions_shared_host_${short}`,
      ),
    );

    // The package: the prebuilt CRUD runtime zip, uploaded as the Flex deployment blob into a container named by
    // the zip's version (7 hex of its SHA-256), each created before the previous version's is removed.
    const asset = new TerraformAsset(s, `${b}_functions_shared_package`, {
      path: spec.packageFile,
      type: AssetType.FILE,
    });
    const version = createHash('sha256')
      .update(readFileSync(spec.packageFile))
      .digest('hex')
      .slice(0, 7);
    const packageContainer = named(
      new StorageContainer(s, `${b}_functions_shared_package_container`, {
        name: `app-package-${names.functionApp}-${version}`,
        storageAccountId: storage.id,
        containerAccessType: 'private',
        lifecycle: { createBeforeDestroy: true },
      }),
      `${b}_functions_shared_package_container`,
    );
    const md5 = Fn.filemd5(asset.path);
    const packageBlob = named(
      new StorageBlob(s, `${b}_functions_shared_package_blob`, {
        name: 'released-package.zip',
        storageAccountName: storage.name,
        storageContainerName: packageContainer.name,
        type: 'Block',
        contentType: 'application/zip',
        source: asset.path,
        contentMd5: md5,
        lifecycle: { createBeforeDestroy: true },
      }),
      `${b}_functions_shared_package_blob`,
    );

    // One identity per API (sorted by component id), named in the app settings the runtime reads.
    const apis = [...spec.apis].sort((x, y) =>
      x.componentId < y.componentId ? -1 : x.componentId > y.componentId ? 1 : 0,
    );
    const identities = new Map(
      apis.map((api) => [
        api.componentId,
        named(
          new UserAssignedIdentity(s, `${b}_identity_${api.componentId}`, {
            name: api.identityName,
            resourceGroupName,
            location,
            tags: {},
            dependsOn,
          }),
          `${b}_identity_${api.componentId}`,
        ),
      ]),
    );
    const appSettings: Record<string, string> = {};
    for (const api of apis) {
      appSettings[`${api.settingPrefix}_COSMOS_ENDPOINT`] = cosmosEndpoint;
      appSettings[`${api.settingPrefix}_DATABASE_NAME`] = api.database;
      appSettings[`${api.settingPrefix}_CONTAINER_NAME`] = api.container;
      appSettings[`${api.settingPrefix}_AZURE_CLIENT_ID`] = identities.get(
        api.componentId,
      )!.clientId;
    }
    Object.assign(appSettings, {
      AZUREWEBJOBSSTORAGE: '',
      AzureWebJobsStorage__accountName: storage.name,
      AzureWebJobsStorage__credential: 'managedidentity',
      AzureWebJobsStorage__clientId: host.clientId,
      ATAKORA_PACKAGE_MD5: md5,
      AzureFunctionsWebHost__hostid: names.functionApp,
      // What the CRUD runtime serves: key order as the runtime writes it, so the JSON string is the same.
      ATAKORA_MANIFEST: JSON.stringify({
        version: 1,
        backendId: b,
        environment: spec.environment,
        entities: apis.map((api) => ({
          componentId: api.componentId,
          entityName: api.entityName,
          route: api.route,
          partitionKey: api.partitionKey,
          schema: Object.fromEntries(
            Object.entries(api.schema).map(([field, type]) => [field, { type, required: false }]),
          ),
          operations: CRUD_OPERATIONS,
          unknownFields: 'reject',
          settings: {
            endpoint: `${api.settingPrefix}_COSMOS_ENDPOINT`,
            database: `${api.settingPrefix}_DATABASE_NAME`,
            container: `${api.settingPrefix}_CONTAINER_NAME`,
            clientId: `${api.settingPrefix}_AZURE_CLIENT_ID`,
          },
        })),
        auth: { required: true, tenantClaim: 'tid', trustTenantHeader: false },
        openapi: { title: `${b} (${spec.environment})` },
      }),
    });
    // The API's app registration: one delegated scope, v2 tokens, api://<client id>, its service principal.
    const deployer = named(
      new DataAzureadClientConfig(s, `${b}_azuread_client_config`, {}),
      `${b}_azuread_client_config`,
    );
    const owners = [deployer.objectId];
    const label = `${b}-${spec.environment}`;
    const apiApp = named(
      new Application(s, `${b}_entra_api`, {
        displayName: `${label}-api`,
        signInAudience: 'AzureADMyOrg',
        owners,
        api: {
          requestedAccessTokenVersion: 2,
          oauth2PermissionScope: [
            {
              id: spec.scopeId,
              value: 'user_impersonation',
              type: 'User',
              enabled: true,
              adminConsentDisplayName: `Call the ${label} API`,
              adminConsentDescription: `Lets the app call the ${label} API as the signed-in user.`,
              userConsentDisplayName: `Call the ${label} API`,
              userConsentDescription: `Lets the app call the ${label} API as you.`,
            },
          ],
        },
        lifecycle: { ignoreChanges: ['identifier_uris'] },
      }),
      `${b}_entra_api`,
    );
    named(
      new ApplicationIdentifierUri(s, `${b}_entra_api_uri`, {
        applicationId: apiApp.id,
        identifierUri: `api://${apiApp.clientId}`,
      }),
      `${b}_entra_api_uri`,
    );
    named(
      new ServicePrincipal(s, `${b}_entra_api_sp`, { clientId: apiApp.clientId, owners }),
      `${b}_entra_api_sp`,
    );
    // Read by Atakora for the token issuer of App Service authentication; kept so the JSON is the same.
    const clientConfig = named(
      new DataAzurermClientConfig(s, `${b}_client_config`, {}),
      `${b}_client_config`,
    );
    // The sign-in GET api/openapi.json describes (its own setting: Terraform references until deploy).
    appSettings['ATAKORA_OPENAPI_SECURITY'] = JSON.stringify({
      tenantId: clientConfig.tenantId,
      scope: `api://${apiApp.clientId}/user_impersonation`,
    });
    // Sign-in outputs under plain names (terraform output -raw bench_auth_api_client_id).
    const plainOutput = (id: string, value: string) =>
      new TerraformOutput(s, id, { value }).overrideLogicalId(id);
    plainOutput(`${b}_auth_api_client_id`, apiApp.clientId);
    plainOutput(`${b}_auth_tenant_id`, clientConfig.tenantId);
    plainOutput(`${b}_auth_api_scope`, `api://${apiApp.clientId}/user_impersonation`);
    plainOutput(`${b}_auth_api_base_url`, `https://${names.functionApp}.azurewebsites.net/api`);
    new AzureadProvider(this, 'azuread', {});

    const app = named(
      new FunctionAppFlexConsumption(s, `${b}_functions_shared`, {
        name: names.functionApp,
        resourceGroupName,
        location,
        servicePlanId: plan.id,
        httpsOnly: true,
        publicNetworkAccessEnabled: true,
        webdeployPublishBasicAuthenticationEnabled: false,
        authSettingsV2: {
          authEnabled: true,
          requireAuthentication: true,
          unauthenticatedAction: 'Return401',
          requireHttps: true,
          excludedPaths: ['/api/health'],
          login: { tokenStoreEnabled: false },
          defaultProvider: 'azureactivedirectory',
          activeDirectoryV2: {
            clientId: apiApp.clientId,
            tenantAuthEndpoint: `https://login.microsoftonline.com/${clientConfig.tenantId}/v2.0`,
            allowedAudiences: [`api://${apiApp.clientId}`],
          },
        },
        identity: {
          type: 'SystemAssigned, UserAssigned',
          identityIds: [host.id, ...apis.map((api) => identities.get(api.componentId)!.id)],
        },
        appSettings,
        tags: {},
        dependsOn: [...hostRoles, packageContainer, packageBlob],
        runtimeName: 'node',
        runtimeVersion: '22',
        storageContainerType: 'blobContainer',
        storageContainerEndpoint: `${storage.primaryBlobEndpoint}${packageContainer.name}`,
        storageAuthenticationType: 'UserAssignedIdentity',
        storageUserAssignedIdentityId: host.id,
        siteConfig: { minimumTlsVersion: '1.2', scmMinimumTlsVersion: '1.2', http2Enabled: true },
      }),
      `${b}_functions_shared`,
    );

    // Each API's identity may read and write its own container only, once the new principal has replicated
    // (a 60 s time_sleep: azurerm's Cosmos DB role assignment does not retry "principal not found").
    new TimeProvider(this, 'time', {});
    for (const api of apis) {
      const id = `${b}_cosmos_shared_db_${api.database}_c_${api.container}_ra_${api.componentId}`;
      const waitId = `${b}_cosmos_shared_wait_${api.componentId}`;
      const wait = named(
        new Sleep(s, waitId, {
          createDuration: '60s',
          triggers: { principal_id: identities.get(api.componentId)!.principalId },
        }),
        waitId,
      );
      const assignment = named(
        new CosmosdbSqlRoleAssignment(s, id, {
          resourceGroupName,
          accountName: cosmos.name,
          roleDefinitionId: `${cosmos.id}/sqlRoleDefinitions/${COSMOS_DATA_CONTRIBUTOR}`,
          principalId: identities.get(api.componentId)!.principalId,
          scope: `${cosmos.id}/dbs/${api.database}/colls/${api.container}`,
          // Created once its container exists; the app starts once the role exists.
          dependsOn: [containers.get(api.componentId)!, wait],
        }),
        id,
      );
      app.dependsOn = [...(app.dependsOn ?? []), dependable(assignment)];
    }

    // What a trigger sync after apply needs (src/resources/functions/trigger-sync.ts).
    new TerraformOutput(s, `${b}_functions_shared_sync_triggers`, {
      value: { resource_id: app.id, package_md5: md5 },
    }).overrideLogicalId(`atakora_sync_triggers_${b}_functions_shared`);

    // Outputs: each API's endpoints, then the shared resources' names, named exactly as given (no hash).
    const output = (id: string, value: string) => {
      new TerraformOutput(s, id, { value }).overrideLogicalId(id);
    };
    for (const api of spec.apis) {
      output(
        `${b}_${api.key}_apiEndpoint`,
        `https://${names.functionApp}.azurewebsites.net/api/${api.route}`,
      );
      output(`${b}_${api.key}_cosmosEndpoint`, cosmosEndpoint);
    }
    output(`${b}_cosmos_shared_name`, names.cosmos);
    output(`${b}_functions_shared_name`, names.functionApp);
    output(`${b}_storage_shared_name`, names.storage);
  }
}
