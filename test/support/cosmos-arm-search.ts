import type { StandInRequest } from './cosmos-arm-standin.js';
import { echoedContainer } from './cosmos-arm-echo.js';

/** What the stand-in keeps of search containers, identities and data role assignments. */
export interface SearchState {
  /** `<account>/<database>/<container>` → the container's `resource` as Resource Manager returns it. */
  readonly containers: Map<string, Record<string, any>>;
  /** A user-assigned identity's name → its principal id. */
  readonly identities: Map<string, string>;
  /** `<account>/<assignment id>` → its `properties`. */
  readonly assignments: Map<string, Record<string, any>>;
  /** The live account's capabilities (a vector embedding policy needs `EnableNoSQLVectorSearch`). */
  capabilities: string[];
}

const RG = '^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/';
const CONTAINER = new RegExp(
  `${RG}Microsoft\\.DocumentDB/databaseAccounts/([^/]+)/sqlDatabases/([^/]+)/containers/([^/]+)$`,
);
const ASSIGNMENT = new RegExp(
  `${RG}Microsoft\\.DocumentDB/databaseAccounts/([^/]+)/sqlRoleAssignments/([^/]+)$`,
);
const IDENTITY = new RegExp(`${RG}Microsoft\\.ManagedIdentity/userAssignedIdentities/([^/]+)$`);
/** Learn, "Vector indexing policies": the most dimensions per index type. */
const MAX_DIMENSIONS: Record<string, number> = { flat: 505, quantizedFlat: 4096, diskANN: 4096 };
const bad = (r: StandInRequest, message: string) => (
  r.send(400, { error: { code: 'BadRequest', message } }), true
);

/**
 * The stand-in's routes for a search container, as the REST reference describes them (Sql Resources - Get / Create
 * Update Sql Container, azure-rest-api-specs …/stable/2025-10-15/examples/CosmosDBSqlContainerCreateUpdate.json;
 * Create Update Sql Role Assignment; User Assigned Identities - Get):
 * - a container: GET 404 until made, then its resource as Resource Manager echoes it (./cosmos-arm-echo.ts: the
 *   defaults the PUT did not send, the system `_etag` path, the vector index settings the service chose, no
 *   `fullTextIndexes` at an api-version that does not declare them); PUT 202 with `Azure-AsyncOperation`, refused
 *   (400) with an api-version before 2025-04-15 when the body has search policies (older versions do not know them),
 *   a vector embedding policy without the account's `EnableNoSQLVectorSearch` (Learn, "Vector search in Azure Cosmos
 *   DB for NoSQL": "requires enabling on the Features page"; full-text search, generally available, needs no
 *   capability: Learn, "Full-text search in Azure Cosmos DB for NoSQL", How to use), more dimensions than the index
 *   type takes, or a change of the partition key or a vector embedding or full-text policy of an existing container
 *   (Cosmos DB cannot);
 * - a live account's data role assignment: GET 404 until made; PUT 202 with an operation, 400 when its scope names a
 *   container that does not exist (Cosmos DB checks the scope);
 * - an identity: GET its principal id, 404 when unknown.
 * True when the request was one of them.
 */
export function searchRoutes(r: StandInRequest): boolean {
  const { search } = r.standIn;
  const identity = IDENTITY.exec(r.path);
  if (identity) {
    const principal = search.identities.get(identity[1]!);
    if (!principal) return (r.send(404, { error: { code: 'ResourceNotFound' } }), true);
    return (r.send(200, { name: identity[1], properties: { principalId: principal } }), true);
  }
  const c = CONTAINER.exec(r.path);
  if (c) return container(r, `${c[1]}/${c[2]}/${c[3]}`, c[3]!);
  const a = ASSIGNMENT.exec(r.path);
  if (!a || r.standIn.accounts.has(a[1]!)) return false;
  const key = `${a[1]}/${a[2]}`;
  if (r.method === 'GET') {
    const found = search.assignments.get(key);
    return (found ? r.send(200, { id: r.path, properties: found }) : r.send(404), true);
  }
  if (r.method !== 'PUT') return false;
  const scope = String(r.body?.properties?.scope ?? '');
  const m = /\/databaseAccounts\/([^/]+)\/dbs\/([^/]+)\/colls\/([^/]+)$/.exec(scope);
  if (!m || !search.containers.has(`${m[1]}/${m[2]}/${m[3]}`))
    return bad(r, `The collection with name ${m?.[3] ?? scope} could not be found.`);
  search.assignments.set(key, { ...r.body.properties });
  return (r.send(202, undefined, { 'azure-asyncoperation': r.operation(() => undefined) }), true);
}

function container(r: StandInRequest, key: string, name: string): boolean {
  const { search } = r.standIn;
  const live = search.containers.get(key);
  if (r.method === 'GET')
    return (
      live
        ? r.send(200, { id: r.path, name, properties: { resource: live } })
        : r.send(404, { error: { code: 'NotFound', message: `Container ${name} not found` } }),
      true
    );
  if (r.method !== 'PUT') return false;
  const resource = r.body?.properties?.resource ?? {};
  const searching =
    resource.vectorEmbeddingPolicy !== undefined || resource.fullTextPolicy !== undefined;
  if (searching && r.query.get('api-version')! < '2025-04-15')
    return bad(
      r,
      `api-version ${r.query.get('api-version')} does not know vectorEmbeddingPolicy or fullTextPolicy.`,
    );
  if (resource.vectorEmbeddingPolicy && !search.capabilities.includes('EnableNoSQLVectorSearch'))
    return bad(r, 'Vector search is not enabled on the account (EnableNoSQLVectorSearch).');
  for (const v of resource.indexingPolicy?.vectorIndexes ?? []) {
    const e = (resource.vectorEmbeddingPolicy?.vectorEmbeddings ?? []).find(
      (x: any) => x.path === v.path,
    );
    if (!e) return bad(r, `Vector index path ${v.path} is not in the vector embedding policy.`);
    if (e.dimensions > MAX_DIMENSIONS[v.type]!)
      return bad(r, `${v.type} takes at most ${MAX_DIMENSIONS[v.type]} dimensions.`);
  }
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (live) {
    for (const k of ['vectorEmbeddingPolicy', 'fullTextPolicy'])
      if (!same(live[k], resource[k]))
        return bad(r, `The ${k} of an existing container cannot be changed.`);
    if (!same(live['partitionKey']?.paths, resource.partitionKey?.paths))
      return bad(r, 'The partitionKey of an existing container cannot be changed.');
  }
  const version = r.query.get('api-version') ?? '';
  return (
    r.send(202, undefined, {
      'azure-asyncoperation': r.operation(() => {
        search.containers.set(key, echoedContainer(resource, version));
      }),
    }),
    true
  );
}
