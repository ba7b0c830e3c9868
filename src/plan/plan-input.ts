import type { ComponentDefinition } from '../model/component.js';
import type { NormalizedConfig } from '../model/config.js';
import type { AnyResourceType } from '../kit/pure/resources/resource-type.js';

/** One component as the planner takes it: the key users access it by and its (adapted) definition. */
export interface PlanComponent {
  readonly key: string;
  readonly definition: ComponentDefinition;
}

/** Everything `plan()` reads. Never mutated. */
export interface PlanInput {
  readonly config: NormalizedConfig;
  readonly components: readonly PlanComponent[];
  /** Types from custom providers, for resource types the built-ins do not take. */
  readonly extraTypes?: readonly AnyResourceType[];
}
