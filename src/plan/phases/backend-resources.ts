import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue, PlannedResource } from '../../model/plan.js';
import { factsOf } from '../../resources/facts.js';
import { BUILTIN_BACKEND_TYPES } from '../../resources/types.js';
import { sortDeploys } from './merge.js';

/**
 * Phase 5: backend-level resources — decided by the config and the resources planned so far rather than by
 * one component (monitoring, networking) — in the registry's order, each seeing the ones before it.
 */
export function planBackendResources(
  resources: readonly PlannedResource[],
  config: NormalizedConfig,
): { resources: PlannedResource[]; issues: PlanIssue[] } {
  const all = [...resources];
  const issues: PlanIssue[] = [];
  for (const type of BUILTIN_BACKEND_TYPES) {
    const added = type.plan(all, config, factsOf);
    issues.push(...added.issues);
    all.push(...added.resources.map((r) => ({ ...r, deploys: sortDeploys(r.deploys) })));
  }
  return { resources: all, issues };
}
