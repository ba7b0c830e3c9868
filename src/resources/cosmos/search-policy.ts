import type { RuntimeSearch } from '../../model/runtime-manifest.js';

/**
 * The account capability search needs: vector search's alone. Learn, "Vector search in Azure Cosmos DB for NoSQL",
 * enable the feature: "Vector indexing and search … requires enabling on the Features page" (`EnableNoSQLVectorSearch`).
 * Full-text search is generally available and needs none: Learn, "Full-text search in Azure Cosmos DB for NoSQL" (How
 * to use full-text search: configure the container's policy and index, insert, query — no feature to enable; the
 * preview's `EnableNoSQLFullTextSearch` step is gone), so no capability is declared for it. azurerm v4.55.0 accepts
 * the name in `capabilities` (internal/services/cosmos/cosmosdb_account_resource.go, the `name` validation) but would
 * replace an existing account to add it (`checkCapabilitiesCanBeUpdated`): the account declares it only for its
 * creation, Terraform ignores the list afterwards (provision.ts), and `atakora deploy` adds it to an account that
 * lacks it in place (cli/azure/search/account-capabilities.ts).
 */
export const SEARCH_CAPABILITIES = {
  vector: 'EnableNoSQLVectorSearch',
} as const;

/** Below this many vectors a quantizedFlat or diskANN index is not used: a query scans every vector (Learn). */
export const VECTOR_INDEX_MIN_VECTORS = 1000;

/**
 * A search container's policies in Resource Manager's own shape (Sql Resources - Create Update Sql Container,
 * `resource.fullTextPolicy`, `resource.vectorEmbeddingPolicy`, `resource.indexingPolicy.vectorIndexes` and
 * `fullTextIndexes`, api-version 2025-10-15 — azure-rest-api-specs, specification/cosmos-db/resource-manager/
 * Microsoft.DocumentDB/DocumentDB/stable/2025-10-15/examples/CosmosDBSqlContainerCreateUpdate.json): what
 * `atakora deploy` writes and compares.
 *
 * @example
 * ```ts
 * const s: ContainerSearch = {
 *   fullTextPolicy: { defaultLanguage: 'en-US', fullTextPaths: [{ path: '/title', language: 'en-US' }] },
 *   fullTextIndexes: [{ path: '/title' }],
 * };
 * ```
 */
export interface ContainerSearch {
  fullTextPolicy?: {
    defaultLanguage: string;
    fullTextPaths: { path: string; language: string }[];
  };
  fullTextIndexes?: { path: string }[];
  vectorEmbeddingPolicy?: {
    vectorEmbeddings: {
      path: string;
      dataType: 'float32';
      distanceFunction: string;
      dimensions: number;
    }[];
  };
  vectorIndexes?: { path: string; type: string }[];
}

/**
 * The container policies of a CrudApi's search: one full-text policy and one vector embedding policy (Cosmos DB
 * takes one of each per container), their indexes, float32 vectors (what Azure OpenAI's embeddings return).
 *
 * @example
 * ```ts
 * containerSearchOf({ vector: { field: 'embedding', dimensions: 3, distance: 'cosine', index: 'flat' } }).vectorIndexes;
 * // [{ path: '/embedding', type: 'flat' }]
 * ```
 */
export function containerSearchOf(search: RuntimeSearch): ContainerSearch {
  const out: ContainerSearch = {};
  if (search.text) {
    const { fields, language } = search.text;
    out.fullTextPolicy = {
      defaultLanguage: language,
      fullTextPaths: fields.map((f) => ({ path: `/${f}`, language })),
    };
    out.fullTextIndexes = fields.map((f) => ({ path: `/${f}` }));
  }
  if (search.vector) {
    const v = search.vector;
    out.vectorEmbeddingPolicy = {
      vectorEmbeddings: [
        {
          path: `/${v.field}`,
          dataType: 'float32',
          distanceFunction: v.distance,
          dimensions: v.dimensions,
        },
      ],
    };
    out.vectorIndexes = [{ path: `/${v.field}`, type: v.index }];
  }
  return out;
}

/**
 * The capabilities a container's search needs on its account: `EnableNoSQLVectorSearch` with vectors, none for full
 * text ({@link SEARCH_CAPABILITIES}).
 *
 * @example
 * ```ts
 * searchCapabilities({ text: { fields: ['title'], language: 'en-US' } }); // []
 * ```
 */
export function searchCapabilities(search: RuntimeSearch): string[] {
  return search.vector ? [SEARCH_CAPABILITIES.vector] : [];
}
