import { defineResourceFacts } from '../../kit/pure/resources/resource-facts.js';
import { registeredByAzurerm } from '../../kit/pure/resources/resource-providers.js';
import { LIFECYCLE_RULES_PER_POLICY, lifecycleRules } from './lifecycle.js';
import type { FilesRetention } from './retention.js';

// Storage accounts export metrics under "Transaction" and "Capacity"; the account itself has no log
// categories, its blob, queue and table services do
// (https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/logs-index).
const METRICS = ['Capacity', 'Transaction'] as const;

/** The seeds' practical limit of 500 containers (and queues) per storage account. */
export const AZURE_CONTAINERS_PER_STORAGE = 500;

/** Storage's facts: data-holding, a global DNS name, three Private Link targets, diagnostics per service. */
export const storageFacts = defineResourceFacts({
  dataHolding: true,
  terraformTypes: { data: ['azurerm_storage_account'], globalName: ['azurerm_storage_account'] },
  // Microsoft.Storage/storageAccounts: 3-24, lowercase letters and numbers only; global.
  name: { min: 3, max: 24, chars: /^[a-z0-9]+$/, lowercase: true, hyphens: false, global: true },
  privateLink: {
    targets: [
      { subresource: 'blob', zone: 'privatelink.blob.core.windows.net' },
      { subresource: 'queue', zone: 'privatelink.queue.core.windows.net' },
      { subresource: 'table', zone: 'privatelink.table.core.windows.net' },
    ],
  },
  diagnostics: () => [
    { allLogs: false, metrics: METRICS },
    ...(['blobServices', 'queueServices', 'tableServices'] as const).map((subResource) => ({
      subResource,
      allLogs: true,
      metrics: METRICS,
    })),
  ],
  resourceProviders: [registeredByAzurerm('Microsoft.Storage', 'azurerm_storage_')],
  sample: { requirements: [{ resourceType: 'storage', config: { containers: ['uploads'] } }] },
  price: {
    model: "an assumed 10 GB of Hot capacity at the account's redundancy (./prices.ts)",
    sources: ['https://azure.microsoft.com/pricing/details/storage/blobs/'],
  },
  limits: [
    { limit: 'maxStorageAccounts', what: 'Storage Accounts', measure: 'count' },
    {
      limit: 'maxContainersPerStorage',
      what: 'containers per Storage Account',
      azure: AZURE_CONTAINERS_PER_STORAGE,
      measure: (r) => [
        {
          requested:
            ((r.config['containers'] as unknown[] | undefined) ?? []).length +
            ((r.config['queues'] as unknown[] | undefined) ?? []).length,
          where: r.name,
        },
      ],
    },
    {
      // Azure's, not ours to raise: every FileStore adds prefixes to the files account's one lifecycle policy.
      limit: 'lifecycleRulesPerPolicy',
      what: 'lifecycle management rules in one Storage account (the FileStores of a backend share one)',
      azure: LIFECYCLE_RULES_PER_POLICY,
      measure: (r) => {
        const retention = r.config['retention'] as FilesRetention | undefined;
        return retention ? [{ requested: lifecycleRules(retention).length, where: r.name }] : [];
      },
      solutions: [
        'Split the FileStores across backends (each backend has its own files account and policy)',
        'Use fewer FileStores: one FileStore takes several content types, and its access rules and tenancy ' +
          'keep each caller to their own files',
      ],
    },
  ],
  // Replication changes in place (Azure migrates between redundancy families); the performance tier cannot.
  forcesNew: (path) => path[0] === 'tier',
});
