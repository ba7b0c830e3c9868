import type { ResourcePlan } from '../../../model/plan.js';
import type { MergedCosmosConfig, MergedContainer } from '../../../resources/cosmos/type.js';
import { componentIdentityName } from '../../../kit/pure/names/component-identity.js';

/**
 * The Resource Manager API version of a search container's calls: the first stable one whose indexing policy has
 * `fullTextIndexes` beside `vectorIndexes`, with the container's `vectorEmbeddingPolicy` and `fullTextPolicy`
 * (azure-rest-api-specs, specification/cosmos-db/resource-manager/Microsoft.DocumentDB/DocumentDB/stable/2025-10-15/
 * examples/CosmosDBSqlContainerCreateUpdate.json). 2025-04-15 has the policies and `vectorIndexes` but no
 * `fullTextIndexes` (its CosmosDBSqlContainerCreateUpdate.json has none): a full-text index sent at that version is
 * a property Resource Manager does not know, so it is never made — every search then scans, and every deploy finds
 * the index missing and writes the container again. azurerm v4.55.0 calls 2024-08-15, which has none of them.
 */
export const SEARCH_API_VERSION = '2025-10-15';

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
