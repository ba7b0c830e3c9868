/**
 * The engine, for tests: the cdktf classes and the provider bindings tests build stacks and constructs with,
 * named here only (test/architecture/engine-seam.test.ts keeps it so), as src/ names them in src/kit/cdktf only.
 * A move to another engine (cdktn, cdktf's maintained fork) changes this file, not ~40 tests.
 *
 * Bindings by deep path, as src/ imports them (the package root costs seconds and hundreds of MiB).
 */
import { createRequire } from 'node:module';

export { Construct } from 'constructs';
export {
  AnnotationMetadataEntryType,
  App,
  Lazy,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
  Testing,
  Tokenization,
} from 'cdktf';
export { ApplicationInsights } from '@cdktf/provider-azurerm/lib/application-insights/index.js';
export { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider/index.js';
export { CosmosdbAccount } from '@cdktf/provider-azurerm/lib/cosmosdb-account/index.js';
export { DataAzurermCosmosdbAccount } from '@cdktf/provider-azurerm/lib/data-azurerm-cosmosdb-account/index.js';
export { FunctionAppFlexConsumption } from '@cdktf/provider-azurerm/lib/function-app-flex-consumption/index.js';
export { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace/index.js';
export { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group/index.js';
export { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule/index.js';
export { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account/index.js';
export { Subnet } from '@cdktf/provider-azurerm/lib/subnet/index.js';
export { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network/index.js';
export { AzureadProvider } from '@cdktf/provider-azuread/lib/provider/index.js';
export { ApplicationIdentifierUri } from '@cdktf/provider-azuread/lib/application-identifier-uri/index.js';
export { DataAzureadApplication } from '@cdktf/provider-azuread/lib/data-azuread-application/index.js';
export { TimeProvider } from '@cdktf/provider-time/lib/provider/index.js';
export { ENGINE_PACKAGES } from './engine-names.js';

/**
 * cdktf's private stack-trace module, whose `captureStackTrace` apply swaps out while it runs
 * (src/kit/cdktf/token-traces-off.ts): test/apply/token-traces.test.ts counts its calls.
 */
export const cdktfStackTrace = createRequire(import.meta.url)(
  'cdktf/lib/tokens/private/stack-trace.js',
) as { captureStackTrace: (below?: unknown) => string[] };
