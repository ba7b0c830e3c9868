import type { JsonValue, PlannedResource } from './plan.js';
import type { ResourceRequirement } from './requirements.js';
import type { NormalizedConfig } from './config.js';

/** Brand that marks a value as a component definition made by a `define` function. */
export const DEFINITION_BRAND = '__atakoraDefinition' as const;

/** What a component's `requirements` sees. */
export interface RequirementContext {
  readonly componentId: string;
  readonly config: NormalizedConfig;
}

/** What a component's `outputs` sees: the resources planned for it. */
export interface OutputContext {
  readonly componentId: string;
  readonly componentKey: string;
  readonly config: NormalizedConfig;
  /** The planned resource of that type this component uses, if any. */
  resource(type: string): PlannedResource | undefined;
}

/** The values every handle carries. */
export interface ComponentHandle {
  readonly key: string;
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

/** The seeds' factory-only component shape, accepted through an adapter. */
export interface FactoryComponentDefinition<TConfig = unknown> {
  readonly componentId: string;
  readonly componentType: string;
  readonly config: TConfig;
  readonly factory: (scope: unknown, id: string, config: TConfig, resources: ReadonlyMap<string, unknown>) => {
    getRequirements(): readonly ResourceRequirement[];
    initialize?(resources: ReadonlyMap<string, unknown>, scope: unknown): void;
    getOutputs?(): Record<string, unknown>;
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDefinition = ComponentDefinition<string, string, any, any> | FactoryComponentDefinition<any>;

/** The handle type a definition produces. */
export type HandleOf<D> = D extends ComponentDefinition<string, string, unknown, infer H> ? H : ComponentHandle;
