import type { NormalizedConfig } from '../../../model/config.js';
import type { PlanIssue, PlannedResource } from '../../../model/plan.js';
import type { ResourceFacts } from './resource-facts.js';

/**
 * A resource the backend itself needs, decided by its config and the component resources already planned
 * (monitoring, networking, …) rather than by a component's requirement. Pure, like every planner step.
 *
 * @example
 * ```ts
 * const auditType: BackendResourceType = {
 *   type: 'audit',
 *   facts: CUSTOM_TYPE_FACTS,
 *   plan: (resources, config, factsOf) => ({ resources: [], issues: [] }),
 * };
 * ```
 */
export interface BackendResourceType {
  readonly type: string;
  /** What the type is, as data (see {@link ResourceFacts}). */
  readonly facts: ResourceFacts;
  /** `factsOf` gives the facts of the planned resources' types (e.g. their Private Link targets). */
  plan(
    resources: readonly PlannedResource[],
    config: NormalizedConfig,
    factsOf: (type: string) => ResourceFacts,
  ): { resources: PlannedResource[]; issues: PlanIssue[] };
}
