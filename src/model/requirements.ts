import type { FunctionAccessRule } from './runtime-manifest.js';
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

/**
 * A requirement with the component that made it, as the planner sees it: the component fields let merge
 * conflicts and plan issues name the components involved, and `index` lets an issue's path point at the
 * requirement in the component's list.
 *
 * @example
 * ```ts
 * const sourced: SourcedRequirement = {
 *   componentId: 'UserApi', componentKey: 'userApi', componentType: 'CrudApi', index: 0,
 *   requirement: { resourceType: 'cosmos', requirementKey: 'UserApi-cosmos', config: { databases: [{ name: 'users-db' }] } },
 * };
 * ```
 */
export interface SourcedRequirement {
  readonly componentId: string;
  readonly componentKey: string;
  readonly componentType: string;
  readonly requirement: ResourceRequirement;
  /** Index in the component's requirement list (for paths in issues). */
  readonly index: number;
}

/**
 * Cosmos DB consistency levels, strongest first. Part of a Cosmos account's compatibility key: components
 * asking for different levels cannot share an account, so each level gets its own. Default `'Session'`
 * (or `cosmosConfig.consistencyLevel`).
 *
 * @example
 * ```ts
 * const userApi = CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' }, consistency: 'Strong' });
 * // planned on an account of its own unless another component also asks for 'Strong'
 * ```
 */
export type ConsistencyLevel = 'Strong' | 'BoundedStaleness' | 'Session' | 'ConsistentPrefix' | 'Eventual';

/**
 * Config of a `cosmos` requirement. Requirements with the same consistency, capacity mode (serverless or
 * provisioned) and location share one account; their databases and containers are merged by name.
 *
 * @example
 * ```ts
 * const req: ResourceRequirement<CosmosRequirementConfig> = {
 *   resourceType: 'cosmos', requirementKey: 'Audit-cosmos',
 *   config: { access: 'read', databases: [{ name: 'audit-db', containers: [{ name: 'events', partitionKey: '/tenantId', ttl: 2592000 }] }] },
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
 * const container: ContainerRequirement = { name: 'sessions', partitionKey: '/userId', ttl: 3600, uniqueKeys: ['/token'] };
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
}

/**
 * Function App worker runtimes. With the major version (minor too for python and dotnet-isolated) it is the
 * compatibility key of Function Apps: components on the same runtime and version share one app.
 *
 * @example
 * ```ts
 * const reports = FunctionsApp.define('Reports', { runtime: 'python', version: '3.12', functions: { nightly: { trigger: 'timer', schedule: '0 0 2 * * *' } } });
 * ```
 */
export type FunctionRuntime = 'node' | 'python' | 'dotnet-isolated' | 'java' | 'powershell';

/**
 * Config of a `functions` requirement. Requirements with the same runtime and version share one Function App;
 * the plan SKU is the highest asked for, app settings are namespaced per component, and the function counts add up
 * (checked against `limits.maxFunctionsPerApp`).
 *
 * @example
 * ```ts
 * const req: ResourceRequirement<FunctionsRequirementConfig> = {
 *   resourceType: 'functions', requirementKey: 'Jobs-functions',
 *   config: { runtime: 'node', version: '22', sku: 'EP1', functionCount: 3, environmentVariables: { MODE: 'batch' } },
 * };
 * ```
 */
export interface FunctionsRequirementConfig {
  readonly runtime: FunctionRuntime;
  /** Runtime version. Default per runtime (node `22`, python `3.12`, …). Part of the compatibility key. */
  readonly version?: string;
  /**
   * `FC1` (Flex Consumption), `EP1..EP3` (Elastic Premium), `B1`, `S1`, `P1v3`, … (Dedicated). Default `FC1`;
   * the shared app takes the highest asked for. `Y1` (Linux Consumption) is refused (FUNCTIONS_SKU_UNSUPPORTED).
   */
  readonly sku?: string;
  /** Only matters on elastic premium: dedicated plans are always on, consumption plans never. */
  readonly alwaysOn?: boolean;
  /** Un-namespaced settings; the planner prefixes them with the component id. */
  readonly environmentVariables?: Readonly<Record<string, string>>;
  /** Settings that are already global (e.g. FUNCTIONS_WORKER_RUNTIME); must agree across components. */
  readonly sharedSettings?: Readonly<Record<string, string>>;
  /** How many functions the component deploys; summed per app for the functions-per-app limit. */
  readonly functionCount?: number;
  /** App Service health check path. One per app: when components differ, the first in sort order is used. */
  readonly healthCheckPath?: string;
  /** Minutes of failed probes before App Service evicts an instance (2–10). */
  readonly healthCheckEvictionMinutes?: number;
  /** Allowed CORS origins, unioned across the components of the app. */
  readonly corsOrigins?: readonly string[];
  /** Host the shared CRUD runtime (the code in src/runtime). */
  readonly crudRuntime?: boolean;
  /** The component's own functions, registered by the app's package (FunctionsApp). */
  readonly hostedFunctions?: readonly HostedFunction[];
  /** A prebuilt app folder (with its own host.json) deployed as is; such an app is never shared. */
  readonly codePath?: string;
  /**
   * The queues the component declares (its queue triggers' and those its code sends to), each with the app-setting
   * prefix of the identity-based connection that reaches it (`<PREFIX>_STORAGE`): `queueClient(name)` sends through it.
   */
  readonly queues?: Readonly<Record<string, string>>;
}

/**
 * One user function as the app's package registers it with `@azure/functions` v4: plain data in the plan,
 * so the plan states what code each Function App runs.
 *
 * @example
 * ```ts
 * const fn: HostedFunction = {
 *   name: 'OrderProcessor-process-order', componentId: 'OrderProcessor', trigger: 'queue',
 *   handler: './src/functions/process-order.ts', queueName: 'orders', connection: 'ORDER_PROCESSOR_STORAGE',
 * };
 * ```
 */
export interface HostedFunction {
  /** Function name in the app: `<componentId>-<function>` (unique per app). */
  readonly name: string;
  readonly componentId: string;
  /** `change`: a CrudApi's `onChange` module, called after each change of its items (componentId is the CrudApi). */
  readonly trigger: 'http' | 'queue' | 'timer' | 'change';
  /** Module path relative to the working directory, `#export` for a named export; absent → no code yet. */
  readonly handler?: string;
  readonly route?: string;
  readonly methods?: readonly string[];
  readonly queueName?: string;
  /** App-setting prefix of the identity-based queue connection (`<PREFIX>__queueServiceUri`). */
  readonly connection?: string;
  readonly schedule?: string;
  /** HTTP only: JSON Schema of the request body, for the OpenAPI document. */
  readonly requestSchema?: { readonly [keyword: string]: unknown };
  /** HTTP only: JSON Schema of the response body, for the OpenAPI document. */
  readonly responseSchema?: { readonly [keyword: string]: unknown };
  /** HTTP only: who may call (absent → every signed-in caller of an allowed directory), enforced by the package's gate. */
  readonly access?: readonly FunctionAccessRule[];
}

/**
 * Config of a `storage` requirement. Requirements with the same tier and replication share one account; the
 * blob containers and queues are unioned (and counted against `limits.maxContainersPerStorage`).
 *
 * @example
 * ```ts
 * const req: ResourceRequirement<StorageRequirementConfig> = {
 *   resourceType: 'storage', requirementKey: 'Uploads-storage', config: { containers: ['uploads'], queues: ['thumbnails'] },
 * };
 * ```
 */
export interface StorageRequirementConfig {
  /** Default `'Standard'`. Changing it recreates the account (data loss). */
  readonly tier?: 'Standard' | 'Premium';
  /** Default `'LRS'`. Changes in place. */
  readonly replication?: 'LRS' | 'ZRS' | 'GRS' | 'RAGRS' | 'GZRS' | 'RAGZRS';
  /** Blob container names to create. */
  readonly containers?: readonly string[];
  /** Queue names to create. */
  readonly queues?: readonly string[];
  /**
   * `'files'`: an account for application data (FileStores), never the Functions host's: part of the
   * compatibility key, so every FileStore of a backend shares one data account apart from the host's.
   */
  readonly purpose?: 'files';
  /** The blob container each component's identity may read and write (component id → container). */
  readonly blobAccess?: Readonly<Record<string, string>>;
}
