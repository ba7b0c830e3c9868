/** Cosmos DB: 1,000,000 RU/s per database by default (https://learn.microsoft.com/azure/cosmos-db/concepts-limits). */
export const AZURE_COSMOS_THROUGHPUT_PER_DATABASE = 1_000_000;

/**
 * Cosmos DB: 500 databases and containers together per account (Learn, "Azure Cosmos DB service quotas",
 * "Per-account limits": "Maximum number of databases and containers per account", provisioned and serverless;
 * https://learn.microsoft.com/azure/cosmos-db/concepts-limits#per-account-limits). Every CrudApi brings a database
 * and a container by default, and its `onChange` a lease container: 250 CrudApis plan a clean account today and
 * fail at the 501st create.
 */
export const AZURE_COSMOS_DATABASES_AND_CONTAINERS_PER_ACCOUNT = 500;
