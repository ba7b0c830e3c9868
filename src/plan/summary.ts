import type { PlanSummary, PlannedComponent, PlannedResource } from '../model/plan.js';

/**
 * Phase 7: shared vs unshared counts and cost. Stand-alone, every component would own one resource of each
 * type it uses, priced like the shared one of its group.
 */
export function summarize(resources: readonly PlannedResource[], components: readonly PlannedComponent[]): PlanSummary {
  const byKey = new Map(resources.map((r) => [r.key, r]));
  let unsharedResources = 0;
  let unsharedUsd = 0;
  for (const c of components) {
    for (const key of Object.values(c.resources)) {
      unsharedResources += 1;
      unsharedUsd += byKey.get(key)?.estimatedMonthlyUsd ?? 0;
    }
  }
  const shared = resources.reduce((s, r) => s + r.estimatedMonthlyUsd, 0);
  return {
    resources: resources.length,
    unsharedResources,
    reduction: unsharedResources === 0 ? 0 : Math.round((1 - resources.length / unsharedResources) * 1000) / 1000,
    estimatedMonthlyUsd: { shared: round2(shared), unshared: round2(unsharedUsd) },
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;
