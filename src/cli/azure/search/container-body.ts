import type { ResourcePlan } from '../../../model/plan.js';
import type { MergedCosmosConfig, MergedContainer } from '../../../resources/cosmos/type.js';
import { componentIdentityName } from '../../../kit/pure/names/component-identity.js';

/**
 * The Resource Manager API version of a search container's calls: the first stable one whose
 * `SqlContainerResource` has `vectorEmbeddingPolicy`, `fullTextPolicy` and the indexing policy's `vectorIndexes`
 * (azure-rest-api-specs, specification/cosmos-db/resource-manager/Microsoft.DocumentDB/DocumentDB/stable/2025-04-15/
 * examples/CosmosDBSqlContainerCreateUpdate.json). azurerm v4.55.0 calls 2024-08-15, which has none of them.
 */
export const SEARCH_API_VERSION = '2025-04-15';

/** Cosmos DB's built-in data roles (Learn, "Data plane role-based access control" reference). */
const DATA_ROLES = {
  read: '00000000-0000-0000-0000-000000000001',
  readwrite: '00000000-0000-0000-0000-000000000002',
} as const;

/** One container `atakora deploy` makes through Resource Manager, and the data roles of its components. */
export interface SearchContainerTarget {
  readonly resourceGroup: string;
  readonly account: string;
  readonly database: string;
  readonly container: MergedContainer;
  /** Each component's identity (its Azure name) and role on the container. */
  readonly grants: readonly { componentId: string; identity: string; role: 'read' | 'readwrite' }[];
}

/**
 * The search containers of a deployed plan: every container the plan marks `deployedBy: 'atakora deploy'`, in
 * its account's resource group (an existing account's own, else the stack's).
 *
 * @example
 * ```ts
 * searchContainersOf(stack.plan, stack.resourceGroup).map((t) => t.container.name); // ['ticket']
 * ```
 */
export function searchContainersOf(
  plan: ResourcePlan,
  resourceGroup: string,
): SearchContainerTarget[] {
  const out: SearchContainerTarget[] = [];
  for (const r of plan.resources) {
    if (r.type !== 'cosmos') continue;
    // The plan's JSON is the merged config the cosmos type wrote (resources/cosmos/type.ts).
    const config: Partial<MergedCosmosConfig> = r.config;
    const databases = config.databases ?? [];
    const existing = config.existing;
    for (const db of databases)
      for (const container of db.containers) {
        if (container.deployedBy !== 'atakora deploy') continue;
        out.push({
          resourceGroup: existing?.resourceGroupName ?? resourceGroup,
          account: r.name,
          database: db.name,
          container,
          grants: Object.entries(container.access).map(([componentId, role]) => ({
            componentId,
            identity: componentIdentityName(plan, componentId),
            role,
          })),
        });
      }
  }
  return out;
}

/**
 * The body of Sql Resources - Create Update Sql Container for a search container: the resource as Terraform would
 * write it (partition key v2, TTL, unique keys, indexing policy) plus the search policies and indexes, and its own
 * throughput in `options` when it has one.
 *
 * @example
 * ```ts
 * containerBody(target.container).properties.resource.vectorEmbeddingPolicy;
 * ```
 */
export function containerBody(c: MergedContainer): {
  properties: { resource: Record<string, unknown>; options: Record<string, unknown> };
} {
  const s = c.search ?? {};
  const base = (c.indexingPolicy ?? {
    indexingMode: 'consistent',
    includedPaths: [{ path: '/*' }],
  }) as Record<string, unknown>;
  // Learn advises leaving the vector's own path out of the range index (inserts cost less RU): "Vector indexing
  // policies", https://learn.microsoft.com/azure/cosmos-db/index-policy#vector-indexes.
  const excluded = [
    ...((base['excludedPaths'] as { path: string }[] | undefined) ?? []),
    ...(s.vectorIndexes ?? []).map((v) => ({ path: `${v.path}/*` })),
  ];
  const indexingPolicy = {
    ...base,
    ...(excluded.length ? { excludedPaths: excluded } : {}),
    ...(s.vectorIndexes ? { vectorIndexes: s.vectorIndexes } : {}),
    ...(s.fullTextIndexes ? { fullTextIndexes: s.fullTextIndexes } : {}),
  };
  return {
    properties: {
      resource: {
        id: c.name,
        partitionKey: { paths: [c.partitionKey], kind: 'Hash', version: 2 },
        ...(c.ttl !== undefined ? { defaultTtl: c.ttl } : {}),
        ...(c.uniqueKeys.length
          ? { uniqueKeyPolicy: { uniqueKeys: c.uniqueKeys.map((p) => ({ paths: [p] })) } }
          : {}),
        indexingPolicy,
        ...(s.fullTextPolicy ? { fullTextPolicy: s.fullTextPolicy } : {}),
        ...(s.vectorEmbeddingPolicy ? { vectorEmbeddingPolicy: s.vectorEmbeddingPolicy } : {}),
      },
      options: {
        ...(c.throughput !== undefined ? { throughput: c.throughput } : {}),
        ...(c.autoscaleMaxThroughput !== undefined
          ? { autoscaleSettings: { maxThroughput: c.autoscaleMaxThroughput } }
          : {}),
      },
    },
  };
}

/** What Cosmos DB cannot change on an existing container, and what the migration is. */
const IMMUTABLE = [
  'partitionKey',
  'uniqueKeyPolicy',
  'vectorEmbeddingPolicy',
  'fullTextPolicy',
] as const;

/**
 * Compare the live container's resource with the wanted one: the immutable parts that differ (Learn: a container's
 * partition key and unique keys are fixed at creation; a vector embedding policy and a full-text policy cannot be
 * modified — "Vector search", current limitations; the vector indexes with it), and whether anything mutable
 * (TTL, the indexing policy's other paths, full-text indexes) differs.
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
  const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);
  const pk = (v: unknown) => (v as { paths?: unknown } | undefined)?.paths;
  const immutable: string[] = IMMUTABLE.filter((k) =>
    k === 'partitionKey'
      ? !same(pk(live[k]), pk(wanted[k]))
      : !same(live[k] ?? null, wanted[k] ?? null),
  );
  const index = (v: unknown) => (v ?? {}) as Record<string, unknown>;
  if (
    !same(
      index(live['indexingPolicy'])['vectorIndexes'] ?? null,
      index(wanted['indexingPolicy'])['vectorIndexes'] ?? null,
    )
  )
    immutable.push('indexingPolicy.vectorIndexes');
  const mutable = (r: Record<string, unknown>) => {
    const p = index(r['indexingPolicy']);
    return {
      ttl: r['defaultTtl'] ?? null,
      indexingMode: p['indexingMode'] ?? 'consistent',
      includedPaths: p['includedPaths'] ?? null,
      excludedPaths: p['excludedPaths'] ?? null,
      compositeIndexes: p['compositeIndexes'] ?? null,
      fullTextIndexes: p['fullTextIndexes'] ?? null,
    };
  };
  return { immutable, changed: !same(mutable(live), mutable(wanted)) };
}

/** JSON with object keys sorted, `_etag`-style system keys and Azure's echoed `automatic` flag dropped. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x as Record<string, unknown>)
            .filter(([k]) => !k.startsWith('_') && k !== 'automatic')
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : x,
  );
}

/**
 * The Resource Manager path of a data role assignment on the container, its id deterministic (a name-based UUID
 * of the scope and principal), so a second deploy finds the first one's.
 *
 * @example
 * ```ts
 * roleAssignment(accountId, 'ticket-db', 'ticket', principalId, 'readwrite').body.properties.scope;
 * ```
 */
export function roleAssignment(
  accountId: string,
  database: string,
  container: string,
  principalId: string,
  role: 'read' | 'readwrite',
  uuid: (seed: string) => string,
): { id: string; body: { properties: Record<string, string> } } {
  const scope = `${accountId}/dbs/${database}/colls/${container}`;
  return {
    id: uuid(`${scope}\n${principalId}\n${role}`),
    body: {
      properties: {
        roleDefinitionId: `${accountId}/sqlRoleDefinitions/${DATA_ROLES[role]}`,
        scope,
        principalId,
      },
    },
  };
}
