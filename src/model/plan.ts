/**
 * The resource plan, version 1: what `backend.plan()` returns. Plain, JSON-serialisable data; the planner
 * produces it purely and `apply(stack)` materialises exactly what it lists (see DESIGN.md §3).
 *
 * @example
 * ```ts
 * const plan: ResourcePlan = backend.plan();
 * for (const r of plan.resources) console.log(r.key, r.name, r.consumers.join(', '));
 * ```
 */
export interface ResourcePlan {
  readonly version: 1;
  readonly backendId: string;
  readonly environment: string;
  readonly location: string;
  /** Sorted by `key`. */
  readonly components: readonly PlannedComponent[];
  /** Sorted by `key`. */
  readonly resources: readonly PlannedResource[];
  readonly issues: readonly PlanIssue[];
  readonly limitViolations: readonly LimitViolation[];
  readonly summary: PlanSummary;
}

/** One component as planned: which shared resources it uses and the outputs its handle exposes. */
export interface PlannedComponent {
  /** The key users access it by (`backend.components[key]`). */
  readonly key: string;
  /** The component id given to `define(id, ...)`. */
  readonly id: string;
  readonly type: string;
  /** Resource type → planned resource key, e.g. `{ cosmos: 'cosmos:shared' }`. */
  readonly resources: Readonly<Record<string, string>>;
  /** Handle values known from the plan, e.g. `apiEndpoint`. */
  readonly outputs: Readonly<Record<string, JsonValue>>;
}

/** One shared (or dedicated) resource, after grouping and merging every requirement it serves. */
export interface PlannedResource {
  /** `{type}:{group}` — `cosmos:shared` for the default compatibility group. Stable across edits. */
  readonly key: string;
  readonly type: string;
  /** The Azure resource name, valid for its type. */
  readonly name: string;
  /** The compatibility key that decided the group (what must match for components to share it). */
  readonly compatibility: string;
  /** The merged configuration. */
  readonly config: Readonly<Record<string, JsonValue>>;
  /** Component ids served by this resource, sorted. */
  readonly consumers: readonly string[];
  /** Every Terraform resource `apply` creates for it, sorted by terraformType then name. */
  readonly deploys: readonly PlannedDeploy[];
  /** Rough monthly price in USD (see docs/cost-model.md). */
  readonly estimatedMonthlyUsd: number;
}

/** A Terraform resource that apply will create: its type and its logical name in `cdk.tf.json`. */
export interface PlannedDeploy {
  readonly terraformType: string;
  readonly name: string;
}

/** A problem or note found while planning. Errors block `apply`; warnings do not. */
export interface PlanIssue {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
  /** Where in the input, e.g. `['components', 'userApi', 'config', 'partitionKey']`. */
  readonly path?: readonly (string | number)[];
  /** Component ids involved. */
  readonly components?: readonly string[];
  readonly resolution?: string;
}

/** A configured or Azure limit that the plan exceeds. */
export interface LimitViolation {
  readonly limit: string;
  readonly allowed: number;
  readonly requested: number;
  readonly resourceType: string;
  readonly message: string;
  readonly solutions: readonly string[];
}

export interface PlanSummary {
  /** Top-level shared resources the plan creates. */
  readonly resources: number;
  /** Top-level resources the same components would create stand-alone (one of each per component). */
  readonly unsharedResources: number;
  /** `1 - resources / unsharedResources`, rounded to 3 places. */
  readonly reduction: number;
  readonly estimatedMonthlyUsd: { readonly shared: number; readonly unshared: number };
}

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [k: string]: JsonValue };
