// The azurerm binding types the resource folders and apply name (classes of created resources, config blocks),
// re-exported type-only: the bindings are generated per engine (`@cdktf/provider-azurerm` for cdktf), so their
// package is named here and in azurerm-modules.ts only (docs/architecture.md, "The engine seam"). Naming a type
// loads nothing; the classes themselves come from `azurerm(name)` (cdk-modules.ts), one module on first use.
export type { ApplicationInsights } from '@cdktf/provider-azurerm/lib/application-insights/index.js';
export type { CdnFrontdoorProfile } from '@cdktf/provider-azurerm/lib/cdn-frontdoor-profile/index.js';
export type { CosmosdbAccount } from '@cdktf/provider-azurerm/lib/cosmosdb-account/index.js';
export type { CosmosdbSqlContainerIndexingPolicy } from '@cdktf/provider-azurerm/lib/cosmosdb-sql-container/index.js';
export type { DataAzurermCosmosdbAccount } from '@cdktf/provider-azurerm/lib/data-azurerm-cosmosdb-account/index.js';
export type { FunctionAppFlexConsumptionAuthSettingsV2 } from '@cdktf/provider-azurerm/lib/function-app-flex-consumption/index.js';
export type { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault/index.js';
export type {
  LinuxFunctionAppAuthSettingsV2,
  LinuxFunctionAppSiteConfigApplicationStack,
} from '@cdktf/provider-azurerm/lib/linux-function-app/index.js';
export type { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace/index.js';
export type { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group/index.js';
export type { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone/index.js';
export type { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider/index.js';
export type { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group/index.js';
export type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment/index.js';
export type { ServicebusNamespace } from '@cdktf/provider-azurerm/lib/servicebus-namespace/index.js';
export type { StaticWebApp } from '@cdktf/provider-azurerm/lib/static-web-app/index.js';
export type { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account/index.js';
export type { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container/index.js';
export type { StorageAccountBlobProperties } from '@cdktf/provider-azurerm/lib/storage-account/index.js';
export type { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity/index.js';
export type { WebPubsub } from '@cdktf/provider-azurerm/lib/web-pubsub/index.js';
export type { WebPubsubHubEventHandler } from '@cdktf/provider-azurerm/lib/web-pubsub-hub/index.js';
export type { CommunicationService } from '@cdktf/provider-azurerm/lib/communication-service/index.js';
export type { EmailCommunicationServiceDomain } from '@cdktf/provider-azurerm/lib/email-communication-service-domain/index.js';
export type { CognitiveAccount } from '@cdktf/provider-azurerm/lib/cognitive-account/index.js';
export type { CognitiveDeployment } from '@cdktf/provider-azurerm/lib/cognitive-deployment/index.js';
