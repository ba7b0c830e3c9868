import type { FunctionAccessRule } from './runtime-manifest.js';

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
 *   componentId: 'UserApi',
 *   componentKey: 'userApi',
 *   componentType: 'CrudApi',
 *   index: 0,
 *   requirement: {
 *     resourceType: 'cosmos',
 *     requirementKey: 'UserApi-cosmos',
 *     config: { databases: [{ name: 'users-db' }] },
 *   },
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
export type ConsistencyLevel =
  | 'Strong'
  | 'BoundedStaleness'
  | 'Session'
  | 'ConsistentPrefix'
  | 'Eventual';

/**
 * Function App worker runtimes. With the major version (minor too for python and dotnet-isolated) it is the
 * compatibility key of Function Apps: components on the same runtime and version share one app.
 *
 * @example
 * ```ts
 * const reports = FunctionsApp.define('Reports', {
 *   runtime: 'python',
 *   version: '3.12',
 *   functions: { nightly: { trigger: 'timer', schedule: '0 0 2 * * *' } },
 * });
 * ```
 */
export type FunctionRuntime = 'node' | 'python' | 'dotnet-isolated' | 'java' | 'powershell';

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
  /** `migration`: a CrudApi's migration module (bundled for the runtime, never registered as a function). */
  /**
   * `tenant-events`: a FunctionsApp function taking the organizations' events, registered as the Cosmos DB trigger
   * of the registry's `audit` container (`connection`, `database`, `container`, `leaseContainer` as a change's).
   */
  readonly trigger: 'http' | 'queue' | 'timer' | 'change' | 'migration' | 'tenant-events';
  /** `tenant-events` only: the events the handler takes. */
  readonly events?: readonly string[];
  /** `migration` only: the schema version the module's default export produces. */
  readonly version?: number;
  /** Module path relative to the working directory, `#export` for a named export; absent → no code yet. */
  readonly handler?: string;
  readonly route?: string;
  readonly methods?: readonly string[];
  readonly queueName?: string;
  /**
   * App-setting prefix of the identity-based connection: a queue's (`<PREFIX>__queueServiceUri`), or a change
   * trigger's Cosmos DB account (`<PREFIX>__accountEndpoint`).
   */
  readonly connection?: string;
  /**
   * `change` only: the database and container whose change feed calls the handler, and its lease
   * container (same database).
   */
  readonly database?: string;
  readonly container?: string;
  readonly leaseContainer?: string;
  readonly schedule?: string;
  /** HTTP only: JSON Schema of the request body, for the OpenAPI document. */
  readonly requestSchema?: { readonly [keyword: string]: unknown };
  /** HTTP only: JSON Schema of the response body, for the OpenAPI document. */
  readonly responseSchema?: { readonly [keyword: string]: unknown };
  /**
   * HTTP only: who may call (absent → every signed-in caller of an allowed directory), enforced by
   * the package's gate.
   */
  readonly access?: readonly FunctionAccessRule[];
  /**
   * HTTP only: the CrudApis (component ids) the handler reaches with `dataOf(request)`, as the caller; the
   * FunctionsApp's identity gets their data roles. Absent → none.
   */
  readonly data?: readonly string[];
  /** HTTP only: the function is a tool of the backend's MCP server, described to agents by this text. */
  readonly mcp?: { readonly description: string };
}
