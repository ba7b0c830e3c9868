/** Cosmos DB: 1,000,000 RU/s per database by default (https://learn.microsoft.com/azure/cosmos-db/concepts-limits). */
export const AZURE_COSMOS_THROUGHPUT_PER_DATABASE = 1_000_000;
