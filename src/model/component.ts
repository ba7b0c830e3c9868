import type { JsonValue, PlannedResource } from './plan.js';
import type { ResourceRequirement } from './requirements.js';
import type { NormalizedConfig } from './config.js';

/**
 * Brand that marks a value as a component definition made by a `define` function. `defineBackend` takes
 * definitions and config keys in one object, and the brand is how it tells the two apart.
 *
 * @example
 * ```ts
 * CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } })[DEFINITION_BRAND]; // true
 * ```
 */
export const DEFINITION_BRAND = '__atakoraDefinition' as const;

/**
 * What a component's `requirements` sees: its id (to name its databases, settings and keys) and the normalized
 * backend config (to follow backend-wide defaults such as `location`).
 *
 * @example
 * ```ts
 * const jobs = defineComponent({
 *   type: 'Jobs',
 *   id: 'Jobs',
 *   config: {},
 *   requirements: (_config, ctx: RequirementContext) => [
 *     {
 *       resourceType: 'storage',
 *       requirementKey: `${ctx.componentId}-storage`,
 *       config: { queues: ['jobs'] },
 *     },
 *   ],
 * });
 * ```
 */
export interface RequirementContext {
  readonly componentId: string;
  readonly config: NormalizedConfig;
}

/**
 * What a component's `outputs` (and `provision`) sees: the resources planned for it, so handle values can
 * use the final, merged names before anything is deployed.
 *
 * @example
 * ```ts
 * const outputs = (_config: unknown, ctx: OutputContext) => ({ account: ctx.resource('storage')?.name ?? '' });
 * ```
 */
export interface OutputContext {
  readonly componentId: string;
  readonly componentKey: string;
  readonly config: NormalizedConfig;
  /** The planned resource of that type this component uses, if any. */
  resource(type: string): PlannedResource | undefined;
  /**
   * Every planned resource of that type in the backend, sorted by key (a site reads the API it signs in to).
   * Given by the planner; absent where only the component's own resources are known.
   */
  resourcesOfType?(type: string): readonly PlannedResource[];
}

/**
 * The values every handle carries; each kind adds its own (`CrudApiHandle.apiEndpoint`, …). Handles are
 * plan-time data, so they can be read and wired into other components without deploying; once the backend
 * is added to a stack, `backend.components` gives them as deployed there (`AppliedBackend.components`).
 *
 * @example
 * ```ts
 * const backend = defineBackend({ userApi: users });
 * const handle: ComponentHandle = backend.components.userApi;
 * handle.resources.cosmos; // 'cosmos:shared'
 * ```
 */
export interface ComponentHandle {
  /** The key in the backend (`backend.components[key]`). */
  readonly key: string;
  /** The id given to `define(id, …)`. */
  readonly componentId: string;
  readonly componentType: string;
  /** The planned resource keys this component uses, by type. */
  readonly resources: Readonly<Record<string, string>>;
}

/**
 * A component definition: pure data plus pure functions. Made by `CrudApi.define`, `FunctionsApp.define`,
 * `StaticSite.define` or `defineComponent`; nothing is created until `apply`.
 *
 * The type parameters carry the id (as a literal, so builder keys are typed), the kind and the handle type.
 *
 * @example
 * ```ts
 * const userApi: ComponentDefinition<'UserApi', 'CrudApi'> = CrudApi.define('UserApi', {
 *   entityName: 'User',
 *   schema: { id: 'string' },
 * });
 * userApi.requirements({ componentId: 'UserApi', config: normalizeConfig({}) }); // cosmos, functions, storage
 * ```
 */
export interface ComponentDefinition<
  TId extends string = string,
  TType extends string = string,
  TConfig = unknown,
  THandle extends ComponentHandle = ComponentHandle,
> {
  readonly [DEFINITION_BRAND]: true;
  readonly componentId: TId;
  readonly componentType: TType;
  readonly config: TConfig;
  /** Default priority of this component's requirements (higher wins conflicts). */
  readonly priority?: number;
  /** Pure: the requirements this component places. */
  requirements(ctx: RequirementContext): readonly ResourceRequirement[];
  /** Pure: the handle's plan-known values (e.g. `apiEndpoint`). */
  outputs?(ctx: OutputContext): Readonly<Record<string, JsonValue>>;
  /**
   * cdktf side, optional: extra constructs in the stack after the shared resources exist.
   * `scope` is the stack; `resources` maps planned resource keys to their constructs.
   */
  provision?(scope: unknown, resources: ReadonlyMap<string, unknown>, ctx: OutputContext): void;
  /** Phantom: never set; carries the handle type for inference. */
  readonly __handle?: THandle;
}

/**
 * The seeds' factory-only component shape, accepted through an adapter so existing components keep working.
 * `factory` is called once without a scope at plan time to read `getRequirements()`; at apply, `initialize`
 * runs with the real scope and the provisioned resources, and `getOutputs()` become the handle's values.
 *
 * @example
 * ```ts
 * const legacy: FactoryComponentDefinition<{ queue: string }> = {
 *   componentId: 'Legacy',
 *   componentType: 'Legacy',
 *   config: { queue: 'jobs' },
 *   factory: (_scope, _id, config) => ({
 *     getRequirements: () => [
 *       {
 *         resourceType: 'storage',
 *         requirementKey: 'legacy-storage',
 *         config: { queues: [config.queue] },
 *       },
 *     ],
 *   }),
 * };
 * defineBackend({ legacy });
 * ```
 */
export interface FactoryComponentDefinition<TConfig = unknown> {
  readonly componentId: string;
  readonly componentType: string;
  readonly config: TConfig;
  readonly factory: (
    scope: unknown,
    id: string,
    config: TConfig,
    resources: ReadonlyMap<string, unknown>,
  ) => {
    getRequirements(): readonly ResourceRequirement[];
    initialize?(resources: ReadonlyMap<string, unknown>, scope: unknown): void;
    getOutputs?(): Record<string, unknown>;
  };
}

/**
 * Anything `defineBackend` and `BackendBuilder.addComponent` accept as a component: a branded definition of
 * any kind or the seeds' factory shape. `any` in the type arguments lets every definition's own config and
 * handle types through.
 *
 * @example
 * ```ts
 * const definitions: Record<string, AnyDefinition> = {
 *   userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
 * };
 * ```
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- see above: `unknown` would reject every definition whose handle or config is narrower */
export type AnyDefinition =
  | ComponentDefinition<string, string, any, any>
  | FactoryComponentDefinition<any>;
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * The handle type a definition produces; this is how `backend.components.<key>` gets its type.
 *
 * @example
 * ```ts
 * const userApi = CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } });
 * type UserHandle = HandleOf<typeof userApi>; // CrudApiHandle
 * ```
 */
export type HandleOf<D> =
  D extends ComponentDefinition<string, string, unknown, infer H> ? H : ComponentHandle;
