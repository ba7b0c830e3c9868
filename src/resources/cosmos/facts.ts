import { defineResourceFacts } from '../../kit/pure/resources/resource-facts.js';
import { registeredByAzurerm } from '../../kit/pure/resources/resource-providers.js';
import { backupChangeIssue, backupForcesNew, backupLineOf } from './backup.js';
import {
  AZURE_COSMOS_DATABASES_AND_CONTAINERS_PER_ACCOUNT,
  AZURE_COSMOS_THROUGHPUT_PER_DATABASE,
} from './limits.js';

/**
 * Cosmos DB's facts: data-holding (account, databases, containers), a global DNS name, its Private Link
 * target, diagnostics, price model, limits, and which changes replace the account.
 */
export const cosmosFacts = defineResourceFacts({
  dataHolding: true,
  terraformTypes: {
    data: [
      'azurerm_cosmosdb_account',
      'azurerm_cosmosdb_sql_container',
      'azurerm_cosmosdb_sql_database',
    ],
    globalName: ['azurerm_cosmosdb_account'],
  },
  // Microsoft.DocumentDB/databaseAccounts: 3-44, lowercase letters, numbers, hyphens; global.
  name: { min: 3, max: 44, chars: /^[a-z0-9-]+$/, lowercase: true, hyphens: true, global: true },
  // https://learn.microsoft.com/azure/private-link/private-endpoint-dns (Azure Cosmos DB, NoSQL API).
  privateLink: { targets: [{ subresource: 'Sql', zone: 'privatelink.documents.azure.com' }] },
  // Metrics under "Requests" (https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/logs-index).
  // An existing account belongs to the deployment that owns it (and its diagnostics).
  diagnostics: (r) => (r.config['existing'] ? [] : [{ allLogs: true, metrics: ['Requests'] }]),
  resourceProviders: [registeredByAzurerm('Microsoft.DocumentDB', 'azurerm_cosmosdb_')],
  sample: {
    requirements: [
      {
        resourceType: 'cosmos',
        config: {
          databases: [{ name: 'sample-db', containers: [{ name: 'items', partitionKey: '/id' }] }],
        },
      },
    ],
  },
  price: {
    model:
      'serverless: an assumed workload per container; provisioned: throughput billed whether used or not, ' +
      'plus storage (./prices.ts); continuous 30-day backup: backup storage per GB and region (./backup.ts)',
    sources: [
      'https://learn.microsoft.com/azure/cosmos-db/continuous-backup-restore-introduction#continuous-backup-pricing',
      'https://azure.microsoft.com/pricing/details/cosmos-db/autoscale-provisioned/',
      'https://azure.microsoft.com/pricing/details/cosmos-db/serverless/',
    ],
  },
  limits: [
    { limit: 'maxCosmosAccounts', what: 'Cosmos DB accounts', measure: 'count' },
    {
      limit: 'maxContainersPerCosmosAccount',
      what: 'databases and containers per Cosmos DB account',
      azure: AZURE_COSMOS_DATABASES_AND_CONTAINERS_PER_ACCOUNT,
      // What this backend plans in the account (an existing account may hold more of its owner's).
      measure: (r) => {
        const dbs = (r.config['databases'] as { containers: unknown[] }[] | undefined) ?? [];
        return [{ requested: dbs.reduce((n, d) => n + 1 + d.containers.length, 0), where: r.name }];
      },
    },
    {
      limit: 'maxThroughputPerDatabase',
      what: 'throughput per database (RU/s)',
      azure: AZURE_COSMOS_THROUGHPUT_PER_DATABASE,
      measure: (r) =>
        (
          (r.config['databases'] as
            | { name: string; throughput?: number; containers: { throughput?: number }[] }[]
            | undefined) ?? []
        ).map((d) => ({
          requested:
            (d.throughput ?? 0) + d.containers.reduce((s, c) => s + (c.throughput ?? 0), 0),
          where: `${r.name}/${d.name}`,
        })),
    },
  ],
  // Capacity mode and region are fixed at the account's creation (azurerm: capabilities
  // EnableServerless, location ForceNew); continuous backup cannot go back to periodic (./backup.ts).
  // Another capability never forces a new account: azurerm v4.55.0 would (`checkCapabilitiesCanBeUpdated`,
  // cosmosdb_account_resource.go, adds only a listed few in place), so the account ignores changes of its list after
  // creation (provision.ts) and `atakora deploy` enables vector search on an existing account in place
  // (cli/azure/search/account-capabilities.ts); capacity mode is `serverless` above.
  forcesNew: (path, before, after) =>
    path[0] === 'serverless' || path[0] === 'location' || backupForcesNew(path, before, after),
  // Periodic → continuous is in place but one-way, 30 → 7 days drops restore points: the diff says so (./backup.ts).
  changeIssue: (key, path, before, after) =>
    path[0] === 'backup' ? backupChangeIssue(key, before, after) : undefined,
  backupLine: backupLineOf,
});
