import type { ComponentDefinition } from '../model/component.js';
import type { NormalizedConfig } from '../model/config.js';
import type { ResourceKind } from './resource-kind.js';

/** One component as the planner takes it: the key users access it by and its (adapted) definition. */
export interface PlanComponent {
  readonly key: string;
  readonly definition: ComponentDefinition;
}

/** Everything `plan()` reads. Never mutated. */
export interface PlanInput {
  readonly config: NormalizedConfig;
  readonly components: readonly PlanComponent[];
  /** Kinds from custom providers, consulted before the built-ins for their types. */
  readonly extraKinds?: readonly ResourceKind[];
}
