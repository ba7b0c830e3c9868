import type { RuntimeSearch } from '../../model/runtime-manifest.js';

/**
 * The account capabilities search needs (Learn, "Vector search in Azure Cosmos DB for NoSQL", enable the feature,
 * and "Full text search", enable the feature). azurerm v4.55.0 accepts both names in `capabilities`
 * (internal/services/cosmos/cosmosdb_account_resource.go, the `name` validation), but neither is in the list it may
 * add to an existing account in place (`checkCapabilitiesCanBeUpdated`): on an account already deployed the
 * capability forces a new account, which the plan's diff reports (facts.ts).
 */
export const SEARCH_CAPABILITIES = {
  text: 'EnableNoSQLFullTextSearch',
  vector: 'EnableNoSQLVectorSearch',
} as const;

/** Below this many vectors a quantizedFlat or diskANN index is not used: a query scans every vector (Learn). */
export const VECTOR_INDEX_MIN_VECTORS = 1000;

/**
 * A search container's policies in Resource Manager's own shape (Sql Resources - Create Update Sql Container,
 * `resource.fullTextPolicy`, `resource.vectorEmbeddingPolicy`, `resource.indexingPolicy.vectorIndexes` and
 * `fullTextIndexes`, api-version 2025-04-15 — azure-rest-api-specs, specification/cosmos-db/resource-manager/
 * Microsoft.DocumentDB/DocumentDB/stable/2025-04-15/examples/CosmosDBSqlContainerCreateUpdate.json): what
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
 * The capabilities a container's search needs on its account.
 *
 * @example
 * ```ts
 * searchCapabilities({ text: { fields: ['title'], language: 'en-US' } }); // ['EnableNoSQLFullTextSearch']
 * ```
 */
export function searchCapabilities(search: RuntimeSearch): string[] {
  return [
    ...(search.text ? [SEARCH_CAPABILITIES.text] : []),
    ...(search.vector ? [SEARCH_CAPABILITIES.vector] : []),
  ];
}
