import type { StorageAccount } from '../../kit/cdktf/azurerm-types.js';
import { named, type ProvisionContext } from '../../kit/cdktf/provision-context.js';
import type { TypedPlannedResource } from '../../kit/pure/resource-type.js';
import { tfName } from '../../kit/pure/terraform-names.js';
import type { MergedStorageConfig } from './type.js';
import { azurerm } from '../../kit/cdktf/cdk-modules.js';
import { SECURE_STORAGE_ACCOUNT } from '../../kit/cdktf/secure-storage.js';

/**
 * The storage account, secure by default and written out for scanners: TLS 1.2, HTTPS only, no public
 * nested items, no shared keys (the Functions host and components connect by identity).
 */
export function provisionStorage(ctx: ProvisionContext, resource: TypedPlannedResource<MergedStorageConfig>): StorageAccount {
  const { StorageAccount } = azurerm('storage-account');
  const { StorageContainer } = azurerm('storage-container');
  const c = resource.config;
  const base = tfName(ctx.config.backendId, resource.key);
  const isolated = ctx.config.networking.mode === 'isolated';
  const account = named(new StorageAccount(ctx.scope, base, {
    name: resource.name,
    resourceGroupName: ctx.resourceGroupName,
    location: ctx.plan.location,
    accountTier: c.tier,
    accountReplicationType: c.replication,
    ...SECURE_STORAGE_ACCOUNT,
    publicNetworkAccessEnabled: !isolated,
    // Isolated: reached only through its private endpoints (and trusted Azure services).
    ...(isolated ? { networkRules: { defaultAction: 'Deny', bypass: ['AzureServices'] } } : {}),
    tags: { ...ctx.tags },
    dependsOn: [...ctx.dependsOn],
  }), base);
  for (const name of c.containers) {
    const id = tfName(base, 'container', name);
    named(new StorageContainer(ctx.scope, id, { name, storageAccountId: account.id, containerAccessType: 'private' }), id);
  }
  for (const name of c.queues) {
    const { StorageQueue } = azurerm('storage-queue');
    const id = tfName(base, 'queue', name);
    named(new StorageQueue(ctx.scope, id, { name, storageAccountId: account.id }), id);
  }
  return account;
}
