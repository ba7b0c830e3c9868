import type { NormalizedConfig } from '../../../model/config.js';
import type { JsonValue, PlanIssue, PlannedDeploy, PlannedResource } from '../../../model/plan.js';
import type { ResourceRequirement, SourcedRequirement } from '../../../model/requirements.js';
import type { ResourceFacts } from './resource-facts.js';
import type { ResourceKey } from '../names/resource-key.js';

/** A merged config as the plan stores it: plain JSON. */
export interface JsonObject {
  readonly [k: string]: JsonValue;
}

/** A requirement whose config has the shape its resource type declares. */
export type TypedRequirement<TReq> = SourcedRequirement & {
  readonly requirement: { readonly config: TReq };
};

/** A merged group before naming. */
export interface MergedGroup<TMerged = JsonObject> {
  readonly key: ResourceKey;
  readonly type: string;
  readonly compatibility: string;
  /** Suffix for the name; undefined for the default group (keeps the plain name). */
  readonly suffix: string | undefined;
  readonly config: TMerged;
  readonly consumers: readonly string[];
}

/** A planned resource whose `config` has its type's merged shape (what provisioners receive). */
export type TypedPlannedResource<TMerged> = Omit<PlannedResource, 'config'> & {
  readonly config: TMerged;
};

/** What a type's `deploys` sees about the other planned resources. */
export interface DeployContext {
  readonly backendId: string;
  readonly config: NormalizedConfig;
  /**
   * Component id → the planned resource key it uses, by type (`{ functions: 'functions:shared', … }`): lets a
   * type plan grants for its consumers' Function Apps. Absent when the caller does not know the usage.
   */
  readonly usage?: ReadonlyMap<string, Readonly<Record<string, ResourceKey>>>;
}

/**
 * The pure half of a resource type: how requirements of one type are grouped, merged, named, priced and
 * which Terraform resources apply will create for them. One per folder, `src/resources/<type>/type.ts`.
 * `TReq` is the requirement config the type reads, `TMerged` the merged config it writes into the plan and
 * its provisioner reads back (see {@link defineResourceType}).
 */
export interface ResourceType<TReq = unknown, TMerged extends object = JsonObject> {
  readonly type: string;
  /** `cosmos`, `func`, `st`: the `{type}` part of the default name. */
  readonly namePrefix: string;
  /**
   * What the type is, as data (data-holding, name rule, Private Link, diagnostics, price model, limits), read
   * through `src/resources/facts.ts`. Built-in types declare them in `facts.ts` beside `type.ts`; without
   * them (a custom provider's type) the conservative `CUSTOM_TYPE_FACTS` apply.
   */
  readonly facts?: ResourceFacts;
  /**
   * What other components' settings can refer to (`${cosmos.endpoint}` or `ref('cosmos', 'endpoint')`), each
   * computed from this resource's Azure name.
   */
  readonly attributes?: Readonly<Record<string, (name: string) => string>>;
  /** A name fixed by config (e.g. an existing account's) instead of the naming rules; undefined to use them. */
  presetName?(isDefault: boolean, config: NormalizedConfig): string | undefined;
  /** The compatibility key of one requirement: requirements share a resource only when keys are equal. */
  compatibility(
    req: TypedRequirement<TReq>,
    config: NormalizedConfig,
  ): { readonly key: string; readonly isDefault: boolean };
  /**
   * Requirements a component that asks for this type also needs (a Function App's host storage), given all
   * of its own requirements. Appended after them.
   */
  companions?(componentId: string, reqs: readonly ResourceRequirement[]): ResourceRequirement[];
  /**
   * Merge one group's requirements (sorted by component id) into one config. `name` is the Azure name the
   * planner gave this group (names come before merging), for configs that embed it.
   */
  merge(
    reqs: readonly TypedRequirement<TReq>[],
    config: NormalizedConfig,
    name?: string,
  ): { config: TMerged; issues: PlanIssue[] };
  /**
   * Settings that depend on the other merged groups of the plan (e.g. a Function App's host storage), run
   * after every group is merged. Returns the completed config; the input is not mutated.
   */
  complete?(
    group: MergedGroup<TMerged>,
    ctx: { readonly usage: ReadonlyMap<string, Readonly<Record<string, ResourceKey>>> },
  ): TMerged;
  /** The Terraform resources apply creates for this planned resource (logical names). */
  deploys(
    group: MergedGroup<TMerged> & { readonly name: string },
    ctx: DeployContext,
  ): PlannedDeploy[];
  /** Monthly USD estimate of one such resource with this config. */
  monthlyUsd(config: TMerged): number;
  /**
   * Optional shortcut: the monthly USD of one consumer's own copy, given its requirements and the group's
   * merged config. Without it the planner merges the consumer's requirements alone and prices that.
   */
  standaloneMonthlyUsd?(
    own: readonly TypedRequirement<TReq>[],
    shared: TMerged,
    config: NormalizedConfig,
  ): number;
}

/**
 * Any resource type, as the planner sees them all (it only moves configs from `merge` to `deploys`). Method
 * parameters are bivariant in TypeScript, so every `ResourceType<TReq, TMerged>` is one of these.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the erased view of every ResourceType<TReq, TMerged>; `unknown` would reject them (method parameters are checked against it)
export type AnyResourceType = ResourceType<any, object>;

/** The merged config type of a resource type. */
export type MergedConfigOf<T> = T extends ResourceType<infer _R, infer M> ? M : never;

/**
 * Declare a resource type with its requirement and merged config types: `merge` must return `TMerged`, and
 * `deploys`, `monthlyUsd` and the type's provisioner all receive it typed — no casts between the steps.
 *
 * @example
 * ```ts
 * export const storageType = defineResourceType<StorageRequirementConfig, MergedStorageConfig>()({
 *   type: 'storage', namePrefix: 'st',
 *   compatibility: (req) => ({ key: req.requirement.config.tier ?? 'standard', isDefault: true }),
 *   merge: (reqs) => ({ config: { tier: 'Standard', replication: 'LRS', containers: [], queues: [] }, issues: [] }),
 *   deploys: () => [], monthlyUsd: () => 0,
 * });
 * ```
 */
export function defineResourceType<TReq, TMerged extends object>(): <
  T extends ResourceType<TReq, TMerged>,
>(
  definition: T,
) => T {
  return (definition) => definition;
}

/**
 * A typed merged config (or any typed JSON data) as the plan stores it. Interfaces carry no index signature, so
 * TypeScript will not assign them to `{ [k: string]: JsonValue }` although every merged config is JSON data.
 *
 * @example
 * ```ts
 * const resource: PlannedResource = {
 *   key,
 *   type: 'network',
 *   name,
 *   compatibility: 'isolated',
 *   config: asJsonObject(merged),
 *   consumers,
 *   deploys,
 *   estimatedMonthlyUsd: 0,
 * };
 * ```
 */
export function asJsonObject(value: object): JsonObject {
  // The one widening of typed JSON data to the plan's JSON type (the reverse is mergedConfigOf in resources/types.ts).
  return value as unknown as JsonObject;
}
