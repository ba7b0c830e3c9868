import type { JsonValue } from '../../model/plan.js';
import type { ConsistencyLevel } from '../../model/requirements.js';
import type { ContainerSearch } from './search-policy.js';

/**
 * Config of a `cosmos` requirement. Requirements with the same consistency, capacity mode (serverless or
 * provisioned) and location share one account; their databases and containers are merged by name.
 *
 * @example
 * ```ts
 * const req: ResourceRequirement<CosmosRequirementConfig> = {
 *   resourceType: 'cosmos',
 *   requirementKey: 'Audit-cosmos',
 *   config: {
 *     access: 'read',
 *     databases: [
 *       {
 *         name: 'audit-db',
 *         containers: [{ name: 'events', partitionKey: '/tenantId', ttl: 2592000 }],
 *       },
 *     ],
 *   },
 * };
 * ```
 */
export interface CosmosRequirementConfig {
  /** Default `cosmosConfig.consistencyLevel`, else `'Session'`. Part of the compatibility key. */
  readonly consistency?: ConsistencyLevel;
  /**
   * Default: serverless, unless `autoScale` is enabled or `cosmosConfig` spans regions. Part of the
   * compatibility key; throughput settings are ignored on a serverless account.
   */
  readonly enableServerless?: boolean;
  /** Default the backend's `location`. Part of the compatibility key. */
  readonly location?: string;
  /** Cosmos account capabilities, unioned across the group (`EnableServerless` is added for serverless). */
  readonly capabilities?: readonly string[];
  readonly databases?: readonly DatabaseRequirement[];
  /**
   * Data-plane access the component needs on its databases/containers. Default `'readwrite'`; on a container
   * shared by several components each gets its own role assignment.
   */
  readonly access?: 'read' | 'readwrite';
  /**
   * Public IPv4 ranges this component admits from outside Azure (canonical CIDR blocks); absent: any. The
   * account admits the intersection over its components (`MERGE_NARROWED` names what a component loses).
   */
  readonly allowedIpRanges?: readonly string[];
  /**
   * Set by the planner, never by a component: the network group a component with `allowedIpRanges` joined
   * when its ranges are disjoint from the shared account's (part of the compatibility key).
   */
  readonly networkGroup?: string;
}

/**
 * One Cosmos SQL database a component needs. Databases of the same name in one account are merged, which
 * is how two components share data: the containers are unioned and the highest throughput wins.
 *
 * @example
 * ```ts
 * const db: DatabaseRequirement = { name: 'users-db', containers: [{ name: 'users', partitionKey: '/id' }] };
 * ```
 */
export interface DatabaseRequirement {
  readonly name: string;
  /** Shared database throughput in RU/s (provisioned accounts only; the highest request wins). */
  readonly throughput?: number;
  /** Shared autoscale maximum in RU/s (provisioned accounts only; the highest request wins). */
  readonly autoscaleMaxThroughput?: number;
  readonly containers?: readonly ContainerRequirement[];
}

/**
 * One Cosmos container a component needs. A container named by several components is one container: the
 * partition key must agree (`PARTITION_KEY_CONFLICT` otherwise), unique keys are unioned, throughput takes
 * the highest, and `ttl` / `indexingPolicy` go to the higher priority (a tie with different values is an error).
 * Changing `partitionKey` or `uniqueKeys` later recreates the container, which `diffPlans` flags as data loss.
 *
 * @example
 * ```ts
 * const container: ContainerRequirement = {
 *   name: 'sessions',
 *   partitionKey: '/userId',
 *   ttl: 3600,
 *   uniqueKeys: ['/token'],
 * };
 * ```
 */
export interface ContainerRequirement {
  readonly name: string;
  /** Partition key path, e.g. `/id` or `/tenantId`. Fixed at creation. */
  readonly partitionKey: string;
  /** Unique key paths within a partition. Fixed at creation. */
  readonly uniqueKeys?: readonly string[];
  /** Default TTL in seconds; -1 = on, no default expiry. */
  readonly ttl?: number;
  /** Dedicated container throughput in RU/s (provisioned accounts only). */
  readonly throughput?: number;
  /**
   * Dedicated autoscale maximum in RU/s (provisioned accounts only). Without any throughput setting, the
   * backend's `autoScale` (when enabled) supplies one.
   */
  readonly autoscaleMaxThroughput?: number;
  /** A Cosmos indexing policy document, passed through as JSON. */
  readonly indexingPolicy?: { readonly [k: string]: JsonValue };
  /**
   * The component's data role on this container when it differs from the requirement's `access`: a read-only
   * CrudApi's change feed trigger still writes its leases.
   */
  readonly access?: 'read' | 'readwrite';
  /**
   * A change feed trigger's lease container: a few RU/s of checkpoints, so it gets Azure's minimum throughput
   * (databases.ts) rather than the backend's autoscale maximum, and on an existing account somebody must create
   * it (`cosmosConfig.leaseContainers`).
   */
  readonly lease?: boolean;
  /**
   * Full-text and vector policies and indexes (Resource Manager's shape, ./search-policy.ts). azurerm v4.55.0's
   * `azurerm_cosmosdb_sql_container` declares none of them, so such a container is made by `atakora deploy` through
   * Resource Manager, not by Terraform (docs/search.md).
   */
  readonly search?: ContainerSearch;
}
