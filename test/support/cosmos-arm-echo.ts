/**
 * A SQL container's `resource` as Resource Manager answers it after a Create Update, from what the PUT sent — what
 * Azure adds and how it writes it back, from the REST specification's own examples (azure-rest-api-specs,
 * specification/cosmos-db/resource-manager/Microsoft.DocumentDB/DocumentDB/stable/…):
 * - `indexingPolicy.automatic: true` and `indexingMode: 'consistent'` (2025-10-15/examples/CosmosDBSqlContainerGet.json);
 *   the default `includedPaths` `[{ path: '/*' }]` and the system path `/"_etag"/?` added to `excludedPaths`, and the
 *   default `conflictResolutionPolicy` `{ mode: 'LastWriterWins', conflictResolutionPath: '/_ts',
 *   conflictResolutionProcedure: '' }` (2025-10-15/examples/CosmosDBRestorableSqlContainerList.json, a container as
 *   Cosmos DB stored it, made with none of them);
 * - `uniqueKeyPolicy: { uniqueKeys: [] }`, `partitionKey.kind: 'Hash'` with its `version` and
 *   `computedProperties: []` when none were sent (what Azure's template export of a live container made without
 *   them writes: `Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers`, which reads the resource back
 *   through Get);
 * - a `quantizedFlat` or `diskANN` vector index with the settings the service chose: `quantizationByteSize`, and
 *   `indexingSearchListSize` for diskANN (2025-10-15/examples/CosmosDBSqlContainerCreateUpdate.json: the request names
 *   only `path` and `type`, the answer carries 100 and 25);
 * - `fullTextIndexes` only at an api-version whose `IndexingPolicy` declares them — 2025-10-15 is the first stable
 *   one (its CosmosDBSqlContainerCreateUpdate.json has them; 2025-04-15's does not): Resource Manager drops a property
 *   its version does not know, so an index sent at 2025-04-15 is never made;
 * - `_rid`, `_ts`, `_etag`.
 *
 * @example
 * ```ts
 * search.containers.set(key, echoedContainer(resource, '2025-10-15'));
 * ```
 */
export function echoedContainer(
  sent: Record<string, any>,
  apiVersion: string,
): Record<string, any> {
  const policy = (sent['indexingPolicy'] ?? {}) as Record<string, any>;
  const excluded: { path: string }[] = [...(policy['excludedPaths'] ?? [])];
  if (!excluded.some((p) => p.path === ETAG_PATH)) excluded.push({ path: ETAG_PATH });
  const { fullTextIndexes, vectorIndexes, ...rest } = policy;
  return {
    ...sent,
    indexingPolicy: {
      ...rest,
      indexingMode: policy['indexingMode'] ?? 'consistent',
      automatic: true,
      includedPaths: policy['includedPaths'] ?? [{ path: '/*' }],
      excludedPaths: excluded,
      ...(vectorIndexes ? { vectorIndexes: vectorIndexes.map(echoedVectorIndex) } : {}),
      ...(fullTextIndexes && apiVersion >= FULL_TEXT_INDEXES_SINCE ? { fullTextIndexes } : {}),
    },
    partitionKey: { kind: 'Hash', version: 2, ...sent['partitionKey'] },
    uniqueKeyPolicy: sent['uniqueKeyPolicy'] ?? { uniqueKeys: [] },
    conflictResolutionPolicy: sent['conflictResolutionPolicy'] ?? {
      mode: 'LastWriterWins',
      conflictResolutionPath: '/_ts',
      conflictResolutionProcedure: '',
    },
    computedProperties: sent['computedProperties'] ?? [],
    _rid: 'PD5DALigDgw=',
    _ts: 1459200611,
    _etag: '"00005900-0000-0000-0000-56f9a2630000"',
  };
}

/** The first stable api-version whose `IndexingPolicy` has `fullTextIndexes`. */
export const FULL_TEXT_INDEXES_SINCE = '2025-10-15';

/** The system path every container leaves out of its range index (as Cosmos DB writes it). */
const ETAG_PATH = '/"_etag"/?';

function echoedVectorIndex(v: Record<string, any>): Record<string, any> {
  if (v['type'] === 'diskANN')
    return { quantizationByteSize: 100, indexingSearchListSize: 25, ...v };
  if (v['type'] === 'quantizedFlat') return { quantizationByteSize: 100, ...v };
  return v;
}
