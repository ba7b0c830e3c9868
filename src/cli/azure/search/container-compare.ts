/**
 * Whether a live search container is what the plan wants — read as Resource Manager answers it, not as the PUT was
 * written. Sql Resources - Get echoes defaults the PUT never sent and writes some values its own way (the REST
 * specification's examples, azure-rest-api-specs specification/cosmos-db/resource-manager/Microsoft.DocumentDB/
 * DocumentDB/stable/2025-10-15/examples: CosmosDBSqlContainerGet.json, CosmosDBSqlContainerCreateUpdate.json,
 * CosmosDBRestorableSqlContainerList.json):
 * - `uniqueKeyPolicy: { uniqueKeys: [] }` for a container made without unique keys — no unique keys, as absent;
 * - `partitionKey.kind` and `version` — only the paths are the key;
 * - `indexingPolicy.indexingMode` (`consistent`, or `Consistent` as the restorable listing writes it), `automatic`,
 *   the default `includedPaths` `/*`, the system paths `/"_etag"/?` (excluded) and `/"_ts"/?` (included);
 * - the vector index settings the service chose (`quantizationByteSize`, `indexingSearchListSize`,
 *   `vectorIndexShardKey`): an index is its path and type;
 * - `conflictResolutionPolicy` (default last-writer-wins on `/_ts`), `geospatialConfig`, `computedProperties`,
 *   `_rid`, `_ts`, `_etag`: never declared here, never compared.
 * So an echoed default is never read as a change, and a real difference always is.
 */

/** One side, normalized: what the plan declares and Cosmos DB keeps, in a canonical order. */
interface Normal {
  readonly partitionKey: readonly string[];
  readonly uniqueKeys: readonly string[];
  readonly vectorEmbeddingPolicy: unknown;
  readonly fullTextPolicy: unknown;
  readonly vectorIndexes: readonly string[];
  readonly mutable: unknown;
}

/** What Cosmos DB cannot change on an existing container, in the order they are named. */
export const IMMUTABLE_PARTS = [
  'partitionKey',
  'uniqueKeyPolicy',
  'vectorEmbeddingPolicy',
  'fullTextPolicy',
  'indexingPolicy.vectorIndexes',
] as const;

/**
 * Compare the live container's resource with the wanted one: the immutable parts that differ (Learn: a container's
 * partition key and unique keys are fixed at creation; a vector embedding policy and a full-text policy cannot be
 * modified — "Vector search", current limitations; the vector indexes with it), and whether anything mutable (TTL,
 * the indexing policy's other paths, composite and full-text indexes) differs.
 *
 * @example
 * ```ts
 * compareContainer(live.properties.resource, containerBody(c).properties.resource); // { immutable: [], changed: false }
 * ```
 */
export function compareContainer(
  live: Record<string, unknown>,
  wanted: Record<string, unknown>,
): { immutable: string[]; changed: boolean } {
  const a = normal(live);
  const b = normal(wanted);
  const key: Record<(typeof IMMUTABLE_PARTS)[number], keyof Normal> = {
    partitionKey: 'partitionKey',
    uniqueKeyPolicy: 'uniqueKeys',
    vectorEmbeddingPolicy: 'vectorEmbeddingPolicy',
    fullTextPolicy: 'fullTextPolicy',
    'indexingPolicy.vectorIndexes': 'vectorIndexes',
  };
  const immutable = IMMUTABLE_PARTS.filter((p) => !same(a[key[p]], b[key[p]]));
  return { immutable: [...immutable], changed: !same(a.mutable, b.mutable) };
}

/** A `resource` (live or wanted) reduced to what is compared. */
function normal(r: Record<string, unknown>): Normal {
  const policy = obj(r['indexingPolicy']);
  const pathsOf = (v: unknown) => list(v).map((p) => str(obj(p)['path']));
  return {
    partitionKey: list(obj(r['partitionKey'])['paths']).map((x) => str(x)),
    uniqueKeys: list(obj(r['uniqueKeyPolicy'])['uniqueKeys'])
      .map((k) =>
        list(obj(k)['paths'])
          .map((x) => str(x))
          .sort()
          .join(','),
      )
      .sort(),
    vectorEmbeddingPolicy: vectorEmbeddings(r['vectorEmbeddingPolicy']),
    fullTextPolicy: fullText(r['fullTextPolicy']),
    vectorIndexes: list(policy['vectorIndexes'])
      .map((v) => `${str(obj(v)['path'])} ${str(obj(v)['type'])}`)
      .sort(),
    mutable: {
      ttl: r['defaultTtl'] ?? null,
      indexingMode: str(policy['indexingMode'], 'consistent').toLowerCase(),
      includedPaths: withoutSystem(
        policy['includedPaths'] === undefined ? ['/*'] : pathsOf(policy['includedPaths']),
      ),
      excludedPaths: withoutSystem(pathsOf(policy['excludedPaths'])),
      compositeIndexes: list(policy['compositeIndexes']).map((c) =>
        list(c).map((p) => `${str(obj(p)['path'])} ${str(obj(p)['order'], 'ascending')}`),
      ),
      fullTextIndexes: pathsOf(policy['fullTextIndexes']).sort(),
    },
  };
}

/** The vector embeddings by path; `dataType` defaults to float32 (Learn, "Container vector policies"). */
function vectorEmbeddings(v: unknown): unknown {
  return list(obj(v)['vectorEmbeddings'])
    .map((e) => {
      const o = obj(e);
      return [o['path'], o['dataType'] ?? 'float32', o['dimensions'], o['distanceFunction']];
    })
    .sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1));
}

/** A full-text policy's default language and its paths with their languages; absent → null. */
function fullText(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  const o = obj(v);
  const paths = list(o['fullTextPaths'])
    .map((p) => `${str(obj(p)['path'])} ${str(obj(p)['language'] ?? o['defaultLanguage'])}`)
    .sort();
  return [str(o['defaultLanguage']), paths];
}

/** The system paths Cosmos DB adds to every indexing policy (`/"_etag"/?`, `/"_ts"/?`, and `/_etag/?` as Learn writes it). */
const SYSTEM_PATH = /^\/"?_(etag|ts)"?\/\?$/;

const withoutSystem = (paths: readonly string[]) =>
  paths.filter((p) => !SYSTEM_PATH.test(p)).sort();

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A scalar as text (a number's digits), anything else `fallback`. */
const str = (v: unknown, fallback = ''): string =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : fallback;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
