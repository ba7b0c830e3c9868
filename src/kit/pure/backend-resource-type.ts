import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue, PlannedResource } from '../../model/plan.js';

/**
 * A resource the backend itself needs, decided by its config and the component resources already planned
 * (monitoring, networking, …) rather than by a component's requirement. Pure, like every planner step.
 *
 * @example
 * ```ts
 * const auditType: BackendResourceType = { type: 'audit', plan: (resources, config) => ({ resources: [], issues: [] }) };
 * ```
 */
export interface BackendResourceType {
  readonly type: string;
  plan(resources: readonly PlannedResource[], config: NormalizedConfig): { resources: PlannedResource[]; issues: PlanIssue[] };
}
