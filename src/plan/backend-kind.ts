import type { NormalizedConfig } from '../model/config.js';
import type { PlanIssue, PlannedResource } from '../model/plan.js';

/**
 * A resource the backend itself needs, decided by its config and the component resources already planned
 * (monitoring, networking, …) rather than by a component's requirement. Pure, like every planner step.
 */
export interface BackendKind {
  readonly type: string;
  plan(resources: readonly PlannedResource[], config: NormalizedConfig): { resources: PlannedResource[]; issues: PlanIssue[] };
}
