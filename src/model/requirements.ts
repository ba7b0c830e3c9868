import type { JsonValue } from './plan.js';

/**
 * What a component needs of one resource type. Components return these; the planner groups them by
 * compatibility, merges each group and names the result. Mirrors the seeds' `IResourceRequirement`.
 *
 * @example
 * ```ts
 * const req: ResourceRequirement = {
 *   resourceType: 'cosmos', requirementKey: 'UserApi-cosmos', priority: 20,
 *   config: { enableServerless: true, consistency: 'Session', databases: [{ name: 'users-db' }] },
 * };
 * ```
 */
export interface ResourceRequirement<TConfig = Record<string, unknown>> {
  /** `cosmos`, `functions`, `storage`, … or a custom provider's type. */
  readonly resourceType: string;
  /** Unique per component and resource type. */
  readonly requirementKey: string;
  /** Conflict resolution: the higher wins (default 10). */
  readonly priority?: number;
  readonly config: TConfig;
}

/** A requirement with the component that made it, as the planner sees it. */
export interface SourcedRequirement {
  readonly componentId: string;
  readonly componentKey: string;
  readonly componentType: string;
  readonly requirement: ResourceRequirement;
  /** Index in the component's requirement list (for paths in issues). */
  readonly index: number;
}

export type ConsistencyLevel = 'Strong' | 'BoundedStaleness' | 'Session' | 'ConsistentPrefix' | 'Eventual';

/** Config of a `cosmos` requirement. */
export interface CosmosRequirementConfig {
  readonly consistency?: ConsistencyLevel;
  readonly enableServerless?: boolean;
  readonly location?: string;
  readonly capabilities?: readonly string[];
  readonly databases?: readonly DatabaseRequirement[];
  /** Data-plane access the component needs on its databases/containers. */
  readonly access?: 'read' | 'readwrite';
}

export interface DatabaseRequirement {
  readonly name: string;
  /** Shared database throughput (provisioned accounts only). */
  readonly throughput?: number;
  readonly autoscaleMaxThroughput?: number;
  readonly containers?: readonly ContainerRequirement[];
}

export interface ContainerRequirement {
  readonly name: string;
  readonly partitionKey: string;
  readonly uniqueKeys?: readonly string[];
  /** Default TTL in seconds; -1 = on, no default expiry. */
  readonly ttl?: number;
  readonly throughput?: number;
  readonly autoscaleMaxThroughput?: number;
  readonly indexingPolicy?: { readonly [k: string]: JsonValue };
}

export type FunctionRuntime = 'node' | 'python' | 'dotnet-isolated' | 'java' | 'powershell';

/** Config of a `functions` requirement. */
export interface FunctionsRequirementConfig {
  readonly runtime: FunctionRuntime;
  readonly version?: string;
  /** `Y1` (consumption), `EP1..EP3` (elastic premium), `B1`, `S1`, `P1v3`, … */
  readonly sku?: string;
  readonly alwaysOn?: boolean;
  /** Un-namespaced settings; the planner prefixes them with the component id. */
  readonly environmentVariables?: Readonly<Record<string, string>>;
  /** Settings that are already global (e.g. FUNCTIONS_WORKER_RUNTIME); must agree across components. */
  readonly sharedSettings?: Readonly<Record<string, string>>;
  readonly functionCount?: number;
  readonly healthCheckPath?: string;
  /** Minutes of failed probes before App Service evicts an instance (2–10). */
  readonly healthCheckEvictionMinutes?: number;
  readonly corsOrigins?: readonly string[];
  /** Host the shared CRUD runtime (the code in src/runtime). */
  readonly crudRuntime?: boolean;
}

/** Config of a `storage` requirement. */
export interface StorageRequirementConfig {
  readonly tier?: 'Standard' | 'Premium';
  readonly replication?: 'LRS' | 'ZRS' | 'GRS' | 'RAGRS' | 'GZRS' | 'RAGZRS';
  readonly containers?: readonly string[];
  readonly queues?: readonly string[];
}
