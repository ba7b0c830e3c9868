import type { JsonValue, PlanIssue, PlannedDeploy } from '../../model/plan.js';

/**
 * One changed leaf (or added / removed subtree) of a resource's merged config.
 *
 * @example
 * ```ts
 * const c: ConfigChange = { path: ['databases', 'user-db', 'containers', 'user', 'partitionKey'],
 *   pathText: 'databases[user-db].containers[user].partitionKey', before: '/id', after: '/tenantId' };
 * ```
 */
export interface ConfigChange {
  /** Property names, and the `name` (or `componentId`, `key`, `id`) of array items matched by identity. */
  readonly path: readonly string[];
  /** `databases[user-db].containers[user].partitionKey` */
  readonly pathText: string;
  /** Absent when the path is new. */
  readonly before?: JsonValue;
  /** Absent when the path is gone. */
  readonly after?: JsonValue;
}

/** A planned resource as the diff names it. */
export interface ResourceRef {
  readonly key: string;
  readonly type: string;
  readonly name: string;
  readonly consumers: readonly string[];
}

/**
 * A resource kept under the same key and Azure name whose config changes in place: safe to apply, listed so
 * a reviewer sees what moves.
 *
 * @example
 * ```ts
 * const before = backend.plan();
 * const after = defineBackend({ api, orders }).plan(); // adds an OrderApi
 * for (const c of diffPlans(before, after).resources.changes) console.log(c.key, c.changes.map((x) => x.pathText));
 * ```
 */
export interface ResourceChange extends ResourceRef {
  readonly changes: readonly ConfigChange[];
}

/**
 * A resource kept under the same key that Terraform must destroy and create again: its Azure name changes, or
 * a setting Terraform cannot update in place (a Cosmos account's capacity mode or region, a storage tier). When
 * `stateful`, the diff also holds a `STATEFUL_REPLACEMENT` error.
 *
 * @example
 * ```ts
 * const before = backend.plan();
 * const after = defineBackend({
 *   api: CrudApi.define('UserApi', {
 *     entityName: 'User',
 *     schema: { id: 'string', name: 'string' },
 *     partitionKey: '/name',
 *   }),
 * }).plan(); // a new partition key
 * for (const r of diffPlans(before, after).resources.replacements)
 *   console.log(r.key, r.reasons.join('; '), r.stateful);
 * ```
 */
export interface ResourceReplacement {
  readonly key: string;
  readonly type: string;
  readonly nameBefore: string;
  readonly nameAfter: string;
  /** Why it is recreated, e.g. `name: a → b`, `serverless: true → false`. */
  readonly reasons: readonly string[];
  readonly changes: readonly ConfigChange[];
  /** The type holds data (see {@link STATEFUL_RESOURCE_TYPES}): replacing it loses that data. */
  readonly stateful: boolean;
}

/** A Terraform resource, addressed `terraformType.name` as in `cdk.tf.json`. */
export interface DeployRef extends PlannedDeploy {
  readonly address: string;
  /** Key of the planned resource it belongs to. */
  readonly resourceKey: string;
}

/**
 * A Terraform resource updated in place, with the config paths of its planned resource that land on it, so a
 * reviewer can tell which setting touches which Terraform resource.
 *
 * @example
 * ```ts
 * const before = backend.plan();
 * const after = defineBackend({ api, orders }).plan(); // adds an OrderApi
 * for (const d of diffPlans(before, after).deploys.changes)
 *   console.log(d.address, d.paths.join(', '));
 * // azurerm_cosmosdb_sql_container.backend_cosmos_shared_db_users-db_c_users  databases[users-db].containers[users].ttl
 * ```
 */
export interface DeployChange extends DeployRef {
  /** Config paths of the owning resource attributed to this Terraform resource. */
  readonly paths: readonly string[];
}

/**
 * A Terraform resource that apply would destroy and create again: because its planned resource is replaced,
 * because it moved to another planned resource, or because one of its own settings forces it (a container's
 * partition key or unique keys, a Function App plan moving to or from consumption).
 *
 * @example
 * ```ts
 * const before = backend.plan();
 * const after = defineBackend({
 *   api: CrudApi.define('UserApi', {
 *     entityName: 'User',
 *     schema: { id: 'string', name: 'string' },
 *     partitionKey: '/name',
 *   }),
 * }).plan(); // a new partition key
 * const lost = diffPlans(before, after).deploys.replacements.filter((d) => d.stateful);
 * for (const d of lost) console.error(`${d.address}: ${d.reason}`);
 * ```
 */
export interface DeployReplacement extends DeployRef {
  /** Why, e.g. `databases[users-db].containers[users].partitionKey: "/id" → "/tenantId"` or `moved from … to …`. */
  readonly reason: string;
  /** The Terraform type holds data (see {@link STATEFUL_TERRAFORM_TYPES}). */
  readonly stateful: boolean;
}

/**
 * How many adds, removes, in-place changes and replacements a diff holds, at one level (planned resources or
 * Terraform resources): the numbers a CI gate or a PR comment needs without walking the lists.
 *
 * @example
 * ```ts
 * const before = backend.plan();
 * const after = defineBackend({ api, orders }).plan(); // adds an OrderApi
 * const { summary } = diffPlans(before, after);
 * if (summary.deploys.replacements > 0 || summary.errors > 0) process.exitCode = 1;
 * ```
 */
export interface DiffCounts {
  readonly adds: number;
  readonly removes: number;
  readonly changes: number;
  readonly replacements: number;
}

/**
 * What changes between two plans, at the level of planned resources (by key) and of Terraform resources (by
 * address). Every list is sorted; `issues` holds a `STATEFUL_REPLACEMENT` / `STATEFUL_REMOVAL` error for each
 * destroy of something that holds data.
 *
 * @example
 * ```ts
 * const before = backend.plan();
 * const after = defineBackend({ api, orders }).plan(); // adds an OrderApi
 * const { summary, hasDataLoss } = diffPlans(before, after);
 * console.log(`${summary.resources.replacements} replaced, data loss: ${hasDataLoss}`);
 * ```
 */
export interface PlanDiff {
  readonly resources: {
    readonly adds: readonly ResourceRef[];
    readonly removes: readonly ResourceRef[];
    readonly changes: readonly ResourceChange[];
    readonly replacements: readonly ResourceReplacement[];
  };
  readonly deploys: {
    readonly adds: readonly DeployRef[];
    readonly removes: readonly DeployRef[];
    readonly changes: readonly DeployChange[];
    readonly replacements: readonly DeployReplacement[];
  };
  readonly issues: readonly PlanIssue[];
  readonly summary: {
    readonly resources: DiffCounts;
    readonly deploys: DiffCounts;
    readonly errors: number;
  };
  readonly hasDataLoss: boolean;
}

// The data-holding types are facts of each resource type (`src/resources/<type>/facts.ts`), collected once.
export { STATEFUL_RESOURCE_TYPES, STATEFUL_TERRAFORM_TYPES } from '../../resources/facts.js';
