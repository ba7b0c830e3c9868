import type { FunctionRuntime, HostedFunction } from '../../model/requirements.js';

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
  /**
   * The user's own environment variables, under the names they wrote (`NOTIFY_URL` is `process.env.NOTIFY_URL`):
   * like shared settings, two components of one app may declare one name only with one value, and never a name
   * that is also a secret's or the platform's (resources/functions/declared-settings.ts).
   */
  readonly declaredSettings?: Readonly<Record<string, string>>;
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
