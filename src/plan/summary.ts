import type { PlanSummary, PlannedResource } from '../model/plan.js';

/**
 * Phase 7: shared vs unshared counts and cost. Stand-alone, every consumer of a shared resource would own
 * one like it: priced by the planner from that consumer's own requirements when it knows them
 * (`standaloneUsd`), else like the shared one; a resource with no consumers counts once either way.
 */
export function summarize(
  resources: readonly PlannedResource[],
  standaloneUsd: ReadonlyMap<string, number> = new Map(),
): PlanSummary {
  let unsharedResources = 0;
  let unsharedUsd = 0;
  for (const r of resources) {
    const owners = Math.max(1, r.consumers.length);
    unsharedResources += owners;
    unsharedUsd += standaloneUsd.get(r.key) ?? owners * r.estimatedMonthlyUsd;
  }
  const shared = resources.reduce((s, r) => s + r.estimatedMonthlyUsd, 0);
  return {
    resources: resources.length,
    unsharedResources,
    reduction:
      unsharedResources === 0
        ? 0
        : Math.round((1 - resources.length / unsharedResources) * 1000) / 1000,
    estimatedMonthlyUsd: { shared: round2(shared), unshared: round2(unsharedUsd) },
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;
