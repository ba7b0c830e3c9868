import type { StorageAccountConfig } from '@cdktf/provider-azurerm/lib/storage-account/index.js';

/**
 * What every storage account the stack creates holds, written out for scanners: StorageV2, TLS 1.2, HTTPS only,
 * no public nested items, no shared keys (hosts and components connect by identity; the portal too), and
 * recoverable blobs (Checkov CKV2_AZURE_38: 7 days of deleted blobs and containers, plus versioning — off on the
 * FileStores' files account, resources/storage/type.ts FilesRetention — set
 * through the management plane's blobServices, so it works with shared keys off;
 * https://learn.microsoft.com/azure/storage/blobs/data-protection-overview).
 *
 * @example
 * ```ts
 * new StorageAccount(scope, id, {
 *   ...SECURE_STORAGE_ACCOUNT,
 *   name,
 *   resourceGroupName,
 *   location,
 *   accountTier: 'Standard',
 *   accountReplicationType: 'LRS',
 * });
 * ```
 */
export const SECURE_STORAGE_ACCOUNT = {
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
} as const satisfies Partial<StorageAccountConfig>;
